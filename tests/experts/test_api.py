"""The expert API: /api/v1/jobs/, proposals, withdrawals, schedule, day-of reports."""

import pytest
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from experts.models import Proposal
from tests.factories import BookingFactory, ProposalFactory
from tests.visits.helpers import at, expert, group, skill, ticket
from visits.models import Booking, Incident, Visit, VisitGroup

pytestmark = pytest.mark.django_db

JOB_FIELDS = {
    "visit_id",
    "skill",
    "min_skill_level",
    "priority",
    "area",
    "appliance",
    "summary",
    "duration_minutes",
    "experts_needed",
    "proposed_count",
    "windows",
    "depends_on",
    "match_deadline",
    "my_proposals",
}


def _client(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def test_jobs_list_the_board_without_customer_details():
    trade = skill("Plumbing")
    on = ticket(postal_code="10115", city="Berlin")
    g = group(trade, on=on)
    me = expert(trade)
    ProposalFactory.create(visit=g.visits.get(), expert=me, start_at=at(10))

    response = _client(me.user).get(reverse("api:job-list"))

    assert response.status_code == 200
    [job] = response.json()
    assert set(job) == JOB_FIELDS
    assert (job["visit_id"], job["skill"], job["area"], job["proposed_count"]) == (
        g.visits.get().pk,
        "Plumbing",
        "101xx Berlin",
        1,
    )
    assert job["windows"] == [{"start": at(9).isoformat(), "end": at(12).isoformat()}]
    assert [p["start_at"] for p in job["my_proposals"]] == [at(10).isoformat()]
    text = response.content.decode()
    for secret in (on.customer.email, on.customer.full_name, on.customer.customer_profile.address_line, "10115"):
        assert secret not in text


@pytest.mark.parametrize("n_visits", [1, 6], ids=["one", "six"])
def test_jobs_query_count_does_not_grow(django_assert_max_num_queries, n_visits):
    trade = skill()
    me = expert(trade)
    for _ in range(n_visits):
        group(trade)
    client = _client(me.user)
    client.get(reverse("api:job-list"))

    with django_assert_max_num_queries(4):  # profile, visits, windows, my proposals
        response = client.get(reverse("api:job-list"))

    assert len(response.json()) == n_visits


def test_customers_and_agents_get_no_board(customer, agent):
    for user in (customer, agent):
        assert _client(user).get(reverse("api:job-list")).status_code == 403


def test_propose_start_times(django_capture_on_commit_callbacks):
    trade = skill()
    g = group(trade, needed=2)
    visit = g.visits.get()
    me = expert(trade)

    with django_capture_on_commit_callbacks(execute=True):
        response = _client(me.user).post(
            reverse("api:visit-proposals", args=[visit.pk]),
            {"start_times": [at(10).isoformat(), at(15).isoformat()]},
            format="json",
        )

    assert response.status_code == 201
    assert [(p["start_at"], p["is_alternative"], p["status"]) for p in response.json()] == [
        (at(10).isoformat(), False, "ACTIVE"),
        (at(15).isoformat(), True, "ACTIVE"),
    ]
    assert Proposal.objects.filter(expert=me).count() == 2


@pytest.mark.parametrize(
    ("case", "payload", "field"),
    [
        ("off_grid", {"start_times": ["__10:10__"]}, "start_times"),
        ("not_a_list", {"start_times": "tomorrow"}, "start_times"),
        ("empty", {"start_times": []}, "start_times"),
        ("garbage", {"start_times": ["not a date"]}, "start_times"),
        ("missing", {}, "start_times"),
    ],
)
def test_bad_proposals_get_a_field_error(case, payload, field):
    trade = skill()
    visit = group(trade).visits.get()
    if payload.get("start_times") == ["__10:10__"]:
        payload = {"start_times": [at(10, 10).isoformat()]}

    response = _client(expert(trade).user).post(reverse("api:visit-proposals", args=[visit.pk]), payload, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert Proposal.objects.exists() is False


def test_proposing_for_a_scheduled_visit_i_proposed_for_is_a_conflict():
    trade = skill()
    g = group(trade)
    me = expert(trade)
    ProposalFactory.create(visit=g.visits.get(), expert=me, start_at=at(10), status="REJECTED")
    VisitGroup.objects.filter(pk=g.pk).update(status=VisitGroup.Status.SCHEDULED)

    response = _client(me.user).post(
        reverse("api:visit-proposals", args=[g.visits.get().pk]), {"start_times": [at(11).isoformat()]}, format="json"
    )

    assert response.status_code == 409


def test_a_visit_outside_my_skills_or_unknown_is_not_found():
    visit = group(skill("Plumbing")).visits.get()
    client = _client(expert(skill("Electrical")).user)

    for pk in (visit.pk, -1):
        response = client.post(
            reverse("api:visit-proposals", args=[pk]), {"start_times": [at(10).isoformat()]}, format="json"
        )
        assert response.status_code == 404
    assert Proposal.objects.exists() is False


def test_withdraw_with_delete():
    trade = skill()
    me = expert(trade)
    proposal = ProposalFactory.create(visit=group(trade).visits.get(), expert=me, start_at=at(10))

    response = _client(me.user).delete(reverse("api:proposal-detail", args=[proposal.pk]))

    assert response.status_code == 204
    proposal.refresh_from_db()
    assert proposal.status == "WITHDRAWN"


def test_withdrawing_an_accepted_proposal_is_a_conflict_and_someone_elses_is_not_found():
    trade = skill()
    me = expert(trade)
    accepted = ProposalFactory.create(visit=group(trade).visits.get(), expert=me, start_at=at(10), status="ACCEPTED")
    theirs = ProposalFactory.create(visit=group(trade).visits.get(), expert=expert(trade), start_at=at(10))
    client = _client(me.user)

    assert client.delete(reverse("api:proposal-detail", args=[accepted.pk])).status_code == 409
    assert client.delete(reverse("api:proposal-detail", args=[theirs.pk])).status_code == 404
    assert sorted(Proposal.objects.values_list("status", flat=True)) == ["ACCEPTED", "ACTIVE"]


def _booked_visit(trade, me, *, start=None, end=None):
    g = group(trade)
    visit = g.visits.get()
    start, end = start or at(10), end or at(11)
    Visit.objects.filter(pk=visit.pk).update(status=Visit.Status.SCHEDULED, scheduled_start=start, scheduled_end=end)
    VisitGroup.objects.filter(pk=g.pk).update(status=VisitGroup.Status.SCHEDULED)
    BookingFactory.create(visit=visit, expert=me, during=DateTimeTZRange(start, end, "[)"))
    return visit


def test_schedule_lists_my_bookings_with_the_address():
    trade = skill()
    me = expert(trade)
    visit = _booked_visit(trade, me)

    response = _client(me.user).get(reverse("api:schedule-list"))

    [row] = response.json()["results"]
    assert (row["visit_id"], row["start"]) == (visit.pk, at(10).isoformat())
    assert row["address"].startswith(visit.group.ticket.customer.customer_profile.address_line)


def test_report_cant_arrive_through_the_api():
    trade = skill()
    me = expert(trade)
    visit = _booked_visit(trade, me, start=at(10, offset=5), end=at(11, offset=5))

    response = _client(me.user).post(
        reverse("api:visit-incidents", args=[visit.pk]), {"kind": "CANT_ARRIVE"}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["kind"] == "CANT_ARRIVE"
    assert Incident.objects.get().expert == me
    assert Booking.objects.get().status == Booking.Status.CANCELLED


def test_reporting_on_a_visit_i_am_not_on_is_not_found():
    trade = skill()
    visit = _booked_visit(trade, expert(trade))

    response = _client(expert(trade).user).post(
        reverse("api:visit-incidents", args=[visit.pk]), {"kind": "NOBODY_HOME"}, format="json"
    )

    assert response.status_code == 404
    assert Incident.objects.exists() is False
