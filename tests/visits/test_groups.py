"""Turning a ticket into a visit group (visits/services/groups.py)."""

from datetime import timedelta

import pytest
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone

from helpdesk.errors import DomainValidationError, InvalidTransitionError
from tests.factories import PreferredWindowFactory, ProposalFactory
from tests.visits.helpers import at, expert, skill, ticket
from tickets.models import Priority, Ticket
from visits.models import Visit, VisitGroup, VisitWindow
from visits.services.groups import VisitInput, visit_group_create, visit_windows_set

pytestmark = pytest.mark.django_db


def test_a_plumber_then_an_electrician_with_a_gap():
    plumbing, electrical = skill("Plumbing"), skill("Electrical")
    on = ticket(priority=Priority.HIGH)
    windows = [(at(9), at(12))]

    group = visit_group_create(
        ticket=on,
        visits=[
            VisitInput(skill=plumbing, duration_minutes=120, windows=windows),
            VisitInput(
                skill=electrical, min_skill_level=2, experts_needed=2, windows=windows, depends_on=0, max_gap_minutes=60
            ),
        ],
        actor=None,
    )

    first, second = group.visits.order_by("position")
    assert (group.status, group.ticket) == (VisitGroup.Status.MATCHING, on)
    assert (first.position, first.required_skill, first.duration_minutes, first.depends_on) == (1, plumbing, 120, None)
    assert (second.position, second.depends_on, second.min_gap_minutes, second.max_gap_minutes) == (2, first, 0, 60)
    assert (second.experts_needed, second.min_skill_level) == (2, 2)
    assert [w.window for w in second.windows.all()] == [DateTimeTZRange(at(9), at(12), "[)")]
    # HIGH priority: the deadline from VISIT_MATCH_DEADLINE_HOURS (12 h by default)
    assert abs(group.match_deadline - (timezone.now() + timedelta(hours=12))) < timedelta(minutes=1)


def test_windows_default_to_the_tickets_preferred_windows():
    on = ticket()
    PreferredWindowFactory.create(ticket=on, window=DateTimeTZRange(at(14), at(17), "[)"))

    group = visit_group_create(ticket=on, visits=[VisitInput(skill=skill())], actor=None)

    assert [w.window for w in VisitWindow.objects.filter(visit__group=group)] == [DateTimeTZRange(at(14), at(17), "[)")]


@pytest.mark.parametrize("priority", ["URGENT", "LOW"])
def test_match_deadline_follows_the_setting_per_priority(settings, priority):
    settings.VISIT_MATCH_DEADLINE_HOURS = {"URGENT": 1, "LOW": 72, "MEDIUM": 24}

    group = visit_group_create(
        ticket=ticket(priority=priority), visits=[VisitInput(skill=skill(), windows=[(at(9), at(12))])], actor=None
    )

    hours = {"URGENT": 1, "LOW": 72}[priority]
    assert abs(group.match_deadline - (timezone.now() + timedelta(hours=hours))) < timedelta(minutes=1)


@pytest.mark.parametrize(
    ("case", "visits", "field"),
    [
        ("no_visits", [], "visits"),
        ("no_windows_anywhere", [{"windows": []}], "visits.0.windows"),
        ("window_backwards", [{"windows": [(at(12), at(9))]}], "visits.0.windows"),
        ("window_in_the_past", [{"windows": [(at(9, offset=-3), at(10, offset=-3))]}], "visits.0.windows"),
        ("window_too_far_ahead", [{"windows": [(at(9, offset=400), at(10, offset=400))]}], "visits.0.windows"),
        ("zero_experts", [{"experts_needed": 0}], "visits.0.experts_needed"),
        ("level_six", [{"min_skill_level": 6}], "visits.0.min_skill_level"),
        ("duration_too_short", [{"duration_minutes": 5}], "visits.0.duration_minutes"),
        ("first_depends_on_itself", [{"depends_on": 0}], "visits.0.depends_on"),
        ("depends_on_later_visit", [{"depends_on": 1}, {}], "visits.0.depends_on"),
        ("depends_on_missing_visit", [{}, {"depends_on": 5}], "visits.1.depends_on"),
        (
            "gap_inverted",
            [{}, {"depends_on": 0, "min_gap_minutes": 60, "max_gap_minutes": 30}],
            "visits.1.max_gap_minutes",
        ),
        ("negative_gap", [{}, {"depends_on": 0, "min_gap_minutes": -5}], "visits.1.min_gap_minutes"),
    ],
)
def test_bad_input_is_refused_with_a_field_error_and_nothing_written(case, visits, field):
    trade = skill()
    specs = [VisitInput(**{"skill": trade, "windows": [(at(9), at(12))], **changes}) for changes in visits]

    with pytest.raises(DomainValidationError) as caught:
        visit_group_create(ticket=ticket(), visits=specs, actor=None)

    assert caught.value.field == field
    assert VisitGroup.objects.exists() is False
    assert Visit.objects.exists() is False


def test_a_closed_ticket_gets_no_visits():
    closed = ticket(status=Ticket.Status.CLOSED, closed_at=timezone.now())

    with pytest.raises(InvalidTransitionError):
        visit_group_create(ticket=closed, visits=[VisitInput(skill=skill(), windows=[(at(9), at(12))])], actor=None)

    assert VisitGroup.objects.exists() is False


def test_editing_windows_rejudges_alternatives():
    trade = skill()
    group = visit_group_create(ticket=ticket(), visits=[VisitInput(skill=trade, windows=[(at(9), at(12))])], actor=None)
    visit = group.visits.get()
    who = expert(trade)
    inside = ProposalFactory.create(visit=visit, expert=who, start_at=at(10))
    outside = ProposalFactory.create(visit=visit, expert=who, start_at=at(15), is_alternative=True)

    visit_windows_set(visit=visit, windows=[(at(14), at(18))], actor=None)

    inside.refresh_from_db()
    outside.refresh_from_db()
    assert (inside.is_alternative, outside.is_alternative) == (True, False)
    assert [w.window for w in visit.windows.all()] == [DateTimeTZRange(at(14), at(18), "[)")]


def test_windows_of_a_booked_visit_cannot_change():
    trade = skill()
    group = visit_group_create(ticket=ticket(), visits=[VisitInput(skill=trade, windows=[(at(9), at(12))])], actor=None)
    VisitGroup.objects.filter(pk=group.pk).update(status=VisitGroup.Status.SCHEDULED)

    with pytest.raises(InvalidTransitionError):
        visit_windows_set(visit=group.visits.get(), windows=[(at(14), at(18))], actor=None)

    assert [w.window.lower for w in VisitWindow.objects.all()] == [at(9)]
