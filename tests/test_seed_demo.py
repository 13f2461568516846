"""`seed_demo` loads a usable demo and is safe to run on every start."""

import pytest
from django.contrib.auth import authenticate
from django.contrib.postgres.search import SearchQuery
from django.core.management import call_command

from accounts.models import Role, User
from kb.models import Article, ArticleVersion
from tickets.management.demo.histories import TICKETS
from tickets.models import AgentProfile, Message, Ticket, TicketEvent

pytestmark = pytest.mark.django_db

DEMO_ACCOUNTS = [
    "admin@example.com",
    "lead@example.com",
    "agent@example.com",
    "expert@example.com",
    "customer@example.com",
    "customer2@example.com",
]
COUNTED_MODELS = [User, Ticket, Message, Article, ArticleVersion, TicketEvent]


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED_MODELS}


@pytest.fixture
def seeded() -> None:
    call_command("seed_demo")


def test_second_run_adds_nothing(seeded):
    first = _counts()

    call_command("seed_demo")

    assert _counts() == first
    assert first["Ticket"] >= 15
    assert first["Article"] >= 8


@pytest.mark.parametrize("email", DEMO_ACCOUNTS)
def test_demo_accounts_sign_in_with_password_demo(seeded, email):
    user = authenticate(username=email, password="demo")

    assert user is not None
    assert user.email == email


def test_demo_roles_and_profiles(seeded):
    users = {u.email: u for u in User.objects.filter(email__in=DEMO_ACCOUNTS)}

    assert users["admin@example.com"].is_superuser and users["admin@example.com"].role == Role.ADMIN
    assert users["lead@example.com"].is_staff and users["lead@example.com"].agent_profile.tier == 3
    assert users["lead@example.com"].led_teams.exists()
    assert users["agent@example.com"].agent_profile.tier == 1
    assert users["expert@example.com"].expert_profile.expert_skills.exists()
    assert users["customer@example.com"].customer_profile.is_vip is True
    assert users["customer2@example.com"].customer_profile.is_vip is False
    assert set(AgentProfile.objects.values_list("tier", flat=True)) == {1, 2, 3}


def test_every_ticket_status_is_present(seeded):
    assert set(Ticket.objects.values_list("status", flat=True)) == set(Ticket.Status.values)


def test_each_ticket_history_ends_in_its_expected_status(seeded):
    for spec in TICKETS:
        ticket = Ticket.objects.get(customer__email=spec.customer, subject=spec.subject)
        assert ticket.status == spec.expected_status, spec.subject


def test_tickets_are_played_through_the_services(seeded):
    demo_customers = Ticket.objects.filter(customer__email__in=["customer@example.com", "customer2@example.com"])

    assert demo_customers.count() >= 6
    assert TicketEvent.objects.filter(kind=TicketEvent.Kind.CREATED).count() == Ticket.objects.count()
    assert Message.objects.filter(is_internal=True).exists()
    assert Ticket.objects.filter(assigned_agent__user__email="agent@example.com").exists()
    assert Ticket.objects.filter(assigned_agent__isnull=True).exists()
    # The load counter matches the open tickets each agent holds.
    for agent in AgentProfile.objects.all():
        open_count = agent.assigned_tickets.filter(status__in=["OPEN", "IN_PROGRESS", "WAITING_ON_CUSTOMER"]).count()
        assert agent.current_ticket_count == open_count, agent


def test_articles_are_published_versioned_and_searchable(seeded):
    assert not Article.objects.exclude(status=Article.Status.PUBLISHED).exists()
    assert ArticleVersion.objects.count() == Article.objects.count()
    hits = Article.objects.filter(search_vector=SearchQuery("boiler pressure", config="english"))
    assert "boiler-pressure-too-low" in set(hits.values_list("slug", flat=True))


def test_lead_can_work_in_the_admin(seeded, client):
    client.force_login(User.objects.get(email="lead@example.com"))

    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/tickets/ticket/").status_code == 200
    assert client.get("/admin/tickets/slapolicy/add/").status_code == 200
    assert client.get("/admin/tickets/ticketevent/").status_code == 200
    assert client.get("/admin/accounts/user/add/").status_code == 403
