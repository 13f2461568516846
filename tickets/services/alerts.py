"""Breach alerts that must be acknowledged (on-call style).

A breach raises hop 0 for the responsible agent. Not acknowledged within SLA_ACK_MINUTES, it
passes to the next available agent of the team who has not had it yet, finally to the team lead;
each hop is a new SLAAlert row (pointing at the previous one) plus an ESCALATED TicketEvent.
An alert whose clock stopped meanwhile (answered, resolved, closed) is cancelled, not passed on."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from helpdesk.errors import InvalidTransitionError
from notifications.services import notifications_enqueue
from tickets.models import AgentProfile, Escalation, SLAAlert, Ticket, TicketEvent
from tickets.services.notify import absolute_url, person_drafts, ticket_url

log = logging.getLogger(__name__)
State = SLAAlert.State
Kind = Escalation.SLAKind
ACK_SALT = "tickets.sla-alert-ack"
AT_CAPACITY = ExpressionWrapper(Q(current_ticket_count__gte=F("max_tickets")), output_field=BooleanField())


def alert_ack_token(alert: SLAAlert) -> str:
    """A signed, expiring token for the email's acknowledge link (bound to alert and recipient)."""
    return signing.dumps({"alert": alert.pk, "user": alert.agent_id}, salt=ACK_SALT)


def alert_token_payload(token: str) -> tuple[int, int]:
    """(alert id, user id) of a valid token; raises signing.BadSignature (or SignatureExpired)."""
    data = signing.loads(token, salt=ACK_SALT, max_age=timedelta(hours=settings.SLA_ACK_LINK_MAX_AGE_HOURS))
    return int(data["alert"]), int(data["user"])


def _clock_running(ticket: Ticket, kind: str) -> bool:
    if kind == Kind.FIRST_RESPONSE:
        return ticket.is_open and ticket.first_response_at is None
    return ticket.status in {Ticket.Status.OPEN, Ticket.Status.IN_PROGRESS, Ticket.Status.WAITING_ON_CUSTOMER}


def alert_raise(
    *,
    ticket: Ticket,
    kind: str,
    agent: User,
    escalation_id: int | None,
    now: datetime,
    previous: SLAAlert | None = None,
) -> SLAAlert | None:
    """Create one hop (in the caller's transaction) and tell its recipient by email (with the
    signed acknowledge link) and in the app. None if that hop exists already."""
    hop = previous.hop + 1 if previous else 0
    alert, created = SLAAlert.objects.get_or_create(
        ticket=ticket,
        kind=kind,
        hop=hop,
        defaults={
            "agent": agent,
            "escalation_id": escalation_id,
            "previous": previous,
            "ack_deadline": now + timedelta(minutes=settings.SLA_ACK_MINUTES),
        },
    )
    if not created:
        return None
    ack_link = absolute_url(reverse("agent:alert-ack-link", args=[alert_ack_token(alert)]))
    with translation.override(agent.language):
        subject = _("Please acknowledge: SLA breached on #%(number)s") % {"number": ticket.number}
        body = "\n".join(
            [
                f"#{ticket.number} {ticket.subject}",
                _("%(clock)s SLA breached. Acknowledge within %(minutes)d minutes, or it goes to the next person.")
                % {"clock": Kind(kind).label, "minutes": settings.SLA_ACK_MINUTES},
                _("Acknowledge: %(link)s") % {"link": ack_link},
                _("Ticket: %(link)s") % {"link": absolute_url(ticket_url(ticket))},
            ]
        )
    notifications_enqueue(
        person_drafts(key=f"sla-alert:{alert.pk}", user=agent, subject=subject, body=body, link=ticket_url(ticket))
    )
    return alert


@transaction.atomic
def alert_acknowledge(*, alert: SLAAlert, user: User, now: datetime | None = None) -> SLAAlert:
    """The recipient acknowledges. Acknowledging twice is harmless; an alert that has already
    passed on (or was cancelled) can no longer be acknowledged."""
    now = now or timezone.now()
    locked = SLAAlert.objects.select_for_update().get(pk=alert.pk)
    if locked.agent_id != user.pk:
        raise InvalidTransitionError(_("This alert is addressed to someone else."))
    if locked.state == State.ACKNOWLEDGED:
        return locked
    if locked.state != State.OPEN:
        raise InvalidTransitionError(
            _("This alert can no longer be acknowledged: %(state)s.") % {"state": locked.get_state_display()}
        )
    locked.state, locked.acknowledged_at, locked.acknowledged_by, locked.closed_at = State.ACKNOWLEDGED, now, user, now
    locked.save(update_fields=["state", "acknowledged_at", "acknowledged_by", "closed_at"])
    TicketEvent.objects.create(
        ticket_id=locked.ticket_id,
        actor=user,
        kind=TicketEvent.Kind.SLA_CHANGED,
        data={"alert": locked.pk, "clock": locked.kind, "hop": locked.hop, "acknowledged": True},
    )
    return locked


def _next_recipient(alert: SLAAlert) -> User | None:
    """The next available agent of the team who has not had this alert yet, else the team lead
    (once), else nobody."""
    ticket = alert.ticket
    team = ticket.team
    if team is None:
        return None
    tried = set(SLAAlert.objects.filter(ticket=ticket, kind=alert.kind).values_list("agent_id", flat=True))
    lead_id = team.lead_id
    agent = (
        AgentProfile.objects.select_related("user")
        .filter(team=team, is_available=True, user__is_active=True)
        .exclude(user_id__in=tried)
        .exclude(user_id=lead_id)
        .order_by(AT_CAPACITY.asc(), "current_ticket_count", "pk")  # with capacity first, then least loaded
        .first()
    )
    if agent is not None:
        return agent.user
    if team.lead is not None and team.lead.is_active and lead_id not in tried:
        return team.lead
    return None


def _close(alert: SLAAlert, state: str, now: datetime, escalated_to: User | None = None) -> None:
    alert.state, alert.closed_at, alert.escalated_to = state, now, escalated_to
    alert.save(update_fields=["state", "closed_at", "escalated_to"])


@transaction.atomic
def alert_pass_on(*, alert_id: int, now: datetime) -> str:
    """One overdue alert: "passed_on", "cancelled", "expired" or "skipped" (not due, or another
    worker holds it)."""
    alert = (
        SLAAlert.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("ticket__team__lead", "agent")
        .filter(pk=alert_id, state=State.OPEN, ack_deadline__lte=now)
        .first()
    )
    if alert is None:
        return "skipped"
    ticket = alert.ticket
    if not _clock_running(ticket, alert.kind):
        _close(alert, State.CANCELLED, now)
        return "cancelled"
    recipient = _next_recipient(alert)
    if recipient is None:
        _close(alert, State.EXPIRED, now)
        log.warning("SLA alert %s on ticket %s: nobody left to pass it to.", alert.pk, ticket.pk)
        return "expired"
    _close(alert, State.PASSED_ON, now, escalated_to=recipient)
    new = alert_raise(
        ticket=ticket, kind=alert.kind, agent=recipient, escalation_id=alert.escalation_id, now=now, previous=alert
    )
    TicketEvent.objects.create(
        ticket=ticket,
        actor=None,
        kind=TicketEvent.Kind.ESCALATED,
        data={
            "reason": Escalation.Reason.UNACKNOWLEDGED,
            "clock": alert.kind,
            "alert": alert.pk,
            "next_alert": new.pk if new else None,
            "hop": alert.hop + 1,
            "from_user": alert.agent_id,
            "to_user": recipient.pk,
        },
    )
    return "passed_on"


def alerts_pass_on(*, now: datetime | None = None, limit: int | None = None) -> dict[str, int]:
    """Pass on every alert whose acknowledgement deadline has passed (bounded per run). Safe on
    several workers at once: each alert is locked (skip locked) and re-checked before it moves."""
    now = now or timezone.now()
    ids = list(
        SLAAlert.objects.filter(state=State.OPEN, ack_deadline__lte=now)
        .order_by("ack_deadline", "pk")
        .values_list("pk", flat=True)[: limit or settings.SLA_ALERT_BATCH]
    )
    outcomes: dict[str, int] = {}
    for alert_id in ids:
        try:
            outcome = alert_pass_on(alert_id=alert_id, now=now)
        except Exception:  # one broken alert must not stop the others
            log.exception("SLA alert %s could not be passed on", alert_id)
            outcome = "error"
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes
