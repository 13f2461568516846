"""Two delivery workers at once (two threads, two connections): every notification is claimed by
one of them and reaches the webhook exactly once."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from notifications.models import Notification
from notifications.services import notifications_deliver_due

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_workers_deliver_each_notification_once(webhook_server):
    webhook_server.start()
    Notification.objects.bulk_create(
        Notification(channel="CHAT", webhook_url=webhook_server.url, subject=f"n{i}", idempotency_key=f"k{i}")
        for i in range(12)
    )
    now = timezone.now() + timedelta(seconds=1)
    barrier = threading.Barrier(2)
    results: list[object] = []

    def worker() -> None:
        try:
            barrier.wait()
            results.append(notifications_deliver_due(now=now, limit=12))
        except Exception as exc:  # asserted below
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert all(isinstance(r, dict) for r in results), results
    assert sum(r.get("sent", 0) for r in results) == 12
    assert sorted(body["text"] for _, _, body in webhook_server.received) == sorted(f"*n{i}*" for i in range(12))
    assert set(Notification.objects.values_list("status", "attempts")) == {("SENT", 1)}
