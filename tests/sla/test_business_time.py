"""Business-time arithmetic (no database): opening hours, weekends, public holidays by country
and subdivision, closed days, DST changes in Europe/Berlin, exact boundaries."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tickets.business_time import (
    WALL_CLOCK,
    BusinessSchedule,
    CalendarError,
    holiday_config_error,
    merge_intervals,
    overlapping_pairs,
)

BERLIN = ZoneInfo("Europe/Berlin")
H = dt.timedelta(hours=1)
T = dt.time


def berlin(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BERLIN)


def office(country: str = "DE", subdivision: str = "", closed: tuple[dt.date, ...] = (), **hours) -> BusinessSchedule:
    """Mon–Fri 08–18 in Berlin unless `hours` gives weekday -> [(open, close)]."""
    weekly = hours.get("weekly") or {d: [(T(8), T(18))] for d in range(5)}
    return BusinessSchedule.build(
        timezone="Europe/Berlin",
        hours=[(d, a, b) for d, spans in weekly.items() for a, b in spans],
        closed_days=closed,
        holiday_country=country,
        holiday_subdivision=subdivision,
    )


def test_high_ticket_filed_friday_evening_is_due_monday_late_morning():
    friday = berlin(2026, 11, 20, 17, 30)

    assert office().add(friday, 4 * H) == berlin(2026, 11, 23, 11, 30)


def test_a_window_that_fits_exactly_ends_at_closing_time_not_next_opening():
    assert office().add(berlin(2026, 11, 20, 14, 0), 4 * H) == berlin(2026, 11, 20, 18, 0)


@pytest.mark.parametrize(
    ("start", "due"),
    [
        (berlin(2026, 11, 21, 10, 0), berlin(2026, 11, 23, 12, 0)),  # Saturday: starts Monday 08:00
        (berlin(2026, 11, 23, 6, 0), berlin(2026, 11, 23, 12, 0)),  # before opening
        (berlin(2026, 11, 23, 18, 0), berlin(2026, 11, 24, 12, 0)),  # at closing time
        (berlin(2026, 11, 23, 8, 0), berlin(2026, 11, 23, 12, 0)),  # at opening time
    ],
    ids=["weekend", "before-opening", "at-closing", "at-opening"],
)
def test_time_outside_opening_hours_does_not_count(start, due):
    assert office().add(start, 4 * H) == due


def test_easter_holidays_are_skipped():
    maundy_thursday = berlin(2026, 4, 2, 17, 0)  # Good Friday 3 Apr and Easter Monday 6 Apr are closed

    assert office().add(maundy_thursday, 4 * H) == berlin(2026, 4, 7, 11, 0)


@pytest.mark.parametrize(("subdivision", "due"), [("BY", berlin(2026, 1, 7, 9, 0)), ("BE", berlin(2026, 1, 6, 9, 0))])
def test_regional_holidays_follow_the_subdivision(subdivision, due):
    """Epiphany (6 January) is a holiday in Bavaria, not in Berlin."""
    assert office(subdivision=subdivision).add(berlin(2026, 1, 5, 17, 0), 2 * H) == due


def test_custom_closed_days_are_skipped():
    schedule = office(closed=(dt.date(2026, 11, 23),))  # the Monday: company event

    assert schedule.add(berlin(2026, 11, 20, 17, 30), 4 * H) == berlin(2026, 11, 24, 11, 30)


def test_spring_forward_weekend_keeps_local_wall_times():
    """Clocks go 02:00→03:00 on Sunday 29 March 2026: Monday 11:30 CEST is 09:30 UTC."""
    due = office().add(berlin(2026, 3, 27, 17, 30), 4 * H)

    assert due == berlin(2026, 3, 30, 11, 30)
    assert due.astimezone(dt.UTC) == dt.datetime(2026, 3, 30, 9, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("saturday", "hours_on_sunday"), [(dt.date(2026, 3, 28), 3), (dt.date(2026, 10, 24), 5)], ids=["march", "october"]
)
def test_an_interval_across_the_dst_change_counts_real_hours(saturday, hours_on_sunday):
    """Sunday 01:00–05:00 lasts 3 real hours when clocks spring forward and 5 when they fall back."""
    schedule = office(country="", weekly={6: [(T(1), T(5))]})
    start = dt.datetime.combine(saturday, T(12), tzinfo=BERLIN)
    end = start + dt.timedelta(days=2)

    assert schedule.between(start, end) == hours_on_sunday * H
    assert schedule.add(start, hours_on_sunday * H) == dt.datetime.combine(
        saturday + dt.timedelta(days=1), T(5), tzinfo=BERLIN
    )


def test_between_counts_only_open_time():
    schedule = office()

    assert schedule.between(berlin(2026, 11, 20, 17, 0), berlin(2026, 11, 23, 9, 0)) == 2 * H
    assert schedule.between(berlin(2026, 11, 21, 9, 0), berlin(2026, 11, 22, 9, 0)) == dt.timedelta(0)
    assert schedule.between(berlin(2026, 11, 23, 9, 0), berlin(2026, 11, 20, 9, 0)) == dt.timedelta(0)


def test_split_days_with_a_lunch_break():
    schedule = office(weekly={0: [(T(13), T(17)), (T(8), T(12))]})

    assert schedule.add(berlin(2026, 11, 23, 11, 0), 2 * H) == berlin(2026, 11, 23, 14, 0)


def test_overlapping_hours_in_the_database_are_merged_not_counted_twice():
    schedule = office(weekly={0: [(T(8), T(12)), (T(10), T(14))]})

    assert schedule.weekly[0] == ((T(8), T(14)),)
    assert schedule.between(berlin(2026, 11, 23, 0, 0), berlin(2026, 11, 24, 0, 0)) == 6 * H


def test_a_calendar_without_hours_cannot_compute():
    schedule = BusinessSchedule.build(timezone="Europe/Berlin", hours=[])

    assert schedule.has_hours is False
    with pytest.raises(CalendarError):
        schedule.add(berlin(2026, 11, 23, 9, 0), H)


def test_an_unknown_holiday_country_is_a_calendar_error():
    with pytest.raises(CalendarError):
        office(country="XX").add(berlin(2026, 11, 23, 9, 0), H)


def test_wall_clock_counts_every_minute():
    start = berlin(2026, 3, 28, 12, 0)

    assert WALL_CLOCK.add(start, 24 * H) == start + 24 * H
    assert WALL_CLOCK.between(start, start + 3 * H) == 3 * H
    assert WALL_CLOCK.between(start, start - H) == dt.timedelta(0)


@pytest.mark.parametrize(
    ("country", "subdivision", "ok"),
    [("DE", "BY", True), ("de", "", True), ("", "", True), ("XX", "", False), ("DE", "ZZ", False), ("", "BY", False)],
)
def test_holiday_config_is_checked(country, subdivision, ok):
    assert (holiday_config_error(country, subdivision) is None) is ok


def test_overlap_detection_ignores_touching_intervals():
    rows = [(0, T(8), T(12)), (0, T(12), T(16)), (1, T(8), T(12)), (1, T(11), T(13))]

    assert overlapping_pairs(rows) == [(1, (T(8), T(12)), (T(11), T(13)))]
    assert merge_intervals([(T(12), T(16)), (T(8), T(12))]) == ((T(8), T(16)),)


MOMENTS = st.datetimes(
    min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2027, 12, 31), timezones=st.just(BERLIN)
)


@settings(max_examples=200, deadline=None)
@given(start=MOMENTS, minutes=st.integers(min_value=0, max_value=60 * 24 * 10))
def test_between_undoes_add(start, minutes):
    schedule = office(subdivision="BY")
    amount = dt.timedelta(minutes=minutes)

    due = schedule.add(start, amount)

    assert due >= start
    assert schedule.between(start, due) == amount
