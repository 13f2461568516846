"""Bad SLA configuration is refused in the admin with a clear message (never a database error),
and the SLA engine's records are reachable there."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import (
    BusinessCalendarFactory,
    BusinessHoursFactory,
    SLAAlertFactory,
    SLAPolicyFactory,
    TeamFactory,
)
from tickets.models import BusinessCalendar, BusinessHours, SLAAlert, SLAPolicy

pytestmark = pytest.mark.django_db


def _calendar_form(hours: list[tuple[int, str, str]], **fields) -> dict:
    data = {
        "name": "Support office",
        "timezone": "Europe/Berlin",
        "holiday_country": "DE",
        "holiday_subdivision": "",
        "hours-TOTAL_FORMS": len(hours),
        "hours-INITIAL_FORMS": 0,
        "closed_days-TOTAL_FORMS": 0,
        "closed_days-INITIAL_FORMS": 0,
        **fields,
    }
    for i, (weekday, opens, closes) in enumerate(hours):
        data |= {f"hours-{i}-weekday": weekday, f"hours-{i}-opens_at": opens, f"hours-{i}-closes_at": closes}
    return data


def _errors(response) -> str:
    """All error texts of an admin change form (fields, form, inlines)."""
    context = response.context
    parts = [str(context["adminform"].form.errors)]
    for inline in context["inline_admin_formsets"]:
        parts += [str(inline.formset.non_form_errors()), str(inline.formset.errors)]
    return " ".join(parts)


ADD_CALENDAR = reverse("admin:tickets_businesscalendar_add")


def test_a_good_calendar_is_saved(admin_client):
    response = admin_client.post(
        ADD_CALENDAR, _calendar_form([(0, "08:00", "12:00"), (0, "12:00", "16:00")], holiday_subdivision="BY")
    )

    assert response.status_code == 302
    calendar = BusinessCalendar.objects.get()
    assert (calendar.holiday_country, calendar.hours.count()) == ("DE", 2)


def test_overlapping_hours_on_one_weekday_are_refused(admin_client):
    response = admin_client.post(ADD_CALENDAR, _calendar_form([(0, "08:00", "12:00"), (0, "11:00", "14:00")]))

    assert response.status_code == 200
    assert "Mon: 08:00–12:00 overlaps 11:00–14:00." in _errors(response)
    assert BusinessCalendar.objects.exists() is False


def test_closing_before_opening_is_a_field_error_not_a_database_error(admin_client):
    response = admin_client.post(ADD_CALENDAR, _calendar_form([(2, "18:00", "08:00")]))

    assert response.status_code == 200
    assert "Closing time must be after opening time" in _errors(response)
    assert "violated" not in _errors(response)
    assert BusinessHours.objects.exists() is False


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"holiday_country": "XX"}, "Unknown country code “XX”"),
        ({"holiday_subdivision": "ZZ"}, "“ZZ” is not a subdivision of DE"),
        ({"holiday_country": "", "holiday_subdivision": "BY"}, "A subdivision needs a country."),
        ({"timezone": "Mars/Olympus"}, "Unknown time zone Mars/Olympus."),
    ],
)
def test_bad_holiday_or_time_zone_settings_are_refused(admin_client, fields, message):
    response = admin_client.post(ADD_CALENDAR, _calendar_form([(0, "08:00", "18:00")], **fields))

    assert response.status_code == 200
    assert message in _errors(response)
    assert BusinessCalendar.objects.exists() is False


def test_the_standalone_hours_form_checks_the_calendars_saved_rows(admin_client):
    calendar = BusinessCalendarFactory.create()
    BusinessHoursFactory.create(calendar=calendar, weekday=4)  # Fri 08–18

    response = admin_client.post(
        reverse("admin:tickets_businesshours_add"),
        {"calendar": calendar.pk, "weekday": 4, "opens_at": "17:00", "closes_at": "20:00"},
    )

    assert response.status_code == 200
    assert "Fri: 08:00–18:00 overlaps 17:00–20:00." in str(response.context["adminform"].form.errors)
    assert calendar.hours.count() == 1


def _policy_form(**fields) -> dict:
    return {
        "name": "High, plumbing",
        "priority": "HIGH",
        "team": "",
        "first_response_minutes": 60,
        "resolution_minutes": 240,
        "at_risk_percent": 20,
        "escalate_at_risk_to": "SENIOR_AGENT",
        "is_active": "on",
        **fields,
    }


def test_a_policy_whose_resolution_is_shorter_than_first_response_is_refused(admin_client):
    team = TeamFactory.create()
    url = reverse("admin:tickets_slapolicy_add")

    response = admin_client.post(url, _policy_form(team=team.pk, first_response_minutes=120, resolution_minutes=60))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["resolution_minutes"] == [
        "The resolution target (60 min) cannot be shorter than the first response (120 min)."
    ]
    assert SLAPolicy.objects.filter(team=team).exists() is False


def test_a_second_active_policy_for_the_same_scope_is_refused(admin_client):
    team = TeamFactory.create()
    SLAPolicyFactory.create(name="Existing", priority="HIGH", team=team)

    response = admin_client.post(reverse("admin:tickets_slapolicy_add"), _policy_form(team=team.pk))

    assert response.status_code == 200
    assert "Another active policy (“Existing”) already covers" in str(response.context["adminform"].form.errors)
    assert SLAPolicy.objects.filter(team=team).count() == 1


def test_a_valid_policy_is_saved(admin_client):
    team = TeamFactory.create()

    response = admin_client.post(reverse("admin:tickets_slapolicy_add"), _policy_form(team=team.pk, at_risk_percent=25))

    assert response.status_code == 302
    assert SLAPolicy.objects.get(team=team).at_risk_percent == 25


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://hooks.slack.com/services/T0/B0/x", True),
        ("http://chat.internal:8080/hook", True),
        ("ftp://files.example.com/hook", False),
        ("file:///etc/passwd", False),
    ],
)
def test_team_webhook_urls_must_be_http_or_https(admin_client, url, ok):
    team = TeamFactory.create(name="Plumbing")

    response = admin_client.post(
        reverse("admin:tickets_team_change", args=[team.pk]),
        {"name": "Plumbing", "touch_and_hold": "on", "chat_webhook_url": url},
    )

    team.refresh_from_db()
    assert (response.status_code == 302, team.chat_webhook_url == url) == (ok, ok)


def test_a_team_cannot_overflow_into_itself(admin_client):
    team = TeamFactory.create(name="Plumbing")

    response = admin_client.post(
        reverse("admin:tickets_team_change", args=[team.pk]), {"name": "Plumbing", "overflow_team": team.pk}
    )

    assert response.status_code == 200
    assert "A team cannot overflow into itself." in str(response.context["adminform"].form.errors)


def test_sla_alerts_are_view_only_in_the_admin(admin_client, admin_user):
    alert = SLAAlertFactory.create()
    model_admin = admin.site._registry[SLAAlert]

    assert admin_client.get(reverse("admin:tickets_slaalert_changelist"), {"q": "x"}).status_code == 200
    assert admin_client.get(reverse("admin:tickets_slaalert_change", args=[alert.pk])).status_code == 200
    assert admin_client.get(reverse("admin:tickets_slaalert_add")).status_code == 403
    assert model_admin.has_delete_permission(None) is False
