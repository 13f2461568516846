"""Tickets that wait in a team queue are assigned the moment an agent of the team has room: on
commit of the change that frees capacity (a ticket of theirs resolved or closed, a reassignment,
the agent becoming available or getting a higher max_tickets) — an event, not a polling delay.

Each handed-out ticket is its own transaction: the waiting ticket is locked with SKIP LOCKED (most
urgent, then oldest first), then one unit of the agent's capacity is claimed by a conditional UPDATE,
so concurrent drains and intakes can never push the agent past max_tickets."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Case, F, IntegerField, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from helpdesk.errors import DomainValidationError
from tickets.models import OPEN_STATUSES, AgentProfile, AgentSkill, Priority, Ticket
from tickets.services.routing import give_ticket


def _next_waiting_ticket(agent: AgentProfile, *, exclude: int | None) -> Ticket | None:
    skills = list(AgentSkill.objects.filter(agent=agent).values_list("category_id", flat=True))
    if not skills:
        return None
    urgency = Case(
        *(When(priority=p, then=Value(Priority.rank(p))) for p in Priority.values),
        default=Value(0),
        output_field=IntegerField(),
    )
    return (
        Ticket.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(
            team_id=agent.team_id,
            assigned_agent__isnull=True,
            status__in=OPEN_STATUSES,
            category_id__in=skills,
            tier__lte=agent.tier,
        )
        .exclude(pk=exclude)
        .annotate(urgency=urgency)
        .order_by("-urgency", "created_at", "pk")
        .first()
    )


def routing_fill_capacity(*, agent_id: int, trigger: str, exclude_ticket_id: int | None = None) -> int:
    """Give waiting tickets of the agent's team to this agent while it has free capacity (called on
    commit when an agent's ticket leaves the open statuses or the agent becomes available).
    Returns how many tickets it assigned. Each ticket is its own transaction. `exclude_ticket_id`:
    a ticket just taken away from this agent, which must not come straight back."""
    trigger = str(trigger)  # may arrive as a lazy translation; it is stored as JSON
    assigned = 0
    while assigned < 100:
        with transaction.atomic():
            agent = AgentProfile.objects.select_related("user", "team").filter(pk=agent_id).first()
            if agent is None or agent.team_id is None or not agent.is_available:
                break
            if agent.current_ticket_count >= agent.max_tickets:
                break
            ticket = _next_waiting_ticket(agent, exclude=exclude_ticket_id)
            if ticket is None:
                break
            now = timezone.now()
            taken = AgentProfile.objects.filter(
                pk=agent.pk, is_available=True, current_ticket_count__lt=F("max_tickets")
            ).update(current_ticket_count=F("current_ticket_count") + 1, last_assigned_at=now)
            if not taken:
                break
            agent.refresh_from_db(fields=["current_ticket_count"])
            previous = (ticket.routing_reason or {}).get("agent") or {}
            reason = {
                "at": now.isoformat(),
                "outcome": "assigned_when_free",
                "trigger": trigger,
                "summary": _("%(name)s had free capacity (%(trigger)s); the ticket had waited in the team queue")
                % {"name": agent.user.display_name, "trigger": trigger},
                "chosen": {
                    "id": agent.pk,
                    "name": agent.user.display_name,
                    "current": agent.current_ticket_count - 1,
                    "max": agent.max_tickets,
                },
                "queued": {k: previous[k] for k in ("at", "summary") if k in previous},
            }
            give_ticket(ticket, agent, reason=reason, actor=None)
            assigned += 1
    return assigned


def on_capacity_freed(agent_id: int | None, *, trigger: str, exclude_ticket_id: int | None = None) -> None:
    """Schedule `routing_fill_capacity` for after the current transaction commits."""
    if agent_id is None:
        return

    def fill() -> None:
        routing_fill_capacity(agent_id=agent_id, trigger=trigger, exclude_ticket_id=exclude_ticket_id)

    transaction.on_commit(fill, robust=True)


@transaction.atomic
def agent_set_availability(
    *, agent: AgentProfile, is_available: bool | None = None, max_tickets: int | None = None, actor: User | None
) -> AgentProfile:
    """Change an agent's availability or capacity; waiting tickets follow on commit."""
    locked = AgentProfile.objects.select_for_update().get(pk=agent.pk)
    fields = []
    if is_available is not None and is_available != locked.is_available:
        locked.is_available = is_available
        fields.append("is_available")
    if max_tickets is not None and max_tickets != locked.max_tickets:
        if max_tickets < 1:
            raise DomainValidationError(_("An agent needs room for at least one ticket."), field="max_tickets")
        locked.max_tickets = max_tickets
        fields.append("max_tickets")
    if fields:
        locked.save(update_fields=fields)
    if locked.is_available and locked.current_ticket_count < locked.max_tickets:
        on_capacity_freed(locked.pk, trigger=_("agent available"))
    return locked
