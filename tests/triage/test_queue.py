"""Tickets that wait in a team queue are assigned the moment an agent of the team has room:
a ticket of theirs is resolved or closed, they are reassigned one, or they become available."""

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from helpdesk.errors import DomainValidationError, InvalidTransitionError
from tests.factories import AgentProfileFactory, AgentSkillFactory, CategoryFactory, TicketFactory
from tickets.models import AgentProfile, Priority, Ticket, TicketEvent, TicketFlag
from tickets.services import ticket_assign, ticket_create, ticket_transition
from tickets.services.triage import ticket_set_category
from tickets.services.waiting import agent_set_availability
from triage.datasets import load_agent_labels

pytestmark = pytest.mark.django_db


def _full_agent(category, *, max_tickets=1):
    agent = AgentProfileFactory.create(team=category.default_team, max_tickets=max_tickets)
    AgentSkillFactory.create(agent=agent, category=category)
    held = [TicketFactory.create(team=agent.team, category=category) for _ in range(max_tickets)]
    for ticket in held:
        ticket_assign(ticket=ticket, agent=agent, actor=None)
    return agent, held


def _open_count(agent: AgentProfile) -> int:
    return agent.assigned_tickets.filter(status__in=["OPEN", "IN_PROGRESS", "WAITING_ON_CUSTOMER"]).count()


@pytest.fixture
def plumbing(categories):
    return categories["plumbing"]


def test_a_new_ticket_waits_when_nobody_has_room(customer, models, plumbing):
    _full_agent(plumbing)

    ticket = ticket_create(customer=customer, subject="Wasserhahn tropft", description="Der Wasserhahn im Bad tropft.")

    assert (ticket.category, ticket.assigned_agent) == (plumbing, None)
    reason = ticket.routing_reason["agent"]
    assert reason["outcome"] == "queued"
    assert reason["summary"] == ("no available L1+ agent of Plumbing team with free capacity and the Plumbing skill")


def test_resolving_a_ticket_gives_the_agent_the_oldest_most_urgent_waiting_one(
    plumbing, agent, django_capture_on_commit_callbacks
):
    worker, (held,) = _full_agent(plumbing)
    older_low = TicketFactory.create(team=plumbing.default_team, category=plumbing, priority=Priority.LOW)
    newer_urgent = TicketFactory.create(team=plumbing.default_team, category=plumbing, priority=Priority.URGENT)

    with django_capture_on_commit_callbacks(execute=True):
        ticket_transition(ticket=held, to_status=Ticket.Status.RESOLVED, actor=agent)

    newer_urgent.refresh_from_db()
    older_low.refresh_from_db()
    worker.refresh_from_db()
    assert (newer_urgent.assigned_agent, older_low.assigned_agent) == (worker, None)
    assert newer_urgent.routing_reason["agent"]["outcome"] == "assigned_when_free"
    assert newer_urgent.routing_reason["agent"]["trigger"] == "a ticket became resolved"
    assert worker.current_ticket_count == _open_count(worker) == 1


def test_closing_and_reassigning_also_free_capacity(plumbing, agent, django_capture_on_commit_callbacks):
    worker, (held,) = _full_agent(plumbing)
    other = AgentProfileFactory.create(team=plumbing.default_team, max_tickets=5)
    waiting = TicketFactory.create(team=plumbing.default_team, category=plumbing)

    with django_capture_on_commit_callbacks(execute=True):
        ticket_assign(ticket=held, agent=other, actor=agent)  # the worker has room again

    waiting.refresh_from_db()
    assert waiting.assigned_agent == worker
    assert [
        (a.current_ticket_count, _open_count(a))
        for a in AgentProfile.objects.filter(pk__in=[worker.pk, other.pk]).order_by("pk")
    ] == [(1, 1), (1, 1)]


def test_waiting_tickets_of_another_category_or_team_are_not_taken(
    plumbing, categories, agent, django_capture_on_commit_callbacks
):
    worker, (held,) = _full_agent(plumbing)
    heating = TicketFactory.create(team=plumbing.default_team, category=categories["heating"])  # no skill
    elsewhere = TicketFactory.create(team=categories["billing"].default_team, category=plumbing)

    with django_capture_on_commit_callbacks(execute=True):
        ticket_transition(ticket=held, to_status=Ticket.Status.CLOSED, actor=agent)

    assert Ticket.objects.filter(pk__in=[heating.pk, elsewhere.pk], assigned_agent__isnull=False).count() == 0
    worker.refresh_from_db()
    assert worker.current_ticket_count == 0


def test_an_agent_becoming_available_takes_waiting_tickets_up_to_capacity(plumbing, django_capture_on_commit_callbacks):
    agent = AgentProfileFactory.create(team=plumbing.default_team, max_tickets=2, is_available=False)
    AgentSkillFactory.create(agent=agent, category=plumbing)
    waiting = TicketFactory.create_batch(3, team=plumbing.default_team, category=plumbing)

    with django_capture_on_commit_callbacks(execute=True):
        agent_set_availability(agent=agent, is_available=True, actor=None)

    agent.refresh_from_db()
    assert agent.current_ticket_count == _open_count(agent) == 2
    assert [t.pk for t in Ticket.objects.filter(assigned_agent=agent).order_by("pk")] == [w.pk for w in waiting[:2]]


def test_raising_max_tickets_in_the_admin_assigns_waiting_tickets(
    plumbing, admin_user, django_capture_on_commit_callbacks
):
    worker, _ = _full_agent(plumbing)
    waiting = TicketFactory.create(team=plumbing.default_team, category=plumbing)
    model_admin = site._registry[AgentProfile]
    request = RequestFactory().post("/admin/")
    request.user = admin_user
    form_class = model_admin.get_form(request, worker, change=True)
    data = {"user": worker.user_id, "team": worker.team_id, "tier": worker.tier, "max_tickets": 2, "is_available": "on"}
    form = form_class(data, instance=worker)
    assert form.is_valid(), form.errors

    with django_capture_on_commit_callbacks(execute=True):
        model_admin.save_model(request, form.save(commit=False), form, change=True)

    waiting.refresh_from_db()
    assert waiting.assigned_agent == worker


def test_an_unavailable_agent_gets_nothing(plumbing, agent, django_capture_on_commit_callbacks):
    worker, (held,) = _full_agent(plumbing)
    AgentProfile.objects.filter(pk=worker.pk).update(is_available=False)
    waiting = TicketFactory.create(team=plumbing.default_team, category=plumbing)

    with django_capture_on_commit_callbacks(execute=True):
        ticket_transition(ticket=held, to_status=Ticket.Status.RESOLVED, actor=agent)

    waiting.refresh_from_db()
    assert waiting.assigned_agent is None


def test_max_tickets_below_one_is_refused(plumbing):
    worker = AgentProfileFactory.create(max_tickets=3)

    with pytest.raises(DomainValidationError):
        agent_set_availability(agent=worker, max_tickets=0, actor=None)

    worker.refresh_from_db()
    assert worker.max_tickets == 3


# --- the human classifier ----------------------------------------------------------------------------


def test_setting_the_category_routes_the_ticket_and_stores_a_label(plumbing, agent, plumbing_agents):
    ticket = TicketFactory.create(
        category=None, team=None, flags=[TicketFlag.UNCLASSIFIED, TicketFlag.CLASSIFIER_UNAVAILABLE]
    )

    ticket_set_category(ticket=ticket, category=plumbing, actor=agent)

    ticket.refresh_from_db()
    assert (ticket.category, ticket.category_source, ticket.flags) == (plumbing, Ticket.CategorySource.AGENT, [])
    assert ticket.team == plumbing.default_team
    assert ticket.assigned_agent in plumbing_agents
    assert ticket.routing_reason["team"]["after"] == f"classified by {agent.display_name}"
    event = TicketEvent.objects.get(ticket=ticket, kind=TicketEvent.Kind.CLASSIFIED)
    assert (event.actor, event.data) == (agent, {"from": None, "to": "plumbing", "confirmed": False})
    assert [(e.category, e.source) for e in load_agent_labels()] == [("plumbing", "database")]


def test_confirming_the_models_category_is_a_label_too(plumbing, agent):
    ticket = TicketFactory.create(category=plumbing, category_source=Ticket.CategorySource.MODEL, assigned=True)

    ticket_set_category(ticket=ticket, category=plumbing, actor=agent)

    ticket.refresh_from_db()
    assert ticket.category_source == Ticket.CategorySource.AGENT
    assert TicketEvent.objects.get(ticket=ticket, kind=TicketEvent.Kind.CLASSIFIED).data["confirmed"] is True


def test_model_categories_are_not_labels(plumbing):
    TicketFactory.create(category=plumbing, category_source=Ticket.CategorySource.MODEL)

    assert load_agent_labels() == []


def test_a_closed_ticket_cannot_be_reclassified(plumbing, agent):
    ticket = TicketFactory.create(category=None)
    Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.Status.CLOSED)

    with pytest.raises(InvalidTransitionError):
        ticket_set_category(ticket=ticket, category=plumbing, actor=agent)

    ticket.refresh_from_db()
    assert (ticket.category, TicketEvent.objects.filter(kind=TicketEvent.Kind.CLASSIFIED).exists()) == (None, False)


def test_an_inactive_category_is_refused(agent):
    retired = CategoryFactory.create(is_active=False)
    ticket = TicketFactory.create(category=None)

    with pytest.raises(DomainValidationError):
        ticket_set_category(ticket=ticket, category=retired, actor=agent)

    assert Ticket.objects.get(pk=ticket.pk).category is None


def test_a_ticket_handed_back_to_the_queue_does_not_come_straight_back(
    plumbing, agent, django_capture_on_commit_callbacks
):
    worker, (held,) = _full_agent(plumbing)

    with django_capture_on_commit_callbacks(execute=True):
        ticket_assign(ticket=held, agent=None, actor=agent)

    held.refresh_from_db()
    worker.refresh_from_db()
    assert (held.assigned_agent, worker.current_ticket_count) == (None, 0)
