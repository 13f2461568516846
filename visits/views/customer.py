"""The customer's side of visits: the visits panel on a ticket page (times, booked experts,
reschedule offers), "My visits", accepting an offer, choosing times for an open visit; and the
.ics calendar of a group for anyone allowed to see it."""

from datetime import datetime

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from zen_queries import render

from helpdesk.access import customer_only, signed_in
from helpdesk.errors import DomainError
from helpdesk.typing import AuthedHttpRequest
from visits.forms import OfferAcceptForm, WindowsForm
from visits.ics import calendar
from visits.models import Visit, VisitGroup
from visits.selectors import (
    calendar_events_for,
    customer_visits,
    offer_for_customer,
    open_visit_for_customer,
    ticket_visit_groups,
)
from visits.services.groups import visit_windows_set
from visits.services.reschedule import reschedule_offer_accept
from visits.views.agent import option_rows

OPEN_GROUP = (VisitGroup.Status.MATCHING, VisitGroup.Status.NEEDS_HELPDESK)


def _needs_times(visit: Visit, now: datetime) -> bool:
    return visit.status == Visit.Status.OPEN and not any(w.window.upper > now for w in visit.windows.all())


@customer_only
@require_GET
@vary_on_headers("HX-Request")
def ticket_visits(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The visits panel of the customer's ticket page (loaded and refreshed by HTMX)."""
    ticket, groups = ticket_visit_groups(user=request.user, ticket_id=pk)
    if ticket is None:
        raise Http404
    now = timezone.now()
    panels = []
    for group in groups:
        visits = {v.pk: v for v in group.visit_list}  # type: ignore[attr-defined]  # Prefetch(to_attr=)
        offers = [(o, option_rows(o.options, visits, {})) for o in group.pending_offers]  # type: ignore[attr-defined]
        rows = [
            (v, WindowsForm(prefix=f"v{v.pk}") if _needs_times(v, now) else None)
            for v in group.visit_list  # type: ignore[attr-defined]
        ]
        panels.append((group, rows, offers))
    return render(request, "visits/customer_ticket_visits.html", {"ticket": ticket, "panels": panels})


@customer_only
@require_GET
def my_visits(request: AuthedHttpRequest) -> HttpResponse:
    return render(request, "visits/my_visits.html", {"visits": customer_visits(user=request.user)})


@customer_only
@require_POST
def offer_accept(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    offer = offer_for_customer(user=request.user, pk=pk)
    if offer is None:
        raise Http404
    form = OfferAcceptForm(request.POST)
    ticket_id = offer.group.ticket_id
    if not form.is_valid():
        messages.error(request, _("Choose one of the offered times."))
        return redirect("tickets:detail", pk=ticket_id)
    try:
        result = reschedule_offer_accept(offer=offer, option=form.cleaned_data["option"], customer=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("tickets:detail", pk=ticket_id)
    if result.booked:
        messages.success(request, _("Booked! You'll find the times and your experts below."))
    elif result.new_offer is not None:
        messages.warning(request, _("Sorry, that time was just taken. Here is what is still possible."))
    else:
        messages.warning(request, _("Sorry, that time was just taken. Our team will get back to you with new times."))
    return redirect("tickets:detail", pk=ticket_id)


@customer_only
@require_POST
def visit_windows(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    visit = open_visit_for_customer(user=request.user, pk=pk)
    if visit is None:
        raise Http404
    ticket_id = VisitGroup.objects.values_list("ticket_id", flat=True).get(pk=visit.group_id)
    form = WindowsForm(request.POST, prefix=f"v{visit.pk}")
    if form.is_valid():
        try:
            visit_windows_set(visit=visit, windows=form.cleaned_data["windows"], actor=request.user)
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Thanks! Experts can now propose times in your windows."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("tickets:detail", pk=ticket_id)


@signed_in
@require_GET
def group_calendar(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The group's booked visits as an .ics file (customer: all; expert: theirs; staff: all)."""
    events = calendar_events_for(user=request.user, group_id=pk)
    if events is None:
        raise Http404
    response = HttpResponse(calendar(events), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="visits-{pk}.ics"'
    return response
