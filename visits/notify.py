"""Every message of the marketplace goes through here, into the notification outbox
(`notifications.services.notifications_enqueue`), in the caller's transaction: delivered after
commit, never twice for one key. Each person gets an in-app entry and an email.

Booking emails carry the visits as an .ics calendar invitation (the recipient's own view of the
group: an expert gets the visits they are booked on) and link to the same file (`visits:calendar`)."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from accounts.models import User
from notifications.models import Notification
from notifications.services import Draft, notifications_enqueue
from visits.ics import CalendarEvent, calendar


def absolute_url(path: str) -> str:
    return getattr(settings, "SITE_URL", "").rstrip("/") + path


@dataclass(frozen=True)
class Message:
    key: str
    user: User
    subject: str
    body: str
    link: str
    calendar_group_id: int | None = None

    def drafts(self, invitation_events: list[CalendarEvent] | None = None) -> list[Draft]:
        Channel = Notification.Channel
        lines = [self.body, "", absolute_url(self.link)]
        invitation: tuple[tuple[str, str, str], ...] = ()
        if self.calendar_group_id is not None:
            lines += ["", f"Calendar: {absolute_url(reverse('visits:calendar', args=[self.calendar_group_id]))}"]
            if invitation_events:
                invitation = ((f"visits-{self.calendar_group_id}.ics", calendar(invitation_events), "text/calendar"),)
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
                attachments=invitation,
            ),
        ]


def notify_many(messages: Iterable[Message]) -> None:
    """All in one INSERT (and one delivery task after commit); one calendar query per group."""
    from visits.selectors import calendar_events_by_recipient  # selectors import the services: load late

    messages = list(messages)
    group_ids = {m.calendar_group_id for m in messages if m.calendar_group_id is not None}
    events = {group_id: calendar_events_by_recipient(group_id=group_id) for group_id in group_ids}
    notifications_enqueue(
        [
            draft
            for m in messages
            for draft in m.drafts(events.get(m.calendar_group_id, {}).get(m.user.pk) if m.calendar_group_id else None)
        ]
    )


def notify(*, key: str, user: User, subject: str, body: str, link: str, calendar_group_id: int | None = None) -> None:
    """An in-app entry and an email for `user`; `key` makes the pair unique per cause."""
    message = Message(key=key, user=user, subject=subject, body=body, link=link, calendar_group_id=calendar_group_id)
    notify_many([message])
