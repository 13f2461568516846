"""Deflection in a real browser: suggestions appear while the subject is typed; "This solved my
problem" creates no ticket and records a deflection; "I still need help" keeps the form."""

import re

import pytest
from playwright.sync_api import expect

from kb.models import Article, DeflectionEvent, TicketArticleLink
from kb.services import article_save_version
from tests.factories import AgentProfileFactory, CustomerFactory, TicketFactory
from tickets.models import Ticket

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery-staple"


def _articles() -> None:
    for title, body in [
        ("Washing machine won't drain", "Clean the drain pump filter and check the drain hose for kinks."),
        ("Dishwasher error E15", "Water in the base tray: tilt the dishwasher back to let it run out."),
        ("Boiler pressure too low", "Top the heating up to 1.5 bar with the filling loop."),
    ]:
        article_save_version(article=Article(title=title, body_markdown=body, status="PUBLISHED"), actor=None)


def _sign_in(page, live_server) -> None:
    CustomerFactory.create(email="dana@example.test", password=PASSWORD)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("dana@example.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/tickets/$"))


def test_typing_shows_suggestions_and_this_solved_my_problem_files_no_ticket(transactional_db, live_server, page):
    _articles()
    _sign_in(page, live_server)
    page.goto(f"{live_server.url}/tickets/new/")

    subject = page.get_by_label("Subject")
    subject.press_sequentially("washing machin", delay=30)
    suggestions = page.locator("#kb-suggestions")
    expect(suggestions.get_by_role("link", name="Washing machine won't drain")).to_be_visible()
    expect(suggestions.get_by_role("link", name="Boiler pressure too low")).to_have_count(0)
    expect(subject).to_have_value("washing machin")  # no reload: the typed text stays
    page.get_by_label("What happened?").fill("Water stays in the drum after every wash.")

    suggestions.get_by_role("link", name="Washing machine won't drain").click()
    expect(page.get_by_role("heading", name="Washing machine won't drain")).to_be_visible()
    page.get_by_role("button", name="This solved my problem").click()

    expect(page.get_by_text("no ticket was created")).to_be_visible()
    assert Ticket.objects.exists() is False
    event = DeflectionEvent.objects.get()
    assert (event.article.title, event.query, event.ticket) == ("Washing machine won't drain", "washing machin", None)


def test_i_still_need_help_returns_to_the_form_with_everything_kept(transactional_db, live_server, page):
    _articles()
    _sign_in(page, live_server)
    page.goto(f"{live_server.url}/tickets/new/")
    page.get_by_label("Subject").press_sequentially("dishwasher E15", delay=20)
    page.get_by_label("What happened?").fill("It beeps and shows E15.")
    page.get_by_label("Appliance model").fill("Bosch SMS46")

    page.locator("#kb-suggestions").get_by_role("link", name="Dishwasher error E15").click()
    page.get_by_role("link", name="I still need help").click()

    expect(page).to_have_url(re.compile(r"/tickets/new/"))
    expect(page.get_by_label("Subject")).to_have_value("dishwasher E15")
    expect(page.get_by_label("What happened?")).to_have_value("It beeps and shows E15.")
    expect(page.get_by_label("Appliance model")).to_have_value("Bosch SMS46")
    expect(page.locator("#kb-suggestions").get_by_role("link", name="Dishwasher error E15")).to_be_visible()
    page.get_by_role("button", name="File ticket").click()

    ticket = Ticket.objects.get()
    expect(page).to_have_url(re.compile(rf"/tickets/{ticket.pk}/$"))
    assert (ticket.subject, ticket.description) == ("dishwasher E15", "It beeps and shows E15.")
    assert DeflectionEvent.objects.exists() is False
    # The acknowledgement offers the article again; saying it solved the problem resolves the ticket.
    panel = page.locator("#kb-ticket-suggestions")
    expect(panel.get_by_role("link", name="Dishwasher error E15")).to_be_visible()
    panel.get_by_role("button", name="This article solved it").click()
    expect(page.get_by_text(f"Ticket #{ticket.number} is marked as resolved.")).to_be_visible()
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.RESOLVED
    assert DeflectionEvent.objects.get().ticket == ticket


def test_agent_inserts_a_suggested_article_into_the_reply_and_links_it(transactional_db, live_server, page):
    _articles()
    agent = AgentProfileFactory.create(user__email="alex@example.test", user__password=PASSWORD).user
    ticket = TicketFactory.create(subject="Boiler pressure dropped", description="Radiators are cold.")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(agent.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.goto(f"{live_server.url}/agent/tickets/{ticket.pk}/")
    panel = page.locator("#kb-agent-panel")
    expect(panel.get_by_role("link", name="Boiler pressure too low")).to_be_visible()
    page.get_by_label("Reply or internal note").fill("Hello, please try this:")
    panel.get_by_role("button", name="Insert into reply").first.click()

    reply = page.get_by_label("Reply or internal note").input_value()
    assert reply.startswith("Hello, please try this:\n\nBoiler pressure too low\n")
    assert re.search(r"/kb/articles/boiler-pressure-too-low/\n$", reply)

    panel.get_by_role("button", name="Link article").click()
    expect(panel.get_by_text("Linked “Boiler pressure too low” to this ticket.")).to_be_visible()
    assert TicketArticleLink.objects.get().article.title == "Boiler pressure too low"
