"""The job board and the expert's scopes (experts/selectors.py)."""

import pytest
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange

from experts.selectors import area_label, grid_slots, job_board_for, replacement_seats_for, visit_scope_for_expert
from tests.factories import ApplianceModelFactory, BookingFactory, IncidentFactory, ProposalFactory
from tests.visits.helpers import at, expert, group, skill, ticket
from tickets.models import Priority
from visits.models import Incident, Visit, VisitGroup
from visits.services.groups import VisitInput, visit_group_create

pytestmark = pytest.mark.django_db


def test_the_board_shows_open_visits_matching_skill_level_and_area_most_urgent_first():
    plumbing, electrical = skill("Plumbing"), skill("Electrical")
    me = expert(plumbing, level=3, area=("101", "102"))
    low = group(plumbing, on=ticket(postal_code="10115", priority=Priority.LOW))
    urgent = group(plumbing, on=ticket(postal_code="10247", priority=Priority.URGENT))
    group(plumbing, on=ticket(postal_code="80331"))  # outside my area
    group(electrical, on=ticket(postal_code="10115"))  # another trade
    visit_group_create(  # needs level 4
        ticket=ticket(postal_code="10115"),
        visits=[VisitInput(skill=plumbing, min_skill_level=4, windows=[(at(9), at(12))])],
        actor=None,
    )
    done = group(plumbing, on=ticket(postal_code="10115"))
    VisitGroup.objects.filter(pk=done.pk).update(status=VisitGroup.Status.SCHEDULED)

    board = job_board_for(expert=me)

    assert [v.group_id for v in board] == [urgent.pk, low.pk]


def test_needs_helpdesk_groups_stay_on_the_board():
    trade = skill()
    g = group(trade)
    VisitGroup.objects.filter(pk=g.pk).update(status=VisitGroup.Status.NEEDS_HELPDESK)

    assert [v.group_id for v in job_board_for(expert=expert(trade))] == [g.pk]


def test_the_board_counts_proposing_experts_and_lists_mine():
    trade = skill()
    g = group(trade, needed=3)
    visit = g.visits.get()
    me, other = expert(trade), expert(trade)
    mine = ProposalFactory.create(visit=visit, expert=me, start_at=at(10))
    ProposalFactory.create(visit=visit, expert=me, start_at=at(11))
    ProposalFactory.create(visit=visit, expert=other, start_at=at(10))
    ProposalFactory.create(visit=visit, expert=expert(trade), start_at=at(10), status="WITHDRAWN")

    [row] = job_board_for(expert=me)

    assert (row.proposer_count, row.experts_needed) == (2, 3)
    assert [p.start_at for p in row.my_proposals] == [at(10), at(11)]
    assert row.my_proposals[0] == mine


def test_the_board_carries_the_area_but_nothing_that_identifies_the_customer():
    trade = skill()
    on = ticket(postal_code="10115", city="Berlin", appliance=ApplianceModelFactory.create(brand="Bosch"))
    group(trade, on=on)

    [row] = job_board_for(expert=expert(trade))

    assert (row.area_postal, row.area_city, row.appliance_brand, row.summary) == (
        "10115",
        "Berlin",
        "Bosch",
        on.subject,
    )
    assert area_label(row.area_postal, row.area_city) == "101xx Berlin"
    # neither the ticket nor the customer is loaded: a template could not print their name
    assert "ticket" not in row.group._state.fields_cache


@pytest.mark.parametrize("n_visits", [1, 8], ids=["one_visit", "eight_visits"])
def test_board_query_count_does_not_grow_with_visits(django_assert_num_queries, n_visits):
    trade = skill()
    me = expert(trade)
    for _ in range(n_visits):
        visit = group(trade).visits.get()
        ProposalFactory.create(visit=visit, expert=me, start_at=at(10))

    with django_assert_num_queries(3):  # visits (+ joins, counts), windows, my proposals
        rows = [
            (v.required_skill.name, list(v.windows.all()), v.my_proposals, v.depends_on)
            for v in job_board_for(expert=me)
        ]

    assert len(rows) == n_visits


def test_scope_for_proposing_covers_my_trades_and_area_booked_or_not_and_my_own_visits():
    trade, other_trade = skill("Plumbing"), skill("Electrical")
    me = expert(trade)
    booked = group(trade)
    VisitGroup.objects.filter(pk=booked.pk).update(status=VisitGroup.Status.SCHEDULED)
    open_visit = group(trade).visits.get()
    group(other_trade)  # not my trade
    group(trade, on=ticket(postal_code="80331"))  # not my area
    proposed_elsewhere = group(trade, on=ticket(postal_code="50667")).visits.get()
    ProposalFactory.create(visit=proposed_elsewhere, expert=me, start_at=at(10))  # e.g. before my area changed

    scope = set(visit_scope_for_expert(expert=me))

    assert scope == {booked.visits.get(), open_visit, proposed_elsewhere}


def test_replacement_seats_are_offered_to_matching_experts_not_already_on_the_visit():
    trade = skill()
    g = group(trade)
    visit = g.visits.get()
    Visit.objects.filter(pk=visit.pk).update(
        status=Visit.Status.SCHEDULED, scheduled_start=at(10), scheduled_end=at(11)
    )
    on_it, leaving, candidate = expert(trade), expert(trade), expert(trade)
    BookingFactory.create(visit=visit, expert=on_it, during=DateTimeTZRange(at(10), at(11), "[)"))
    IncidentFactory.create(visit=visit, expert=leaving, kind=Incident.Kind.CANT_ARRIVE)

    assert [v.pk for v in replacement_seats_for(expert=candidate)] == [visit.pk]
    assert replacement_seats_for(expert=on_it) == []
    assert replacement_seats_for(expert=expert(skill("Other"))) == []


def test_grid_slots_inside_windows():
    slots = grid_slots([(at(9, 10), at(11))], now=at(0))

    assert [s.start for s in slots] == [at(9, 30), at(10), at(10, 30)]


def test_area_label_masks_the_postal_code():
    assert area_label("80331", "München") == "803xx München"
    assert area_label("", "") == "—"
