"""The triage queue, setting a ticket's category from the agent workspace, and the "why" card on
the agent's ticket page."""

import pytest
from django.urls import reverse

from tests.factories import AgentProfileFactory, CategoryFactory, TicketFactory
from tickets.models import Ticket, TicketEvent, TicketFlag
from tickets.services import ticket_create

pytestmark = pytest.mark.django_db

QUEUE = reverse("agent:triage")


def _unclassified(**kwargs) -> Ticket:
    reason = {
        "classifier": {"outcome": "below_threshold", "label": "plumbing", "top": [["plumbing", 0.41], ["heating", 0.3]]}
    }
    return TicketFactory.create(category=None, flags=[TicketFlag.UNCLASSIFIED], routing_reason=reason, **kwargs)


def test_the_triage_queue_lists_open_unclassified_tickets_oldest_first(client, agent, categories):
    first, second = _unclassified(subject="Leak somewhere"), _unclassified(subject="Something odd")
    TicketFactory.create(category=categories["billing"])  # classified: not here
    closed = _unclassified()
    Ticket.objects.filter(pk=closed.pk).update(status=Ticket.Status.CLOSED)  # done: not here
    client.force_login(agent)

    response = client.get(QUEUE)

    assert response.status_code == 200
    assert [row["ticket"] for row in response.context["rows"]] == [first, second]
    row = response.context["rows"][0]
    assert [(c.slug, score) for c, score in row["suggestions"]] == [("plumbing", 0.41), ("heating", 0.3)]
    assert row["preselected"] == categories["plumbing"].pk
    assert "Leak somewhere" in response.content.decode()


@pytest.mark.parametrize("n_tickets", [1, 10])
def test_the_triage_queue_query_count_does_not_grow_with_rows(
    client, agent, categories, n_tickets, django_assert_num_queries
):
    for _ in range(n_tickets):
        _unclassified()
    client.force_login(agent)
    client.get(QUEUE)  # warm the session and caches

    with django_assert_num_queries(5):  # session, user, page count, tickets, categories
        response = client.get(QUEUE)

    assert len(response.context["rows"]) == n_tickets


def test_customers_and_anonymous_visitors_cannot_see_the_triage_queue(client, customer):
    assert client.get(QUEUE).status_code == 302
    client.force_login(customer)
    assert client.get(QUEUE).status_code == 403


def test_an_agent_sets_the_category_from_the_queue(client, agent, categories, plumbing_agents):
    ticket = _unclassified()
    client.force_login(agent)

    response = client.post(
        reverse("agent:ticket-category", args=[ticket.pk]), {"category": categories["plumbing"].pk, "next": QUEUE}
    )

    assert response.status_code == 302 and response["Location"] == QUEUE
    ticket.refresh_from_db()
    assert (ticket.category, ticket.category_source, ticket.flags) == (categories["plumbing"], "AGENT", [])
    assert ticket.assigned_agent in plumbing_agents
    assert TicketEvent.objects.filter(ticket=ticket, kind=TicketEvent.Kind.CLASSIFIED, actor=agent).count() == 1


@pytest.mark.parametrize("value", ["", "-1", "abc"])
def test_an_invalid_category_is_refused_without_side_effects(client, agent, categories, value):
    ticket = _unclassified()
    client.force_login(agent)

    response = client.post(reverse("agent:ticket-category", args=[ticket.pk]), {"category": value})

    assert response.status_code == 422
    assert "Please choose a category." in response.content.decode()
    ticket.refresh_from_db()
    assert (ticket.category, ticket.flags) == (None, [TicketFlag.UNCLASSIFIED])
    assert TicketEvent.objects.filter(kind=TicketEvent.Kind.CLASSIFIED).exists() is False


def test_an_outside_next_url_is_not_followed(client, agent, categories):
    ticket = _unclassified()
    client.force_login(agent)

    response = client.post(
        reverse("agent:ticket-category", args=[ticket.pk]),
        {"category": categories["billing"].pk, "next": "https://evil.example/"},
    )

    assert response["Location"] == reverse("agent:ticket-detail", args=[ticket.pk])


def test_the_category_page_preselects_the_classifiers_guess(client, agent, categories):
    ticket = _unclassified()
    client.force_login(agent)

    response = client.get(reverse("agent:ticket-category", args=[ticket.pk]))

    assert response.status_code == 200
    assert response.context["selected"] == categories["plumbing"].pk
    assert "Classify this ticket" in response.content.decode()


def test_a_closed_ticket_cannot_be_reclassified_from_the_page(client, agent, categories):
    ticket = _unclassified()
    Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.Status.CLOSED)
    client.force_login(agent)

    response = client.post(reverse("agent:ticket-category", args=[ticket.pk]), {"category": categories["billing"].pk})

    assert response.status_code == 302
    assert Ticket.objects.get(pk=ticket.pk).category is None


def test_the_agent_ticket_page_explains_category_priority_team_and_agent(
    client, agent, customer, models, categories, plumbing_agents
):
    ticket = ticket_create(customer=customer, subject="Dringend: Rohrbruch im Keller", description="Wasser überall.")
    client.force_login(agent)

    response = client.get(reverse("agent:ticket-detail", args=[ticket.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Why this routing" in page
    assert "Classifier v1: Plumbing with confidence" in page
    assert "Urgent: keyword &#x27;rohrbruch&#x27; in subject" in page
    assert "The default team of the category." in page
    assert "highest score" in page
    chosen = Ticket.objects.get(pk=ticket.pk).assigned_agent
    assert f"<strong>{chosen.user.display_name}</strong>" in page
    assert "Correct the category" in page


def test_an_unclassified_ticket_page_offers_to_classify_it(client, agent):
    ticket = _unclassified()
    client.force_login(agent)

    page = client.get(reverse("agent:ticket-detail", args=[ticket.pk])).content.decode()

    assert "Classify this ticket" in page
    assert reverse("agent:ticket-category", args=[ticket.pk]) in page


def test_other_staff_without_an_agent_profile_can_classify(client, lead, categories):
    ticket = _unclassified()
    CategoryFactory.create(slug="spare", name="Spare")
    client.force_login(lead)

    response = client.post(reverse("agent:ticket-category", args=[ticket.pk]), {"category": categories["general"].pk})

    assert response.status_code == 302
    assert Ticket.objects.get(pk=ticket.pk).category == categories["general"]


def test_agents_page_shows_the_model_guess_below_the_threshold(client, categories):
    ticket = _unclassified()
    ticket.routing_reason["classifier"].update(confidence=0.41, threshold=0.5)
    ticket.save(update_fields=["routing_reason"])
    client.force_login(AgentProfileFactory.create().user)

    page = client.get(reverse("agent:ticket-detail", args=[ticket.pk])).content.decode()

    assert "The classifier was not sure (best plumbing 0.41, below 0.50)" in page
