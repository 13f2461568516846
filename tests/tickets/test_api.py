"""The ticket API under /api/v1/tickets/: create, scoping, conversation, filters, transitions."""

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from tests.factories import (
    AgentProfileFactory,
    AttachmentFactory,
    CategoryFactory,
    CustomerFactory,
    MessageFactory,
    TagFactory,
    TeamFactory,
    TicketFactory,
)
from tickets.models import Message, PreferredWindow, SLAPolicy, Ticket, TicketEvent

pytestmark = pytest.mark.django_db

S = Ticket.Status
LIST_URL = reverse("api:ticket-list")
TICKET_FIELDS = {
    "id",
    "number",
    "subject",
    "description",
    "status",
    "priority",
    "category",
    "team",
    "tier",
    "assigned_agent",
    "customer",
    "appliance_model_text",
    "language",
    "flags",
    "created_at",
    "updated_at",
    "first_response_at",
    "resolved_at",
    "closed_at",
    "first_response_due",
    "resolution_due",
    "first_response_sla",
    "resolution_sla",
}


def _client(user: User | None = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user=user)
    return client


def _detail_url(ticket_id: int) -> str:
    return reverse("api:ticket-detail", args=[ticket_id])


def _messages_url(ticket_id: int) -> str:
    return reverse("api:ticket-messages", args=[ticket_id])


def _transition_url(ticket_id: int) -> str:
    return reverse("api:ticket-transition", args=[ticket_id])


def _window(days: int, hours: int = 2) -> dict[str, str]:
    start = (timezone.now() + timedelta(days=days)).replace(microsecond=0)
    return {"start": start.isoformat(), "end": (start + timedelta(hours=hours)).isoformat()}


def _nothing_written() -> bool:
    return not (Ticket.objects.exists() or PreferredWindow.objects.exists() or TicketEvent.objects.exists())


# --- create -----------------------------------------------------------------------------------


def test_customer_files_a_ticket_through_the_intake_service(customer: User) -> None:
    policy = SLAPolicy.objects.get(priority="MEDIUM", team=None, vip_only=False)  # seeded by a migration
    window = _window(days=2)
    payload = {
        "subject": "  Dishwasher leaks  ",
        "description": "Water on the kitchen floor after every run.",
        "appliance_model_text": "Bosch SMS4",
        "preferred_windows": [window],
    }

    response = _client(customer).post(LIST_URL, payload, format="json")

    assert response.status_code == 201
    body = response.json()
    ticket = Ticket.objects.get()
    assert set(body) == TICKET_FIELDS
    assert body["id"] == ticket.pk
    assert body["number"] == ticket.number
    assert (body["subject"], body["description"]) == ("Dishwasher leaks", payload["description"])
    assert (body["status"], body["priority"], body["category"], body["team"]) == ("OPEN", "MEDIUM", None, None)
    assert body["assigned_agent"] is None
    assert body["customer"] == {"id": customer.pk, "name": customer.display_name, "email": customer.email}
    assert body["flags"] == ["FREE_TEXT_APPLIANCE"]
    assert body["language"] == "en"
    assert datetime.fromisoformat(body["first_response_due"]) == ticket.first_response_due
    assert datetime.fromisoformat(body["resolution_due"]) == ticket.resolution_due
    assert ticket.resolution_due - ticket.first_response_due == timedelta(
        minutes=policy.resolution_minutes - policy.first_response_minutes
    )
    assert ticket.customer == customer
    assert [(w.window.lower, w.window.upper) for w in PreferredWindow.objects.filter(ticket=ticket)] == [
        (datetime.fromisoformat(window["start"]), datetime.fromisoformat(window["end"]))
    ]
    assert list(TicketEvent.objects.values_list("ticket_id", "kind", "actor_id")) == [
        (ticket.pk, TicketEvent.Kind.CREATED, customer.pk)
    ]


def test_minimal_ticket_takes_the_customers_language(customer: User) -> None:
    customer.language = "de"
    customer.save(update_fields=["language"])

    response = _client(customer).post(
        LIST_URL, {"subject": "Heizung kalt", "description": "Seit gestern."}, format="json"
    )

    assert response.status_code == 201
    assert (response.json()["language"], response.json()["flags"]) == ("de", [])
    assert Ticket.objects.get().language == "de"


def test_fields_only_intake_may_set_are_ignored(customer: User, other_customer: User) -> None:
    team = TeamFactory.create()
    category = CategoryFactory.create()
    agent_profile = AgentProfileFactory.create()
    payload = {
        "subject": "Boiler broken",
        "description": "No hot water.",
        "status": "CLOSED",
        "priority": "URGENT",
        "customer": other_customer.pk,
        "team": team.pk,
        "category": category.pk,
        "assigned_agent": agent_profile.pk,
        "number": 1,
        "flags": ["UNPAID"],
        "first_response_due": "2000-01-01T00:00:00Z",
    }

    response = _client(customer).post(LIST_URL, payload, format="json")

    assert response.status_code == 201
    ticket = Ticket.objects.get()
    assert (ticket.status, ticket.priority, ticket.customer, ticket.team, ticket.category) == (
        S.OPEN,
        "MEDIUM",
        customer,
        None,
        None,
    )
    assert (ticket.assigned_agent, ticket.flags) == (None, [])
    assert ticket.first_response_due is not None
    assert ticket.first_response_due > timezone.now()  # from the SLA policy, not from the request
    assert response.json()["customer"]["id"] == customer.pk


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        pytest.param({"description": "d"}, "subject", id="missing_subject_case"),
        pytest.param({"subject": "", "description": "d"}, "subject", id="empty_subject_case"),
        pytest.param({"subject": "   ", "description": "d"}, "subject", id="blank_subject_case"),
        pytest.param({"subject": None, "description": "d"}, "subject", id="null_subject_case"),
        pytest.param({"subject": "x" * 201, "description": "d"}, "subject", id="subject_too_long_case"),
        pytest.param({"subject": 123, "description": "d"}, "subject", id="subject_number_case"),
        pytest.param({"subject": ["a"], "description": "d"}, "subject", id="subject_list_case"),
        pytest.param({"subject": "s"}, "description", id="missing_description_case"),
        pytest.param({"subject": "s", "description": ""}, "description", id="empty_description_case"),
        pytest.param({"subject": "s", "description": "x" * 10_001}, "description", id="description_too_long_case"),
        pytest.param({"subject": "s", "description": {"a": 1}}, "description", id="description_object_case"),
        pytest.param(
            {"subject": "s", "description": "d", "appliance_model_text": "x" * 121},
            "appliance_model_text",
            id="appliance_text_too_long_case",
        ),
        pytest.param(
            {"subject": "s", "description": "d", "preferred_windows": "tomorrow"},
            "preferred_windows",
            id="windows_not_a_list_case",
        ),
        pytest.param(
            {"subject": "s", "description": "d", "preferred_windows": [{"start": "2030-01-01T10:00:00Z"}]},
            "preferred_windows",
            id="window_without_end_case",
        ),
        pytest.param(
            {"subject": "s", "description": "d", "preferred_windows": [{"start": "soon", "end": "later"}]},
            "preferred_windows",
            id="window_not_datetimes_case",
        ),
        pytest.param(
            {"subject": "s", "description": "d", "preferred_windows": [_window(days=1)] * 6},
            "preferred_windows",
            id="too_many_windows_case",
        ),
        pytest.param(
            {"subject": "s", "description": "d", "preferred_windows": [_window(days=-2)]},
            "preferred_windows",
            id="window_in_the_past_case",
        ),
    ],
)
def test_bad_input_is_a_field_error_and_writes_nothing(customer: User, payload: dict[str, Any], field: str) -> None:
    response = _client(customer).post(LIST_URL, payload, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert _nothing_written()


def test_window_ending_before_it_starts_is_a_field_error(customer: User) -> None:
    window = _window(days=1)
    payload = {
        "subject": "s",
        "description": "d",
        "preferred_windows": [_window(days=2), {"start": window["end"], "end": window["start"]}],
    }

    response = _client(customer).post(LIST_URL, payload, format="json")

    assert response.status_code == 400
    assert response.json() == {"preferred_windows": {"1": {"end": ["A time window must end after it starts."]}}}
    assert _nothing_written()


def test_longest_allowed_subject_and_description_are_accepted(customer: User) -> None:
    response = _client(customer).post(LIST_URL, {"subject": "s" * 200, "description": "d" * 10_000}, format="json")

    assert response.status_code == 201
    assert (len(Ticket.objects.get().subject), len(Ticket.objects.get().description)) == (200, 10_000)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param('{"subject": "s", "description": ', id="truncated_json_case"),
        pytest.param('[{"subject": "s", "description": "d"}]', id="json_array_case"),
        pytest.param('"just a string"', id="json_string_case"),
    ],
)
def test_malformed_json_is_a_400_and_writes_nothing(customer: User, data: str) -> None:
    response = _client(customer).post(LIST_URL, data=data, content_type="application/json")

    assert response.status_code == 400
    assert _nothing_written()


@pytest.mark.parametrize("role_fixture", ["agent", "admin_user", "expert"])
def test_only_customers_file_tickets(request: pytest.FixtureRequest, role_fixture: str) -> None:
    user = request.getfixturevalue(role_fixture)

    response = _client(user).post(LIST_URL, {"subject": "s", "description": "d"}, format="json")

    assert response.status_code == 403
    assert response.json() == {"detail": "Only customers can file tickets."}
    assert _nothing_written()


def test_anonymous_requests_are_refused() -> None:
    ticket = TicketFactory.create()
    client = _client()

    responses = [
        client.get(LIST_URL),
        client.post(LIST_URL, {"subject": "s", "description": "d"}, format="json"),
        client.get(_detail_url(ticket.pk)),
        client.post(_transition_url(ticket.pk), {"status": "CLOSED"}, format="json"),
    ]

    assert [r.status_code for r in responses] == [401, 401, 401, 401]
    assert Ticket.objects.get().status == S.OPEN
    assert Ticket.objects.count() == 1


# --- list and retrieve scoping ----------------------------------------------------------------


def test_customer_lists_only_their_own_tickets(customer: User, other_customer: User) -> None:
    mine = TicketFactory.create_batch(2, customer=customer)
    TicketFactory.create(customer=other_customer)

    response = _client(customer).get(LIST_URL)

    assert response.status_code == 200
    assert response.json()["count"] == 2
    assert {row["id"] for row in response.json()["results"]} == {t.pk for t in mine}


def test_agent_lists_every_ticket(agent: User, customer: User, other_customer: User) -> None:
    tickets = [TicketFactory.create(customer=customer), TicketFactory.create(customer=other_customer)]

    response = _client(agent).get(LIST_URL)

    assert response.json()["count"] == 2
    assert [row["id"] for row in response.json()["results"]] == [t.pk for t in reversed(tickets)]  # newest first


def test_expert_sees_no_tickets(expert: User) -> None:
    ticket = TicketFactory.create()
    client = _client(expert)

    assert client.get(LIST_URL).json()["count"] == 0
    assert client.get(_detail_url(ticket.pk)).status_code == 404


def test_list_is_paginated(customer: User) -> None:
    TicketFactory.create_batch(26, customer=customer)

    page_one = _client(customer).get(LIST_URL).json()
    page_two = _client(customer).get(LIST_URL, {"page": 2}).json()

    assert (page_one["count"], len(page_one["results"]), page_one["previous"]) == (26, 25, None)
    assert page_one["next"].endswith("?page=2")
    assert (len(page_two["results"]), page_two["next"]) == (1, None)


def test_customer_retrieves_own_ticket_without_internal_notes(customer: User, agent: User) -> None:
    ticket = TicketFactory.create(customer=customer)
    ticket.tags.add(TagFactory.create(name="leak"))
    public = MessageFactory.create(ticket=ticket, body="It leaks.")
    MessageFactory.create(
        ticket=ticket, author=agent, sender_type=Message.SenderType.AGENT, body="VIP?", is_internal=True
    )

    response = _client(customer).get(_detail_url(ticket.pk))

    assert response.status_code == 200
    body = response.json()
    assert set(body) == TICKET_FIELDS | {"preferred_windows", "tags", "messages"}
    assert body["tags"] == ["leak"]
    assert [(m["id"], m["body"], m["internal"]) for m in body["messages"]] == [(public.pk, "It leaks.", False)]


@pytest.mark.parametrize(
    ("method", "url", "payload"),
    [
        pytest.param("get", _detail_url, None, id="retrieve_case"),
        pytest.param("get", _messages_url, None, id="list_messages_case"),
        pytest.param("post", _messages_url, {"body": "Hello?"}, id="add_message_case"),
        pytest.param("post", _transition_url, {"status": "CLOSED"}, id="transition_case"),
    ],
)
def test_another_customers_ticket_is_a_404_and_unchanged(
    customer: User, other_customer: User, method: str, url: Any, payload: dict[str, str] | None
) -> None:
    ticket = TicketFactory.create(customer=other_customer)

    response = getattr(_client(customer), method)(url(ticket.pk), payload, format="json")

    assert response.status_code == 404
    assert response.json() == {"detail": "No Ticket matches the given query."}
    ticket.refresh_from_db()
    assert ticket.status == S.OPEN
    assert (Message.objects.exists(), TicketEvent.objects.exists()) == (False, False)


def test_a_ticket_that_does_not_exist_is_a_404(agent: User) -> None:
    assert _client(agent).get(_detail_url(-1)).status_code == 404


# --- conversation -----------------------------------------------------------------------------


def test_customer_never_sees_internal_notes_but_agent_does(customer: User, agent: User) -> None:
    ticket = TicketFactory.create(customer=customer)
    question = MessageFactory.create(ticket=ticket, body="Any news?")
    note = MessageFactory.create(
        ticket=ticket, author=agent, sender_type=Message.SenderType.AGENT, body="Waiting on parts", is_internal=True
    )

    as_customer = _client(customer).get(_messages_url(ticket.pk)).json()
    as_agent = _client(agent).get(_messages_url(ticket.pk)).json()

    assert (as_customer["count"], [m["id"] for m in as_customer["results"]]) == (1, [question.pk])
    assert [(m["id"], m["internal"]) for m in as_agent["results"]] == [(question.pk, False), (note.pk, True)]
    assert as_agent["results"][1]["author"] == {"id": agent.pk, "name": agent.display_name}


def test_customer_replies_to_own_ticket(customer: User) -> None:
    ticket = TicketFactory.create(customer=customer)

    response = _client(customer).post(_messages_url(ticket.pk), {"body": "Still broken."}, format="json")

    assert response.status_code == 201
    message = Message.objects.get()
    assert response.json()["id"] == message.pk
    assert (message.ticket, message.author, message.sender_type, message.body, message.is_internal) == (
        ticket,
        customer,
        Message.SenderType.CUSTOMER,
        "Still broken.",
        False,
    )
    assert TicketEvent.objects.get().kind == TicketEvent.Kind.CUSTOMER_REPLIED


def test_customer_cannot_write_an_internal_note(customer: User) -> None:
    ticket = TicketFactory.create(customer=customer)

    response = _client(customer).post(_messages_url(ticket.pk), {"body": "psst", "internal": True}, format="json")

    assert response.status_code == 400
    assert response.json() == {"internal": ["Only helpdesk staff can write internal notes."]}
    assert (Message.objects.exists(), TicketEvent.objects.exists()) == (False, False)


def test_agent_adds_an_internal_note_without_answering_the_customer(agent: User) -> None:
    ticket = TicketFactory.create()

    response = _client(agent).post(
        _messages_url(ticket.pk), {"body": "Check warranty first.", "internal": True}, format="json"
    )

    assert response.status_code == 201
    assert (response.json()["internal"], response.json()["sender_type"]) == (True, "AGENT")
    ticket.refresh_from_db()
    assert (ticket.first_response_at, ticket.status) == (None, S.OPEN)
    assert Message.objects.get().is_internal is True
    assert TicketEvent.objects.get().kind == TicketEvent.Kind.NOTE_ADDED


def test_agent_reply_is_the_first_response_and_starts_work(agent: User) -> None:
    ticket = TicketFactory.create()

    response = _client(agent).post(_messages_url(ticket.pk), {"body": "On it."}, format="json")

    assert response.status_code == 201
    ticket.refresh_from_db()
    assert ticket.first_response_at is not None
    assert ticket.status == S.IN_PROGRESS


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param({}, id="missing_body_case"),
        pytest.param({"body": ""}, id="empty_body_case"),
        pytest.param({"body": "  "}, id="blank_body_case"),
        pytest.param({"body": 42}, id="number_body_case"),
        pytest.param({"body": "x" * 10_001}, id="body_too_long_case"),
    ],
)
def test_bad_message_is_a_field_error_and_writes_nothing(customer: User, payload: dict[str, Any]) -> None:
    ticket = TicketFactory.create(customer=customer)

    response = _client(customer).post(_messages_url(ticket.pk), payload, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["body"]
    assert (Message.objects.exists(), TicketEvent.objects.exists()) == (False, False)


def test_reply_to_a_closed_ticket_is_a_conflict(customer: User) -> None:
    ticket = TicketFactory.create(customer=customer, status=S.CLOSED)

    response = _client(customer).post(_messages_url(ticket.pk), {"body": "Hello?"}, format="json")

    assert response.status_code == 409
    assert response.json() == {"detail": "This ticket is closed. Please open a new ticket."}
    assert (Message.objects.exists(), TicketEvent.objects.exists()) == (False, False)


# --- agent filters ----------------------------------------------------------------------------


def test_agent_filters_by_status(agent: User) -> None:
    open_ticket = TicketFactory.create(status=S.OPEN)
    resolved = TicketFactory.create(status=S.RESOLVED)
    TicketFactory.create(status=S.CLOSED)
    client = _client(agent)

    only_resolved = client.get(LIST_URL, {"status": "RESOLVED"}).json()
    open_or_resolved = client.get(f"{LIST_URL}?status=OPEN&status=RESOLVED").json()

    assert [row["id"] for row in only_resolved["results"]] == [resolved.pk]
    assert {row["id"] for row in open_or_resolved["results"]} == {open_ticket.pk, resolved.pk}


def test_agent_searches_by_text_and_number(agent: User) -> None:
    dishwasher = TicketFactory.create(subject="Dishwasher leaks")
    other = TicketFactory.create(subject="Boiler makes noise")
    client = _client(agent)

    by_text = client.get(LIST_URL, {"q": "dishwasher"}).json()
    by_number = client.get(LIST_URL, {"q": f"#{other.number}"}).json()

    assert [row["id"] for row in by_text["results"]] == [dishwasher.pk]
    assert [row["id"] for row in by_number["results"]] == [other.pk]


def test_agent_filters_unassigned_and_by_team(agent: User) -> None:
    team = TeamFactory.create()
    in_team = TicketFactory.create(team=team, assigned=True)
    unassigned = TicketFactory.create()
    client = _client(agent)

    assert [r["id"] for r in client.get(LIST_URL, {"team": team.pk}).json()["results"]] == [in_team.pk]
    assert [r["id"] for r in client.get(LIST_URL, {"unassigned": "true"}).json()["results"]] == [unassigned.pk]


def test_an_unknown_filter_value_is_a_400(agent: User) -> None:
    TicketFactory.create()

    response = _client(agent).get(LIST_URL, {"status": "BOGUS"})

    assert response.status_code == 400
    assert list(response.json()) == ["status"]


def test_filters_never_widen_a_customers_list(customer: User, other_customer: User) -> None:
    TicketFactory.create(customer=other_customer, subject="Dishwasher")

    response = _client(customer).get(LIST_URL, {"q": "Dishwasher", "unassigned": "true"})

    assert response.json()["count"] == 0


# --- transitions ------------------------------------------------------------------------------


def test_agent_resolves_a_ticket(agent: User) -> None:
    ticket = TicketFactory.create(status=S.OPEN)

    response = _client(agent).post(_transition_url(ticket.pk), {"status": "RESOLVED", "reason": "fixed"}, format="json")

    assert response.status_code == 200
    assert (response.json()["id"], response.json()["status"]) == (ticket.pk, "RESOLVED")
    ticket.refresh_from_db()
    assert ticket.status == S.RESOLVED
    assert ticket.resolved_at is not None
    event = TicketEvent.objects.get()
    assert (event.ticket, event.kind, event.actor, event.from_status, event.to_status, event.data) == (
        ticket,
        TicketEvent.Kind.STATUS_CHANGED,
        agent,
        "OPEN",
        "RESOLVED",
        {"reason": "fixed"},
    )


def test_an_illegal_transition_is_a_conflict_without_side_effects(agent: User) -> None:
    ticket = TicketFactory.create(status=S.CLOSED, closed_at=timezone.now())

    response = _client(agent).post(_transition_url(ticket.pk), {"status": "RESOLVED"}, format="json")

    assert response.status_code == 409
    assert response.json() == {"detail": "A ticket that is Closed cannot be set to Resolved."}
    ticket.refresh_from_db()
    assert (ticket.status, ticket.resolved_at) == (S.CLOSED, None)
    assert TicketEvent.objects.exists() is False


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param({"status": "DONE"}, id="unknown_status_case"),
        pytest.param({"status": ""}, id="empty_status_case"),
        pytest.param({}, id="missing_status_case"),
        pytest.param({"status": ["RESOLVED"]}, id="list_status_case"),
    ],
)
def test_an_unknown_status_is_a_field_error(agent: User, payload: dict[str, Any]) -> None:
    ticket = TicketFactory.create(status=S.OPEN)

    response = _client(agent).post(_transition_url(ticket.pk), payload, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["status"]
    ticket.refresh_from_db()
    assert ticket.status == S.OPEN
    assert TicketEvent.objects.exists() is False


def test_customer_cannot_change_the_status_of_own_ticket(customer: User) -> None:
    ticket = TicketFactory.create(customer=customer, status=S.OPEN)

    response = _client(customer).post(_transition_url(ticket.pk), {"status": "CLOSED"}, format="json")

    assert response.status_code == 403
    assert response.json() == {"detail": "Only helpdesk staff can change a ticket's status."}
    ticket.refresh_from_db()
    assert ticket.status == S.OPEN
    assert TicketEvent.objects.exists() is False


# --- query counts -----------------------------------------------------------------------------


@pytest.mark.parametrize("n_tickets", [1, 10])
@pytest.mark.parametrize("role", ["customer", "agent"])
def test_list_query_count_does_not_grow_with_rows(
    request: pytest.FixtureRequest, django_assert_num_queries: Any, role: str, n_tickets: int
) -> None:
    user = request.getfixturevalue(role)
    owner = user if role == "customer" else CustomerFactory.create()
    category = CategoryFactory.create()
    TicketFactory.create_batch(n_tickets, customer=owner, category=category, team=TeamFactory.create(), assigned=True)
    client = _client(user)
    client.get(LIST_URL)  # warm caches

    with django_assert_num_queries(2):  # COUNT for the paginator + one page of tickets with their joins
        response = client.get(LIST_URL)

    assert response.json()["count"] == n_tickets
    assert response.json()["results"][0]["category"] == {
        "id": category.pk,
        "name": category.name,
        "slug": category.slug,
    }
    assert response.json()["results"][0]["assigned_agent"]["name"]


@pytest.mark.parametrize("n_messages", [1, 30], ids=["one_message", "thirty_messages"])
@pytest.mark.parametrize("role", ["customer", "agent"])
def test_messages_query_count_does_not_grow_with_rows(
    request: pytest.FixtureRequest, customer: User, django_assert_num_queries: Any, role: str, n_messages: int
) -> None:
    ticket = TicketFactory.create(customer=customer)
    for message in MessageFactory.create_batch(n_messages, ticket=ticket):
        AttachmentFactory.create(message=message)
    client = _client(request.getfixturevalue(role))
    client.get(_messages_url(ticket.pk))  # warm caches

    # ticket + COUNT + one page of messages (with authors) + their attachments
    with django_assert_num_queries(4):
        response = client.get(_messages_url(ticket.pk))

    assert response.json()["count"] == n_messages
    assert len(response.json()["results"]) == min(n_messages, 25)
    assert all(len(m["attachments"]) == 1 for m in response.json()["results"])


def test_messages_are_paginated_in_order_and_internal_notes_count_only_for_staff(customer: User, agent: User) -> None:
    ticket = TicketFactory.create(customer=customer)
    public = MessageFactory.create_batch(26, ticket=ticket)
    note = MessageFactory.create(
        ticket=ticket, author=agent, sender_type=Message.SenderType.AGENT, body="Note", is_internal=True
    )

    customer_pages = [_client(customer).get(_messages_url(ticket.pk), {"page": n}).json() for n in (1, 2)]
    agent_page_two = _client(agent).get(_messages_url(ticket.pk), {"page": 2}).json()

    assert customer_pages[0]["count"] == 26
    assert [m["id"] for page in customer_pages for m in page["results"]] == [m.pk for m in public]
    assert customer_pages[0]["next"].endswith("?page=2")
    assert agent_page_two["count"] == 27
    assert [m["id"] for m in agent_page_two["results"]] == [public[-1].pk, note.pk]


def test_a_page_past_the_end_is_a_404(customer: User) -> None:
    ticket = TicketFactory.create(customer=customer)
    MessageFactory.create(ticket=ticket)

    response = _client(customer).get(_messages_url(ticket.pk), {"page": 2})

    assert response.status_code == 404


# --- the customer confirms the fix ------------------------------------------------------------


def _confirm_url(ticket_id: int) -> str:
    return reverse("api:ticket-confirm", args=[ticket_id])


def _resolved(customer: User) -> Ticket:
    # resolved_at must not precede created_at (a check constraint), which is set on insert.
    return TicketFactory.create(customer=customer, status=S.RESOLVED, resolved_at=timezone.now() + timedelta(seconds=5))


def test_customer_confirms_the_fix_and_the_ticket_closes(customer: User) -> None:
    ticket = _resolved(customer)

    response = _client(customer).post(_confirm_url(ticket.pk))

    assert response.status_code == 200
    assert set(response.json()) == TICKET_FIELDS
    assert (response.json()["id"], response.json()["status"]) == (ticket.pk, "CLOSED")
    ticket.refresh_from_db()
    assert ticket.status == S.CLOSED
    assert ticket.closed_at is not None
    event = TicketEvent.objects.get()
    assert (event.kind, event.actor, event.from_status, event.to_status, event.data) == (
        TicketEvent.Kind.STATUS_CHANGED,
        customer,
        S.RESOLVED,
        S.CLOSED,
        {"reason": "customer confirmed"},
    )


@pytest.mark.parametrize("status", [S.OPEN, S.IN_PROGRESS, S.WAITING_ON_CUSTOMER, S.CLOSED])
def test_confirming_a_ticket_that_is_not_resolved_is_a_conflict(customer: User, status: str) -> None:
    ticket = TicketFactory.create(customer=customer, status=status)

    response = _client(customer).post(_confirm_url(ticket.pk))

    assert response.status_code == 409
    assert response.json() == {"detail": "Only a resolved ticket can be confirmed."}
    ticket.refresh_from_db()
    assert (ticket.status, ticket.closed_at) == (status, None)
    assert TicketEvent.objects.exists() is False


@pytest.mark.parametrize(
    ("role", "code"),
    [
        pytest.param("other_customer", 404, id="other_customer_case"),
        pytest.param("expert", 404, id="expert_case"),
        pytest.param("agent", 403, id="agent_case"),
        pytest.param("admin_user", 403, id="admin_case"),
    ],
)
def test_only_the_tickets_customer_confirms(
    request: pytest.FixtureRequest, customer: User, role: str, code: int
) -> None:
    ticket = _resolved(customer)

    response = _client(request.getfixturevalue(role)).post(_confirm_url(ticket.pk))

    assert response.status_code == code
    if code == 403:
        assert response.json() == {"detail": "Only the ticket's customer can confirm the fix."}
    ticket.refresh_from_db()
    assert ticket.status == S.RESOLVED
    assert TicketEvent.objects.exists() is False


def test_confirm_needs_sign_in_and_post(customer: User) -> None:
    ticket = _resolved(customer)

    anonymous = _client().post(_confirm_url(ticket.pk))
    by_get = _client(customer).get(_confirm_url(ticket.pk))

    assert (anonymous.status_code, by_get.status_code) == (401, 405)
    ticket.refresh_from_db()
    assert ticket.status == S.RESOLVED


# --- OpenAPI ----------------------------------------------------------------------------------


def test_schema_documents_file_uploads_attachments_and_confirm() -> None:
    schema = _client().get("/api/schema/", {"format": "json"}).json()
    paths, components = schema["paths"], schema["components"]["schemas"]

    content = paths["/api/v1/tickets/{id}/messages/"]["post"]["requestBody"]["content"]
    assert set(content) == {"application/json", "multipart/form-data"}
    assert content["application/json"]["schema"]["$ref"].endswith("/MessageCreateInputRequest")
    assert content["multipart/form-data"]["schema"]["$ref"].endswith("/MessageCreateMultipartInputRequest")
    assert "attachments" not in components["MessageCreateInputRequest"]["properties"]
    assert components["MessageCreateMultipartInputRequest"]["properties"]["attachments"] == {
        "type": "array",
        "items": {"type": "string", "format": "binary"},
        "description": "Files to attach: one form part per file, all named `attachments`.",
        "maxItems": 5,
    }
    assert set(components["AttachmentOutput"]["properties"]) == {"id", "name", "size_bytes", "content_type", "url"}
    assert components["AttachmentOutput"]["properties"]["url"]["format"] == "uri"
    confirm = paths["/api/v1/tickets/{id}/confirm/"]
    assert set(confirm) == {"post"}
    assert "requestBody" not in confirm["post"]
    assert set(confirm["post"]["responses"]) == {"200", "403", "404", "409"}
