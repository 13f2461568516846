"""The notification outbox against real local servers: email through SMTP (aiosmtpd), chat
through an HTTP webhook; written with the change, delivered after commit, retried with backoff
when the server is down, delivered exactly once when it comes back, never lost by a dead worker."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from notifications.models import Notification
from notifications.services import (
    notification_deliver,
    notification_enqueue,
    notification_retry,
    notifications_deliver_due,
    retry_delay,
)
from tests.factories import AgentFactory

pytestmark = pytest.mark.django_db
Channel, Status = Notification.Channel, Notification.Status


def _email(key: str = "k1", **kwargs) -> Notification | None:
    kwargs.setdefault("recipient", AgentFactory.create(email="ada@example.test"))
    return notification_enqueue(
        key=key, channel=Channel.EMAIL, subject="SLA breached on #1042", body="Please look.", **kwargs
    )


def _chat(url: str, key: str = "c1") -> Notification | None:
    return notification_enqueue(
        key=key, channel=Channel.CHAT, webhook_url=url, subject="SLA breached", body="#1042 Washer"
    )


def _refresh(n: Notification) -> Notification:
    n.refresh_from_db()
    return n


# --- email ---------------------------------------------------------------------------------------------


def test_email_goes_out_through_smtp_after_commit(smtp_server, django_capture_on_commit_callbacks):
    smtp_server.start()

    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        notification = _email()
        assert smtp_server.messages == []  # nothing leaves before the commit

    assert len(callbacks) == 1
    [message] = smtp_server.messages
    assert (message["To"], message["Subject"], message.get_content().strip()) == (
        "ada@example.test",
        "SLA breached on #1042",
        "Please look.",
    )
    assert message["Message-ID"] == "<notification-k1@example.com>"
    notification = _refresh(notification)
    assert (notification.status, notification.attempts, notification.claimed_at) == (Status.SENT, 1, None)
    assert notification.sent_at is not None


def test_a_rolled_back_change_sends_nothing(smtp_server, django_capture_on_commit_callbacks):
    smtp_server.start()

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _email()
        raise RuntimeError("the change failed")

    assert (callbacks, smtp_server.messages, Notification.objects.exists()) == ([], [], False)


def test_the_same_key_makes_one_row_and_one_email(smtp_server, django_capture_on_commit_callbacks):
    smtp_server.start()
    agent = AgentFactory.create()

    with django_capture_on_commit_callbacks(execute=True):
        first = _email(recipient=agent)
        second = _email(recipient=agent)

    assert first == second
    assert (Notification.objects.count(), len(smtp_server.messages)) == (1, 1)


def test_smtp_down_then_back_delivers_exactly_once(smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = _email()  # the server is down: the first attempt fails

    notification = _refresh(notification)
    assert (notification.status, notification.attempts) == (Status.PENDING, 1)
    assert "ConnectionRefusedError" in notification.last_error
    retry_at = notification.next_attempt_at
    assert notifications_deliver_due(now=retry_at - timedelta(seconds=1)) == {"reaped": 0}  # not due yet

    smtp_server.start()
    assert notifications_deliver_due(now=retry_at) == {"reaped": 0, "sent": 1}
    assert notifications_deliver_due(now=retry_at + timedelta(hours=1)) == {"reaped": 0}

    assert len(smtp_server.messages) == 1
    notification = _refresh(notification)
    assert (notification.status, notification.attempts, notification.last_error) == (Status.SENT, 2, "")


def test_a_recipient_without_email_fails_for_good(smtp_server):
    smtp_server.start()
    notification = _email(recipient=AgentFactory.create(email=""))

    assert notification_deliver(notification_id=notification.pk) == "failed"
    assert _refresh(notification).status == Status.FAILED


# --- chat webhook ----------------------------------------------------------------------------------------


def test_chat_posts_slack_compatible_json(webhook_server, django_capture_on_commit_callbacks):
    webhook_server.start()

    with django_capture_on_commit_callbacks(execute=True):
        notification = _chat(webhook_server.url)

    assert webhook_server.received == [("/hooks/team", "application/json", {"text": "*SLA breached*\n#1042 Washer"})]
    assert _refresh(notification).status == Status.SENT


def test_webhook_down_then_back_delivers_exactly_once(webhook_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = _chat(webhook_server.url)
    notification = _refresh(notification)
    assert (notification.status, notification.attempts) == (Status.PENDING, 1)

    webhook_server.start()
    outcome = notifications_deliver_due(now=notification.next_attempt_at)
    again = notifications_deliver_due(now=notification.next_attempt_at + timedelta(days=1))

    assert (outcome["sent"], again) == (1, {"reaped": 0})
    assert len(webhook_server.received) == 1
    assert _refresh(notification).status == Status.SENT


def test_server_errors_are_retried_with_backoff(webhook_server, settings):
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 30
    webhook_server.start()
    webhook_server.statuses = [503, 500]
    notification = _chat(webhook_server.url)
    now = timezone.now()

    assert notification_deliver(notification_id=notification.pk, now=now) == "retry"
    assert _refresh(notification).next_attempt_at == now + timedelta(seconds=30)
    assert notification_deliver(notification_id=notification.pk, now=now + timedelta(seconds=30)) == "retry"
    assert _refresh(notification).next_attempt_at == now + timedelta(seconds=90)  # then 60 s
    assert notification_deliver(notification_id=notification.pk, now=now + timedelta(seconds=90)) == "sent"

    assert (len(webhook_server.received), _refresh(notification).attempts) == (3, 3)


@pytest.mark.parametrize("status", [404, 410, 302])
def test_a_gone_or_redirecting_webhook_fails_for_good(webhook_server, status):
    webhook_server.start()
    webhook_server.statuses = [status]
    notification = _chat(webhook_server.url)

    assert notification_deliver(notification_id=notification.pk) == "failed"

    notification = _refresh(notification)
    assert (notification.status, notification.last_error) == (Status.FAILED, f"HTTP {status} from the webhook")
    assert [path for path, *_ in webhook_server.received] == ["/hooks/team"]  # the redirect was not followed
    assert notifications_deliver_due(now=timezone.now() + timedelta(days=1)) == {"reaped": 0}


def test_a_slow_webhook_times_out_and_is_retried(webhook_server, settings):
    settings.NOTIFICATION_HTTP_TIMEOUT = 0.2
    webhook_server.start()
    webhook_server.delay = 1.0
    notification = _chat(webhook_server.url)

    assert notification_deliver(notification_id=notification.pk) == "retry"
    assert "timed out" in _refresh(notification).last_error


def test_delivery_gives_up_after_the_maximum_attempts(settings, webhook_server):
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    notification = _chat(webhook_server.url)  # never started: connection refused
    now = timezone.now()

    first = notification_deliver(notification_id=notification.pk, now=now)
    second = notification_deliver(notification_id=notification.pk, now=now + timedelta(hours=1))
    third = notification_deliver(notification_id=notification.pk, now=now + timedelta(days=1))

    assert (first, second, third) == ("retry", "failed", "skipped")
    assert (_refresh(notification).status, _refresh(notification).attempts) == (Status.FAILED, 2)


def test_failed_notifications_can_be_sent_again(webhook_server, django_capture_on_commit_callbacks):
    notification = _chat(webhook_server.url)
    Notification.objects.filter(pk=notification.pk).update(status=Status.FAILED, attempts=8)
    webhook_server.start()

    with django_capture_on_commit_callbacks(execute=True):
        assert notification_retry(notification_ids=[notification.pk]) == 1

    assert (_refresh(notification).status, len(webhook_server.received)) == (Status.SENT, 1)


@pytest.mark.parametrize("url", ["ftp://chat.example.test/hook", "file:///etc/passwd", "javascript:alert(1)", ""])
def test_non_http_webhooks_are_never_stored_or_fetched(url):
    assert _chat(url) is None
    assert Notification.objects.exists() is False


def test_backoff_doubles_up_to_the_cap(settings):
    settings.NOTIFICATION_RETRY_BASE_SECONDS, settings.NOTIFICATION_RETRY_MAX_SECONDS = 30, 300

    assert [retry_delay(n).total_seconds() for n in range(1, 7)] == [30, 60, 120, 240, 300, 300]


# --- a worker that dies mid-delivery ---------------------------------------------------------------------


def test_a_claim_left_by_a_dead_worker_is_reaped_and_sent_once(webhook_server, settings):
    settings.NOTIFICATION_CLAIM_TIMEOUT_MINUTES = 10
    webhook_server.start()
    notification = _chat(webhook_server.url)
    now = timezone.now()
    Notification.objects.filter(pk=notification.pk).update(  # claimed, then the worker died before sending
        claimed_at=now - timedelta(minutes=5), claimed_by="dead-worker", attempts=1
    )

    assert notifications_deliver_due(now=now) == {"reaped": 0}  # a live claim is respected
    assert notifications_deliver_due(now=now + timedelta(minutes=6)) == {"reaped": 1, "sent": 1}
    assert notifications_deliver_due(now=now + timedelta(minutes=30)) == {"reaped": 0}

    assert len(webhook_server.received) == 1
    assert (_refresh(notification).status, _refresh(notification).attempts) == (Status.SENT, 2)


def test_deliver_one_skips_rows_that_are_claimed_sent_or_not_due(webhook_server):
    webhook_server.start()
    claimed = _chat(webhook_server.url, key="a")
    Notification.objects.filter(pk=claimed.pk).update(claimed_at=timezone.now(), claimed_by="other")
    later = _chat(webhook_server.url, key="b")
    Notification.objects.filter(pk=later.pk).update(next_attempt_at=timezone.now() + timedelta(hours=1))

    assert notification_deliver(notification_id=claimed.pk) == "skipped"
    assert notification_deliver(notification_id=later.pk) == "skipped"
    assert notification_deliver(notification_id=-1) == "skipped"
    assert webhook_server.received == []


# --- in-app ---------------------------------------------------------------------------------------------


def test_in_app_notifications_are_visible_at_once_without_delivery(django_capture_on_commit_callbacks):
    agent = AgentFactory.create()

    with django_capture_on_commit_callbacks() as callbacks:
        notification = notification_enqueue(
            key="i1", channel=Channel.IN_APP, recipient=agent, subject="Escalated to you", link="/agent/tickets/1/"
        )

    assert callbacks == []
    assert (notification.status, notification.read_at, notification.sent_at is not None) == (Status.SENT, None, True)


def test_a_notification_without_recipient_is_skipped():
    assert notification_enqueue(key="x", channel=Channel.EMAIL, subject="s") is None
    assert Notification.objects.exists() is False
