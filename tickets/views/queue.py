"""The live queue dashboard: open tickets coloured by the share of their SLA window used, the
counts per colour, the agents' load with one-click rebalancing, the person's open alerts.
The rows partial refreshes every few seconds with the page's querystring (filters and sort)."""

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from zen_queries import render

from helpdesk.access import staff_only
from helpdesk.errors import DomainError
from helpdesk.typing import AuthedHttpRequest
from tickets.filters import QueueFilter
from tickets.models import AgentProfile, Priority
from tickets.queue_selectors import (
    DEFAULT_SORT,
    QUEUE_LIMIT,
    SLA_STATES,
    SORTS,
    agent_load_list,
    queue_counts,
    queue_rows,
    queue_tickets_visible_to,
)
from tickets.services.rebalance import MAX_MOVE, queue_rebalance
from tickets.sla_selectors import alert_list_open_for
from tickets.views.agent import _freeze_choices

REFRESH_SECONDS = 5
SORT_LABELS = {
    "due": gettext_lazy("Next deadline"),
    "-due": gettext_lazy("Latest deadline"),
    "used": gettext_lazy("Window used"),
    "priority": gettext_lazy("Priority"),
    "created": gettext_lazy("Oldest"),
    "-created": gettext_lazy("Newest"),
    "number": gettext_lazy("Number"),
}


def _rows_context(request: AuthedHttpRequest) -> dict:
    filterset = QueueFilter(request.GET or None, queryset=queue_tickets_visible_to(user=request.user))
    sort = request.GET.get("sort", DEFAULT_SORT)
    if sort not in SORTS:
        sort = DEFAULT_SORT
    qs = filterset.qs
    counts = queue_counts(qs)
    return {
        "filter": filterset,
        "rows": queue_rows(qs, sort=sort),
        "counts": counts,
        "count_items": [(state, label, counts[state]) for state, label in SLA_STATES],
        "sort": sort,
        "limit": QUEUE_LIMIT,
        "querystring": request.GET.urlencode(),
        "refresh_seconds": REFRESH_SECONDS,
        "tv": request.GET.get("tv") == "1",
        "detail_prefix": reverse("agent:ticket-detail", args=[0])[:-2],  # + pk + "/", no reverse per row
    }


@staff_only
@require_GET
def queue(request: AuthedHttpRequest) -> HttpResponse:
    context = _rows_context(request)
    form = context["filter"].form
    form.fields["status"].widget = forms.CheckboxSelectMultiple(choices=form.fields["status"].choices)
    form.fields["priority"].widget = forms.CheckboxSelectMultiple(choices=Priority.choices)
    form.fields["sla"].widget = forms.CheckboxSelectMultiple(choices=SLA_STATES)
    _freeze_choices(form)
    agents = agent_load_list(user=request.user)
    context |= {
        "agents": agents,
        "alerts": list(alert_list_open_for(user=request.user)),
        "sort_options": [(key, SORT_LABELS[key]) for key in SORTS],
        "max_move": MAX_MOVE,
        "base_template": "agent/_queue_tv_base.html" if context["tv"] else "base.html",
    }
    return render(request, "agent/queue.html", context)


@staff_only
@require_GET
def queue_rows_partial(request: AuthedHttpRequest) -> HttpResponse:
    """The tbody and the counts (out of band), for the every-5s poll."""
    return render(request, "agent/_queue_rows.html", _rows_context(request))


class RebalanceForm(forms.Form):
    from_agent = forms.ModelChoiceField(queryset=AgentProfile.objects.all())
    to_agent = forms.ModelChoiceField(queryset=AgentProfile.objects.all())
    count = forms.IntegerField(min_value=1, max_value=MAX_MOVE)


def _back_to_queue(request: AuthedHttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("agent:queue")


@staff_only
@require_POST
def rebalance(request: AuthedHttpRequest) -> HttpResponse:
    """Move N tickets from an overloaded agent to another (nearest deadline first)."""
    form = RebalanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose two agents and how many tickets to move."))
        return _back_to_queue(request)
    data = form.cleaned_data
    from_agent = get_object_or_404(AgentProfile.objects.select_related("user"), pk=data["from_agent"].pk)
    try:
        moved = queue_rebalance(
            from_agent=from_agent, to_agent=data["to_agent"], count=data["count"], actor=request.user
        )
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Moved %(n)s tickets from %(from)s to %(to)s.")
            % {"n": len(moved), "from": from_agent.user.display_name, "to": data["to_agent"].user.display_name},
        )
    return _back_to_queue(request)
