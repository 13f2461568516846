"""Two sweeps (or two clusters) at the same moment, on real PostgreSQL with one connection per
thread: every (ticket, clock, level) escalates exactly once, statuses change once, hops once."""

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from tests.concurrency import race as _race
from tests.factories import AgentProfileFactory, SLAPolicyFactory, TeamFactory, TicketFactory, UserFactory
from tickets.models import Escalation, SLAAlert, TicketEvent
from tickets.services.alerts import alert_raise, alerts_pass_on
from tickets.services.sweep import sla_sweep

pytestmark = pytest.mark.django_db(transaction=True)


def _tickets(n: int, now):
    lead = UserFactory.create(role=Role.LEAD)
    team = TeamFactory.create(lead=lead)
    SLAPolicyFactory.create(priority="MEDIUM", team=team)
    agents = [AgentProfileFactory.create(team=team, tier=tier, current_ticket_count=10) for tier in (1, 1, 2, 3)]
    return [
        TicketFactory.create(
            team=team,
            assigned_agent=agents[i % 2],
            first_response_risk_at=now - timedelta(minutes=20),
            first_response_due=now - timedelta(minutes=1),
            resolution_risk_at=now - timedelta(minutes=5),
            resolution_due=now + timedelta(hours=1),
        )
        for i in range(n)
    ]


@pytest.mark.parametrize("run", range(3))
def test_two_sweeps_at_once_escalate_each_ticket_clock_and_level_exactly_once(run):
    now = timezone.now()
    tickets = _tickets(6, now)

    results = _race([lambda: sla_sweep(now=now), lambda: sla_sweep(now=now)])

    assert [type(r) for r in results] == [dict, dict]
    assert sum(r["errors"] for r in results) == 0
    per_key = Counter(Escalation.objects.values_list("ticket", "sla_kind", "level"))
    assert set(per_key.values()) == {1}
    assert set(per_key) == {
        (t.pk, kind, level)
        for t in tickets
        for kind, level in [("FIRST_RESPONSE", "BREACHED"), ("RESOLUTION", "AT_RISK")]
    }
    assert TicketEvent.objects.filter(kind="SLA_CHANGED").count() == 12  # one per ticket and clock
    assert TicketEvent.objects.filter(kind="ESCALATED").count() == 12
    assert Counter(SLAAlert.objects.values_list("ticket", "hop")) == {(t.pk, 0): 1 for t in tickets}


def test_a_second_sweep_after_a_race_changes_nothing():
    now = timezone.now()
    _tickets(3, now)
    _race([lambda: sla_sweep(now=now), lambda: sla_sweep(now=now)])
    before = (Escalation.objects.count(), TicketEvent.objects.count(), SLAAlert.objects.count())

    again = sla_sweep(now=now)

    assert (again["escalated"], again["errors"]) == (0, 0)
    assert (Escalation.objects.count(), TicketEvent.objects.count(), SLAAlert.objects.count()) == before


def test_two_workers_passing_on_alerts_make_one_hop_each():
    now = timezone.now()
    tickets = _tickets(4, now)
    for ticket in tickets:
        alert_raise(ticket=ticket, kind="FIRST_RESPONSE", agent=ticket.assigned_agent.user, escalation_id=None, now=now)
    later = now + timedelta(hours=1)

    results = _race([lambda: alerts_pass_on(now=later), lambda: alerts_pass_on(now=later)])

    assert [type(r) for r in results] == [dict, dict]
    assert Counter(SLAAlert.objects.values_list("ticket", "hop")) == {
        **{(t.pk, 0): 1 for t in tickets},
        **{(t.pk, 1): 1 for t in tickets},
    }
    assert TicketEvent.objects.filter(kind="ESCALATED").count() == 4
