"""Agent workspace for visits: plan a ticket's visits, see a group with every proposal, the
complete alternative schedules and the experts' availability, send a reschedule offer."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from zen_queries import render

from experts.models import ExpertProfile
from helpdesk.access import staff_only
from helpdesk.errors import DomainError, DomainValidationError
from helpdesk.typing import AuthedHttpRequest
from tickets.selectors import ticket_list_visible_to
from visits.engine import Schedule
from visits.forms import IncidentResolveForm, VisitGroupForm, WindowsForm
from visits.models import Incident, Visit, VisitGroup
from visits.selectors import availability_for_group, ticket_visit_groups, visit_group_for_staff
from visits.services.finalize import OPEN_GROUP, Outcome, visit_group_finalize
from visits.services.groups import visit_group_create, visit_windows_set
from visits.services.incidents import incident_resolve
from visits.services.reschedule import group_alternatives, reschedule_offer_send


@dataclass(frozen=True)
class OptionRow:
    visit: Visit | None
    start: datetime
    end: datetime
    experts: list[str]


def option_rows(
    options: list[dict[str, Any]], visits: dict[int, Visit], names: dict[int, str]
) -> list[list[OptionRow]]:
    return [
        [
            OptionRow(
                visit=visits.get(int(row["visit_id"])),
                start=datetime.fromisoformat(row["start"]),
                end=datetime.fromisoformat(row["end"]),
                experts=[names.get(e, "?") for e in row.get("expert_ids", [])],
            )
            for row in option.get("visits", [])
        ]
        for option in options
    ]


def expert_names(ids: set[int]) -> dict[int, str]:
    return {e.pk: e.user.display_name for e in ExpertProfile.objects.filter(pk__in=ids).select_related("user")}


@staff_only
@require_GET
def ticket_visits(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The ticket page's visits panel (loaded by HTMX): groups, states, links."""
    ticket, groups = ticket_visit_groups(user=request.user, ticket_id=pk)
    if ticket is None:
        raise Http404
    return render(request, "visits/agent_ticket_visits.html", {"ticket": ticket, "groups": groups})


@staff_only
@require_http_methods(["GET", "POST"])
def group_new(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    ticket = get_object_or_404(ticket_list_visible_to(user=request.user).prefetch_related("preferred_windows"), pk=pk)
    preferred = [(w.window.lower, w.window.upper) for w in ticket.preferred_windows.all()]
    form = VisitGroupForm(request.POST or None, preferred=preferred)
    if request.method == "POST" and form.is_valid():
        try:
            group = visit_group_create(ticket=ticket, visits=form.cleaned_data["visits"], actor=request.user)
        except DomainValidationError as exc:
            form.add_domain_error(exc)
        except DomainError as exc:
            messages.error(request, str(exc))
            return redirect("agent:ticket-detail", pk=ticket.pk)
        else:
            messages.success(request, _("Visits planned: experts can propose times now."))
            return redirect("agent:visit-group", pk=group.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "visits/group_new.html", {"ticket": ticket, "form": form}, status=status)


def _group_page(request: AuthedHttpRequest, pk: int, status: int = 200, **forms: Any) -> HttpResponse:
    group = visit_group_for_staff(user=request.user, pk=pk)
    if group is None:
        raise Http404
    visits: list[Visit] = group.visit_list  # type: ignore[attr-defined]  # Prefetch(to_attr=)
    alternatives: list[Schedule] = group_alternatives(group=group) if group.status in OPEN_GROUP else []
    offers = group.offer_list  # type: ignore[attr-defined]  # Prefetch(to_attr=)
    ids = {e for s in alternatives for p in s.placements for e in p.expert_ids}
    ids |= {
        int(e)
        for o in offers
        for option in o.options
        for row in option.get("visits", [])
        for e in row.get("expert_ids", [])
    }
    names = expert_names(ids)
    by_id = {v.pk: v for v in visits}
    windows_forms = {
        v.pk: forms.get(f"windows_{v.pk}")
        or WindowsForm(current=[(w.window.lower, w.window.upper) for w in v.windows.all()], prefix=f"v{v.pk}")
        for v in visits
        if v.status == Visit.Status.OPEN
    }
    context = {
        "group": group,
        "ticket": group.ticket,
        "visit_rows": [(v, windows_forms.get(v.pk)) for v in visits],
        "alternatives": option_rows([s.as_json() for s in alternatives], by_id, names),
        "offers": [(o, option_rows(o.options, by_id, names)) for o in offers],
        "availability": availability_for_group(group=group),
        "is_open": group.status in OPEN_GROUP,
        "resolve_form": IncidentResolveForm(),
    }
    return render(request, "visits/group_detail.html", context, status=status)


@staff_only
@require_GET
def group_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _group_page(request, pk)


def _staff_group(request: AuthedHttpRequest, pk: int) -> VisitGroup:
    group = visit_group_for_staff(user=request.user, pk=pk)
    if group is None:
        raise Http404
    return group


@staff_only
@require_POST
def group_offer(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    group = _staff_group(request, pk)
    try:
        offer = reschedule_offer_send(group=group, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Sent %(n)d alternative(s) to the customer.") % {"n": len(offer.options)})
    return redirect("agent:visit-group", pk=pk)


@staff_only
@require_POST
def group_finalize(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    group = _staff_group(request, pk)
    outcome = visit_group_finalize(group_id=group.pk)
    text = {
        Outcome.SCHEDULED: _("The group was full and is booked now."),
        Outcome.NOT_FULL: _("Not full yet: no complete schedule inside the customer's windows."),
        Outcome.NOT_OPEN: _("This group is not looking for experts."),
    }.get(outcome, _("Another booking got in the way; the retry will try again shortly."))
    (messages.success if outcome == Outcome.SCHEDULED else messages.info)(request, text)
    return redirect("agent:visit-group", pk=pk)


@staff_only
@require_POST
def visit_windows(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    visit = get_object_or_404(Visit.objects.filter(group__ticket__in=ticket_list_visible_to(user=request.user)), pk=pk)
    form = WindowsForm(request.POST, prefix=f"v{visit.pk}")
    if form.is_valid():
        try:
            visit_windows_set(visit=visit, windows=form.cleaned_data["windows"], actor=request.user)
        except DomainValidationError as exc:
            form.add_domain_error(exc)
        except DomainError as exc:
            messages.error(request, str(exc))
            return redirect("agent:visit-group", pk=visit.group_id)
        else:
            messages.success(request, _("Time windows updated."))
            return redirect("agent:visit-group", pk=visit.group_id)
    return _group_page(request, visit.group_id, status=422, **{f"windows_{visit.pk}": form})


@staff_only
@require_POST
def incident_resolve_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    incident = get_object_or_404(Incident.objects.select_related("visit"), pk=pk)
    form = IncidentResolveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say how it was resolved."))
    else:
        try:
            incident_resolve(incident=incident, actor=request.user, resolution=form.cleaned_data["resolution"])
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Incident resolved."))
    return redirect("agent:visit-group", pk=incident.visit.group_id)
