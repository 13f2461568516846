"""Agent workspace: acknowledge an SLA alert (the queue's button and the email's signed link),
and escalate a ticket by hand."""

from django import forms
from django.contrib import messages
from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from zen_queries import render

from helpdesk.access import staff_only
from helpdesk.errors import DomainError
from helpdesk.typing import AuthedHttpRequest
from tickets.models import Priority, Tier
from tickets.selectors import ticket_list_visible_to
from tickets.services.alerts import alert_acknowledge, alert_token_payload
from tickets.services.escalation import ticket_escalate
from tickets.sla_selectors import alert_list_visible_to


def _back(request: AuthedHttpRequest, fallback: str, *args: object) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(fallback, *args)


@staff_only
@require_POST
def alert_ack(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The acknowledge button: htmx gets the re-rendered alert item, a plain POST a redirect."""
    visible = alert_list_visible_to(user=request.user)
    alert = get_object_or_404(visible, pk=pk)
    try:
        alert_acknowledge(alert=alert, user=request.user)
    except DomainError as exc:
        if request.htmx:
            return HttpResponse(str(exc), status=409)
        messages.error(request, str(exc))
        return _back(request, "agent:ticket-detail", alert.ticket_id)
    if request.htmx:
        return render(request, "agent/_alert.html", {"alert": visible.get(pk=pk)})
    messages.success(request, _("Alert for #%(number)s acknowledged.") % {"number": alert.ticket.number})
    return _back(request, "agent:ticket-detail", alert.ticket_id)


@staff_only
@require_http_methods(["GET", "POST"])
def alert_ack_link(request: AuthedHttpRequest, token: str) -> HttpResponse:
    """The email's signed link. GET only shows a confirmation (mail scanners open links);
    the POST acknowledges. A link for someone else, or a forged one, is a 404."""
    try:
        alert_id, user_id = alert_token_payload(token)
    except signing.SignatureExpired:
        messages.error(request, _("This acknowledge link has expired. Use the button in the queue."))
        return redirect("agent:ticket-list")
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise Http404 from exc
    if user_id != request.user.pk:
        raise Http404
    alert = get_object_or_404(alert_list_visible_to(user=request.user), pk=alert_id)
    if request.method == "POST":
        try:
            alert_acknowledge(alert=alert, user=request.user)
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Alert for #%(number)s acknowledged.") % {"number": alert.ticket.number})
        return redirect("agent:ticket-detail", alert.ticket_id)
    return render(request, "agent/alert_ack.html", {"alert": alert})


class EscalateForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Reason"), max_length=2000)
    to_tier = forms.TypedChoiceField(
        label=gettext_lazy("To tier"),
        choices=[("", gettext_lazy("Next tier")), *Tier.choices],
        coerce=int,
        required=False,
        empty_value=None,
    )
    priority = forms.ChoiceField(
        label=gettext_lazy("New priority (new SLA)"),
        choices=[("", gettext_lazy("Keep")), *Priority.choices],
        required=False,
    )


@staff_only
@require_POST
def ticket_escalate_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    ticket = get_object_or_404(ticket_list_visible_to(user=request.user), pk=pk)
    form = EscalateForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("agent:ticket-detail", ticket.pk)
    try:
        escalation = ticket_escalate(
            ticket=ticket,
            actor=request.user,
            note=form.cleaned_data["note"],
            to_tier=form.cleaned_data["to_tier"],
            priority=form.cleaned_data["priority"] or None,
        )
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Escalated to L%(tier)s.") % {"tier": escalation.to_tier})
    return redirect("agent:ticket-detail", ticket.pk)
