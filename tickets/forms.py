"""Forms of the customer site and the agent workspace. They parse and check input; the
services own the rules (and raise DomainValidationError, which the views map back to fields)."""

from datetime import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helpdesk.errors import DomainValidationError
from tickets.models import Ticket
from tickets.services.lifecycle import MAX_ATTACHMENTS

MAX_FORM_WINDOWS = 3


class PageForm(forms.Form):
    """Labels without a trailing colon; maps service validation errors back onto fields."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def add_domain_error(self, exc: DomainValidationError) -> None:
        """Show a service's validation error next to its field (or above the form)."""
        self.add_error(exc.field if exc.field in self.fields else None, str(exc))


class TicketCreateForm(PageForm):
    subject = forms.CharField(
        label=_("Subject"),
        max_length=settings.TICKET_SUBJECT_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autofocus": True, "placeholder": _("e.g. Washing machine won't drain")}),
    )
    description = forms.CharField(
        label=_("What happened?"),
        max_length=settings.TICKET_DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Tell us what you see or hear, since when, and what you already tried."),
    )
    appliance_model_text = forms.CharField(
        label=_("Appliance model"),
        max_length=120,
        required=False,
        help_text=_("Brand and model number from the type plate, e.g. Bosch WAN28K40."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, MAX_FORM_WINDOWS + 1):
            self.fields[f"window_{i}_date"] = forms.DateField(
                label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
            )
            self.fields[f"window_{i}_start"] = forms.TimeField(
                label=_("From"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
            )
            self.fields[f"window_{i}_end"] = forms.TimeField(
                label=_("To"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
            )

    @property
    def window_rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField, forms.BoundField]]:
        """(index, date, from, to) per window, for the template."""
        return [
            (i, self[f"window_{i}_date"], self[f"window_{i}_start"], self[f"window_{i}_end"])
            for i in range(1, MAX_FORM_WINDOWS + 1)
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        windows: list[tuple[datetime, datetime]] = []
        now = timezone.now()
        for i in range(1, MAX_FORM_WINDOWS + 1):
            names = (f"window_{i}_date", f"window_{i}_start", f"window_{i}_end")
            if any(name in self.errors for name in names):
                continue
            day, start, end = (cleaned.get(name) for name in names)
            if day is None and start is None and end is None:
                continue
            missing = [name for name, value in zip(names, (day, start, end), strict=True) if value is None]
            if missing:
                for name in missing:
                    self.add_error(name, _("Please give a date and both times, or leave this window empty."))
                continue
            if end <= start:
                self.add_error(names[2], _("The end time must be after the start time."))
                continue
            starts_at = timezone.make_aware(datetime.combine(day, start))
            ends_at = timezone.make_aware(datetime.combine(day, end))
            if ends_at <= now:
                self.add_error(names[0], _("This time window is in the past."))
                continue
            windows.append((starts_at, ends_at))
        cleaned["preferred_windows"] = windows
        return cleaned


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name (`<input type=file multiple>`); cleans to a list, empty when
    none were chosen. How many and how large is the service's rule (ticket_reply)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(upload, initial) for upload in files if upload]


class ReplyForm(PageForm):
    body = forms.CharField(
        label=_("Your reply"),
        max_length=settings.TICKET_DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    attachments = MultipleFileField(label=_("Attach files"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = _("Photos or documents: up to %(n)d files, %(mb)d MB each.") % {
            "n": MAX_ATTACHMENTS,
            "mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024),
        }


class AgentReplyForm(ReplyForm):
    body = forms.CharField(
        label=_("Reply or internal note"),
        max_length=settings.TICKET_DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    internal = forms.BooleanField(label=_("Internal note (never shown to the customer)"), required=False)


class TransitionForm(PageForm):
    to_status = forms.ChoiceField(label=_("New status"), choices=Ticket.Status.choices)
    reason = forms.CharField(label=_("Reason"), max_length=255, required=False)
