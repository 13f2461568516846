"""The human classifier: the triage queue of unclassified tickets, and setting (or correcting) a
ticket's category. Every choice is stored as a label for the next training run."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from zen_queries import render

from helpdesk.access import staff_only
from helpdesk.errors import DomainError, DomainValidationError
from helpdesk.typing import AuthedHttpRequest
from tickets.models import Category, Ticket, TicketFlag
from tickets.selectors import ticket_list_visible_to
from tickets.services.triage import ticket_set_category
from tickets.triage_selectors import category_choices, ticket_triage_queue_visible_to

PAGE_SIZE = 25


def suggestions(ticket: Ticket, categories: dict[str, Category]) -> list[tuple[Category, float]]:
    """The classifier's best guesses stored at intake (it was not sure enough to decide)."""
    top = ((ticket.routing_reason or {}).get("classifier") or {}).get("top") or []
    return [(categories[label], confidence) for label, confidence in top if label in categories]


@staff_only
@require_GET
def triage_queue(request: AuthedHttpRequest) -> HttpResponse:
    page = Paginator(ticket_triage_queue_visible_to(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)  # evaluate here: templates may not query
    categories = category_choices()
    by_slug = {c.slug: c for c in categories}
    rows = []
    for ticket in page.object_list:
        guesses = suggestions(ticket, by_slug)
        rows.append(
            {
                "ticket": ticket,
                "suggestions": guesses,
                "preselected": guesses[0][0].pk if guesses else None,
                "unavailable": TicketFlag.CLASSIFIER_UNAVAILABLE in ticket.flags,
            }
        )
    context = {"page": page, "rows": rows, "categories": categories}
    return render(request, "agent/triage_queue.html", context)


def _next_url(request: AuthedHttpRequest, ticket: Ticket) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("agent:ticket-detail", args=[ticket.pk])


@staff_only
@require_http_methods(["GET", "POST"])
def ticket_category(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    ticket = get_object_or_404(ticket_list_visible_to(user=request.user), pk=pk)
    categories = category_choices()
    error = ""
    if request.method == "POST":
        chosen = next((c for c in categories if str(c.pk) == request.POST.get("category", "")), None)
        if chosen is None:
            error = _("Please choose a category.")
        else:
            try:
                ticket = ticket_set_category(ticket=ticket, category=chosen, actor=request.user)
            except DomainValidationError as exc:
                error = str(exc)
            except DomainError as exc:
                messages.error(request, str(exc))
                return redirect(_next_url(request, ticket))
            else:
                text = _("Ticket #%(number)s is now %(category)s. Thank you: this also teaches the classifier.")
                messages.success(request, text % {"number": ticket.number, "category": chosen.name})
                return redirect(_next_url(request, ticket))
    by_slug = {c.slug: c for c in categories}
    guesses = suggestions(ticket, by_slug)
    selected = ticket.category_id or (guesses[0][0].pk if guesses else None)
    context = {
        "ticket": ticket,
        "categories": categories,
        "suggestions": guesses,
        "selected": selected,
        "error": error,
        "next": request.POST.get("next") or request.GET.get("next", ""),
    }
    return render(request, "agent/ticket_category.html", context, status=422 if error else 200)
