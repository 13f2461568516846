"""The Django admin: every model is reachable, changelists don't do N+1 queries, ticket status
changes only through service-backed actions, and the audit trail is view-only."""

import inspect

import pytest
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.messages import get_messages
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from factory.django import DjangoModelFactory

from accounts.models import Role, User
from tests import factories
from tests.factories import AgentProfileFactory, CategoryFactory, TeamFactory, TicketFactory
from tests.project import project_app_labels
from tickets.models import Ticket, TicketEvent, TicketFlag

pytestmark = pytest.mark.django_db

PROJECT_APPS = project_app_labels()
REGISTRY = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
PROJECT_REGISTRY = [(model, model_admin) for model, model_admin in REGISTRY if model._meta.app_label in PROJECT_APPS]


def _factories_by_model() -> dict[type, type[DjangoModelFactory]]:
    """The factory named after the model (UserFactory for User), else the first one for it."""
    found: dict[type, type[DjangoModelFactory]] = {}
    for name, factory in inspect.getmembers(factories, inspect.isclass):
        if not issubclass(factory, DjangoModelFactory) or factory.__module__ != factories.__name__:
            continue
        model = factory._meta.model
        if name == f"{model.__name__}Factory" or model not in found:
            found[model] = factory
    return found


FACTORIES = _factories_by_model()


def _label(item: tuple[type, admin.ModelAdmin]) -> str:
    return item[0]._meta.label


def _url(model: type, view: str, *args: object) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _rows(model: type, n: int = 2) -> list:
    factory = FACTORIES.get(model)
    return factory.create_batch(n) if factory else []


def _request_as(user: User):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def _messages(response) -> list[tuple[int, str]]:
    return [(m.level, str(m)) for m in get_messages(response.wsgi_request)]


# --- every model is reachable ---------------------------------------------------------------------


def test_every_project_model_is_registered():
    models = {m for m in apps.get_models() if m._meta.app_label in PROJECT_APPS and not m._meta.auto_created}

    assert models - set(admin.site._registry) == set()


@pytest.mark.parametrize("item", PROJECT_REGISTRY, ids=_label)
def test_project_admins_have_list_display_filters_and_search(item):
    model, model_admin = item

    assert model_admin.list_display != ("__str__",), model
    assert model_admin.list_filter, model
    assert model_admin.search_fields, model


@pytest.mark.parametrize("item", REGISTRY, ids=_label)
def test_changelist_and_search_answer_200(admin_client, item):
    model, _ = item
    _rows(model)

    assert admin_client.get(_url(model, "changelist")).status_code == 200
    assert admin_client.get(_url(model, "changelist"), {"q": "x"}).status_code == 200


@pytest.mark.parametrize("item", REGISTRY, ids=_label)
def test_add_page_answers_200_where_adding_is_allowed(admin_client, admin_user, item):
    model, model_admin = item
    _rows(model)
    allowed = model_admin.has_add_permission(_request_as(admin_user))

    response = admin_client.get(_url(model, "add"))

    assert response.status_code == (200 if allowed else 403)


@pytest.mark.parametrize("item", [i for i in PROJECT_REGISTRY if i[0] in FACTORIES], ids=_label)
def test_change_page_answers_200(admin_client, item):
    model, _ = item
    obj = _rows(model)[0]

    assert admin_client.get(_url(model, "change", obj.pk)).status_code == 200


@pytest.mark.parametrize("item", [i for i in PROJECT_REGISTRY if i[0] in FACTORIES], ids=_label)
def test_changelist_query_count_does_not_grow_with_rows(admin_client, item):
    model, _ = item
    url = _url(model, "changelist")
    _rows(model, 1)
    admin_client.get(url)  # warm caches (content types, session)
    with CaptureQueriesContext(connection) as one_row:
        admin_client.get(url)
    _rows(model, 4)

    with CaptureQueriesContext(connection) as five_rows:
        admin_client.get(url)

    assert len(five_rows) == len(one_row), [q["sql"] for q in five_rows.captured_queries]


# --- tickets ----------------------------------------------------------------------------------------


def _tickets(n: int) -> list[Ticket]:
    return TicketFactory.create_batch(
        n,
        assigned=True,
        category=CategoryFactory.create(),
        team=TeamFactory.create(),
        flags=[TicketFlag.PAYMENT_UNVERIFIED],
    )


@pytest.mark.parametrize("n_tickets", [1, 10])
def test_ticket_changelist_query_count_is_bounded(admin_client, django_assert_max_num_queries, n_tickets):
    _tickets(n_tickets)
    url = _url(Ticket, "changelist")
    admin_client.get(url)

    with django_assert_max_num_queries(10):
        response = admin_client.get(url)

    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == n_tickets


def test_ticket_status_is_read_only(admin_client, admin_user):
    ticket = TicketFactory.create()

    response = admin_client.get(_url(Ticket, "change", ticket.pk))

    assert response.status_code == 200
    assert "status" not in response.context["adminform"].form.fields
    assert "status" in admin.site._registry[Ticket].get_readonly_fields(_request_as(admin_user), ticket)


def test_ticket_change_form_saves_fields_but_never_the_status(admin_client):
    ticket = TicketFactory.create(status=Ticket.Status.IN_PROGRESS)
    form = {
        "subject": "Dishwasher leaks (edited)",
        "description": ticket.description,
        "language": "en",
        "appliance_model_text": "",
        "priority": "HIGH",
        "tier": 1,
        "status": Ticket.Status.CLOSED,  # ignored: read-only
        "preferred_windows-TOTAL_FORMS": 0,
        "preferred_windows-INITIAL_FORMS": 0,
        "messages-TOTAL_FORMS": 0,
        "messages-INITIAL_FORMS": 0,
    }

    response = admin_client.post(_url(Ticket, "change", ticket.pk), form)

    assert response.status_code == 302, response.context["adminform"].form.errors
    ticket.refresh_from_db()
    assert (ticket.subject, ticket.priority, ticket.status) == (
        "Dishwasher leaks (edited)",
        "HIGH",
        Ticket.Status.IN_PROGRESS,
    )


def test_resolve_action_on_a_closed_ticket_reports_an_error_and_writes_nothing(admin_client):
    ticket = TicketFactory.create(status=Ticket.Status.CLOSED)

    response = admin_client.post(
        _url(Ticket, "changelist"), {"action": "mark_resolved", "_selected_action": [ticket.pk]}
    )

    assert response.status_code == 302
    [(level, text)] = _messages(response)
    assert level == messages.ERROR
    assert text.startswith(f"#{ticket.number}: ")
    assert TicketEvent.objects.exists() is False
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CLOSED


def test_resolve_action_reports_each_ticket(admin_client, admin_user):
    open_ticket = TicketFactory.create(status=Ticket.Status.IN_PROGRESS)
    closed_ticket = TicketFactory.create(status=Ticket.Status.CLOSED)

    response = admin_client.post(
        _url(Ticket, "changelist"),
        {"action": "mark_resolved", "_selected_action": [open_ticket.pk, closed_ticket.pk]},
    )

    levels = sorted(level for level, _ in _messages(response))
    assert levels == [messages.SUCCESS, messages.ERROR]
    open_ticket.refresh_from_db()
    assert open_ticket.status == Ticket.Status.RESOLVED
    event = TicketEvent.objects.get()
    assert (event.ticket, event.kind, event.actor) == (open_ticket, TicketEvent.Kind.STATUS_CHANGED, admin_user)
    assert (event.from_status, event.to_status) == (Ticket.Status.IN_PROGRESS, Ticket.Status.RESOLVED)


def test_assign_to_me_uses_the_assignment_service(admin_client, admin_user):
    agent = AgentProfileFactory.create(user=admin_user)
    ticket = TicketFactory.create()

    admin_client.post(_url(Ticket, "changelist"), {"action": "assign_to_me", "_selected_action": [ticket.pk]})

    ticket.refresh_from_db()
    agent.refresh_from_db()
    assert ticket.assigned_agent == agent
    assert agent.current_ticket_count == 1
    assert TicketEvent.objects.get().kind == TicketEvent.Kind.ASSIGNED


def test_assign_to_me_without_agent_profile_is_refused(admin_client):
    ticket = TicketFactory.create()

    response = admin_client.post(
        _url(Ticket, "changelist"), {"action": "assign_to_me", "_selected_action": [ticket.pk]}
    )

    assert [level for level, _ in _messages(response)] == [messages.ERROR]
    assert TicketEvent.objects.exists() is False


# --- audit trail, users, access -----------------------------------------------------------------


def test_ticket_events_are_view_only(admin_client, admin_user):
    event = factories.TicketEventFactory.create()
    model_admin = admin.site._registry[TicketEvent]
    request = _request_as(admin_user)

    assert model_admin.has_view_permission(request, event) is True
    assert model_admin.has_add_permission(request) is False
    assert model_admin.has_change_permission(request, event) is False
    assert model_admin.has_delete_permission(request, event) is False
    assert admin_client.get(_url(TicketEvent, "add")).status_code == 403
    assert admin_client.post(_url(TicketEvent, "delete", event.pk), {"post": "yes"}).status_code == 403
    assert TicketEvent.objects.filter(pk=event.pk).exists()


def test_non_staff_customer_is_redirected_to_the_admin_login(client, customer):
    client.force_login(customer)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_user_add_form_takes_email_and_password(admin_client):
    response = admin_client.post(
        _url(User, "add"),
        {
            "email": "New.Agent@Example.com",
            "full_name": "New Agent",
            "role": Role.AGENT,
            "usable_password": "true",
            "password1": "a-long-pass-phrase-42",
            "password2": "a-long-pass-phrase-42",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(email="new.agent@example.com")
    assert user.role == Role.AGENT
    assert user.check_password("a-long-pass-phrase-42")


def test_user_add_form_rejects_an_email_that_differs_only_in_case(admin_client, customer):
    response = admin_client.post(
        _url(User, "add"),
        {
            "email": customer.email.upper(),
            "role": Role.CUSTOMER,
            "usable_password": "true",
            "password1": "a-long-pass-phrase-42",
            "password2": "a-long-pass-phrase-42",
        },
    )

    assert response.status_code == 200
    assert "email" in response.context["adminform"].form.errors
    assert User.objects.filter(email__iexact=customer.email).count() == 1
