"""50 tickets filed at the same moment (threads, each with its own PostgreSQL connection) never
push an agent past max_tickets, and every agent's counter equals their open tickets; freeing
capacity at once hands the waiting tickets out just as exactly."""

import pytest

from tests.concurrency import race as _race
from tests.factories import AgentProfileFactory, AgentSkillFactory, CustomerFactory
from tickets.models import OPEN_STATUSES, AgentProfile, Ticket
from tickets.services import ticket_create, ticket_transition

pytestmark = pytest.mark.django_db(transaction=True)


def _assert_counters_exact() -> None:
    for agent in AgentProfile.objects.all():
        open_tickets = Ticket.objects.filter(assigned_agent=agent, status__in=OPEN_STATUSES).count()
        assert agent.current_ticket_count == open_tickets <= agent.max_tickets, agent


def test_fifty_tickets_at_once_respect_capacity_and_keep_counters_exact(models, categories):
    plumbing = categories["plumbing"]
    agents = [AgentProfileFactory.create(team=plumbing.default_team, max_tickets=4) for _ in range(3)]
    for agent in agents:
        AgentSkillFactory.create(agent=agent, category=plumbing)
    customers = CustomerFactory.create_batch(5)
    text = ("Wasserhahn tropft", "Der Wasserhahn im Bad tropft die ganze Zeit.")

    results = _race(
        [lambda c=customers[i % 5]: ticket_create(customer=c, subject=text[0], description=text[1]) for i in range(50)]
    )

    assert [type(r) for r in results] == [Ticket] * 50
    assert Ticket.objects.filter(category=plumbing).count() == 50
    assert Ticket.objects.filter(assigned_agent__isnull=False).count() == 12  # 3 agents × 4
    assert sorted(AgentProfile.objects.values_list("current_ticket_count", flat=True)) == [4, 4, 4]
    _assert_counters_exact()

    # Every agent resolves all their tickets at once: the waiting tickets follow, exactly.
    held = list(Ticket.objects.filter(assigned_agent__isnull=False))
    staff = AgentProfileFactory.create().user
    freed = _race([lambda t=t: ticket_transition(ticket=t, to_status="RESOLVED", actor=staff) for t in held])

    assert [type(r) for r in freed] == [Ticket] * 12
    assert Ticket.objects.filter(status="OPEN", assigned_agent__isnull=False).count() == 12
    assert Ticket.objects.filter(status="OPEN", assigned_agent__isnull=True).count() == 26
    _assert_counters_exact()
