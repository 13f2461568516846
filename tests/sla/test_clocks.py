"""SLA deadlines and at-risk instants from policies and team calendars; the WAITING_ON_CUSTOMER
pause in business time; clocks settled when a ticket is resolved or closed."""

import datetime as dt
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests.factories import (
    BusinessCalendarFactory,
    BusinessHoursFactory,
    ClosedDayFactory,
    CustomerFactory,
    SLAPolicyFactory,
    TeamFactory,
    TicketFactory,
)
from tickets.models import SLAStatus, Ticket
from tickets.services import ticket_create, ticket_reply, ticket_transition
from tickets.services.sla import sla_clock_resume, sla_deadlines

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")
S = Ticket.Status


def berlin(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BERLIN)


def test_high_ticket_in_business_hours_friday_evening(office_team):
    SLAPolicyFactory.create(priority="HIGH", team=office_team, first_response_minutes=240, resolution_minutes=1440)

    sla = sla_deadlines(priority="HIGH", team=office_team, is_vip=False, start=berlin(2026, 11, 20, 17, 30))

    assert sla.first_response_due == berlin(2026, 11, 23, 11, 30)
    assert sla.first_response_risk_at == berlin(2026, 11, 23, 10, 42)  # 80 % of 240 business minutes = 192
    assert sla.resolution_risk_at == berlin(2026, 11, 24, 16, 42)  # 0.5 h Fri + 10 h Mon + 8.7 h Tue
    assert sla.resolution_due == berlin(2026, 11, 25, 11, 30)  # 24 business hours


def test_at_risk_share_comes_from_the_policy(office_team):
    SLAPolicyFactory.create(
        priority="HIGH", team=office_team, first_response_minutes=100, resolution_minutes=100, at_risk_percent=50
    )

    sla = sla_deadlines(priority="HIGH", team=office_team, is_vip=False, start=berlin(2026, 11, 23, 9, 0))

    assert sla.first_response_risk_at == berlin(2026, 11, 23, 9, 50)
    assert sla.first_response_due == berlin(2026, 11, 23, 10, 40)


def test_team_without_calendar_counts_wall_clock_time():
    team = TeamFactory.create()
    SLAPolicyFactory.create(priority="HIGH", team=team, first_response_minutes=240, resolution_minutes=600)
    start = berlin(2026, 11, 20, 17, 30)

    sla = sla_deadlines(priority="HIGH", team=team, is_vip=False, start=start)

    assert (sla.first_response_risk_at, sla.first_response_due) == (
        start + timedelta(minutes=192),
        start + 4 * timedelta(hours=1),
    )


def test_calendar_without_hours_falls_back_to_wall_clock():
    team = TeamFactory.create(calendar=BusinessCalendarFactory.create())
    start = berlin(2026, 11, 20, 17, 30)

    sla = sla_deadlines(priority="HIGH", team=team, is_vip=False, start=start)  # default HIGH policy: 4 h

    assert sla.first_response_due == start + timedelta(hours=4)


def test_unusable_holiday_country_falls_back_to_wall_clock_instead_of_failing_intake():
    calendar = BusinessCalendarFactory.create(holiday_country="XX")
    BusinessHoursFactory.create(calendar=calendar, weekday=0)
    team = TeamFactory.create(calendar=calendar)
    start = berlin(2026, 11, 20, 17, 30)

    sla = sla_deadlines(priority="HIGH", team=team, is_vip=False, start=start)

    assert sla.first_response_due == start + timedelta(hours=4)


def test_ticket_create_stores_deadlines_and_at_risk_instants():
    before = timezone.now()

    ticket = ticket_create(customer=CustomerFactory.create(), subject="Oven dead", description="No heat at all.")

    # default MEDIUM policy: 8 h / 72 h, the last 20 % at risk; no team, so wall-clock
    assert timedelta(hours=6, minutes=24) <= ticket.first_response_risk_at - before < timedelta(hours=6, minutes=25)
    assert ticket.first_response_due - ticket.first_response_risk_at == timedelta(minutes=96)
    assert ticket.resolution_due - ticket.resolution_risk_at == timedelta(hours=14, minutes=24)


# --- pause and resume ---------------------------------------------------------------------------


def test_resume_moves_the_deadline_by_paused_business_time(office_team):
    ticket = TicketFactory.create(
        team=office_team, resolution_due=berlin(2026, 11, 24, 12, 0), resolution_risk_at=berlin(2026, 11, 24, 10, 0)
    )

    # paused Friday 17:00 (1 business hour left that day), resumed Monday 10:00: 3 business hours paused
    fields = sla_clock_resume(
        ticket=ticket, paused_at=berlin(2026, 11, 20, 17, 0), resumed_at=berlin(2026, 11, 23, 10, 0)
    )

    assert fields == ["resolution_due", "resolution_risk_at"]
    assert ticket.resolution_due == berlin(2026, 11, 24, 15, 0)
    assert ticket.resolution_risk_at == berlin(2026, 11, 24, 13, 0)


def test_a_pause_over_the_weekend_only_costs_business_time(office_team):
    ticket = TicketFactory.create(team=office_team, resolution_due=berlin(2026, 11, 23, 9, 0), resolution_risk_at=None)

    # paused at Friday's closing time, resumed at Monday's opening: no business time passed
    sla_clock_resume(ticket=ticket, paused_at=berlin(2026, 11, 20, 18, 0), resumed_at=berlin(2026, 11, 23, 8, 0))

    assert ticket.resolution_due == berlin(2026, 11, 23, 9, 0)
    assert ticket.resolution_risk_at is None


def test_resume_across_the_dst_change_keeps_business_hours(office_team):
    ticket = TicketFactory.create(team=office_team, resolution_due=berlin(2026, 3, 30, 10, 0))

    sla_clock_resume(ticket=ticket, paused_at=berlin(2026, 3, 27, 16, 0), resumed_at=berlin(2026, 3, 30, 8, 0))

    assert ticket.resolution_due == berlin(2026, 3, 30, 12, 0)  # 2 h of Friday paused, across 29 March


def test_a_deadline_that_passed_before_the_pause_stays_breached(office_team):
    due = berlin(2026, 11, 20, 12, 0)
    ticket = TicketFactory.create(team=office_team, resolution_due=due)

    sla_clock_resume(ticket=ticket, paused_at=berlin(2026, 11, 20, 15, 0), resumed_at=berlin(2026, 11, 23, 15, 0))

    assert ticket.resolution_due == due


def test_waiting_on_customer_and_back_moves_the_deadline_by_business_time_only(agent):
    """Through the lifecycle: the pause falls on two closed days, so the deadline does not move
    (a wall-clock clock would move it by the two hours paused)."""
    today = timezone.localdate()
    calendar = BusinessCalendarFactory.create(timezone="Europe/Berlin", holiday_country="")
    for weekday in range(7):
        BusinessHoursFactory.create(calendar=calendar, weekday=weekday, opens_at=dt.time(0), closes_at=dt.time(23, 59))
    for day in (today - timedelta(days=1), today):
        ClosedDayFactory.create(calendar=calendar, date=day)
    tomorrow_start = dt.datetime.combine(today + timedelta(days=1), dt.time(0), tzinfo=timezone.get_current_timezone())
    due = tomorrow_start + timedelta(hours=5)
    ticket = TicketFactory.create(team=TeamFactory.create(calendar=calendar), resolution_due=due)
    Ticket.objects.filter(pk=ticket.pk).update(
        status=S.WAITING_ON_CUSTOMER, sla_paused_at=timezone.now() - timedelta(hours=2)
    )

    ticket_reply(ticket=ticket, author=ticket.customer, body="Here is the photo you asked for.")

    ticket.refresh_from_db()
    assert (ticket.status, ticket.sla_paused_at, ticket.resolution_due) == (S.IN_PROGRESS, None, due)


# --- clocks settled by transitions ----------------------------------------------------------------


def test_resolving_after_the_deadline_settles_the_resolution_clock_as_breached(agent):
    ticket = TicketFactory.create(
        status=S.IN_PROGRESS,
        first_response_at=timezone.now() - timedelta(hours=3),
        first_response_due=timezone.now() - timedelta(hours=2),
        resolution_due=timezone.now() - timedelta(minutes=1),
    )

    ticket_transition(ticket=ticket, to_status=S.RESOLVED, actor=agent)

    ticket.refresh_from_db()
    assert (ticket.first_response_sla, ticket.resolution_sla, ticket.sla_breached) == (
        SLAStatus.WITHIN,
        SLAStatus.BREACHED,
        True,
    )


def test_resolving_in_time_leaves_the_clocks_within(agent):
    ticket = TicketFactory.create(status=S.IN_PROGRESS, first_response_at=timezone.now())

    ticket_transition(ticket=ticket, to_status=S.RESOLVED, actor=agent)

    ticket.refresh_from_db()
    assert (ticket.first_response_sla, ticket.resolution_sla, ticket.sla_breached) == (
        SLAStatus.WITHIN,
        SLAStatus.WITHIN,
        False,
    )


def test_closing_an_unanswered_overdue_ticket_settles_first_response_as_breached(agent):
    ticket = TicketFactory.create(first_response_due=timezone.now() - timedelta(minutes=5))

    ticket_transition(ticket=ticket, to_status=S.CLOSED, actor=agent)

    ticket.refresh_from_db()
    assert (ticket.first_response_sla, ticket.resolution_sla, ticket.sla_breached) == (
        SLAStatus.BREACHED,
        SLAStatus.WITHIN,
        True,
    )
