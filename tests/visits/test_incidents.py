"""The day of the visit: incidents, replacements, completion and payouts."""

from datetime import timedelta

import pytest
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone

from billing.models import PayoutLine
from experts.models import Proposal
from helpdesk.errors import DomainValidationError, InvalidTransitionError
from notifications.models import Notification
from tests.factories import BookingFactory
from tests.visits.helpers import ago, at, expert, group, schedule_directly, skill, ticket
from tickets.models import Ticket, TicketFlag
from visits.models import Booking, Incident, Visit, VisitGroup
from visits.services.groups import VisitInput, visit_group_create
from visits.services.incidents import incident_report, incident_resolve, visit_complete
from visits.services.replacements import replacement_accept, replacements_expire

pytestmark = pytest.mark.django_db
K = Incident.Kind


def _two_visit_group(first_trade, second_trade, **ticket_kw):
    return visit_group_create(
        ticket=ticket(**ticket_kw),
        visits=[
            VisitInput(skill=first_trade, windows=[(at(9), at(12))]),
            VisitInput(
                skill=second_trade, windows=[(at(9), at(16))], depends_on=0, min_gap_minutes=0, max_gap_minutes=60
            ),
        ],
        actor=None,
    )


# --- can't arrive -------------------------------------------------------------------------------


def test_cant_arrive_far_ahead_opens_the_seat_to_runner_ups_first():
    trade = skill()
    g = group(trade)
    visit = g.visits.get()
    leaving, runner_up, other = expert(trade), expert(trade), expert(trade)
    schedule_directly(visit, at(10), at(11), [leaving])
    Proposal.objects.create(visit=visit, expert=runner_up, start_at=at(10), status=Proposal.Status.REJECTED)

    incident = incident_report(visit=visit, expert=leaving, kind=K.CANT_ARRIVE)

    assert (incident.status, incident.kind) == (Incident.Status.OPEN, K.CANT_ARRIVE)
    assert Booking.objects.get(expert=leaving).status == Booking.Status.CANCELLED
    visit.refresh_from_db()
    assert visit.status == Visit.Status.SCHEDULED  # the time stays; only the seat is open
    assert Notification.objects.filter(recipient=runner_up.user, channel="IN_APP").exists()
    with pytest.raises(InvalidTransitionError, match="first chance"):
        replacement_accept(visit=visit, expert=other)  # not a runner-up, head start not over

    booking = replacement_accept(visit=visit, expert=runner_up)

    assert (booking.expert, booking.during) == (runner_up, DateTimeTZRange(at(10), at(11), "[)"))
    incident.refresh_from_db()
    assert incident.status == Incident.Status.RESOLVED
    with pytest.raises(InvalidTransitionError, match="no replacement"):
        replacement_accept(visit=visit, expert=other)
    assert Booking.objects.filter(visit=visit, status="ACTIVE").count() == 1


def test_after_the_head_start_any_matching_free_expert_may_step_in():
    trade = skill()
    visit = group(trade).visits.get()
    leaving, runner_up, other = expert(trade), expert(trade), expert(trade)
    schedule_directly(visit, at(10), at(11), [leaving])
    Proposal.objects.create(visit=visit, expert=runner_up, start_at=at(10), status=Proposal.Status.REJECTED)
    incident = incident_report(visit=visit, expert=leaving, kind=K.CANT_ARRIVE)
    Incident.objects.filter(pk=incident.pk).update(created_at=timezone.now() - timedelta(minutes=20))

    assert replacement_accept(visit=visit, expert=other).expert == other


def test_a_busy_expert_cannot_step_in():
    trade = skill()
    visit = group(trade).visits.get()
    leaving, busy = expert(trade), expert(trade)
    schedule_directly(visit, at(10), at(11), [leaving])
    BookingFactory.create(expert=busy, during=DateTimeTZRange(at(10, 30), at(11, 30), "[)"))
    incident_report(visit=visit, expert=leaving, kind=K.CANT_ARRIVE)
    Incident.objects.update(created_at=timezone.now() - timedelta(hours=1))

    with pytest.raises(InvalidTransitionError, match="booked elsewhere"):
        replacement_accept(visit=visit, expert=busy)

    assert Booking.objects.filter(visit=visit, status="ACTIVE").exists() is False


def test_cant_arrive_too_close_to_the_start_sends_the_visit_and_its_dependents_back_to_scheduling():
    plumbing, electrical = skill("Plumbing"), skill("Electrical")
    g = _two_visit_group(plumbing, electrical)
    pipe, wire = g.visits.order_by("position")
    plumber, electrician = expert(plumbing), expert(electrical)
    soon = (timezone.now() + timedelta(minutes=60)).replace(second=0, microsecond=0)
    schedule_directly(pipe, soon, soon + timedelta(hours=1), [plumber])
    schedule_directly(wire, soon + timedelta(hours=1), soon + timedelta(hours=2), [electrician])

    incident = incident_report(visit=pipe, expert=plumber, kind=K.CANT_ARRIVE, details="Flat tyre")

    g.refresh_from_db()
    assert incident.status == Incident.Status.RESOLVED
    assert g.status == VisitGroup.Status.MATCHING
    assert list(g.visits.values_list("status", "scheduled_start")) == [("OPEN", None), ("OPEN", None)]
    assert set(Booking.objects.values_list("status", flat=True)) == {"CANCELLED"}
    assert Notification.objects.filter(recipient=g.ticket.customer, channel="EMAIL").exists()
    assert Notification.objects.filter(recipient=electrician.user, channel="EMAIL").exists()


def test_cant_arrive_for_a_skill_nobody_can_replace_goes_back_to_scheduling():
    trade = skill()
    trade.is_replaceable = False
    trade.save()
    visit = group(trade).visits.get()
    leaving = expert(trade)
    schedule_directly(visit, at(10), at(11), [leaving])

    incident_report(visit=visit, expert=leaving, kind=K.CANT_ARRIVE)

    visit.refresh_from_db()
    assert visit.status == Visit.Status.OPEN


def test_an_untaken_seat_goes_back_to_scheduling_near_the_start_once():
    trade = skill()
    visit = group(trade).visits.get()
    leaving = expert(trade)
    schedule_directly(visit, at(10), at(11), [leaving])
    incident_report(visit=visit, expert=leaving, kind=K.CANT_ARRIVE)
    later = at(10) - timedelta(minutes=30)  # inside the 120-minute lead

    assert replacements_expire(now=timezone.now()) == 0  # far ahead: the seat stays open
    assert [replacements_expire(now=later) for _ in range(2)] == [1, 0]

    visit.refresh_from_db()
    assert visit.status == Visit.Status.OPEN
    assert Incident.objects.get().status == Incident.Status.RESOLVED


# --- nobody home --------------------------------------------------------------------------------


def test_nobody_home_before_the_start_is_refused():
    trade = skill()
    visit = group(trade).visits.get()
    who = expert(trade)
    schedule_directly(visit, at(10), at(11), [who])

    with pytest.raises(InvalidTransitionError, match="started"):
        incident_report(visit=visit, expert=who, kind=K.NOBODY_HOME)

    assert Incident.objects.exists() is False


def test_nobody_home_reopens_the_visit_and_flags_the_ticket_for_the_helpdesk(agent):
    trade = skill()
    g = group(trade)
    visit = g.visits.get()
    who = expert(trade)
    schedule_directly(visit, ago(30), ago(30) + timedelta(hours=1), [who])

    incident = incident_report(visit=visit, expert=who, kind=K.NOBODY_HOME)

    g.ticket.refresh_from_db()
    visit.refresh_from_db()
    assert incident.status == Incident.Status.OPEN
    assert visit.status == Visit.Status.OPEN
    assert TicketFlag.UNMATCHED_VISITS in g.ticket.flags

    incident_resolve(incident=incident, actor=agent, resolution="Called the customer; new times agreed.")

    g.ticket.refresh_from_db()
    assert TicketFlag.UNMATCHED_VISITS not in g.ticket.flags
    assert Incident.objects.get().status == Incident.Status.RESOLVED


# --- overrun and parts --------------------------------------------------------------------------


def test_overrun_is_granted_when_nothing_later_is_affected():
    trade = skill()
    visit = group(trade).visits.get()
    a, b = expert(trade), expert(trade)
    start = ago(50)
    schedule_directly(visit, start, start + timedelta(hours=1), [a, b])

    incident = incident_report(visit=visit, expert=a, kind=K.OVERRUN, overrun_minutes=30)

    visit.refresh_from_db()
    assert incident.status == Incident.Status.RESOLVED
    assert "granted" in incident.resolution
    assert visit.scheduled_end == start + timedelta(minutes=90)
    assert {b.during.upper for b in Booking.objects.filter(visit=visit)} == {start + timedelta(minutes=90)}


def test_overrun_into_another_booking_ends_the_visit_as_partial_with_a_follow_up():
    trade = skill()
    g = group(trade)
    visit = g.visits.get()
    who = expert(trade)
    start = ago(50)
    schedule_directly(visit, start, start + timedelta(hours=1), [who])
    BookingFactory.create(
        expert=who, during=DateTimeTZRange(start + timedelta(minutes=75), start + timedelta(hours=2), "[)")
    )

    incident = incident_report(visit=visit, expert=who, kind=K.OVERRUN, overrun_minutes=30)

    visit.refresh_from_db()
    g.refresh_from_db()
    follow_up = Visit.objects.get(follow_up_of=visit)
    assert visit.status == Visit.Status.PARTIAL
    assert (follow_up.status, follow_up.position, follow_up.duration_minutes) == ("OPEN", 2, 30)
    assert g.status == VisitGroup.Status.MATCHING
    assert f"follow-up visit {follow_up.pk}" in incident.resolution
    assert PayoutLine.objects.get().visit == visit
    assert visit.bookings.get().during.upper == start + timedelta(hours=1)  # not extended


def test_overrun_that_would_squeeze_a_dependent_visit_is_not_granted():
    plumbing, electrical = skill("Plumbing"), skill("Electrical")
    g = _two_visit_group(plumbing, electrical)
    pipe, wire = g.visits.order_by("position")
    plumber, electrician = expert(plumbing), expert(electrical)
    start = ago(50)
    schedule_directly(pipe, start, start + timedelta(hours=1), [plumber])
    schedule_directly(wire, start + timedelta(minutes=80), start + timedelta(minutes=140), [electrician])

    incident_report(visit=pipe, expert=plumber, kind=K.OVERRUN, overrun_minutes=30)

    pipe.refresh_from_db()
    wire.refresh_from_db()
    assert pipe.status == Visit.Status.PARTIAL
    assert wire.status == Visit.Status.SCHEDULED  # the electrician still comes as booked
    assert Visit.objects.filter(follow_up_of=pipe).count() == 1


@pytest.mark.parametrize("minutes", [0, -5, 10_000, None])
def test_overrun_needs_sane_minutes(minutes):
    trade = skill()
    visit = group(trade).visits.get()
    who = expert(trade)
    schedule_directly(visit, ago(10), ago(10) + timedelta(hours=1), [who])

    with pytest.raises(DomainValidationError) as caught:
        incident_report(visit=visit, expert=who, kind=K.OVERRUN, overrun_minutes=minutes)

    assert caught.value.field == "overrun_minutes"
    assert Incident.objects.exists() is False


def test_parts_needed_ends_the_visit_and_creates_a_follow_up_for_the_customer_to_schedule():
    trade = skill()
    g = group(trade, duration=90)
    visit = g.visits.get()
    who = expert(trade)
    schedule_directly(visit, ago(30), ago(30) + timedelta(minutes=90), [who])

    incident_report(visit=visit, expert=who, kind=K.PARTS_NEEDED, details="Pump seal")

    follow_up = Visit.objects.get(follow_up_of=visit)
    assert (follow_up.duration_minutes, follow_up.windows.count()) == (90, 0)
    assert Notification.objects.filter(recipient=g.ticket.customer, subject__contains="follow-up").exists()


def test_only_booked_experts_report():
    trade = skill()
    visit = group(trade).visits.get()
    schedule_directly(visit, ago(10), ago(10) + timedelta(hours=1), [expert(trade)])

    with pytest.raises(InvalidTransitionError, match="not booked"):
        incident_report(visit=visit, expert=expert(trade), kind=K.NOBODY_HOME)


# --- completion ---------------------------------------------------------------------------------


def test_completing_the_last_visit_pays_each_expert_and_resolves_the_ticket(settings):
    settings.VISIT_PAYOUT_HOURLY_CENTS_BY_SKILL = {"plumbing": 6000}
    trade = skill("Plumbing")
    g = group(trade, duration=90, on=ticket(status=Ticket.Status.IN_PROGRESS))
    visit = g.visits.get()
    a, b = expert(trade, hourly_rate_cents=4000), expert(trade)
    schedule_directly(visit, ago(100), ago(100) + timedelta(minutes=90), [a, b])

    visit_complete(visit=visit, expert=a, notes="Replaced the trap.")

    visit.refresh_from_db()
    g.refresh_from_db()
    g.ticket.refresh_from_db()
    assert (visit.status, visit.completion_notes) == (Visit.Status.COMPLETED, "Replaced the trap.")
    assert sorted(PayoutLine.objects.values_list("expert_id", "amount_cents")) == [(a.pk, 9000), (b.pk, 9000)]
    assert g.status == VisitGroup.Status.COMPLETED
    assert g.ticket.status == Ticket.Status.RESOLVED
    assert Notification.objects.filter(recipient=g.ticket.customer, subject__contains="done").exists()


def test_the_experts_own_rate_applies_when_the_skill_has_none():
    trade = skill()
    visit = group(trade).visits.get()
    who = expert(trade, hourly_rate_cents=4800)
    schedule_directly(visit, ago(70), ago(10), [who])

    visit_complete(visit=visit, expert=who)

    assert PayoutLine.objects.get().amount_cents == 4800


def test_one_of_two_visits_completed_leaves_the_ticket_open():
    plumbing, electrical = skill("Plumbing"), skill("Electrical")
    g = _two_visit_group(plumbing, electrical, status=Ticket.Status.IN_PROGRESS)
    pipe, wire = g.visits.order_by("position")
    plumber = expert(plumbing)
    schedule_directly(pipe, ago(120), ago(60), [plumber])
    schedule_directly(wire, ago(30), ago(30) + timedelta(hours=1), [expert(electrical)])

    visit_complete(visit=pipe, expert=plumber)

    g.refresh_from_db()
    g.ticket.refresh_from_db()
    assert (g.status, g.ticket.status) == (VisitGroup.Status.SCHEDULED, Ticket.Status.IN_PROGRESS)


def test_completing_twice_pays_once():
    trade = skill()
    visit = group(trade).visits.get()
    who = expert(trade)
    schedule_directly(visit, ago(70), ago(10), [who])
    visit_complete(visit=visit, expert=who)

    with pytest.raises(InvalidTransitionError):
        visit_complete(visit=visit, expert=who)

    assert PayoutLine.objects.count() == 1


def test_a_visit_cannot_be_completed_before_it_starts():
    trade = skill()
    visit = group(trade).visits.get()
    who = expert(trade)
    schedule_directly(visit, at(10), at(11), [who])

    with pytest.raises(InvalidTransitionError):
        visit_complete(visit=visit, expert=who)

    assert PayoutLine.objects.exists() is False
