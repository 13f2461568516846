from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    AgentProfileFactory,
    AttachmentFactory,
    CategoryFactory,
    MessageFactory,
    TicketEventFactory,
    TicketFactory,
)
from tickets.models import AgentProfile, Attachment, Message, Ticket, TicketEvent
from tickets.selectors import ticket_workspace_get
from tickets.views.display import Due, due

pytestmark = pytest.mark.django_db

S = Ticket.Status
LIST = "agent:ticket-list"


def _numbers(response) -> list[int]:
    return [ticket.number for ticket in response.context["page"].object_list]


# --- the queue --------------------------------------------------------------------------------


def test_list_shows_all_tickets_with_badges(client, agent, customer, other_customer):
    mine = TicketFactory.create(customer=customer, subject="Boiler makes noise", priority="URGENT")
    theirs = TicketFactory.create(customer=other_customer, status=S.WAITING_ON_CUSTOMER)
    client.force_login(agent)

    response = client.get(reverse(LIST))

    assert response.status_code == 200
    assert _numbers(response) == [theirs.number, mine.number]
    body = response.content.decode()
    assert "Boiler makes noise" in body
    assert 'class="badge status-waiting_on_customer"' in body
    assert 'class="badge priority-urgent"' in body
    assert 'hx-get="/agent/"' in body
    assert 'hx-push-url="true"' in body


def test_list_filters_by_status(client, agent):
    open_ticket = TicketFactory.create(status=S.OPEN)
    in_progress = TicketFactory.create(status=S.IN_PROGRESS)
    TicketFactory.create(status=S.CLOSED, resolved_at=None, closed_at=timezone.now())
    client.force_login(agent)

    response = client.get(reverse(LIST), {"status": [S.OPEN, S.IN_PROGRESS]})

    assert _numbers(response) == [in_progress.number, open_ticket.number]
    assert 'value="OPEN" id="id_status_0" checked' in response.content.decode()


def test_list_filters_by_text_and_number(client, agent):
    hit = TicketFactory.create(subject="Dishwasher smells of burning")
    miss = TicketFactory.create(subject="Door bell broken")
    client.force_login(agent)

    by_text = client.get(reverse(LIST), {"q": "dishwasher"})
    by_number = client.get(reverse(LIST), {"q": f"#{miss.number}"})

    assert _numbers(by_text) == [hit.number]
    assert _numbers(by_number) == [miss.number]


def test_list_filters_by_category_and_unassigned(client, agent):
    plumbing = CategoryFactory.create(name="Plumbing")
    hit = TicketFactory.create(category=plumbing)
    TicketFactory.create(category=plumbing, assigned=True)
    TicketFactory.create()
    client.force_login(agent)

    response = client.get(reverse(LIST), {"category": plumbing.pk, "unassigned": "true"})

    assert _numbers(response) == [hit.number]
    assert f'<option value="{plumbing.pk}" selected>Plumbing</option>' in response.content.decode()


def test_pagination_keeps_the_filters(client, agent):
    TicketFactory.create_batch(26, status=S.OPEN)
    client.force_login(agent)

    first = client.get(reverse(LIST), {"status": S.OPEN, "q": "example.test"})
    second = client.get(reverse(LIST), {"status": S.OPEN, "q": "example.test", "page": 2})

    assert len(first.context["page"].object_list) == 25
    assert 'href="/agent/?status=OPEN&amp;q=example.test&amp;page=2"' in first.content.decode()
    assert 'hx-get="/agent/?status=OPEN&amp;q=example.test&amp;page=2"' in first.content.decode()
    assert len(second.context["page"].object_list) == 1


def test_htmx_request_gets_only_the_table_partial(client, agent):
    TicketFactory.create(subject="Leaking tap")
    client.force_login(agent)

    response = client.get(reverse(LIST), {"q": "tap"}, headers={"HX-Request": "true"})

    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="ticket-table"')
    assert "Leaking tap" in body
    assert "<html" not in body
    assert "filter-bar" not in body
    assert "HX-Request" in response["Vary"]


def test_full_page_also_varies_on_hx_request(client, agent):
    client.force_login(agent)

    response = client.get(reverse(LIST))

    assert "<html" in response.content.decode()
    assert "HX-Request" in response["Vary"]


def test_htmx_history_restore_gets_the_full_page(client, agent):
    client.force_login(agent)

    response = client.get(reverse(LIST), headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})

    assert "<html" in response.content.decode()


@pytest.mark.parametrize("n_tickets", [1, 15], ids=["one_ticket", "fifteen_tickets"])
def test_list_query_count_does_not_grow_with_rows(client, agent, n_tickets, django_assert_max_num_queries):
    TicketFactory.create_batch(n_tickets, assigned=True, category=CategoryFactory.create())
    client.force_login(agent)
    url = reverse(LIST)
    client.get(url)  # warm up

    # session, user, 3 filter choice lists (category, team, assignee), COUNT, tickets (+ joins)
    with django_assert_max_num_queries(7):
        response = client.get(url)

    assert len(response.context["page"].object_list) == n_tickets


@pytest.mark.parametrize("user_fixture", ["customer", "expert"])
@pytest.mark.parametrize("url_name", [LIST, "agent:ticket-detail"])
def test_customers_and_experts_get_403(client, request, user_fixture, url_name):
    ticket = TicketFactory.create()
    client.force_login(request.getfixturevalue(user_fixture))
    args = [ticket.pk] if url_name.endswith("detail") else []

    response = client.get(reverse(url_name, args=args))

    assert response.status_code == 403
    assert "isn't part of your workspace" in response.content.decode()


@pytest.mark.parametrize("user_fixture", ["customer", "expert"])
def test_customers_and_experts_cannot_post_to_the_workspace(client, request, user_fixture):
    ticket = TicketFactory.create()
    client.force_login(request.getfixturevalue(user_fixture))

    transition = client.post(reverse("agent:ticket-transition", args=[ticket.pk]), {"to_status": S.CLOSED})
    note = client.post(reverse("agent:ticket-reply", args=[ticket.pk]), {"body": "x", "internal": "on"})

    assert (transition.status_code, note.status_code) == (403, 403)
    assert TicketEvent.objects.exists() is False
    assert Message.objects.exists() is False


def test_leads_and_admins_reach_the_queue(client, lead, admin_user):
    client.force_login(lead)
    assert client.get(reverse(LIST)).status_code == 200
    client.force_login(admin_user)
    assert client.get(reverse(LIST)).status_code == 200


# --- the ticket -------------------------------------------------------------------------------


def test_detail_shows_internal_notes_timeline_and_only_legal_next_statuses(client, agent):
    ticket = TicketFactory.create(status=S.RESOLVED, resolved_at=timezone.now() + timedelta(seconds=5))
    MessageFactory.create(ticket=ticket, body="My fridge is warm.")
    MessageFactory.create(
        ticket=ticket, author=agent, sender_type=Message.SenderType.AGENT, body="Check seal", is_internal=True
    )
    TicketEventFactory.create(
        ticket=ticket, actor=agent, kind=TicketEvent.Kind.STATUS_CHANGED, from_status="OPEN", to_status="RESOLVED"
    )
    client.force_login(agent)

    response = client.get(reverse("agent:ticket-detail", args=[ticket.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "My fridge is warm." in body
    assert "Check seal" in body
    assert "Internal note</span>" in body
    assert "Open → Resolved" in body
    assert response.context["next_statuses"] == [(S.IN_PROGRESS, "In progress"), (S.CLOSED, "Closed")]
    assert '<option value="IN_PROGRESS">In progress</option>' in body
    assert '<option value="OPEN">' not in body


@pytest.mark.parametrize("n_rows", [1, 12], ids=["one_row", "twelve_rows"])
def test_detail_query_count_does_not_grow_with_rows(client, agent, n_rows, django_assert_num_queries):
    ticket = TicketFactory.create()
    for message in MessageFactory.create_batch(n_rows, ticket=ticket):
        AttachmentFactory.create(message=message)
    TicketEventFactory.create_batch(n_rows, ticket=ticket, actor=agent)
    client.force_login(agent)
    url = reverse("agent:ticket-detail", args=[ticket.pk])
    client.get(url)

    # session, user, ticket (+ customer profile), messages, attachments, windows, tags, events, my agent profile
    with django_assert_num_queries(9):
        response = client.get(url)

    assert len(response.context["timeline"]) == n_rows
    assert response.content.decode().count('class="attachment-name"') == n_rows


def test_detail_of_a_missing_ticket_is_404(client, agent):
    client.force_login(agent)

    assert client.get(reverse("agent:ticket-detail", args=[999_999_999])).status_code == 404


@pytest.mark.parametrize(
    ("user_fixture", "found"),
    [
        pytest.param("agent", True, id="agent_case"),
        pytest.param("admin_user", True, id="admin_case"),
        pytest.param("customer", False, id="own_customer_case"),
        pytest.param("expert", False, id="expert_case"),
    ],
)
def test_workspace_selector_is_for_staff_only(request, customer, user_fixture, found):
    ticket = TicketFactory.create(customer=customer)
    TicketEventFactory.create(ticket=ticket)

    result = ticket_workspace_get(user=request.getfixturevalue(user_fixture), pk=ticket.pk)

    assert (result == ticket) is found
    if found:
        assert [event.kind for event in result.timeline] == [TicketEvent.Kind.CREATED]


def test_legal_transition_changes_status_and_writes_an_event(client, agent):
    ticket = TicketFactory.create(status=S.OPEN)
    client.force_login(agent)

    response = client.post(
        reverse("agent:ticket-transition", args=[ticket.pk]), {"to_status": S.WAITING_ON_CUSTOMER}, follow=True
    )

    ticket.refresh_from_db()
    assert ticket.status == S.WAITING_ON_CUSTOMER
    event = TicketEvent.objects.get()
    assert (event.kind, event.from_status, event.to_status, event.actor) == (
        TicketEvent.Kind.STATUS_CHANGED,
        S.OPEN,
        S.WAITING_ON_CUSTOMER,
        agent,
    )
    assert response.redirect_chain == [(reverse("agent:ticket-detail", args=[ticket.pk]), 302)]
    assert "Status changed to Waiting on customer." in response.content.decode()


def test_illegal_transition_shows_a_message_and_writes_nothing(client, agent):
    ticket = TicketFactory.create(status=S.CLOSED, closed_at=timezone.now())
    client.force_login(agent)

    response = client.post(reverse("agent:ticket-transition", args=[ticket.pk]), {"to_status": S.OPEN}, follow=True)

    ticket.refresh_from_db()
    assert ticket.status == S.CLOSED
    assert TicketEvent.objects.exists() is False
    assert response.status_code == 200
    assert "A ticket that is Closed cannot be set to Open." in response.content.decode()


def test_unknown_status_is_refused(client, agent):
    ticket = TicketFactory.create(status=S.OPEN)
    client.force_login(agent)

    response = client.post(reverse("agent:ticket-transition", args=[ticket.pk]), {"to_status": "EXPLODED"}, follow=True)

    assert "Please choose a valid status." in response.content.decode()
    assert TicketEvent.objects.exists() is False


def test_internal_note(client, agent):
    ticket = TicketFactory.create(status=S.OPEN)
    client.force_login(agent)

    response = client.post(
        reverse("agent:ticket-reply", args=[ticket.pk]), {"body": "Customer is VIP", "internal": "on"}, follow=True
    )

    message = Message.objects.get()
    assert (message.body, message.is_internal, message.sender_type, message.author) == (
        "Customer is VIP",
        True,
        Message.SenderType.AGENT,
        agent,
    )
    ticket.refresh_from_db()
    assert (ticket.status, ticket.first_response_at) == (S.OPEN, None)  # a note is not a response
    assert "Internal note added." in response.content.decode()


def test_public_reply_starts_work(client, agent):
    ticket = TicketFactory.create(status=S.OPEN)
    client.force_login(agent)

    client.post(reverse("agent:ticket-reply", args=[ticket.pk]), {"body": "On it!", "internal": ""})

    message = Message.objects.get()
    assert message.is_internal is False
    ticket.refresh_from_db()
    assert ticket.status == S.IN_PROGRESS
    assert ticket.first_response_at is not None


def test_empty_agent_reply_is_a_field_error(client, agent):
    ticket = TicketFactory.create()
    client.force_login(agent)

    response = client.post(reverse("agent:ticket-reply", args=[ticket.pk]), {"body": ""})

    assert response.status_code == 200
    assert response.context["reply_form"].errors["body"] == ["This field is required."]
    assert Message.objects.exists() is False


def test_assign_to_me(client, agent):
    ticket = TicketFactory.create(status=S.OPEN)
    client.force_login(agent)
    page = client.get(reverse("agent:ticket-detail", args=[ticket.pk])).content.decode()
    assert "Assign to me" in page

    response = client.post(reverse("agent:ticket-assign", args=[ticket.pk]), follow=True)

    ticket.refresh_from_db()
    assert ticket.assigned_agent == agent.agent_profile
    assert AgentProfile.objects.get(user=agent).current_ticket_count == 1
    assert TicketEvent.objects.get().kind == TicketEvent.Kind.ASSIGNED
    body = response.content.decode()
    assert f"Ticket #{ticket.number} is now yours." in body
    assert "Assign to me" not in body


def test_assign_to_me_without_an_agent_profile_is_refused(client, admin_user):
    ticket = TicketFactory.create(status=S.OPEN)
    client.force_login(admin_user)

    response = client.post(reverse("agent:ticket-assign", args=[ticket.pk]), follow=True)

    ticket.refresh_from_db()
    assert ticket.assigned_agent is None
    assert TicketEvent.objects.exists() is False
    assert "You need an agent profile to take tickets." in response.content.decode()


def test_assign_a_closed_ticket_is_refused(client, agent):
    ticket = TicketFactory.create(status=S.CLOSED, closed_at=timezone.now())
    client.force_login(agent)

    response = client.post(reverse("agent:ticket-assign", args=[ticket.pk]), follow=True)

    ticket.refresh_from_db()
    assert ticket.assigned_agent is None
    assert TicketEvent.objects.exists() is False
    assert "Only open tickets can be assigned." in response.content.decode()


def test_reassigning_moves_the_load_counter(client, agent):
    previous = AgentProfileFactory.create(current_ticket_count=1)
    ticket = TicketFactory.create(status=S.OPEN, assigned_agent=previous)
    client.force_login(agent)

    client.post(reverse("agent:ticket-assign", args=[ticket.pk]))

    previous.refresh_from_db()
    assert previous.current_ticket_count == 0
    assert AgentProfile.objects.get(user=agent).current_ticket_count == 1


# --- presentation of SLA deadlines ------------------------------------------------------------

NOW = timezone.now()


@pytest.mark.parametrize(
    ("deadline", "done_at", "is_open", "expected"),
    [
        pytest.param(NOW + timedelta(hours=3, minutes=10), None, True, Due("ok", "in 3\xa0hours"), id="ahead"),
        pytest.param(NOW + timedelta(minutes=20), None, True, Due("soon", "in 20\xa0minutes"), id="soon"),
        pytest.param(
            NOW - timedelta(days=2, hours=5), None, True, Due("overdue", "overdue by 2\xa0days"), id="overdue"
        ),
        pytest.param(NOW, None, True, Due("soon", "due now"), id="due_now"),
        pytest.param(NOW - timedelta(hours=1), NOW, True, Due("done", "Answered"), id="answered"),
        pytest.param(NOW - timedelta(hours=1), None, False, Due("none", "—"), id="closed_without_answer"),
        pytest.param(None, None, True, Due("none", "—"), id="no_sla"),
    ],
)
def test_due_labels(deadline, done_at, is_open, expected):
    result = due(deadline=deadline, done_at=done_at, is_open=is_open, now=NOW, done="Answered")

    assert (result.state, result.text) == (expected.state, expected.text)


# --- attachments ------------------------------------------------------------------------------


def _file(name: str = "wiring.jpg", data: bytes = b"\xff\xd8jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def test_reply_form_takes_files(client, agent):
    ticket = TicketFactory.create()
    client.force_login(agent)

    body = client.get(reverse("agent:ticket-detail", args=[ticket.pk])).content.decode()

    assert 'enctype="multipart/form-data"' in body
    assert '<input type="file" name="attachments" multiple' in body


@pytest.mark.parametrize("internal", [True, False], ids=["internal_note", "public_reply"])
def test_reply_or_note_with_files(client, agent, internal):
    ticket = TicketFactory.create(status=S.OPEN)
    client.force_login(agent)

    response = client.post(
        reverse("agent:ticket-reply", args=[ticket.pk]),
        {"body": "See the photos.", "internal": "on" if internal else "", "attachments": [_file(), _file("b.jpg")]},
        follow=True,
    )

    message = Message.objects.get()
    assert (message.is_internal, message.author) == (internal, agent)
    attachments = list(message.attachments.order_by("pk"))
    assert [a.original_name for a in attachments] == ["wiring.jpg", "b.jpg"]
    body = response.content.decode()
    assert all(reverse("tickets:attachment", args=[a.pk]) in body for a in attachments)


def test_too_many_files_is_a_field_error_and_nothing_is_written(client, agent):
    ticket = TicketFactory.create(status=S.OPEN)
    client.force_login(agent)

    response = client.post(
        reverse("agent:ticket-reply", args=[ticket.pk]),
        {"body": "Lots", "internal": "on", "attachments": [_file(f"{i}.jpg") for i in range(6)]},
    )

    assert response.status_code == 200
    assert response.context["reply_form"].errors["attachments"] == ["At most 5 files per message."]
    assert (Message.objects.exists(), Attachment.objects.exists(), TicketEvent.objects.exists()) == (
        False,
        False,
        False,
    )


def test_agent_sees_the_files_of_internal_notes(client, agent):
    ticket = TicketFactory.create()
    note = MessageFactory.create(ticket=ticket, author=agent, sender_type=Message.SenderType.AGENT, is_internal=True)
    attachment = AttachmentFactory.create(message=note, original_name="fuse-box.jpg", size_bytes=2048)
    client.force_login(agent)

    body = client.get(reverse("agent:ticket-detail", args=[ticket.pk])).content.decode()

    assert f'<a href="{reverse("tickets:attachment", args=[attachment.pk])}" download' in body
    assert '<span class="attachment-name">fuse-box.jpg</span>' in body
    assert '<span class="attachment-size">2.0\xa0KB</span>' in body
