"""Forms of the expert surfaces. They parse input; experts/services.py and visits/services own
the rules (DomainValidationError comes back onto the fields)."""

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tickets.forms import PageForm
from visits.models import Incident


class IsoDateTimesField(forms.Field):
    """Several ISO-8601 timestamps (ticked checkboxes); the service judges grid and range."""

    widget = forms.CheckboxSelectMultiple

    def to_python(self, value: Any) -> list[datetime]:
        values = value if isinstance(value, list | tuple) else ([value] if value else [])
        parsed = []
        for raw in values:
            try:
                moment = datetime.fromisoformat(str(raw))
            except ValueError:
                raise forms.ValidationError(_("Not a valid start time.")) from None
            parsed.append(moment if timezone.is_aware(moment) else timezone.make_aware(moment))
        return parsed


class ProposeForm(PageForm):
    """Ticked grid slots plus, optionally, one other start time."""

    start_times = IsoDateTimesField(label=_("Start times"), required=False)
    other_start = forms.DateTimeField(
        label=_("Other start time"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "step": 1800}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("Outside the customer's windows it is sent as an alternative."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts = list(cleaned.get("start_times") or [])
        other = cleaned.get("other_start")
        if other is not None:
            starts.append(other if timezone.is_aware(other) else timezone.make_aware(other))
        if not starts and not self.errors:
            raise forms.ValidationError(_("Tick at least one start time or give another one."))
        cleaned["starts"] = starts
        return cleaned


class IncidentForm(PageForm):
    kind = forms.ChoiceField(label=_("What happened?"), choices=Incident.Kind.choices)
    overrun_minutes = forms.IntegerField(label=_("Extra minutes needed"), required=False, min_value=1, max_value=480)
    details = forms.CharField(
        label=_("Details"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class CompleteForm(PageForm):
    notes = forms.CharField(
        label=_("Work notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
