"""The ticket lifecycle: creation, status transitions, replies. The only writers of a ticket's
status and timestamps; each change writes its TicketEvent in the same transaction."""

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from helpdesk.errors import DomainValidationError, InvalidTransitionError
from kb import services as kb_services  # module import: kb.services calls back into tickets
from tickets.models import (
    OPEN_STATUSES,
    AgentProfile,
    Attachment,
    Message,
    PreferredWindow,
    Tag,
    Ticket,
    TicketEvent,
    TicketFlag,
)
from tickets.services.intake import customer_is_vip, intake_decide
from tickets.services.routing import route_to_agent
from tickets.services.sla import sla_clock_resume, sla_clock_stop, sla_deadlines
from tickets.services.waiting import on_capacity_freed

S = Ticket.Status
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    S.OPEN: frozenset({S.IN_PROGRESS, S.WAITING_ON_CUSTOMER, S.RESOLVED, S.CLOSED}),
    S.IN_PROGRESS: frozenset({S.OPEN, S.WAITING_ON_CUSTOMER, S.RESOLVED, S.CLOSED}),
    S.WAITING_ON_CUSTOMER: frozenset({S.IN_PROGRESS, S.RESOLVED, S.CLOSED}),
    S.RESOLVED: frozenset({S.IN_PROGRESS, S.CLOSED}),  # reopen or close
    S.CLOSED: frozenset(),
}
MAX_PREFERRED_WINDOWS = 5
MAX_ATTACHMENTS = 5


def _clean_text(value: str, *, field: str, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainValidationError(_("This field may not be blank."), field=field)
    if len(value) > max_length:
        raise DomainValidationError(
            _("Ensure this field has no more than %(n)d characters.") % {"n": max_length}, field=field
        )
    return value


def _clean_windows(windows: Sequence[tuple[datetime, datetime]]) -> list[DateTimeTZRange]:
    if len(windows) > MAX_PREFERRED_WINDOWS:
        raise DomainValidationError(
            _("At most %(n)d time windows.") % {"n": MAX_PREFERRED_WINDOWS}, field="preferred_windows"
        )
    cleaned = []
    for start, end in windows:
        if start >= end:
            raise DomainValidationError(_("A time window must end after it starts."), field="preferred_windows")
        if end <= timezone.now():
            raise DomainValidationError(_("A time window must lie in the future."), field="preferred_windows")
        cleaned.append(DateTimeTZRange(start, end, "[)"))
    return cleaned


@transaction.atomic
def ticket_create(
    *,
    customer: User,
    subject: str,
    description: str,
    appliance_model_text: str = "",
    preferred_windows: Sequence[tuple[datetime, datetime]] = (),
    language: str = "en",
) -> Ticket:
    """File a ticket for `customer`. Intake decisions (priority, SLA deadlines) store their reason."""
    subject = _clean_text(subject, field="subject", max_length=settings.TICKET_SUBJECT_MAX_LENGTH)
    description = _clean_text(description, field="description", max_length=settings.TICKET_DESCRIPTION_MAX_LENGTH)
    appliance_model_text = (appliance_model_text or "").strip()
    if len(appliance_model_text) > 120:
        raise DomainValidationError(
            _("Ensure this field has no more than 120 characters."), field="appliance_model_text"
        )
    windows = _clean_windows(preferred_windows)

    decision = intake_decide(customer=customer, subject=subject, description=description, language=language)
    now = timezone.now()
    sla = sla_deadlines(priority=decision.priority, team=decision.team, is_vip=customer_is_vip(customer), start=now)
    flags = list(decision.flags)
    if appliance_model_text:
        flags.append(TicketFlag.FREE_TEXT_APPLIANCE)

    ticket = Ticket.objects.create(
        customer=customer,
        subject=subject,
        description=description,
        appliance_model_text=appliance_model_text,
        language=language if language in {"en", "de"} else "en",
        priority=decision.priority,
        priority_source=decision.priority_source,
        priority_reason=decision.priority_reason,
        category=decision.category,
        category_confidence=decision.category_confidence,
        category_source=decision.category_source,
        team=decision.team,
        tier=decision.tier,
        routing_reason=decision.routing_reason,
        first_response_due=sla.first_response_due,
        resolution_due=sla.resolution_due,
        first_response_risk_at=sla.first_response_risk_at,
        resolution_risk_at=sla.resolution_risk_at,
        flags=flags,
    )
    if decision.tag_names:
        ticket.tags.set([Tag.objects.get_or_create(name=name)[0] for name in decision.tag_names])
    PreferredWindow.objects.bulk_create(PreferredWindow(ticket=ticket, window=w) for w in windows)
    TicketEvent.objects.create(
        ticket=ticket,
        actor=customer,
        kind=TicketEvent.Kind.CREATED,
        to_status=ticket.status,
        data={
            "priority": decision.priority,
            "priority_reason": decision.priority_reason,
            "category": decision.category.slug if decision.category else None,
            "team": decision.team.name if decision.team else None,
            "sla_policy": sla.policy.name if sla.policy else None,
        },
    )
    kb_services.ticket_acknowledge(ticket=ticket)  # BOT message: number, expected reply, suggested articles
    # Last, so the agent row's lock (taken to count the ticket) is held only until commit.
    route_to_agent(ticket=ticket)  # the best agent of its team, or the team queue; reason stored
    return ticket


def _apply_status(locked: Ticket, to_status: str, now: datetime) -> list[str]:
    """Set `to_status` and the timestamps and counters that go with it; returns changed fields."""
    fields = ["status", "updated_at"]
    from_status = locked.status
    if from_status == S.WAITING_ON_CUSTOMER and locked.sla_paused_at is not None:
        # The resolution clock was paused while we waited; the deadline moves by the paused
        # business time (wall-clock time for teams without a calendar).
        fields += sla_clock_resume(ticket=locked, paused_at=locked.sla_paused_at, resumed_at=now)
        locked.sla_paused_at = None
        fields.append("sla_paused_at")
    if to_status == S.WAITING_ON_CUSTOMER:
        locked.sla_paused_at = now
        fields.append("sla_paused_at")
    if to_status == S.RESOLVED:
        locked.resolved_at = now
        fields.append("resolved_at")
    if to_status == S.CLOSED:
        locked.closed_at = now
        fields.append("closed_at")
    if from_status == S.RESOLVED and to_status in OPEN_STATUSES:
        locked.resolved_at = None
        fields.append("resolved_at")
    if from_status in OPEN_STATUSES and to_status in {S.RESOLVED, S.CLOSED}:
        fields += sla_clock_stop(ticket=locked, to_status=to_status, now=now)
    was_open, is_open = from_status in OPEN_STATUSES, to_status in OPEN_STATUSES
    if locked.assigned_agent_id and was_open != is_open:
        delta = 1 if is_open else -1
        AgentProfile.objects.filter(pk=locked.assigned_agent_id).update(
            current_ticket_count=F("current_ticket_count") + delta
        )
        if not is_open:  # the agent has room again: a ticket waiting in the team queue follows on commit
            trigger = _("a ticket became %(status)s") % {"status": str(S(to_status).label).lower()}
            on_capacity_freed(locked.assigned_agent_id, trigger=trigger)
    locked.status = to_status
    return fields


def _transition_locked(locked: Ticket, *, to_status: str, actor: User | None, reason: str = "") -> Ticket:
    if to_status not in S.values:
        raise DomainValidationError(_("Unknown status “%(s)s”.") % {"s": to_status}, field="status")
    if to_status not in ALLOWED_TRANSITIONS[locked.status]:
        raise InvalidTransitionError(
            _("A ticket that is %(from)s cannot be set to %(to)s.")
            % {"from": locked.get_status_display(), "to": S(to_status).label}
        )
    from_status = locked.status
    fields = _apply_status(locked, to_status, timezone.now())
    locked.save(update_fields=fields)
    TicketEvent.objects.create(
        ticket=locked,
        actor=actor,
        kind=TicketEvent.Kind.STATUS_CHANGED,
        from_status=from_status,
        to_status=to_status,
        data={"reason": reason} if reason else {},
    )
    if to_status == S.RESOLVED:
        kb_services.ticket_resolved_count_success(ticket=locked)  # linked KB articles solved it
    return locked


@transaction.atomic
def ticket_transition(*, ticket: Ticket, to_status: str, actor: User | None, reason: str = "") -> Ticket:
    """Move a ticket to `to_status` if the lifecycle allows it (agents and automation)."""
    locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
    return _transition_locked(locked, to_status=to_status, actor=actor, reason=reason)


@transaction.atomic
def ticket_customer_confirm_resolution(*, ticket: Ticket, customer: User) -> Ticket:
    """The customer confirms the fix of a resolved ticket: it closes."""
    locked = Ticket.objects.select_for_update().get(pk=ticket.pk, customer=customer)
    if locked.status != S.RESOLVED:
        raise InvalidTransitionError(_("Only a resolved ticket can be confirmed."))
    return _transition_locked(locked, to_status=S.CLOSED, actor=customer, reason="customer confirmed")


def _clean_files(files: Sequence[UploadedFile]) -> Sequence[UploadedFile]:
    if len(files) > MAX_ATTACHMENTS:
        raise DomainValidationError(_("At most %(n)d files per message.") % {"n": MAX_ATTACHMENTS}, field="attachments")
    for upload in files:
        if upload.size is None or upload.size > settings.ATTACHMENT_MAX_BYTES:
            raise DomainValidationError(
                _("“%(name)s” is larger than %(mb)d MB.")
                % {"name": upload.name, "mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)},
                field="attachments",
            )
    return files


@transaction.atomic
def ticket_reply(
    *, ticket: Ticket, author: User, body: str, internal: bool = False, attachments: Sequence[UploadedFile] = ()
) -> Message:
    """Add a message. An agent's first public reply sets first_response_at (and starts work on an
    open ticket); a customer's reply reopens a ticket that was waiting on them or resolved."""
    body = _clean_text(body, field="body", max_length=settings.TICKET_DESCRIPTION_MAX_LENGTH)
    files = _clean_files(attachments)
    locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if locked.status == S.CLOSED:
        raise InvalidTransitionError(_("This ticket is closed. Please open a new ticket."))
    now = timezone.now()

    if author.is_helpdesk_staff:
        sender = Message.SenderType.AGENT
        kind = TicketEvent.Kind.NOTE_ADDED if internal else TicketEvent.Kind.REPLIED
        if not internal and locked.first_response_at is None:
            locked.first_response_at = now
            locked.save(update_fields=["first_response_at", "updated_at"])
        if not internal and locked.status == S.OPEN:
            _transition_locked(locked, to_status=S.IN_PROGRESS, actor=author, reason="agent replied")
    elif author.pk == locked.customer_id:
        if internal:
            raise DomainValidationError(_("Customers cannot write internal notes."), field="internal")
        sender, kind = Message.SenderType.CUSTOMER, TicketEvent.Kind.CUSTOMER_REPLIED
        if locked.status in {S.WAITING_ON_CUSTOMER, S.RESOLVED}:
            _transition_locked(locked, to_status=S.IN_PROGRESS, actor=author, reason="customer replied")
    else:
        raise InvalidTransitionError(_("You cannot reply to this ticket."))

    message = Message.objects.create(ticket=locked, author=author, sender_type=sender, body=body, is_internal=internal)
    for upload in files:
        Attachment.objects.create(
            message=message,
            file=upload,
            original_name=Path(upload.name or "file").name[:255],
            content_type=(upload.content_type or "")[:100],
            size_bytes=upload.size or 0,
        )
    TicketEvent.objects.create(ticket=locked, actor=author, kind=kind, data={"message_id": message.pk})
    return message


@transaction.atomic
def ticket_assign(*, ticket: Ticket, agent: AgentProfile | None, actor: User | None) -> Ticket:
    """Give the ticket to `agent` (None: back to the team queue), keeping load counters exact."""
    locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if not locked.is_open:
        raise InvalidTransitionError(_("Only open tickets can be assigned."))
    previous = locked.assigned_agent_id
    if previous == (agent.pk if agent else None):
        return locked
    # Touch agent rows in primary-key order: two reassignments in opposite directions would
    # otherwise deadlock on each other's counters.
    deltas = {pk: d for pk, d in ((previous, -1), (agent.pk if agent else None, +1)) if pk}
    for pk in sorted(deltas):
        changes: dict[str, Any] = {"current_ticket_count": F("current_ticket_count") + deltas[pk]}
        if deltas[pk] > 0:
            changes["last_assigned_at"] = timezone.now()
        AgentProfile.objects.filter(pk=pk).update(**changes)
    # The previous agent has room again (for another waiting ticket, not this one straight back).
    on_capacity_freed(previous, trigger=_("a ticket was reassigned"), exclude_ticket_id=locked.pk)
    locked.assigned_agent = agent
    locked.save(update_fields=["assigned_agent", "updated_at"])
    TicketEvent.objects.create(
        ticket=locked,
        actor=actor,
        kind=TicketEvent.Kind.ASSIGNED,
        data={"from_agent": previous, "to_agent": agent.pk if agent else None},
    )
    return locked
