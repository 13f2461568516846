"""Every message of the marketplace goes through here, into the notification outbox
(`notifications.services.notifications_enqueue`), in the caller's transaction: delivered after
commit, never twice for one key. Each person gets an in-app entry and an email.

Calendar invitations: the outbox carries no attachments yet, so emails link to the .ics of the
visits (visits/ics.py, served by `visits:calendar`); attach it here once the outbox can."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings

from accounts.models import User
from notifications.models import Notification
from notifications.services import Draft, notifications_enqueue


def absolute_url(path: str) -> str:
    return getattr(settings, "SITE_URL", "").rstrip("/") + path


@dataclass(frozen=True)
class Message:
    key: str
    user: User
    subject: str
    body: str
    link: str
    calendar_link: str = ""

    def drafts(self) -> list[Draft]:
        Channel = Notification.Channel
        lines = [self.body, "", absolute_url(self.link)]
        if self.calendar_link:
            lines += ["", f"Calendar: {absolute_url(self.calendar_link)}"]
        base = f"visits:{self.key}:{self.user.pk}"
        return [
            Draft(
                key=f"{base}:in-app",
                channel=Channel.IN_APP,
                recipient=self.user,
                subject=self.subject,
                body=self.body,
                link=self.link,
            ),
            Draft(
                key=f"{base}:email",
                channel=Channel.EMAIL,
                recipient=self.user,
                subject=self.subject,
                body="\n".join(lines),
            ),
        ]


def notify_many(messages: Iterable[Message]) -> None:
    """All in one INSERT (and one delivery task after commit)."""
    notifications_enqueue([draft for message in messages for draft in message.drafts()])


def notify(*, key: str, user: User, subject: str, body: str, link: str, calendar_link: str = "") -> None:
    """An in-app entry and an email for `user`; `key` makes the pair unique per cause."""
    notify_many([Message(key=key, user=user, subject=subject, body=body, link=link, calendar_link=calendar_link)])
