"""Real races on PostgreSQL (threads, each with its own connection): concurrent proposals and
concurrent finalizations never book a visit twice or an expert into two places at once."""

from collections.abc import Callable
from itertools import combinations

import pytest

from experts.models import Proposal
from experts.services import proposal_create, proposal_withdraw
from helpdesk.errors import DomainError
from tests.concurrency import race as _race
from tests.factories import ProposalFactory
from tests.visits.helpers import at, expert, group, schedule_directly, skill
from visits.models import Booking, Incident, Visit, VisitGroup
from visits.services.finalize import Outcome, visit_group_finalize
from visits.services.incidents import incident_report
from visits.services.replacements import replacement_accept

pytestmark = pytest.mark.django_db(transaction=True)


def assert_consistent() -> None:
    """No expert in two places; every visit booked exactly as often as it needs, or not at all;
    every booking backed by an accepted proposal."""
    active = list(Booking.objects.filter(status=Booking.Status.ACTIVE))
    for a, b in combinations(active, 2):
        if a.expert_id == b.expert_id:
            assert not (a.during.lower < b.during.upper and b.during.lower < a.during.upper), (a, b)
    for visit in Visit.objects.all():
        count = sum(1 for b in active if b.visit_id == visit.pk)
        assert count == (visit.experts_needed if visit.status == Visit.Status.SCHEDULED else 0), visit
    accepted = set(Proposal.objects.filter(status=Proposal.Status.ACCEPTED).values_list("pk", flat=True))
    assert {b.proposal_id for b in active} == accepted


def test_many_experts_proposing_at_once_fill_the_visit_exactly_once():
    trade = skill()
    g = group(trade, needed=2)
    visit = g.visits.get()
    experts = [expert(trade) for _ in range(8)]

    results = _race([lambda e=e: proposal_create(expert=e, visit=visit, start_times=[at(10)]) for e in experts])

    g.refresh_from_db()
    assert g.status == VisitGroup.Status.SCHEDULED
    assert Booking.objects.filter(visit=visit, status="ACTIVE").count() == 2
    assert all(isinstance(r, list | DomainError) for r in results), results
    assert_consistent()


def test_concurrent_finalizations_book_once():
    trade = skill()
    g = group(trade, needed=2)
    visit = g.visits.get()
    for _ in range(3):
        ProposalFactory.create(visit=visit, expert=expert(trade), start_at=at(10))

    results = _race([lambda: visit_group_finalize(group_id=g.pk) for _ in range(6)])

    assert sorted(map(str, results)) == ["not_open"] * 5 + ["scheduled"]
    assert Booking.objects.filter(visit=visit).count() == 2
    assert_consistent()


def test_two_groups_racing_for_one_expert_never_double_book_them():
    trade = skill()
    groups = [group(trade) for _ in range(6)]
    star = expert(trade)  # everybody's first choice, at the same hour
    backups = [expert(trade) for _ in range(3)]
    for g in groups:
        visit = g.visits.get()
        ProposalFactory.create(visit=visit, expert=star, start_at=at(10))
    for i, g in enumerate(groups):
        ProposalFactory.create(visit=g.visits.get(), expert=backups[i % 3], start_at=at(10))

    results = _race([lambda g=g: visit_group_finalize(group_id=g.pk) for g in groups for _ in range(2)])

    assert all(isinstance(r, Outcome) for r in results), results
    assert Booking.objects.filter(expert=star, status="ACTIVE").count() == 1
    # the star's group and three backups' groups: four groups booked, the rest wait for experts
    assert VisitGroup.objects.filter(status=VisitGroup.Status.SCHEDULED).count() == 4
    assert_consistent()


def test_withdrawing_while_finalizing_is_either_withdrawn_or_booked():
    trade = skill()
    pairs = []
    for _ in range(5):
        g = group(trade)
        who = expert(trade)
        pairs.append((g, who, ProposalFactory.create(visit=g.visits.get(), expert=who, start_at=at(10))))

    calls: list[Callable[[], object]] = []
    for g, who, proposal in pairs:
        calls += [
            lambda g=g: visit_group_finalize(group_id=g.pk),
            lambda p=proposal, w=who: proposal_withdraw(proposal=p, expert=w),
        ]
    _race(calls)

    for g, who, proposal in pairs:
        proposal.refresh_from_db()
        booked = Booking.objects.filter(visit__group=g, expert=who, status="ACTIVE").exists()
        assert (proposal.status, booked) in {("ACCEPTED", True), ("WITHDRAWN", False)}
    assert_consistent()


def test_the_first_runner_up_to_accept_gets_the_seat():
    trade = skill()
    visit = group(trade).visits.get()
    leaving = expert(trade)
    schedule_directly(visit, at(10), at(11), [leaving])
    runner_ups = [expert(trade) for _ in range(5)]
    for who in runner_ups:
        Proposal.objects.create(visit=visit, expert=who, start_at=at(10), status=Proposal.Status.REJECTED)
    incident_report(visit=visit, expert=leaving, kind=Incident.Kind.CANT_ARRIVE)

    results = _race([lambda w=w: replacement_accept(visit=visit, expert=w) for w in runner_ups])

    assert sum(isinstance(r, Booking) for r in results) == 1
    assert sum(isinstance(r, DomainError) for r in results) == 4
    assert Booking.objects.filter(visit=visit, status="ACTIVE").count() == 1
    assert Incident.objects.get().status == Incident.Status.RESOLVED
    assert_consistent()
