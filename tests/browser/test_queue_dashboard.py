"""The live queue in a real browser: a row turns from green to orange on the next poll when its
deadline comes closer, and the acknowledge button acknowledges an alert in place."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import AgentProfileFactory, SLAAlertFactory, TicketFactory
from tickets.models import SLAAlert, Ticket

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery-staple"
WINDOW = timedelta(hours=2)


def _sign_in(page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_row_changes_colour_as_its_deadline_approaches_and_alerts_are_acknowledged(
    transactional_db, live_server, page
):
    agent = AgentProfileFactory.create(user__email="ada@example.test", user__password=PASSWORD)
    ticket = TicketFactory.create(subject="Boiler makes noises", assigned_agent=agent)
    created = timezone.now() - WINDOW * 0.1
    Ticket.objects.filter(pk=ticket.pk).update(created_at=created, first_response_due=created + WINDOW)
    alert = SLAAlertFactory.create(ticket=ticket, agent=agent.user)

    _sign_in(page, live_server, "ada@example.test")
    expect(page).to_have_url(re.compile(r"/agent/"))
    page.goto(f"{live_server.url}/agent/queue/?sort=used")
    row = page.locator(f"#queue-ticket-{ticket.pk}")
    expect(row).to_have_class(re.compile(r"\bsla-green\b"))
    expect(page.locator('[data-count="green"]')).to_have_text("1")

    # The deadline moves closer: 90 % of the window is used; the next poll (every 5 s) repaints.
    Ticket.objects.filter(pk=ticket.pk).update(first_response_due=created + (timezone.now() - created) / 0.9)
    expect(row).to_have_class(re.compile(r"\bsla-orange\b"), timeout=15_000)
    expect(page.locator('[data-count="orange"]')).to_have_text("1")
    expect(page.locator('[data-count="green"]')).to_have_text("0")
    expect(page.locator("#queue-sort")).to_have_value("used")  # the sort survived the poll

    # Past the deadline: red with the badge.
    Ticket.objects.filter(pk=ticket.pk).update(first_response_due=timezone.now() - timedelta(minutes=1))
    expect(row).to_have_class(re.compile(r"\bsla-red\b"), timeout=15_000)
    expect(row.get_by_text("Breached")).to_be_visible()

    item = page.locator(f"#sla-alert-{alert.pk}")
    item.get_by_role("button", name="Acknowledge").click()
    expect(item).to_contain_text("Acknowledged")
    expect(item.get_by_role("button", name="Acknowledge")).to_have_count(0)
    alert.refresh_from_db()
    assert (alert.state, alert.acknowledged_by) == (SLAAlert.State.ACKNOWLEDGED, agent.user)
