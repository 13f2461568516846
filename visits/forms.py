"""Forms for planning visits (agents) and choosing times (customers). They parse input; the
services own the rules, and their DomainValidationError fields ("visits.1.depends_on") are mapped
back onto the form's fields here."""

from datetime import date, datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from experts.models import Skill
from helpdesk.errors import DomainValidationError
from tickets.forms import PageForm
from visits.services.groups import VisitInput

MAX_FORM_VISITS = 3
WINDOW_ROWS = 3


def _window_fields(form: forms.Form, prefix: str, initial: list[tuple[datetime, datetime]]) -> None:
    for j in range(1, WINDOW_ROWS + 1):
        start, end = (
            (timezone.localtime(initial[j - 1][0]), timezone.localtime(initial[j - 1][1]))
            if j <= len(initial)
            else (None, None)
        )
        form.fields[f"{prefix}w{j}_date"] = forms.DateField(
            label=_("Date"),
            required=False,
            initial=start.date() if start else None,
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        )
        form.fields[f"{prefix}w{j}_start"] = forms.TimeField(
            label=_("From"),
            required=False,
            initial=start.time() if start else None,
            widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        )
        form.fields[f"{prefix}w{j}_end"] = forms.TimeField(
            label=_("To"),
            required=False,
            initial=end.time() if end else None,
            widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        )


def _clean_windows(form: forms.Form, cleaned: dict[str, Any], prefix: str) -> list[tuple[datetime, datetime]]:
    windows = []
    for j in range(1, WINDOW_ROWS + 1):
        names = (f"{prefix}w{j}_date", f"{prefix}w{j}_start", f"{prefix}w{j}_end")
        if any(name in form.errors for name in names):
            continue
        day: date | None = cleaned.get(names[0])
        start: time | None = cleaned.get(names[1])
        end: time | None = cleaned.get(names[2])
        if day is None and start is None and end is None:
            continue
        if day is None or start is None or end is None:
            form.add_error(names[0], _("Give a date and both times, or leave this window empty."))
            continue
        if end <= start:
            form.add_error(names[2], _("The end time must be after the start time."))
            continue
        windows.append(
            (timezone.make_aware(datetime.combine(day, start)), timezone.make_aware(datetime.combine(day, end)))
        )
    return windows


def window_rows(
    form: forms.Form, prefix: str
) -> list[tuple[int, forms.BoundField, forms.BoundField, forms.BoundField]]:
    return [
        (j, form[f"{prefix}w{j}_date"], form[f"{prefix}w{j}_start"], form[f"{prefix}w{j}_end"])
        for j in range(1, WINDOW_ROWS + 1)
    ]


class VisitGroupForm(PageForm):
    """Up to three visits; visit 1 is required, later ones are used when a skill is chosen."""

    def __init__(self, *args: Any, preferred: list[tuple[datetime, datetime]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        skills = list(Skill.objects.order_by("name"))
        for i in range(MAX_FORM_VISITS):
            p = f"v{i}_"
            self.fields[p + "skill"] = forms.ModelChoiceField(
                label=_("Skill"), queryset=Skill.objects.all(), required=i == 0, empty_label="—"
            )
            self.fields[p + "skill"].widget.choices = [("", "—"), *((s.pk, s.name) for s in skills)]
            self.fields[p + "min_skill_level"] = forms.IntegerField(
                label=_("Minimum level"), initial=1, min_value=1, max_value=5
            )
            self.fields[p + "experts_needed"] = forms.IntegerField(
                label=_("Experts needed"), initial=1, min_value=1, max_value=10
            )
            self.fields[p + "duration_minutes"] = forms.IntegerField(
                label=_("Duration (minutes)"), initial=60, min_value=15, max_value=720
            )
            self.fields[p + "depends_on"] = forms.TypedChoiceField(
                label=_("Starts after"),
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", _("— no dependency —"))] + [(str(j), _("Visit %(n)d") % {"n": j + 1}) for j in range(i)],
            )
            self.fields[p + "min_gap_minutes"] = forms.IntegerField(
                label=_("Gap from (min)"), initial=0, min_value=0, required=False
            )
            self.fields[p + "max_gap_minutes"] = forms.IntegerField(
                label=_("Gap up to (min)"), initial=60, min_value=0, required=False
            )
            _window_fields(self, p, preferred or [])

    @property
    def visit_rows(self) -> list[dict[str, Any]]:
        rows = []
        for i in range(MAX_FORM_VISITS):
            p = f"v{i}_"
            rows.append(
                {
                    "number": i + 1,
                    "fields": [self[p + n] for n in ("skill", "min_skill_level", "experts_needed", "duration_minutes")],
                    "dependency": [self[p + n] for n in ("depends_on", "min_gap_minutes", "max_gap_minutes")],
                    "windows": window_rows(self, p),
                }
            )
        return rows

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        visits = []
        for i in range(MAX_FORM_VISITS):
            p = f"v{i}_"
            skill = cleaned.get(p + "skill")
            windows = _clean_windows(self, cleaned, p)
            if skill is None:
                continue

            def value(name: str, default: int, prefix: str = p) -> int:
                found = cleaned.get(prefix + name)
                return default if found is None else found

            visits.append(
                VisitInput(
                    skill=skill,
                    min_skill_level=value("min_skill_level", 1),
                    experts_needed=value("experts_needed", 1),
                    duration_minutes=value("duration_minutes", 60),
                    windows=windows,
                    depends_on=cleaned.get(p + "depends_on"),
                    min_gap_minutes=value("min_gap_minutes", 0),
                    max_gap_minutes=value("max_gap_minutes", 60),
                )
            )
        cleaned["visits"] = visits
        return cleaned

    def add_domain_error(self, exc: DomainValidationError) -> None:
        """ "visits.1.depends_on" -> field v1_depends_on ("windows" -> the first window row)."""
        parts = (exc.field or "").split(".")
        if len(parts) == 3 and parts[0] == "visits":
            name = f"v{parts[1]}_{'w1_date' if parts[2] == 'windows' else parts[2]}"
            if name in self.fields:
                self.add_error(name, str(exc))
                return
        self.add_error(None, str(exc))


class WindowsForm(PageForm):
    """A visit's time windows (replaces them all)."""

    def __init__(self, *args: Any, current: list[tuple[datetime, datetime]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _window_fields(self, "", current or [])

    @property
    def rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField, forms.BoundField]]:
        return window_rows(self, "")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["windows"] = _clean_windows(self, cleaned, "")
        return cleaned

    def add_domain_error(self, exc: DomainValidationError) -> None:
        self.add_error("w1_date" if exc.field == "windows" else None, str(exc))


class OfferAcceptForm(PageForm):
    option = forms.IntegerField(min_value=0, max_value=9)


class IncidentResolveForm(PageForm):
    resolution = forms.CharField(label=_("Resolution"), max_length=2000)
