from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.factories import AttachmentFactory, MessageFactory, TicketFactory
from tickets.models import Attachment, Message, PreferredWindow, Ticket, TicketEvent

pytestmark = pytest.mark.django_db

S = Ticket.Status


def _tomorrow() -> str:
    return (timezone.localdate() + timedelta(days=1)).isoformat()


def _resolved_ticket(customer) -> Ticket:
    # resolved_at must not precede created_at (a check constraint), which is set on insert.
    return TicketFactory.create(customer=customer, status=S.RESOLVED, resolved_at=timezone.now() + timedelta(seconds=5))


def _new_ticket_data(**overrides: str) -> dict[str, str]:
    return {
        "subject": "Washing machine won't drain",
        "description": "Water stays in the drum after the programme ends.",
        "appliance_model_text": "Bosch WAN28K40",
        **overrides,
    }


# --- my tickets -------------------------------------------------------------------------------


def test_list_shows_only_my_tickets_newest_first(client, customer, other_customer):
    older = TicketFactory.create(customer=customer, subject="Old dishwasher leak")
    newer = TicketFactory.create(customer=customer, subject="New oven fault")
    TicketFactory.create(customer=other_customer, subject="Someone else's fridge")
    client.force_login(customer)

    response = client.get(reverse("tickets:list"))

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [newer, older]
    body = response.content.decode()
    assert "Someone else&#x27;s fridge" not in body
    assert 'class="badge status-open"' in body
    assert 'class="badge priority-medium"' in body


def test_empty_list_invites_to_file_a_ticket(client, customer):
    client.force_login(customer)

    response = client.get(reverse("tickets:list"))

    body = response.content.decode()
    assert "No tickets yet" in body
    assert f'href="{reverse("tickets:new")}">File a ticket</a>' in body


@pytest.mark.parametrize("n_tickets", [1, 15], ids=["one_ticket", "fifteen_tickets"])
def test_list_query_count_does_not_grow_with_rows(client, customer, n_tickets, django_assert_max_num_queries):
    TicketFactory.create_batch(n_tickets, customer=customer, assigned=True)
    client.force_login(customer)
    url = reverse("tickets:list")
    client.get(url)  # warm up

    with django_assert_max_num_queries(4):  # session, user, COUNT, tickets (+ joins)
        response = client.get(url)

    assert len(response.context["page"].object_list) == n_tickets


def test_pages_of_twenty(client, customer):
    TicketFactory.create_batch(21, customer=customer)
    client.force_login(customer)

    first = client.get(reverse("tickets:list"))
    second = client.get(reverse("tickets:list"), {"page": 2})

    assert len(first.context["page"].object_list) == 20
    assert len(second.context["page"].object_list) == 1
    assert 'href="/tickets/?page=2"' in first.content.decode()


@pytest.mark.parametrize("user_fixture", ["agent", "expert"])
def test_list_is_for_customers_only(client, request, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))

    response = client.get(reverse("tickets:list"))

    assert response.status_code == 403


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("tickets:list"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next=/tickets/"


# --- new ticket -------------------------------------------------------------------------------


def test_new_ticket_happy_path(client, customer):
    client.force_login(customer)
    data = _new_ticket_data(window_1_date=_tomorrow(), window_1_start="09:00", window_1_end="12:00")

    response = client.post(reverse("tickets:new"), data, follow=True)

    ticket = Ticket.objects.get()
    assert (ticket.customer, ticket.subject, ticket.appliance_model_text) == (
        customer,
        "Washing machine won't drain",
        "Bosch WAN28K40",
    )
    assert list(TicketEvent.objects.filter(ticket=ticket).values_list("kind", flat=True)) == ["CREATED"]
    window = PreferredWindow.objects.get(ticket=ticket).window
    assert timezone.localtime(window.lower).strftime("%H:%M") == "09:00"
    assert timezone.localtime(window.upper).strftime("%H:%M") == "12:00"
    assert response.redirect_chain == [(reverse("tickets:detail", args=[ticket.pk]), 302)]
    assert f"Ticket #{ticket.number} filed — we&#x27;ll reply within" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        pytest.param(_new_ticket_data(subject=""), "subject", "This field is required.", id="empty_subject"),
        pytest.param(
            _new_ticket_data(subject="x" * 201),
            "subject",
            "Ensure this value has at most 200 characters (it has 201).",
            id="subject_too_long",
        ),
        pytest.param(
            _new_ticket_data(window_1_date="2099-01-02", window_1_start="12:00", window_1_end="09:00"),
            "window_1_end",
            "The end time must be after the start time.",
            id="window_ends_before_it_starts",
        ),
        pytest.param(
            _new_ticket_data(window_2_date="2099-01-02", window_2_start="12:00"),
            "window_2_end",
            "Please give a date and both times, or leave this window empty.",
            id="window_incomplete",
        ),
        pytest.param(
            _new_ticket_data(window_1_date="2001-01-02", window_1_start="09:00", window_1_end="12:00"),
            "window_1_date",
            "This time window is in the past.",
            id="window_in_the_past",
        ),
    ],
)
def test_new_ticket_bad_input_shows_field_errors_and_creates_nothing(client, customer, data, field, error):
    client.force_login(customer)

    response = client.post(reverse("tickets:new"), data)

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [error]
    body = response.content.decode()
    assert f'aria-invalid="true" aria-describedby="id_{field}_error" id="id_{field}"' in body
    assert f'<ul class="errorlist" id="id_{field}_error"><li>{error}</li></ul>' in body
    assert Ticket.objects.exists() is False
    assert TicketEvent.objects.exists() is False


def test_new_ticket_form_page(client, customer):
    client.force_login(customer)

    response = client.get(reverse("tickets:new"))

    body = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_subject">Subject</label>' in body
    assert 'name="window_3_end"' in body
    assert 'name="window_4_date"' not in body


# --- ticket page ------------------------------------------------------------------------------


def test_detail_shows_my_ticket_without_internal_notes(client, customer, agent):
    ticket = TicketFactory.create(customer=customer, subject="Fridge is warm")
    MessageFactory.create(ticket=ticket, body="It hums loudly.")
    MessageFactory.create(
        ticket=ticket, author=agent, sender_type=Message.SenderType.AGENT, body="Please check the door seal."
    )
    MessageFactory.create(
        ticket=ticket,
        author=agent,
        sender_type=Message.SenderType.AGENT,
        body="Customer sounds annoyed; VIP?",
        is_internal=True,
    )
    client.force_login(customer)

    response = client.get(reverse("tickets:detail", args=[ticket.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Fridge is warm" in body
    assert "It hums loudly." in body
    assert "Please check the door seal." in body
    assert "Customer sounds annoyed" not in body
    assert "Internal note" not in body
    assert f'action="{reverse("tickets:reply", args=[ticket.pk])}"' in body


def test_detail_of_another_customers_ticket_is_404(client, customer, other_customer):
    ticket = TicketFactory.create(customer=other_customer)
    client.force_login(customer)

    response = client.get(reverse("tickets:detail", args=[ticket.pk]))

    assert response.status_code == 404


def test_detail_of_a_missing_ticket_is_404(client, customer):
    client.force_login(customer)

    assert client.get(reverse("tickets:detail", args=[999_999_999])).status_code == 404


def test_reply_adds_a_message(client, customer):
    ticket = TicketFactory.create(customer=customer)
    client.force_login(customer)

    response = client.post(reverse("tickets:reply", args=[ticket.pk]), {"body": "Still broken."})

    assert response.status_code == 302
    assert response["Location"] == reverse("tickets:detail", args=[ticket.pk])
    message = Message.objects.get()
    assert (message.ticket, message.author, message.body, message.is_internal) == (
        ticket,
        customer,
        "Still broken.",
        False,
    )


def test_reply_to_another_customers_ticket_is_404_and_creates_nothing(client, customer, other_customer):
    ticket = TicketFactory.create(customer=other_customer)
    client.force_login(customer)

    response = client.post(reverse("tickets:reply", args=[ticket.pk]), {"body": "Let me in"})

    assert response.status_code == 404
    assert Message.objects.exists() is False
    assert TicketEvent.objects.exists() is False


def test_empty_reply_is_a_field_error(client, customer):
    ticket = TicketFactory.create(customer=customer)
    client.force_login(customer)

    response = client.post(reverse("tickets:reply", args=[ticket.pk]), {"body": "   "})

    assert response.status_code == 200
    assert response.context["reply_form"].errors["body"] == ["This field is required."]
    assert Message.objects.exists() is False


def test_reply_to_a_closed_ticket_shows_an_error_and_creates_nothing(client, customer):
    ticket = TicketFactory.create(customer=customer, status=S.CLOSED, closed_at=timezone.now())
    client.force_login(customer)

    response = client.post(reverse("tickets:reply", args=[ticket.pk]), {"body": "Hello?"}, follow=True)

    assert response.redirect_chain == [(reverse("tickets:detail", args=[ticket.pk]), 302)]
    assert "This ticket is closed. Please open a new ticket." in response.content.decode()
    assert Message.objects.exists() is False
    assert TicketEvent.objects.exists() is False


def test_reply_to_a_resolved_ticket_reopens_it(client, customer):
    ticket = _resolved_ticket(customer)
    client.force_login(customer)

    client.post(reverse("tickets:reply", args=[ticket.pk]), {"body": "Broken again"})

    ticket.refresh_from_db()
    assert ticket.status == S.IN_PROGRESS


def test_confirm_resolution_closes_a_resolved_ticket(client, customer):
    ticket = _resolved_ticket(customer)
    client.force_login(customer)
    page = client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()
    assert "Yes, it's fixed — close the ticket" in page

    response = client.post(reverse("tickets:confirm", args=[ticket.pk]), follow=True)

    ticket.refresh_from_db()
    assert ticket.status == S.CLOSED
    assert ticket.closed_at is not None
    event = TicketEvent.objects.get()
    assert (event.from_status, event.to_status, event.actor) == (S.RESOLVED, S.CLOSED, customer)
    assert f"Ticket #{ticket.number} is closed." in response.content.decode()


def test_confirm_of_an_open_ticket_is_refused_without_side_effects(client, customer):
    ticket = TicketFactory.create(customer=customer)
    client.force_login(customer)

    response = client.post(reverse("tickets:confirm", args=[ticket.pk]), follow=True)

    ticket.refresh_from_db()
    assert ticket.status == S.OPEN
    assert TicketEvent.objects.exists() is False
    assert "Only a resolved ticket can be confirmed." in response.content.decode()


def test_confirm_of_another_customers_ticket_is_404(client, customer, other_customer):
    ticket = _resolved_ticket(other_customer)
    client.force_login(customer)

    response = client.post(reverse("tickets:confirm", args=[ticket.pk]))

    assert response.status_code == 404
    ticket.refresh_from_db()
    assert ticket.status == S.RESOLVED


def test_mutations_require_post(client, customer):
    ticket = TicketFactory.create(customer=customer)
    client.force_login(customer)

    assert client.get(reverse("tickets:reply", args=[ticket.pk])).status_code == 405
    assert client.get(reverse("tickets:confirm", args=[ticket.pk])).status_code == 405


# --- attachments ------------------------------------------------------------------------------


def _photo(name: str = "leak.jpg", data: bytes = b"\xff\xd8jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def test_reply_form_takes_files(client, customer):
    ticket = TicketFactory.create(customer=customer)
    client.force_login(customer)

    body = client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()

    assert 'enctype="multipart/form-data"' in body
    assert '<input type="file" name="attachments" multiple' in body
    assert "up to 5 files, 10 MB each" in body


def test_reply_with_files_stores_them_and_lists_them_as_downloads(client, customer):
    ticket = TicketFactory.create(customer=customer)
    client.force_login(customer)

    response = client.post(
        reverse("tickets:reply", args=[ticket.pk]),
        {"body": "Photos of the leak.", "attachments": [_photo(), _photo("drum.png", b"\x89PNG" * 300)]},
        follow=True,
    )

    message = Message.objects.get()
    attachments = list(message.attachments.order_by("pk"))
    assert [(a.original_name, a.size_bytes) for a in attachments] == [("leak.jpg", 6), ("drum.png", 1200)]
    assert response.redirect_chain == [(reverse("tickets:detail", args=[ticket.pk]), 302)]
    body = response.content.decode()
    for attachment, size in zip(attachments, ["6\xa0bytes", "1.2\xa0KB"], strict=True):
        url = reverse("tickets:attachment", args=[attachment.pk])
        assert f'<a href="{url}" download' in body
        assert f'<span class="attachment-name">{attachment.original_name}</span>' in body
        assert f'<span class="attachment-size">{size}</span>' in body


@pytest.mark.parametrize(
    ("files", "max_bytes", "error"),
    [
        pytest.param([_photo(f"p{i}.jpg") for i in range(6)], None, "At most 5 files per message.", id="six_files"),
        pytest.param([_photo(data=b"x" * 2_000_000)], 1_048_576, "“leak.jpg” is larger than 1 MB.", id="too_large"),
        pytest.param([_photo(data=b"")], None, "The submitted file is empty.", id="empty_file"),
    ],
)
def test_bad_files_are_a_field_error_and_nothing_is_written(client, settings, customer, files, max_bytes, error):
    if max_bytes is not None:
        settings.ATTACHMENT_MAX_BYTES = max_bytes
    ticket = TicketFactory.create(customer=customer)
    client.force_login(customer)

    response = client.post(reverse("tickets:reply", args=[ticket.pk]), {"body": "Files", "attachments": files})

    assert response.status_code == 200
    assert response.context["reply_form"].errors["attachments"] == [error]
    assert 'aria-invalid="true" aria-describedby="id_attachments_helptext id_attachments_error"' in (
        response.content.decode()
    )
    assert (Message.objects.exists(), Attachment.objects.exists(), TicketEvent.objects.exists()) == (
        False,
        False,
        False,
    )


def test_attachments_of_internal_notes_never_reach_the_customers_page(client, customer, agent):
    ticket = TicketFactory.create(customer=customer)
    public = AttachmentFactory.create(message__ticket=ticket, original_name="receipt.pdf")
    note = MessageFactory.create(ticket=ticket, author=agent, sender_type=Message.SenderType.AGENT, is_internal=True)
    hidden = AttachmentFactory.create(message=note, original_name="internal-notes.txt")
    client.force_login(customer)

    body = client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()

    assert "receipt.pdf" in body
    assert reverse("tickets:attachment", args=[public.pk]) in body
    assert "internal-notes.txt" not in body
    assert reverse("tickets:attachment", args=[hidden.pk]) not in body


@pytest.mark.parametrize("n_messages", [1, 12], ids=["one_message", "twelve_messages"])
def test_detail_query_count_does_not_grow_with_messages(client, customer, n_messages, django_assert_num_queries):
    ticket = TicketFactory.create(customer=customer)
    for message in MessageFactory.create_batch(n_messages, ticket=ticket):
        AttachmentFactory.create_batch(2, message=message)
    client.force_login(customer)
    url = reverse("tickets:detail", args=[ticket.pk])
    client.get(url)  # warm up

    # session, user, ticket (+ joins), messages (+ authors), attachments, windows, tags
    with django_assert_num_queries(7):
        response = client.get(url)

    assert response.content.decode().count('class="attachment-name"') == 2 * n_messages
