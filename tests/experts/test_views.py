"""The expert pages: the live job board, proposing and withdrawing, schedule, visit page."""

import pytest
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.urls import reverse

from experts.models import Proposal
from tests.factories import BookingFactory, ProposalFactory
from tests.visits.helpers import at, expert, group, skill, ticket
from visits.models import Booking, Visit, VisitGroup

pytestmark = pytest.mark.django_db


def test_an_expert_lands_on_the_board(client):
    client.force_login(expert(skill()).user)

    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == reverse("experts:board")


def test_the_board_shows_what_an_expert_needs_and_never_the_customers_identity(client):
    trade = skill("Plumbing")
    on = ticket(postal_code="10115", city="Berlin", subject="Kitchen sink drains slowly")
    profile = on.customer.customer_profile
    profile.phone, profile.address_line = "+49 30 1234567", "Gartenstraße 12"
    profile.save()
    group(trade, on=on, needed=2)
    client.force_login(expert(trade).user)

    response = client.get(reverse("experts:board"))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Kitchen sink drains slowly" in body
    assert "101xx Berlin" in body
    assert "0 proposed · 2 needed" in body
    assert 'value="' + at(9).isoformat() + '"' in body  # a grid slot to tick
    for secret in (on.customer.full_name, on.customer.email, "+49 30 1234567", "Gartenstraße 12", "10115"):
        assert secret not in body
    assert 'hx-trigger="every 10s' in body


def test_htmx_polling_gets_only_the_board(client):
    trade = skill()
    group(trade)
    client.force_login(expert(trade).user)

    response = client.get(reverse("experts:board"), headers={"HX-Request": "true"})

    assert response.content.decode().lstrip().startswith('<div id="board"')
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize("n_visits", [1, 6], ids=["one_visit", "six_visits"])
def test_board_page_query_count_does_not_grow(client, django_assert_max_num_queries, n_visits):
    trade = skill()
    me = expert(trade)
    for _ in range(n_visits):
        ProposalFactory.create(visit=group(trade).visits.get(), expert=me, start_at=at(10))
    client.force_login(me.user)
    url = reverse("experts:board")
    client.get(url)

    with django_assert_max_num_queries(7):  # session, user, profile, visits, windows, my proposals, seats
        response = client.get(url, headers={"HX-Request": "true"})

    assert response.content.decode().count('class="card job-card') == n_visits


def test_proposing_from_the_board_books_a_full_visit(client, django_capture_on_commit_callbacks):
    trade = skill()
    g = group(trade)
    me = expert(trade)
    client.force_login(me.user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("experts:propose", args=[g.visits.get().pk]),
            {"start_times": [at(10).isoformat()]},
            headers={"HX-Request": "true"},
        )

    assert response.status_code == 200
    assert Booking.objects.get().expert == me
    g.refresh_from_db()
    assert g.status == VisitGroup.Status.SCHEDULED
    assert "Proposed 1 start time" in response.content.decode()


def test_an_other_time_outside_the_windows_is_an_alternative(client):
    trade = skill()
    visit = group(trade).visits.get()
    client.force_login(expert(trade).user)

    response = client.post(
        reverse("experts:propose", args=[visit.pk]), {"other_start": at(15).strftime("%Y-%m-%dT%H:%M")}
    )

    assert response.status_code == 302
    assert Proposal.objects.get().is_alternative is True


def test_a_bad_time_shows_the_error_on_the_card_and_writes_nothing(client):
    trade = skill()
    visit = group(trade).visits.get()
    client.force_login(expert(trade).user)

    response = client.post(
        reverse("experts:propose", args=[visit.pk]),
        {"start_times": [at(10, 15).isoformat()]},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 422
    assert "not on the 30-minute grid" in response.content.decode()
    assert Proposal.objects.exists() is False


def test_nothing_ticked_is_an_error(client):
    trade = skill()
    visit = group(trade).visits.get()
    client.force_login(expert(trade).user)

    response = client.post(reverse("experts:propose", args=[visit.pk]), {}, headers={"HX-Request": "true"})

    assert response.status_code == 422
    assert Proposal.objects.exists() is False


def test_an_expert_cannot_propose_for_a_visit_outside_their_skills(client):
    visit = group(skill("Plumbing")).visits.get()
    client.force_login(expert(skill("Electrical")).user)

    response = client.post(reverse("experts:propose", args=[visit.pk]), {"start_times": [at(10).isoformat()]})

    assert response.status_code == 404
    assert Proposal.objects.exists() is False


def test_withdraw_from_the_board(client):
    trade = skill()
    me = expert(trade)
    proposal = ProposalFactory.create(visit=group(trade).visits.get(), expert=me, start_at=at(10))
    client.force_login(me.user)

    response = client.post(reverse("experts:withdraw", args=[proposal.pk]), headers={"HX-Request": "true"})

    assert response.status_code == 200
    proposal.refresh_from_db()
    assert proposal.status == "WITHDRAWN"


def test_nobody_withdraws_another_experts_proposal(client):
    trade = skill()
    proposal = ProposalFactory.create(visit=group(trade).visits.get(), expert=expert(trade), start_at=at(10))
    client.force_login(expert(trade).user)

    response = client.post(reverse("experts:withdraw", args=[proposal.pk]))

    assert response.status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == "ACTIVE"


def _booked(trade, me, *, start=None):
    g = group(trade)
    visit = g.visits.get()
    start = start or at(10)
    end = start.replace(hour=start.hour + 1)
    Visit.objects.filter(pk=visit.pk).update(status=Visit.Status.SCHEDULED, scheduled_start=start, scheduled_end=end)
    VisitGroup.objects.filter(pk=g.pk).update(status=VisitGroup.Status.SCHEDULED)
    BookingFactory.create(visit=visit, expert=me, during=DateTimeTZRange(start, end, "[)"))
    return visit


def test_schedule_shows_the_address_once_booked(client):
    trade = skill()
    me = expert(trade)
    visit = _booked(trade, me)
    profile = visit.group.ticket.customer.customer_profile
    client.force_login(me.user)

    response = client.get(reverse("experts:schedule"))

    body = response.content.decode()
    assert profile.address_line in body
    assert visit.group.ticket.customer.display_name in body
    assert [b.visit for b, _ in response.context["upcoming"]] == [visit]


@pytest.mark.parametrize("n_visits", [1, 5], ids=["one", "five"])
def test_schedule_query_count_does_not_grow(client, django_assert_max_num_queries, n_visits):
    trade = skill()
    me = expert(trade)
    for i in range(n_visits):
        _booked(trade, me, start=at(8 + 2 * i))
    client.force_login(me.user)
    url = reverse("experts:schedule")
    client.get(url)

    with django_assert_max_num_queries(4):  # session, user, profile, bookings (+ joins)
        response = client.get(url)

    assert len(response.context["upcoming"]) == n_visits


def test_visit_page_is_only_for_booked_experts(client):
    trade = skill()
    me = expert(trade)
    visit = _booked(trade, me)
    client.force_login(expert(trade).user)

    assert client.get(reverse("experts:visit", args=[visit.pk])).status_code == 404
    client.force_login(me.user)
    response = client.get(reverse("experts:visit", args=[visit.pk]))
    assert response.status_code == 200
    assert visit.group.ticket.customer.customer_profile.address_line in response.content.decode()


def test_customers_and_agents_cannot_use_the_board(client, customer, agent):
    for user in (customer, agent):
        client.force_login(user)
        assert client.get(reverse("experts:board")).status_code == 403
