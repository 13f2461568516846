"""POST /api/v1/auth/token/: email + password → DRF token."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import User
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests"  # what UserFactory sets
WRONG_CREDENTIALS = {"non_field_errors": ["Unable to sign in with this email and password."]}


@pytest.fixture(autouse=True)
def _fresh_throttle() -> Iterator[None]:
    cache.clear()  # the login throttle counts in the cache; each test starts from zero
    yield
    cache.clear()


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def _obtain(api: APIClient, payload: Any) -> Any:
    return api.post(reverse("api:auth-token"), payload, format="json")


def test_valid_credentials_return_the_users_token(api: APIClient, customer: User) -> None:
    response = _obtain(api, {"email": customer.email, "password": PASSWORD})

    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=customer).key}


def test_asking_twice_returns_the_same_token(api: APIClient, customer: User) -> None:
    first = _obtain(api, {"email": customer.email, "password": PASSWORD}).json()["token"]
    second = _obtain(api, {"email": customer.email.upper(), "password": PASSWORD}).json()["token"]

    assert first == second
    assert Token.objects.filter(user=customer).count() == 1


def test_the_token_authenticates_later_requests(api: APIClient, customer: User) -> None:
    token = _obtain(api, {"email": customer.email, "password": PASSWORD}).json()["token"]

    anonymous = api.get(reverse("api:ticket-list"))
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    authenticated = api.get(reverse("api:ticket-list"))

    assert anonymous.status_code == 401
    assert authenticated.status_code == 200
    assert authenticated.json()["count"] == 0


def test_an_unknown_token_is_refused(api: APIClient) -> None:
    api.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)

    response = api.get(reverse("api:ticket-list"))

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}


@pytest.mark.parametrize(
    ("email", "password"),
    [
        pytest.param("{customer}", "wrong-password", id="wrong_password_case"),
        pytest.param("nobody@example.test", PASSWORD, id="unknown_email_case"),
    ],
)
def test_wrong_credentials_are_refused_without_a_token(
    api: APIClient, customer: User, email: str, password: str
) -> None:
    response = _obtain(api, {"email": email.format(customer=customer.email), "password": password})

    assert response.status_code == 400
    assert response.json() == WRONG_CREDENTIALS
    assert Token.objects.exists() is False


def test_an_inactive_user_gets_no_token(api: APIClient) -> None:
    user = CustomerFactory.create(is_active=False)

    response = _obtain(api, {"email": user.email, "password": PASSWORD})

    assert response.status_code == 400
    assert response.json() == WRONG_CREDENTIALS
    assert Token.objects.exists() is False


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        pytest.param({}, {"email", "password"}, id="empty_body_case"),
        pytest.param({"email": "a@example.test"}, {"password"}, id="missing_password_case"),
        pytest.param({"password": PASSWORD}, {"email"}, id="missing_email_case"),
        pytest.param({"email": "", "password": ""}, {"email", "password"}, id="blank_fields_case"),
        pytest.param({"email": "not-an-email", "password": PASSWORD}, {"email"}, id="malformed_email_case"),
        pytest.param({"email": ["a@example.test"], "password": PASSWORD}, {"email"}, id="wrong_type_case"),
    ],
)
def test_missing_or_malformed_fields_are_field_errors(
    api: APIClient, customer: User, payload: dict[str, Any], errors: set[str]
) -> None:
    response = _obtain(api, payload)

    assert response.status_code == 400
    assert set(response.json()) == errors
    assert Token.objects.exists() is False


def test_malformed_json_is_a_400(api: APIClient) -> None:
    response = api.post(reverse("api:auth-token"), data="{not json", content_type="application/json")

    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_password_guessing_is_throttled(api: APIClient, customer: User) -> None:
    for _ in range(10):
        assert _obtain(api, {"email": customer.email, "password": "guess"}).status_code == 400

    response = _obtain(api, {"email": customer.email, "password": PASSWORD})

    assert response.status_code == 429
    assert Token.objects.exists() is False
