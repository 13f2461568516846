"""django-q2 entry points for the outbox; they only call services."""

from notifications.services import notification_deliver as deliver_one
from notifications.services import notifications_deliver_due
from notifications.services import notifications_deliver_keys as deliver_keys


def notification_deliver(notification_id: int) -> str:
    """Deliver one notification now (if due and unclaimed); e.g. the admin's "send again"."""
    return deliver_one(notification_id=notification_id)


def notifications_deliver_keys(keys: list[str]) -> dict[str, int]:
    """Enqueued on commit for the notifications one change wrote."""
    return deliver_keys(keys=keys)


def deliver_due() -> dict[str, int]:
    """Every minute: retries that are due, rows whose on-commit task was lost, reaped claims."""
    return notifications_deliver_due()
