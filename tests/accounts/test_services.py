"""Writes of the accounts app that the views and the API call."""

import threading

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token

from accounts.services import auth_token_get_or_create
from tests.factories import CustomerFactory


@pytest.mark.django_db
def test_the_token_is_made_once_and_then_reused():
    user = CustomerFactory.create()

    first = auth_token_get_or_create(user=user)
    second = auth_token_get_or_create(user=user)

    assert first.key == second.key
    assert len(first.key) == 40
    assert list(Token.objects.values_list("user_id", flat=True)) == [user.pk]


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_sign_ins_share_one_token():
    user = CustomerFactory.create()
    barrier = threading.Barrier(4)
    keys: list[object] = [None] * 4

    def run(i: int) -> None:
        try:
            barrier.wait()
            keys[i] = auth_token_get_or_create(user=user).key
        except Exception as exc:  # collected and asserted on below
            keys[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(set(keys)) == 1
    assert keys[0] == Token.objects.get(user=user).key
