"""Proposing and withdrawing (experts/services.py): every rule checked on the server."""

from datetime import timedelta

import pytest
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone

from experts.models import Proposal
from experts.services import proposal_create, proposal_withdraw
from helpdesk.errors import DomainValidationError, InvalidTransitionError
from tests.factories import BookingFactory, ProposalFactory
from tests.visits.helpers import at, expert, group, skill, ticket
from visits.models import Booking, VisitGroup

pytestmark = pytest.mark.django_db


def test_times_inside_the_windows_are_proposals_outside_are_alternatives():
    trade = skill()
    visit = group(trade).visits.get()
    who = expert(trade)

    created = proposal_create(expert=who, visit=visit, start_times=[at(15), at(9, 30)])

    assert [(p.start_at, p.is_alternative, p.status) for p in created] == [
        (at(9, 30), False, "ACTIVE"),
        (at(15), True, "ACTIVE"),
    ]
    assert Proposal.objects.filter(expert=who).count() == 2


@pytest.mark.parametrize(
    ("case", "starts", "message"),
    [
        ("off_grid", lambda: [at(10, 15)], "not on the 30-minute grid"),
        ("seconds", lambda: [at(10) + timedelta(seconds=1)], "not on the 30-minute grid"),
        ("past", lambda: [at(10, offset=-1)], "in the past"),
        ("too_far", lambda: [at(10, offset=200)], "too far ahead"),
        ("twice", lambda: [at(10), at(10)], "listed twice"),
        ("none", list, "at least one"),
        ("too_many", lambda: [at(8) + timedelta(minutes=30 * i) for i in range(21)], "At most 20"),
        ("naive", lambda: [timezone.make_naive(at(10))], "time zone"),
    ],
)
def test_impossible_times_are_refused_with_a_clear_error(case, starts, message):
    trade = skill()
    visit = group(trade).visits.get()

    with pytest.raises(DomainValidationError) as caught:
        proposal_create(expert=expert(trade), visit=visit, start_times=starts())

    assert caught.value.field == "start_times"
    assert message in str(caught.value)
    assert Proposal.objects.exists() is False


def test_a_grid_setting_of_60_minutes_refuses_half_hours(settings):
    settings.VISIT_GRID_MINUTES = 60
    trade = skill()
    visit = group(trade).visits.get()

    with pytest.raises(DomainValidationError, match="60-minute grid"):
        proposal_create(expert=expert(trade), visit=visit, start_times=[at(10, 30)])


@pytest.mark.parametrize(
    ("case", "make_expert", "field"),
    [
        ("other_skill", lambda trade: expert(skill("Electrical")), "visit"),
        ("level_too_low", lambda trade: expert(trade, level=1), "visit"),
        ("outside_area", lambda trade: expert(trade, area=("80",)), "visit"),
        ("inactive", lambda trade: expert(trade, is_active=False), "visit"),
    ],
)
def test_experts_who_do_not_match_cannot_propose(case, make_expert, field):
    trade = skill()
    on = ticket(postal_code="10115")
    from visits.services.groups import VisitInput, visit_group_create

    visit = visit_group_create(
        ticket=on, visits=[VisitInput(skill=trade, min_skill_level=3, windows=[(at(9), at(12))])], actor=None
    ).visits.get()

    with pytest.raises(DomainValidationError) as caught:
        proposal_create(expert=make_expert(trade), visit=visit, start_times=[at(10)])

    assert caught.value.field == field
    assert Proposal.objects.exists() is False


def test_an_empty_service_area_means_everywhere():
    trade = skill()
    visit = group(trade, on=ticket(postal_code="80331")).visits.get()

    created = proposal_create(expert=expert(trade, area=()), visit=visit, start_times=[at(10)])

    assert len(created) == 1


def test_a_scheduled_visit_takes_no_proposals():
    trade = skill()
    g = group(trade)
    VisitGroup.objects.filter(pk=g.pk).update(status=VisitGroup.Status.SCHEDULED)

    with pytest.raises(InvalidTransitionError):
        proposal_create(expert=expert(trade), visit=g.visits.get(), start_times=[at(10)])

    assert Proposal.objects.exists() is False


def test_overlapping_my_own_booking_is_refused():
    trade = skill()
    visit = group(trade).visits.get()
    who = expert(trade)
    BookingFactory.create(expert=who, during=DateTimeTZRange(at(10, 30), at(11, 30), "[)"))

    with pytest.raises(DomainValidationError, match="already booked"):
        proposal_create(expert=who, visit=visit, start_times=[at(10)])  # 10:00-11:00 overlaps

    assert Proposal.objects.exists() is False
    assert len(proposal_create(expert=who, visit=visit, start_times=[at(9, 30)])) == 1  # ends 10:30: fine


def test_a_cancelled_booking_does_not_block():
    trade = skill()
    visit = group(trade).visits.get()
    who = expert(trade)
    BookingFactory.create(expert=who, during=DateTimeTZRange(at(10), at(11), "[)"), status=Booking.Status.CANCELLED)

    assert len(proposal_create(expert=who, visit=visit, start_times=[at(10)])) == 1


def test_proposing_the_same_time_again_is_refused():
    trade = skill()
    visit = group(trade).visits.get()
    who = expert(trade)
    proposal_create(expert=who, visit=visit, start_times=[at(10)])

    with pytest.raises(DomainValidationError, match="already proposed"):
        proposal_create(expert=who, visit=visit, start_times=[at(10), at(11)])

    assert Proposal.objects.count() == 1


def test_withdraw_an_active_proposal():
    trade = skill()
    who = expert(trade)
    proposal = ProposalFactory.create(visit=group(trade).visits.get(), expert=who, start_at=at(10))

    proposal_withdraw(proposal=proposal, expert=who)

    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.WITHDRAWN


@pytest.mark.parametrize("status", ["ACCEPTED", "REJECTED", "WITHDRAWN"])
def test_only_active_proposals_can_be_withdrawn(status):
    trade = skill()
    who = expert(trade)
    proposal = ProposalFactory.create(visit=group(trade).visits.get(), expert=who, start_at=at(10), status=status)

    with pytest.raises(InvalidTransitionError):
        proposal_withdraw(proposal=proposal, expert=who)

    proposal.refresh_from_db()
    assert proposal.status == status


def test_nobody_withdraws_someone_elses_proposal():
    trade = skill()
    proposal = ProposalFactory.create(visit=group(trade).visits.get(), expert=expert(trade), start_at=at(10))

    with pytest.raises(InvalidTransitionError):
        proposal_withdraw(proposal=proposal, expert=expert(trade))

    proposal.refresh_from_db()
    assert proposal.status == "ACTIVE"


def test_finalization_is_enqueued_only_when_the_group_may_be_full(django_capture_on_commit_callbacks):
    trade = skill()
    visit = group(trade, needed=2).visits.get()

    with django_capture_on_commit_callbacks() as first:
        proposal_create(expert=expert(trade), visit=visit, start_times=[at(10)])
    with django_capture_on_commit_callbacks() as alternative:
        proposal_create(expert=expert(trade), visit=visit, start_times=[at(15)])
    with django_capture_on_commit_callbacks() as second:
        proposal_create(expert=expert(trade), visit=visit, start_times=[at(10)])

    assert (len(first), len(alternative), len(second)) == (0, 0, 1)
