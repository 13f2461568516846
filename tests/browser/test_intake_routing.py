"""Intake in a real browser: a customer files a ticket through the form; an agent opens it and
sees its category, priority and why it was routed to them (category / priority / team / agent)."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import AgentProfileFactory, AgentSkillFactory, CustomerFactory, PriorityRuleFactory
from tests.triage.conftest import _fresh_registry, categories, fitted, models  # noqa: F401  # shared fixtures
from tickets.models import Ticket

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery-staple"


def _sign_in(page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_filed_ticket_shows_category_priority_and_routing_reason_to_the_agent(
    transactional_db, live_server, page, request
):
    request.getfixturevalue("models")  # the category and severity models, active
    plumbing = request.getfixturevalue("categories")["plumbing"]
    PriorityRuleFactory.create(name="Urgent words", keywords=["dringend", "urgent"], priority="HIGH")
    agent = AgentProfileFactory.create(
        team=plumbing.default_team,
        user__email="piet@example.test",
        user__full_name="Piet Pipe",
        user__password=PASSWORD,
    )
    AgentSkillFactory.create(agent=agent, category=plumbing, level=4)
    CustomerFactory.create(email="dana@example.test", password=PASSWORD)

    _sign_in(page, live_server, "dana@example.test")
    expect(page).to_have_url(re.compile(r"/tickets/$"))
    page.goto(f"{live_server.url}/tickets/new/")
    page.get_by_label("Subject").fill("Dringend: Wasserhahn tropft")
    page.get_by_label("What happened?").fill("Der Wasserhahn im Bad tropft die ganze Zeit. Das Eckventil ist zu.")
    page.get_by_role("button", name="File ticket").click()
    ticket = Ticket.objects.get()
    expect(page).to_have_url(re.compile(rf"/tickets/{ticket.pk}/$"))
    assert (ticket.category, ticket.priority, ticket.assigned_agent) == (plumbing, "HIGH", agent)

    page.context.clear_cookies()
    _sign_in(page, live_server, "piet@example.test")
    page.goto(f"{live_server.url}/agent/tickets/{ticket.pk}/")

    details = page.locator("dl.facts")
    expect(details.get_by_text(re.compile(r"^Plumbing \(0\.\d\d\)$"))).to_be_visible()  # category, confidence
    expect(details.get_by_text("keyword 'dringend' in subject")).to_be_visible()
    why = page.locator("#triage-why")
    expect(why.get_by_role("heading", name="Why this routing")).to_be_visible()
    expect(why.get_by_text(re.compile(r"Classifier v1: Plumbing with confidence 0\.\d\d"))).to_be_visible()
    expect(why.get_by_text("High: keyword 'dringend' in subject")).to_be_visible()
    expect(why.get_by_text("The default team of the category.")).to_be_visible()
    expect(why.get_by_text(re.compile(r"highest score \d\.\d\d of 1 available agents"))).to_be_visible()
    expect(why.get_by_role("listitem").filter(has_text="Piet Pipe")).to_contain_text("skill 4/5")
