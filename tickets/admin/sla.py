"""Admin for the SLA engine: forms that refuse bad calendar, team and policy configuration with a
clear message (instead of a database error), and the alerts the engine writes.

The calendar, team and policy admins are registered in organisation.py / automation.py; here
they are re-registered as subclasses that only add validation, so those modules stay as they are.
The forms have no Meta: the admin builds it (model and fields) through modelform_factory."""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from notifications.channels import webhook_url_error
from tickets.admin.automation import SLAPolicyAdmin
from tickets.admin.mixins import AppendOnlyAdminMixin
from tickets.admin.organisation import (
    BusinessCalendarAdmin,
    BusinessHoursAdmin,
    BusinessHoursInline,
    ClosedDayInline,
    TeamAdmin,
)
from tickets.business_time import holiday_config_error, overlapping_pairs
from tickets.models import BusinessCalendar, BusinessHours, SLAAlert, SLAPolicy, Team

WEEKDAYS = dict(BusinessHours._meta.get_field("weekday").choices)


def _overlap_message(weekday: int, a: tuple, b: tuple) -> str:
    return _("%(day)s: %(a1)s–%(a2)s overlaps %(b1)s–%(b2)s.") % {
        "day": WEEKDAYS.get(weekday, weekday),
        "a1": f"{a[0]:%H:%M}",
        "a2": f"{a[1]:%H:%M}",
        "b1": f"{b[0]:%H:%M}",
        "b2": f"{b[1]:%H:%M}",
    }


class BusinessHoursForm(forms.ModelForm):
    check_saved_rows = True  # the standalone form compares with the calendar's saved rows

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens is not None and closes is not None and opens >= closes:
            self.add_error("closes_at", _("Closing time must be after opening time (same day)."))
        calendar = data.get("calendar")
        if self.check_saved_rows and calendar is not None and "closes_at" not in self.errors and opens and closes:
            # Standalone form: compare with the calendar's other saved rows.
            others = BusinessHours.objects.filter(calendar=calendar, weekday=data.get("weekday"))
            if self.instance.pk:
                others = others.exclude(pk=self.instance.pk)
            rows = [(h.weekday, h.opens_at, h.closes_at) for h in others]
            for weekday, a, b in overlapping_pairs([*rows, (data.get("weekday"), opens, closes)]):
                raise ValidationError(_overlap_message(weekday, a, b))
        return data


class BusinessHoursInlineForm(BusinessHoursForm):
    check_saved_rows = False  # the formset compares the submitted rows with each other


class BusinessHoursFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or form.errors:
                continue
            if data.get("weekday") is not None and data.get("opens_at") and data.get("closes_at"):
                rows.append((data["weekday"], data["opens_at"], data["closes_at"]))
        problems = [_overlap_message(*pair) for pair in overlapping_pairs(rows)]
        if problems:
            raise ValidationError(problems)


class ValidatedBusinessHoursInline(BusinessHoursInline):
    form = BusinessHoursInlineForm
    formset = BusinessHoursFormSet


class BusinessCalendarForm(forms.ModelForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean()
        country = (data.get("holiday_country") or "").strip()
        subdivision = (data.get("holiday_subdivision") or "").strip()
        data["holiday_country"], data["holiday_subdivision"] = country.upper(), subdivision
        problem = holiday_config_error(country, subdivision)
        if problem:
            field = "holiday_subdivision" if country and subdivision and "not a subdivision" in problem else None
            self.add_error(field or ("holiday_country" if country else "holiday_subdivision"), problem)
        return data


admin.site.unregister(BusinessCalendar)


@admin.register(BusinessCalendar)
class ValidatedBusinessCalendarAdmin(BusinessCalendarAdmin):
    form = BusinessCalendarForm
    inlines = (ValidatedBusinessHoursInline, ClosedDayInline)


admin.site.unregister(BusinessHours)


@admin.register(BusinessHours)
class ValidatedBusinessHoursAdmin(BusinessHoursAdmin):
    form = BusinessHoursForm


class TeamForm(forms.ModelForm):
    chat_webhook_url = forms.URLField(
        label=_lazy("Chat webhook URL"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=_lazy("A Slack-compatible incoming webhook (http or https); SLA breaches are posted there."),
    )

    def clean_chat_webhook_url(self) -> str:
        url = (self.cleaned_data.get("chat_webhook_url") or "").strip()
        if url and webhook_url_error(url):
            raise ValidationError(_("Only http:// and https:// webhook URLs are allowed."))
        return url

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        overflow = data.get("overflow_team")
        if overflow is not None and self.instance.pk and overflow.pk == self.instance.pk:
            self.add_error("overflow_team", _("A team cannot overflow into itself."))
        return data


admin.site.unregister(Team)


@admin.register(Team)
class ValidatedTeamAdmin(TeamAdmin):
    form = TeamForm


class SLAPolicyForm(forms.ModelForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean()
        first, resolution = data.get("first_response_minutes"), data.get("resolution_minutes")
        if first is not None and first < 1:
            self.add_error("first_response_minutes", _("The first-response target must be at least one minute."))
        elif first is not None and resolution is not None and resolution < first:
            self.add_error(
                "resolution_minutes",
                _("The resolution target (%(res)d min) cannot be shorter than the first response (%(first)d min).")
                % {"res": resolution, "first": first},
            )
        risk = data.get("at_risk_percent")
        if risk is not None and not 1 <= risk <= 99:
            self.add_error("at_risk_percent", _("Choose a share between 1 and 99 %."))
        if data.get("is_active") and data.get("priority"):
            clash = SLAPolicy.objects.filter(
                is_active=True, priority=data["priority"], team=data.get("team"), vip_only=bool(data.get("vip_only"))
            ).exclude(pk=self.instance.pk)
            if clash.exists():
                raise ValidationError(
                    _("Another active policy (“%(name)s”) already covers this priority, team and VIP scope.")
                    % {"name": clash.first()}
                )
        return data


admin.site.unregister(SLAPolicy)


@admin.register(SLAPolicy)
class ValidatedSLAPolicyAdmin(SLAPolicyAdmin):
    form = SLAPolicyForm


@admin.register(SLAAlert)
class SLAAlertAdmin(AppendOnlyAdminMixin, admin.ModelAdmin):
    """Written by the SLA engine only; acknowledging happens in the agent workspace."""

    list_display = ("ticket", "kind", "hop", "agent", "state", "created_at", "ack_deadline", "acknowledged_at")
    list_filter = ("state", "kind", "hop")
    search_fields = ("ticket__number__exact", "ticket__subject", "agent__email", "agent__full_name")
    list_select_related = ("ticket", "agent")
    date_hierarchy = "created_at"
