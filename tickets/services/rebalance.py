"""Rebalance the queue: move open tickets from an overloaded agent to another, one
`ticket_assign` per ticket (load counters, events and capacity refills stay exact)."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from helpdesk.errors import DomainValidationError
from tickets.models import OPEN_STATUSES, AgentProfile, Ticket
from tickets.queue_selectors import queue_annotate
from tickets.services.lifecycle import ticket_assign

MAX_MOVE = 50


def queue_rebalance(*, from_agent: AgentProfile, to_agent: AgentProfile, count: int, actor: User) -> list[Ticket]:
    """Move `count` of `from_agent`'s open tickets, the nearest deadline first, to `to_agent`."""
    if from_agent.pk == to_agent.pk:
        raise DomainValidationError(_("Choose a different agent to move the tickets to."), field="to_agent")
    if not 1 <= count <= MAX_MOVE:
        raise DomainValidationError(_("Move between 1 and %(max)s tickets.") % {"max": MAX_MOVE}, field="count")
    with transaction.atomic():
        candidates = (
            queue_annotate(Ticket.objects.filter(assigned_agent=from_agent, status__in=OPEN_STATUSES))
            .order_by("next_due", "pk")
            .values_list("pk", flat=True)[:count]
        )
        moved = []
        for ticket in Ticket.objects.filter(pk__in=list(candidates)).order_by("pk"):
            moved.append(ticket_assign(ticket=ticket, agent=to_agent, actor=actor))
    return moved
