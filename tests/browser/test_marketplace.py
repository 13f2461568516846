"""Two experts propose on the live job board; the visit fills, both see it booked, and the
customer sees the schedule on their ticket page."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.visits.helpers import at, expert, group, skill, ticket
from visits.models import Booking, VisitGroup

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery-staple"


def _sign_in(browser: Browser, live_url: str, email: str) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{live_url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    return page


def test_two_experts_fill_a_visit_and_everyone_sees_the_schedule(transactional_db, live_server, browser, page):
    plumbing = skill("Plumbing")
    on = ticket(postal_code="10115", city="Berlin", subject="Burst pipe under the sink")
    on.customer.set_password(PASSWORD)
    on.customer.save()
    g = group(plumbing, on=on, needed=2)
    anna = expert(plumbing, user__email="anna@example.test", user__full_name="Anna Schmidt", user__password=PASSWORD)
    ben = expert(plumbing, user__email="ben@example.test", user__full_name="Ben Keller", user__password=PASSWORD)
    ten = at(10).strftime("%a %-d %b, %H:%M")

    # Anna signs in and lands on the board: the visit, its area, nobody proposed yet.
    anna_page = _sign_in(browser, live_server.url, "anna@example.test")
    expect(anna_page).to_have_url(re.compile(r"/jobs/$"))
    card = anna_page.locator("article.job-card").filter(has_text="Burst pipe under the sink")
    expect(card).to_contain_text("101xx Berlin")
    expect(card.get_by_test_id("fill")).to_have_text("0 proposed · 2 needed")
    card.get_by_label(ten).check()
    card.get_by_role("button", name="Propose").click()
    expect(anna_page.get_by_text("Proposed 1 start time(s).")).to_be_visible()
    expect(card.get_by_test_id("fill")).to_have_text("1 proposed · 2 needed")

    # Ben proposes the same time: the visit is full and booked at once.
    ben_page = _sign_in(browser, live_server.url, "ben@example.test")
    ben_card = ben_page.locator("article.job-card").filter(has_text="Burst pipe under the sink")
    ben_card.get_by_label(ten).check()
    ben_card.get_by_role("button", name="Propose").click()
    expect(ben_page.locator("article.job-card")).to_have_count(0)
    assert VisitGroup.objects.get(pk=g.pk).status == VisitGroup.Status.SCHEDULED
    assert set(Booking.objects.values_list("expert_id", flat=True)) == {anna.pk, ben.pk}

    # Anna's board updates by itself (polling), without a reload; both see it on their schedule.
    expect(anna_page.locator("article.job-card")).to_have_count(0, timeout=15_000)
    for expert_page in (anna_page, ben_page):
        expert_page.get_by_role("link", name="My schedule").first.click()
        row = expert_page.locator("#upcoming tbody tr")
        expect(row).to_have_count(1)
        expect(row).to_contain_text("Plumbing")
        expect(row).to_contain_text(on.customer.customer_profile.address_line)

    # The customer sees the booked time and both experts on the ticket page.
    customer_page = page
    customer_page.goto(f"{live_server.url}/accounts/login/")
    customer_page.get_by_label("Email").fill(on.customer.email)
    customer_page.get_by_label("Password").fill(PASSWORD)
    customer_page.get_by_role("button", name="Sign in").click()
    customer_page.goto(f"{live_server.url}/tickets/{on.pk}/")
    panel = customer_page.locator("section.visits-panel")
    expect(panel).to_contain_text("Scheduled")
    expect(panel).to_contain_text(at(10).strftime("%A %-d %b, %H:%M"))
    expect(panel).to_contain_text("Anna Schmidt")
    expect(panel).to_contain_text("Ben Keller")
