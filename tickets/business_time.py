"""Business time: a calendar's weekly opening hours in its own time zone, minus public holidays
(the `holidays` package, by country and subdivision) and custom closed days.

Business time is *real* elapsed time inside the open intervals: wall times are turned into
instants in the calendar's zone first, so an interval of 01:00–05:00 lasts three hours on the
night the clocks spring forward and five on the night they fall back. Pure computation, no I/O
except the one-off holiday tables (cached per country, subdivision and year)."""

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.utils.translation import gettext as _

UTC = dt.UTC
ZERO = dt.timedelta(0)
# A calendar that has no open minute in three years is broken; give up instead of looping forever.
MAX_SEARCH_DAYS = 3 * 366

Interval = tuple[dt.time, dt.time]


class CalendarError(ValueError):
    """The calendar cannot answer (no opening hours at all, unknown holiday country…)."""


@lru_cache(maxsize=512)
def public_holidays(country: str, subdivision: str, year: int) -> frozenset[dt.date]:
    """Public holidays of one year; raises CalendarError for an unknown country or subdivision."""
    if not country:
        return frozenset()
    try:
        table = holidays.country_holidays(country.upper(), subdiv=subdivision or None, years=year)
    except NotImplementedError as exc:
        raise CalendarError(str(exc)) from exc
    return frozenset(table.keys())


def holiday_config_error(country: str, subdivision: str) -> str | None:
    """Why this country/subdivision pair is unusable, or None when it is fine."""
    if not country:
        return _("A subdivision needs a country.") if subdivision else None
    supported = holidays.list_supported_countries()
    code = country.upper()
    if code not in supported:
        return _("Unknown country code “%(code)s” (use an ISO code such as DE).") % {"code": country}
    if subdivision and subdivision not in supported[code]:
        return _("“%(sub)s” is not a subdivision of %(code)s (known: %(known)s).") % {
            "sub": subdivision,
            "code": code,
            "known": ", ".join(supported[code]),
        }
    return None


def merge_intervals(intervals: Iterable[Interval]) -> tuple[Interval, ...]:
    """Sort and merge overlapping or touching intervals; drop empty ones."""
    merged: list[Interval] = []
    for opens, closes in sorted(i for i in intervals if i[0] < i[1]):
        if merged and opens <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], closes))
        else:
            merged.append((opens, closes))
    return tuple(merged)


def overlapping_pairs(intervals: Iterable[tuple[int, dt.time, dt.time]]) -> list[tuple[int, Interval, Interval]]:
    """(weekday, a, b) for every two intervals of the same weekday that overlap (touching is fine)."""
    by_day: dict[int, list[Interval]] = {}
    for weekday, opens, closes in intervals:
        by_day.setdefault(weekday, []).append((opens, closes))
    found = []
    for weekday, items in sorted(by_day.items()):
        items.sort()
        for i, a in enumerate(items):
            found.extend((weekday, a, b) for b in items[i + 1 :] if b[0] < a[1])
    return found


@dataclass(frozen=True)
class BusinessSchedule:
    """Opening hours as an immutable value: build once per calendar, then ask `add`/`between`."""

    tz: ZoneInfo
    weekly: tuple[tuple[Interval, ...], ...]  # seven entries, Monday first, merged and sorted
    closed_days: frozenset[dt.date] = frozenset()
    holiday_country: str = ""
    holiday_subdivision: str = ""

    @classmethod
    def build(
        cls,
        *,
        timezone: str,
        hours: Iterable[tuple[int, dt.time, dt.time]],
        closed_days: Iterable[dt.date] = (),
        holiday_country: str = "",
        holiday_subdivision: str = "",
    ) -> "BusinessSchedule":
        per_day: list[list[Interval]] = [[] for _ in range(7)]
        for weekday, opens, closes in hours:
            if 0 <= weekday <= 6:
                per_day[weekday].append((opens, closes))
        return cls(
            tz=ZoneInfo(timezone),
            weekly=tuple(merge_intervals(day) for day in per_day),
            closed_days=frozenset(closed_days),
            holiday_country=holiday_country,
            holiday_subdivision=holiday_subdivision,
        )

    @property
    def has_hours(self) -> bool:
        return any(self.weekly)

    def is_closed(self, day: dt.date) -> bool:
        if day in self.closed_days:
            return True
        return day in public_holidays(self.holiday_country, self.holiday_subdivision, day.year)

    def open_intervals(self, since: dt.datetime) -> Iterator[tuple[dt.datetime, dt.datetime]]:
        """Open intervals as UTC instants, in order, from the local day of `since` onward
        (intervals ending at or before `since` are skipped)."""
        if not self.has_hours:
            raise CalendarError("The calendar has no opening hours.")
        day = since.astimezone(self.tz).date()
        for _day_number in range(MAX_SEARCH_DAYS):
            if not self.is_closed(day):
                for opens, closes in self.weekly[day.weekday()]:
                    start = dt.datetime.combine(day, opens, tzinfo=self.tz).astimezone(UTC)
                    end = dt.datetime.combine(day, closes, tzinfo=self.tz).astimezone(UTC)
                    if end > start and end > since:
                        yield max(start, since), end
            day += dt.timedelta(days=1)
        raise CalendarError(f"No open time within {MAX_SEARCH_DAYS} days.")

    def add(self, start: dt.datetime, amount: dt.timedelta) -> dt.datetime:
        """The instant at which `amount` of business time has passed since `start`. A deadline that
        fits exactly into an interval ends at its closing time, not at the next opening."""
        if amount <= ZERO:
            return start
        remaining = amount
        for opens, closes in self.open_intervals(start):
            if closes - opens >= remaining:
                return opens + remaining
            remaining -= closes - opens
        raise CalendarError("unreachable")  # pragma: no cover - open_intervals raises first

    def between(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """Business time from `start` to `end` (zero when end is not after start)."""
        total = ZERO
        if end <= start:
            return total
        try:
            for opens, closes in self.open_intervals(start):
                if opens >= end:
                    break
                total += min(closes, end) - opens
        except CalendarError:  # closed for years after `start`: what we counted is all there is
            pass
        return total


class WallClock:
    """Round-the-clock time: what a team without a calendar uses."""

    def add(self, start: dt.datetime, amount: dt.timedelta) -> dt.datetime:
        return start + max(amount, ZERO)

    def between(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        return max(end - start, ZERO)


Clock = BusinessSchedule | WallClock
WALL_CLOCK = WallClock()
