"""Every message of the marketplace goes through here, into the notification outbox
(`notifications.services.notification_enqueue`), in the caller's transaction: delivered after
commit, never twice for one key. Each person gets an in-app entry and an email.

Calendar invitations: the outbox API carries no attachments yet, so emails link to the .ics of
the visits (visits/ics.py, served by `visits:calendar`); attach it here once the outbox can."""

from django.conf import settings

from accounts.models import User
from notifications.models import Notification
from notifications.services import notification_enqueue


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path if hasattr(settings, "SITE_URL") else path


def notify(*, key: str, user: User, subject: str, body: str, link: str, calendar_link: str = "") -> None:
    """An in-app entry and an email for `user`; `key` makes the pair unique per cause."""
    Channel = Notification.Channel
    notification_enqueue(
        key=f"visits:{key}:{user.pk}:in-app",
        channel=Channel.IN_APP,
        recipient=user,
        subject=subject,
        body=body,
        link=link,
    )
    lines = [body, "", absolute_url(link)]
    if calendar_link:
        lines += ["", f"Calendar: {absolute_url(calendar_link)}"]
    notification_enqueue(
        key=f"visits:{key}:{user.pk}:email",
        channel=Channel.EMAIL,
        recipient=user,
        subject=subject,
        body="\n".join(lines),
    )
