"""Real concurrency on PostgreSQL: threads, each with its own connection."""

import pytest

from helpdesk.errors import DomainError
from tests.concurrency import race as _race
from tests.factories import AgentProfileFactory, TicketFactory
from tickets.models import AgentProfile, Ticket, TicketEvent
from tickets.services import ticket_assign, ticket_transition

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_agents_resolving_at_once_produce_exactly_one_transition():
    ticket = TicketFactory.create(status=Ticket.Status.IN_PROGRESS)
    agents = [AgentProfileFactory.create().user for _ in range(2)]

    results = _race([lambda a=a: ticket_transition(ticket=ticket, to_status="RESOLVED", actor=a) for a in agents])

    assert sum(isinstance(r, Ticket) for r in results) == 1
    assert sum(isinstance(r, DomainError) for r in results) == 1
    assert TicketEvent.objects.filter(ticket=ticket, to_status="RESOLVED").count() == 1


def test_concurrent_assignments_keep_load_counters_exact():
    tickets = TicketFactory.create_batch(8)
    agents = AgentProfileFactory.create_batch(2)

    first = _race(
        [lambda t=t, i=i: ticket_assign(ticket=t, agent=agents[i % 2], actor=None) for i, t in enumerate(tickets)]
    )
    # Every ticket swaps agents at once: opposite reassignments must neither deadlock nor lose counts.
    second = _race(
        [lambda t=t, i=i: ticket_assign(ticket=t, agent=agents[(i + 1) % 2], actor=None) for i, t in enumerate(tickets)]
    )

    assert [type(r) for r in first + second] == [Ticket] * 16

    for profile in AgentProfile.objects.all():
        open_count = Ticket.objects.filter(assigned_agent=profile, status__in=["OPEN", "IN_PROGRESS"]).count()
        assert profile.current_ticket_count == open_count == 4
