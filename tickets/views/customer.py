"""Customer self-service pages: my tickets, file a ticket, a ticket's page, reply (with up to five
attached files), confirm the fix.

Thin views (STYLE 11): parse input -> authorise through a scoped selector -> one service -> redirect
with a message. Another customer's ticket is a 404, never a 403 (STYLE 12)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.timesince import timeuntil
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from zen_queries import render

from helpdesk.access import customer_only
from helpdesk.errors import DomainError, DomainValidationError
from helpdesk.typing import AuthedHttpRequest
from tickets.forms import ReplyForm, TicketCreateForm
from tickets.models import Ticket
from tickets.selectors import ticket_detail_visible_to, ticket_list_visible_to
from tickets.services import ticket_create, ticket_customer_confirm_resolution, ticket_reply
from tickets.views.display import ago

PAGE_SIZE = 20


@customer_only
@require_GET
def ticket_list(request: AuthedHttpRequest) -> HttpResponse:
    tickets = ticket_list_visible_to(user=request.user).order_by("-created_at", "-pk")
    page = Paginator(tickets, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)  # evaluate here: templates may not query
    now = timezone.now()
    rows = [(ticket, ago(ticket.updated_at, now)) for ticket in page.object_list]
    return render(request, "tickets/ticket_list.html", {"page": page, "rows": rows})


@customer_only
@require_http_methods(["GET", "POST"])
def ticket_new(request: AuthedHttpRequest) -> HttpResponse:
    # GET keeps what the customer typed when they come back from a KB article ("I still need help").
    form = TicketCreateForm(request.POST or None, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket = ticket_create(
                customer=request.user,
                subject=data["subject"],
                description=data["description"],
                appliance_model_text=data["appliance_model_text"],
                preferred_windows=data["preferred_windows"],
                language=getattr(request, "LANGUAGE_CODE", "en"),
            )
        except DomainValidationError as exc:
            form.add_domain_error(exc)
        else:
            if ticket.first_response_due:
                reply_within = timeuntil(ticket.first_response_due)
                text = _("Ticket #%(number)s filed — we'll reply within %(within)s.")
                messages.success(request, text % {"number": ticket.number, "within": reply_within})
            else:
                text = _("Ticket #%(number)s filed — we'll reply as soon as we can.")
                messages.success(request, text % {"number": ticket.number})
            return redirect("tickets:detail", pk=ticket.pk)
    return render(request, "tickets/ticket_new.html", {"form": form})


def _detail_page(request: AuthedHttpRequest, pk: int, reply_form: ReplyForm) -> HttpResponse:
    ticket = get_object_or_404(ticket_detail_visible_to(user=request.user), pk=pk)
    context = {
        "ticket": ticket,
        "reply_form": reply_form,
        "can_reply": ticket.status != Ticket.Status.CLOSED,
        "can_confirm": ticket.status == Ticket.Status.RESOLVED,
    }
    return render(request, "tickets/ticket_detail.html", context)


@customer_only
@require_GET
def ticket_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, pk, ReplyForm())


@customer_only
@require_POST
def ticket_reply_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    ticket = get_object_or_404(ticket_list_visible_to(user=request.user), pk=pk)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            ticket_reply(
                ticket=ticket,
                author=request.user,
                body=form.cleaned_data["body"],
                attachments=form.cleaned_data["attachments"],
            )
        except DomainValidationError as exc:
            form.add_domain_error(exc)
        except DomainError as exc:
            messages.error(request, str(exc))
            return redirect("tickets:detail", pk=ticket.pk)
        else:
            messages.success(request, _("Thanks — your reply was sent."))
            return redirect("tickets:detail", pk=ticket.pk)
    return _detail_page(request, pk, form)


@customer_only
@require_POST
def ticket_confirm(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    ticket = get_object_or_404(ticket_list_visible_to(user=request.user), pk=pk)
    try:
        ticket_customer_confirm_resolution(ticket=ticket, customer=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("Great to hear it's fixed! Ticket #%(number)s is closed.") % {"number": ticket.number}
        )
    return redirect("tickets:detail", pk=ticket.pk)
