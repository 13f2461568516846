import datetime as dt

import pytest

from tests.factories import BusinessCalendarFactory, BusinessHoursFactory, TeamFactory


def make_office_team(**team_fields):
    """A team whose calendar is Mon–Fri 08:00–18:00 in Berlin with German public holidays."""
    calendar = BusinessCalendarFactory.create(timezone="Europe/Berlin", holiday_country="DE")
    for weekday in range(5):
        BusinessHoursFactory.create(calendar=calendar, weekday=weekday, opens_at=dt.time(8), closes_at=dt.time(18))
    return TeamFactory.create(calendar=calendar, **team_fields)


@pytest.fixture
def office_team():
    return make_office_team()
