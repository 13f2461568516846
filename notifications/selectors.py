"""Reads of a person's in-app notifications (the bell and its list)."""

from django.db.models import QuerySet

from accounts.models import User
from notifications.models import Notification


def notification_inbox_for(*, user: User) -> QuerySet[Notification]:
    """The user's in-app notifications, newest first (only their own)."""
    return Notification.objects.filter(recipient=user, channel=Notification.Channel.IN_APP).order_by(
        "-created_at", "-pk"
    )


def notification_unread_count(*, user: User) -> int:
    return notification_inbox_for(user=user).filter(read_at__isnull=True).count()
