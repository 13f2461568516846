"""The visit-group API: agents plan visits and send offers; customers follow and accept."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from tests.factories import ProposalFactory
from tests.visits.helpers import at, expert, group, schedule_directly, skill, ticket
from visits.models import RescheduleOffer, VisitGroup
from visits.services.reschedule import visit_groups_expire

pytestmark = pytest.mark.django_db
LIST = reverse("api:visit-group-list")


def _client(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def _payload(on, **visit):
    return {
        "ticket": on.pk,
        "visits": [
            {"skill": "plumbing", "windows": [{"start": at(9).isoformat(), "end": at(12).isoformat()}], **visit}
        ],
    }


def test_an_agent_creates_a_group_of_dependent_visits(agent):
    skill("Plumbing"), skill("Electrical")
    on = ticket()
    window = [{"start": at(9).isoformat(), "end": at(16).isoformat()}]
    payload = {
        "ticket": on.pk,
        "visits": [
            {"skill": "plumbing", "duration_minutes": 120, "windows": window},
            {"skill": "electrical", "windows": window, "depends_on": 0, "max_gap_minutes": 30, "experts_needed": 2},
        ],
    }

    response = _client(agent).post(LIST, payload, format="json")

    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "MATCHING"
    first, second = data["visits"]
    assert (first["skill"], first["duration_minutes"], first["depends_on"]) == ("plumbing", 120, None)
    assert (second["skill"], second["depends_on"], second["max_gap_minutes"], second["experts_needed"]) == (
        "electrical",
        first["id"],
        30,
        2,
    )


@pytest.mark.parametrize(
    ("case", "visit", "field"),
    [
        ("unknown_skill", {"skill": "juggling"}, "visits"),
        ("depends_on_itself", {"depends_on": 0}, "visits.0.depends_on"),
        ("no_experts", {"experts_needed": 0}, "visits.0.experts_needed"),
        ("text_duration", {"duration_minutes": "long"}, "visits"),
        ("backwards_window", {"windows": [{"start": at(12).isoformat(), "end": at(9).isoformat()}]}, "visits"),
    ],
)
def test_bad_plans_get_field_errors(agent, case, visit, field):
    skill("Plumbing")

    response = _client(agent).post(LIST, _payload(ticket(), **visit), format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert VisitGroup.objects.exists() is False


def test_customers_and_experts_cannot_plan_visits(customer):
    skill("Plumbing")
    on = ticket()

    for user in (customer, expert(skill("Other")).user):
        assert _client(user).post(LIST, _payload(on), format="json").status_code == 403
    assert VisitGroup.objects.exists() is False


def test_customers_list_only_their_own_groups_with_booked_experts(other_customer):
    trade = skill("Plumbing")
    mine = group(trade)
    group(trade)
    who = expert(trade)
    schedule_directly(mine.visits.get(), at(10), at(11), [who])

    response = _client(mine.ticket.customer).get(LIST)

    [row] = response.json()["results"]
    assert row["id"] == mine.pk
    assert row["visits"][0]["experts"] == [who.user.display_name]
    assert _client(other_customer).get(reverse("api:visit-group-detail", args=[mine.pk])).status_code == 404


@pytest.mark.parametrize("n_groups", [1, 5], ids=["one", "five"])
def test_group_list_query_count_does_not_grow(agent, django_assert_max_num_queries, n_groups):
    trade = skill()
    for _ in range(n_groups):
        group(trade)
    client = _client(agent)
    client.get(LIST)

    with django_assert_max_num_queries(7):  # count, groups, visits, windows, bookings, offers (+ user)
        response = client.get(LIST)

    assert len(response.json()["results"]) == n_groups


def test_alternatives_offer_and_accept_through_the_api(agent):
    trade = skill()
    g = group(trade)
    VisitGroup.objects.filter(pk=g.pk).update(match_deadline=timezone.now() - timedelta(minutes=1))
    who = expert(trade)
    ProposalFactory.create(visit=g.visits.get(), expert=who, start_at=at(15), is_alternative=True)
    visit_groups_expire()
    staff = _client(agent)

    alternatives = staff.get(reverse("api:visit-group-alternatives", args=[g.pk])).json()
    offer = staff.post(reverse("api:visit-group-offer", args=[g.pk])).json()
    accepted = _client(g.ticket.customer).post(
        reverse("api:reschedule-offer-accept", args=[offer["id"]]), {"option": 0}, format="json"
    )

    assert [a["visits"][0]["expert_ids"] for a in alternatives] == [[who.pk]]
    assert accepted.status_code == 200
    assert accepted.json()["booked"] is True
    g.refresh_from_db()
    assert g.status == VisitGroup.Status.SCHEDULED


def test_accepting_a_closed_offer_is_a_conflict():
    g = group(skill())
    offer = RescheduleOffer.objects.create(group=g, options=[{"visits": []}], status=RescheduleOffer.Status.EXPIRED)

    response = _client(g.ticket.customer).post(
        reverse("api:reschedule-offer-accept", args=[offer.pk]), {"option": 0}, format="json"
    )

    assert response.status_code == 409


def test_sending_an_offer_without_alternatives_is_a_conflict(agent):
    g = group(skill())

    response = _client(agent).post(reverse("api:visit-group-offer", args=[g.pk]))

    assert response.status_code == 409
    assert RescheduleOffer.objects.exists() is False
