"""Attachments: who may download which file (selector and download view), and files in the API."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import User
from tests.factories import AttachmentFactory, MessageFactory, TicketFactory
from tickets.models import Attachment, Message, Ticket, TicketEvent
from tickets.selectors import attachment_get_visible_to, attachment_list_visible_to

pytestmark = pytest.mark.django_db

CONTENT = b"leaking pipe"  # what AttachmentFactory stores


def _download_url(attachment: Attachment) -> str:
    return reverse("tickets:attachment", args=[attachment.pk])


def _on_customer_message(customer: User, **kwargs: Any) -> Attachment:
    return AttachmentFactory.create(message=MessageFactory.create(ticket__customer=customer), **kwargs)


def _on_internal_note(customer: User, agent: User) -> Attachment:
    note = MessageFactory.create(
        ticket__customer=customer, author=agent, sender_type=Message.SenderType.AGENT, is_internal=True
    )
    return AttachmentFactory.create(message=note)


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


# --- the selector -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reader", "sees_own", "sees_others", "sees_internal"),
    [
        pytest.param("customer", True, False, False, id="owner_case"),
        pytest.param("other_customer", False, True, False, id="other_customer_case"),
        pytest.param("agent", True, True, True, id="agent_case"),
        pytest.param("lead", True, True, True, id="lead_case"),
        pytest.param("admin_user", True, True, True, id="admin_case"),
        pytest.param("expert", False, False, False, id="expert_case"),
    ],
)
def test_attachments_visible_to_each_role(
    request: pytest.FixtureRequest,
    customer: User,
    other_customer: User,
    agent: User,
    reader: str,
    sees_own: bool,
    sees_others: bool,
    sees_internal: bool,
) -> None:
    own = _on_customer_message(customer)
    others = _on_customer_message(other_customer)
    internal = _on_internal_note(customer, agent)
    user = request.getfixturevalue(reader)

    visible = set(attachment_list_visible_to(user=user))

    expected = {a for a, seen in ((own, sees_own), (others, sees_others), (internal, sees_internal)) if seen}
    assert visible == expected
    assert attachment_get_visible_to(user=user, pk=own.pk) == (own if sees_own else None)


def test_an_attachment_that_does_not_exist_is_none(agent: User) -> None:
    assert attachment_get_visible_to(user=agent, pk=-1) is None


# --- the download view ------------------------------------------------------------------------


def test_the_owner_downloads_the_file_as_an_attachment(client, customer: User) -> None:
    attachment = _on_customer_message(customer, original_name="Leak photo ü.jpg", content_type="image/jpeg")
    client.force_login(customer)

    response = client.get(_download_url(attachment))

    assert response.status_code == 200
    assert _body(response) == CONTENT
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''Leak%20photo%20%C3%BC.jpg"
    assert response["Content-Length"] == str(len(CONTENT))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private, no-store"


def test_a_file_without_a_content_type_is_served_as_octet_stream(client, customer: User) -> None:
    attachment = _on_customer_message(customer, content_type="")
    client.force_login(customer)

    response = client.get(_download_url(attachment))

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="photo.txt"'


@pytest.mark.parametrize("staff", ["agent", "lead", "admin_user"])
def test_staff_download_any_attachment_including_internal_notes(
    client, request: pytest.FixtureRequest, customer: User, agent: User, staff: str
) -> None:
    public = _on_customer_message(customer)
    internal = _on_internal_note(customer, agent)
    client.force_login(request.getfixturevalue(staff))

    assert _body(client.get(_download_url(public))) == CONTENT
    assert _body(client.get(_download_url(internal))) == CONTENT


def test_another_customer_gets_404(client, customer: User, other_customer: User) -> None:
    attachment = _on_customer_message(customer)
    client.force_login(other_customer)

    response = client.get(_download_url(attachment))

    assert response.status_code == 404
    assert CONTENT not in response.content


def test_a_customer_gets_404_for_an_internal_notes_attachment(client, customer: User, agent: User) -> None:
    attachment = _on_internal_note(customer, agent)
    client.force_login(customer)

    response = client.get(_download_url(attachment))

    assert response.status_code == 404
    assert CONTENT not in response.content


def test_an_expert_gets_404(client, customer: User, expert: User) -> None:
    attachment = _on_customer_message(customer)
    client.force_login(expert)

    assert client.get(_download_url(attachment)).status_code == 404


def test_a_missing_attachment_is_404(client, agent: User) -> None:
    client.force_login(agent)

    assert client.get(reverse("tickets:attachment", args=[999_999_999])).status_code == 404


def test_a_row_whose_file_is_gone_is_404_not_500(client, customer: User) -> None:
    attachment = _on_customer_message(customer)
    attachment.file.storage.delete(attachment.file.name)
    client.force_login(customer)

    assert client.get(_download_url(attachment)).status_code == 404


def test_anonymous_is_redirected_to_sign_in(client, customer: User) -> None:
    attachment = _on_customer_message(customer)
    url = _download_url(attachment)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"


def test_download_is_get_only(client, customer: User) -> None:
    attachment = _on_customer_message(customer)
    client.force_login(customer)

    assert client.post(_download_url(attachment)).status_code == 405


@pytest.mark.parametrize("role", ["customer", "agent"])
def test_download_query_count(
    client, request: pytest.FixtureRequest, django_assert_num_queries: Any, customer: User, role: str
) -> None:
    attachment = _on_customer_message(customer)
    client.force_login(request.getfixturevalue(role))

    with django_assert_num_queries(3):  # session, user, the scoped attachment
        response = client.get(_download_url(attachment))

    assert _body(response) == CONTENT


# --- API clients download with their token ----------------------------------------------------


def _token(user: User) -> str:
    return Token.objects.create(user=user).key


def test_an_api_client_downloads_with_its_token(customer: User) -> None:
    attachment = _on_customer_message(customer)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {_token(customer)}")

    response = client.get(_download_url(attachment))

    assert response.status_code == 200
    assert _body(response) == CONTENT
    assert "_auth_user_id" not in client.session  # the token signs in this request only


def test_another_customers_token_gets_404(customer: User, other_customer: User) -> None:
    attachment = _on_customer_message(customer)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {_token(other_customer)}")

    assert client.get(_download_url(attachment)).status_code == 404


@pytest.mark.parametrize(
    "header",
    [
        pytest.param("Token " + "0" * 40, id="unknown_token_case"),
        pytest.param("Token", id="empty_token_case"),
        pytest.param("Token a b", id="token_with_spaces_case"),
    ],
)
def test_a_bad_token_is_a_401(customer: User, header: str) -> None:
    attachment = _on_customer_message(customer)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)

    response = client.get(_download_url(attachment))

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert CONTENT not in response.content


def test_an_inactive_users_token_is_a_401(customer: User) -> None:
    attachment = _on_customer_message(customer)
    key = _token(customer)
    User.objects.filter(pk=customer.pk).update(is_active=False)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    assert client.get(_download_url(attachment)).status_code == 401


# --- files through the API --------------------------------------------------------------------


def _api(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def _messages_url(ticket: Ticket) -> str:
    return reverse("api:ticket-messages", args=[ticket.pk])


def _upload(name: str = "leak.jpg", data: bytes = b"\xff\xd8jpeg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_messages_list_their_attachments_with_a_download_url(customer: User) -> None:
    attachment = _on_customer_message(customer, original_name="leak.jpg", content_type="image/jpeg")

    response = _api(customer).get(_messages_url(attachment.message.ticket))

    assert response.json()["results"][0]["attachments"] == [
        {
            "id": attachment.pk,
            "name": "leak.jpg",
            "size_bytes": 12,
            "content_type": "image/jpeg",
            "url": f"http://testserver/tickets/attachments/{attachment.pk}/",
        }
    ]


def test_the_ticket_detail_lists_attachments_too(customer: User) -> None:
    attachment = _on_customer_message(customer)

    body = _api(customer).get(reverse("api:ticket-detail", args=[attachment.message.ticket_id])).json()

    assert [a["url"] for a in body["messages"][0]["attachments"]] == [
        f"http://testserver/tickets/attachments/{attachment.pk}/"
    ]


def test_a_multipart_reply_stores_its_files(customer: User) -> None:
    ticket = TicketFactory.create(customer=customer)
    files = [_upload(), _upload("invoice.pdf", b"%PDF-1.4", "application/pdf")]

    response = _api(customer).post(
        _messages_url(ticket), {"body": "Photos attached.", "attachments": files}, format="multipart"
    )

    assert response.status_code == 201
    message = Message.objects.get()
    stored = list(message.attachments.order_by("pk"))
    assert [(a.original_name, a.content_type, a.size_bytes) for a in stored] == [
        ("leak.jpg", "image/jpeg", 6),
        ("invoice.pdf", "application/pdf", 8),
    ]
    assert [a["name"] for a in response.json()["attachments"]] == ["leak.jpg", "invoice.pdf"]
    assert response.json()["body"] == "Photos attached."
    # The returned url downloads the stored file for the same user.
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {_token(customer)}")
    assert _body(client.get(response.json()["attachments"][1]["url"])) == b"%PDF-1.4"


def test_a_staff_internal_note_with_a_file_by_multipart(agent: User) -> None:
    ticket = TicketFactory.create()

    response = _api(agent).post(
        _messages_url(ticket), {"body": "Warranty card.", "internal": "true", "attachments": [_upload()]}
    )

    assert response.status_code == 201
    assert (response.json()["internal"], len(response.json()["attachments"])) == (True, 1)
    assert Message.objects.get().is_internal is True


def test_multipart_without_files_still_works(customer: User) -> None:
    ticket = TicketFactory.create(customer=customer)

    response = _api(customer).post(_messages_url(ticket), {"body": "No photo."}, format="multipart")

    assert response.status_code == 201
    assert response.json()["attachments"] == []


def test_json_replies_keep_working_and_cannot_smuggle_files(customer: User) -> None:
    ticket = TicketFactory.create(customer=customer)
    client = _api(customer)

    plain = client.post(_messages_url(ticket), {"body": "Plain JSON."}, format="json")
    smuggled = client.post(_messages_url(ticket), {"body": "x", "attachments": ["/etc/passwd"]}, format="json")

    assert (plain.status_code, plain.json()["attachments"]) == (201, [])
    assert smuggled.status_code == 400
    assert list(smuggled.json()) == ["attachments"]
    assert Attachment.objects.exists() is False


@pytest.mark.parametrize(
    ("files", "max_bytes"),
    [
        pytest.param([_upload(f"p{i}.jpg") for i in range(6)], None, id="six_files_case"),
        pytest.param([_upload(data=b"x" * 11)], 10, id="oversized_case"),
        pytest.param([_upload(data=b"")], None, id="empty_file_case"),
    ],
)
def test_bad_files_are_a_400_on_attachments_and_write_nothing(
    settings, customer: User, files: list[SimpleUploadedFile], max_bytes: int | None
) -> None:
    if max_bytes is not None:
        settings.ATTACHMENT_MAX_BYTES = max_bytes
    ticket = TicketFactory.create(customer=customer)

    response = _api(customer).post(_messages_url(ticket), {"body": "Files", "attachments": files}, format="multipart")

    assert response.status_code == 400
    assert list(response.json()) == ["attachments"]
    assert (Message.objects.exists(), Attachment.objects.exists(), TicketEvent.objects.exists()) == (
        False,
        False,
        False,
    )
