"""A customer signs in, files a ticket through the form and finds it under "My tickets"."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import CustomerFactory
from tickets.models import Ticket

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery-staple"


def test_customer_signs_in_files_a_ticket_and_sees_it_in_my_tickets(transactional_db, live_server, page):
    customer = CustomerFactory.create(email="dana@example.test", full_name="Dana Weber", password=PASSWORD)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()

    # Sign in through the sign-in page.
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("dana@example.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/tickets/$"))
    expect(page.get_by_role("heading", name="My tickets")).to_be_visible()
    expect(page.get_by_text("No tickets yet")).to_be_visible()

    # File a ticket through the new-ticket form.
    page.get_by_role("link", name="New ticket").click()
    page.get_by_label("Subject").fill("Dishwasher stops mid-cycle")
    page.get_by_label("What happened?").fill("Since Monday it beeps three times and stops after ten minutes.")
    page.get_by_label("Appliance model").fill("Siemens SN23HI60")
    page.get_by_label("Window 1: Date").fill(tomorrow)
    page.get_by_label("Window 1: From").fill("09:00")
    page.get_by_label("Window 1: To").fill("12:00")
    page.get_by_role("button", name="File ticket").click()

    ticket = Ticket.objects.get(customer=customer)
    expect(page).to_have_url(re.compile(rf"/tickets/{ticket.pk}/$"))
    expect(page.get_by_role("status").filter(has_text=f"Ticket #{ticket.number} filed")).to_be_visible()
    assert ticket.preferred_windows.count() == 1

    # The ticket is listed under "My tickets".
    page.get_by_role("link", name="My tickets").first.click()
    row = page.get_by_role("row").filter(has_text="Dishwasher stops mid-cycle")
    expect(row).to_be_visible()
    expect(row.get_by_text("Open")).to_be_visible()
    expect(row.get_by_text(f"#{ticket.number}")).to_be_visible()
