"""What the SLA engine tells people, written to the notification outbox in the caller's
transaction. Texts are composed in the recipient's language; keys make every message unique
per cause, so a retried or raced escalation can never notify twice."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from notifications.models import Notification
from notifications.services import Draft, notifications_enqueue
from tickets.models import Escalation, Ticket

Channel = Notification.Channel


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def ticket_url(ticket: Ticket) -> str:
    return reverse("agent:ticket-detail", args=[ticket.pk])


def person_drafts(*, key: str, user: User, subject: str, body: str, link: str) -> list[Draft]:
    """An in-app entry (the bell) and an email for one person."""
    return [
        Draft(key=f"{key}:in-app", channel=Channel.IN_APP, recipient=user, subject=subject, body=body, link=link),
        Draft(key=f"{key}:email", channel=Channel.EMAIL, recipient=user, subject=subject, body=body),
    ]


def _escalation_texts(escalation: Escalation, ticket: Ticket) -> tuple[str, str]:
    subject = _("Ticket #%(number)s escalated to L%(tier)s: %(reason)s") % {
        "number": ticket.number,
        "tier": escalation.to_tier,
        "reason": escalation.get_reason_display(),
    }
    lines = [
        f"#{ticket.number} {ticket.subject}",
        _("Priority: %(priority)s · Tier: L%(from)s → L%(to)s")
        % {"priority": ticket.get_priority_display(), "from": escalation.from_tier, "to": escalation.to_tier},
    ]
    if escalation.note:
        lines.append(escalation.note)
    lines.append(absolute_url(ticket_url(ticket)))
    return subject, "\n".join(lines)


def notify_escalation(*, escalation: Escalation, ticket: Ticket) -> None:
    """The agent who receives the ticket; on a breach also the team lead and the team's chat room.
    One INSERT for all of them, in the escalation's transaction."""
    drafts: list[Draft] = []
    link = ticket_url(ticket)
    to_agent = escalation.to_agent
    if to_agent is not None and to_agent.pk != escalation.from_agent_id:
        with translation.override(to_agent.user.language):
            subject, body = _escalation_texts(escalation, ticket)
        drafts += person_drafts(
            key=f"escalation:{escalation.pk}:agent", user=to_agent.user, subject=subject, body=body, link=link
        )
    if escalation.reason == Escalation.Reason.AUTO_SLA_BREACH and ticket.team is not None:
        lead = ticket.team.lead
        if lead is not None and lead.is_active:
            with translation.override(lead.language):
                subject, body = _escalation_texts(escalation, ticket)
            drafts += person_drafts(
                key=f"escalation:{escalation.pk}:lead", user=lead, subject=subject, body=body, link=link
            )
        if ticket.team.chat_webhook_url:
            subject, body = _escalation_texts(escalation, ticket)
            drafts.append(
                Draft(
                    key=f"escalation:{escalation.pk}:chat",
                    channel=Channel.CHAT,
                    webhook_url=ticket.team.chat_webhook_url,
                    subject=subject,
                    body=body,
                )
            )
    if drafts:
        notifications_enqueue(drafts)
