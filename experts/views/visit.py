"""An expert's schedule and the page of a visit they are booked on: the customer's address,
day-of incidents (can't arrive, nobody home, overrun, parts needed) and completion."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from zen_queries import render

from experts.forms import CompleteForm, IncidentForm
from experts.models import ExpertProfile
from experts.selectors import booked_visit_for, expert_profile_of, schedule_of
from helpdesk.access import expert_only
from helpdesk.errors import DomainError, DomainValidationError
from helpdesk.typing import AuthedHttpRequest
from visits.models import Booking, Visit
from visits.selectors import customer_address
from visits.services.incidents import incident_report, visit_complete

BOOKED = (Visit.Status.SCHEDULED, Visit.Status.IN_PROGRESS)


def _expert(request: AuthedHttpRequest) -> ExpertProfile:
    expert = expert_profile_of(request.user)
    if expert is None:
        raise Http404
    return expert


@expert_only
@require_GET
def schedule(request: AuthedHttpRequest) -> HttpResponse:
    expert = expert_profile_of(request.user)
    bookings = list(schedule_of(expert=expert)) if expert else []
    now = timezone.now()
    rows = [(b, customer_address(getattr(b.visit.group.ticket.customer, "customer_profile", None))) for b in bookings]
    context = {
        "upcoming": [row for row in rows if row[0].during.upper > now],
        "past": list(reversed([row for row in rows if row[0].during.upper <= now])),
    }
    return render(request, "experts/schedule.html", context)


def _visit_page(
    request: AuthedHttpRequest,
    expert: ExpertProfile,
    pk: int,
    incident_form: IncidentForm | None = None,
    complete_form: CompleteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    visit = booked_visit_for(expert=expert, pk=pk)
    if visit is None:
        raise Http404
    bookings: list[Booking] = visit.active_bookings  # type: ignore[attr-defined]  # Prefetch(to_attr=)
    mine = any(b.expert_id == expert.pk for b in bookings)
    ticket = visit.group.ticket
    profile = getattr(ticket.customer, "customer_profile", None)
    context = {
        "visit": visit,
        "ticket": ticket,
        "customer": ticket.customer,
        "profile": profile,
        "address": customer_address(profile),
        "bookings": bookings,
        "incidents": visit.incident_list,  # type: ignore[attr-defined]  # Prefetch(to_attr=)
        "can_act": mine and visit.status in BOOKED,
        "started": visit.scheduled_start is not None and visit.scheduled_start <= timezone.now(),
        "incident_form": incident_form or IncidentForm(),
        "complete_form": complete_form or CompleteForm(),
    }
    return render(request, "experts/visit.html", context, status=status)


@expert_only
@require_GET
def visit_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _visit_page(request, _expert(request), pk)


@expert_only
@require_POST
def report(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    expert = _expert(request)
    visit = booked_visit_for(expert=expert, pk=pk)
    if visit is None:
        raise Http404
    form = IncidentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            incident = incident_report(
                visit=visit,
                expert=expert,
                kind=data["kind"],
                details=data["details"],
                overrun_minutes=data["overrun_minutes"],
            )
        except DomainValidationError as exc:
            form.add_domain_error(exc)
        except DomainError as exc:
            messages.error(request, str(exc))
            return redirect("experts:visit", pk=pk)
        else:
            messages.success(
                request, _("Reported: %(kind)s.") % {"kind": incident.get_kind_display()} + " " + incident.resolution
            )
            return redirect("experts:visit", pk=pk)
    return _visit_page(request, expert, pk, incident_form=form, status=422)


@expert_only
@require_POST
def complete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    expert = _expert(request)
    visit = booked_visit_for(expert=expert, pk=pk)
    if visit is None:
        raise Http404
    form = CompleteForm(request.POST)
    if form.is_valid():
        try:
            visit_complete(visit=visit, expert=expert, notes=form.cleaned_data["notes"])
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Visit completed. Thank you!"))
        return redirect("experts:visit", pk=pk)
    return _visit_page(request, expert, pk, complete_form=form, status=422)
