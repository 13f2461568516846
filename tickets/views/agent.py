"""Agent workspace: the ticket queue (filters, HTMX table) and a ticket's full view
(conversation with internal notes, timeline, reply/note, status change, assign to me)."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from zen_queries import render

from accounts.models import User
from helpdesk.access import staff_only
from helpdesk.errors import DomainError, DomainValidationError
from helpdesk.typing import AuthedHttpRequest
from tickets.filters import TicketFilter
from tickets.forms import AgentReplyForm, TransitionForm
from tickets.models import AgentProfile, Priority, Ticket, TicketFlag
from tickets.selectors import ticket_list_visible_to, ticket_workspace_get
from tickets.services import ALLOWED_TRANSITIONS, ticket_assign, ticket_reply, ticket_transition
from tickets.views.display import due, first_response_due

PAGE_SIZE = 25
STATUS_LABELS = dict(Ticket.Status.choices)


def _freeze_choices(form: forms.Form) -> None:
    """Evaluate model-choice querysets now, so rendering the filter form runs no query.
    (Only the widget's copy: validation keeps using the field's queryset.)"""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField):
            empty = [("", _("All"))] if field.empty_label is not None else []
            field.widget.choices = empty + [(obj.pk, field.label_from_instance(obj)) for obj in field.queryset]


@staff_only
@require_GET
@vary_on_headers("HX-Request")
def ticket_list(request: AuthedHttpRequest) -> HttpResponse:
    filterset = TicketFilter(request.GET or None, queryset=ticket_list_visible_to(user=request.user))
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)  # evaluate here: templates may not query
    now = timezone.now()
    rows = [(ticket, first_response_due(ticket, now)) for ticket in page.object_list]
    context = {"filter": filterset, "page": page, "rows": rows}
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "agent/ticket_list.html#ticket-table", context)
    form = filterset.form
    form.fields["status"].widget = forms.CheckboxSelectMultiple(choices=Ticket.Status.choices)
    form.fields["priority"].widget = forms.CheckboxSelectMultiple(choices=Priority.choices)
    form.fields["unassigned"].widget.choices = [("unknown", _("Any")), ("true", _("Yes")), ("false", _("No"))]
    _freeze_choices(form)
    return render(request, "agent/ticket_list.html", context)


def _my_agent_profile(user: User) -> AgentProfile | None:
    return getattr(user, "agent_profile", None)  # None for leads/admins without a profile


def _detail_page(request: AuthedHttpRequest, pk: int, reply_form: AgentReplyForm) -> HttpResponse:
    ticket = ticket_workspace_get(user=request.user, pk=pk)
    if ticket is None:
        raise Http404
    me = _my_agent_profile(request.user)
    now = timezone.now()
    next_statuses = [(s, STATUS_LABELS[s]) for s in Ticket.Status.values if s in ALLOWED_TRANSITIONS[ticket.status]]
    timeline = [
        (event, STATUS_LABELS.get(event.from_status, ""), STATUS_LABELS.get(event.to_status, ""))
        for event in ticket.timeline
    ]
    context = {
        "ticket": ticket,
        "reply_form": reply_form,
        "next_statuses": next_statuses,
        "timeline": timeline,
        "flags": [TicketFlag(flag).label for flag in ticket.flags if flag in TicketFlag.values],
        "can_assign_to_me": me is not None and ticket.is_open and ticket.assigned_agent_id != me.pk,
        "customer_profile": getattr(ticket.customer, "customer_profile", None),
        "first_response": first_response_due(ticket, now),
        "resolution": due(
            deadline=ticket.resolution_due,
            done_at=ticket.resolved_at,
            is_open=ticket.is_open,
            now=now,
            done=_("Resolved"),
        ),
    }
    return render(request, "agent/ticket_detail.html", context)


@staff_only
@require_GET
def ticket_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, pk, AgentReplyForm())


@staff_only
@require_POST
def ticket_reply_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    ticket = get_object_or_404(ticket_list_visible_to(user=request.user), pk=pk)
    form = AgentReplyForm(request.POST, request.FILES)
    if form.is_valid():
        internal = form.cleaned_data["internal"]
        try:
            ticket_reply(
                ticket=ticket,
                author=request.user,
                body=form.cleaned_data["body"],
                internal=internal,
                attachments=form.cleaned_data["attachments"],
            )
        except DomainValidationError as exc:
            form.add_domain_error(exc)
        except DomainError as exc:
            messages.error(request, str(exc))
            return redirect("agent:ticket-detail", pk=ticket.pk)
        else:
            messages.success(request, _("Internal note added.") if internal else _("Reply sent to the customer."))
            return redirect("agent:ticket-detail", pk=ticket.pk)
    return _detail_page(request, pk, form)


@staff_only
@require_POST
def ticket_transition_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    ticket = get_object_or_404(ticket_list_visible_to(user=request.user), pk=pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose a valid status."))
        return redirect("agent:ticket-detail", pk=ticket.pk)
    try:
        ticket = ticket_transition(
            ticket=ticket,
            to_status=form.cleaned_data["to_status"],
            actor=request.user,
            reason=form.cleaned_data["reason"],
        )
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Status changed to %(status)s.") % {"status": ticket.get_status_display()})
    return redirect("agent:ticket-detail", pk=ticket.pk)


@staff_only
@require_POST
def ticket_assign_to_me(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    ticket = get_object_or_404(ticket_list_visible_to(user=request.user), pk=pk)
    me = _my_agent_profile(request.user)
    if me is None:
        messages.error(request, _("You need an agent profile to take tickets."))
        return redirect("agent:ticket-detail", pk=ticket.pk)
    try:
        ticket_assign(ticket=ticket, agent=me, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Ticket #%(number)s is now yours.") % {"number": ticket.number})
    return redirect("agent:ticket-detail", pk=ticket.pk)
