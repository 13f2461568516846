"""A customer attaches photos to a reply, sees them listed and downloads one; the agent sees them
in the workspace next to a file on an internal note."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.factories import AgentProfileFactory, AttachmentFactory, CustomerFactory, MessageFactory, TicketFactory
from tickets.models import Attachment, Message

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery-staple"


def _sign_in(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_customer_attaches_files_and_downloads_them_agent_sees_them(
    transactional_db, live_server, page: Page, tmp_path: Path
) -> None:
    customer = CustomerFactory.create(email="dana@example.test", full_name="Dana Weber", password=PASSWORD)
    agent = AgentProfileFactory.create(user__email="alex@example.test", user__password=PASSWORD).user
    ticket = TicketFactory.create(customer=customer, subject="Dishwasher leaks")
    note = MessageFactory.create(
        ticket=ticket, author=agent, sender_type=Message.SenderType.AGENT, body="Check hose.", is_internal=True
    )
    AttachmentFactory.create(message=note, original_name="hose-diagram.txt")
    photo = tmp_path / "leak under the door.jpg"
    photo.write_bytes(b"\xff\xd8" + b"jpeg" * 500)
    receipt = tmp_path / "receipt.pdf"
    receipt.write_bytes(b"%PDF-1.4 receipt")

    _sign_in(page, live_server.url, customer.email)
    page.goto(f"{live_server.url}/tickets/{ticket.pk}/")
    page.get_by_label("Your reply").fill("Here are photos of the leak and my receipt.")
    page.get_by_label("Attach files").set_input_files([str(photo), str(receipt)])
    page.get_by_role("button", name="Send reply").click()

    expect(page.get_by_role("status").filter(has_text="your reply was sent")).to_be_visible()
    files = page.get_by_role("list", name="Attachments")
    expect(files.get_by_role("listitem")).to_have_count(2)
    expect(files.get_by_role("listitem").first).to_contain_text("leak under the door.jpg")
    expect(files.get_by_role("listitem").first).to_contain_text("2.0\xa0KB")
    expect(page.get_by_text("hose-diagram.txt")).to_have_count(0)  # an internal note's file

    with page.expect_download() as info:
        files.get_by_role("link", name=re.compile("receipt.pdf")).click()
    download = info.value
    assert download.suggested_filename == "receipt.pdf"
    assert Path(download.path()).read_bytes() == b"%PDF-1.4 receipt"
    assert Attachment.objects.filter(message__ticket=ticket).count() == 3

    page.context.clear_cookies()
    _sign_in(page, live_server.url, agent.email)
    page.goto(f"{live_server.url}/agent/tickets/{ticket.pk}/")
    lists = page.get_by_role("list", name="Attachments")
    expect(lists).to_have_count(2)
    expect(lists.first).to_contain_text("hose-diagram.txt")
    expect(lists.last).to_contain_text("leak under the door.jpg")
    expect(lists.last).to_contain_text("receipt.pdf")
