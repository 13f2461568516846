"""Articles on tickets: the suggestions a customer can say solved their ticket (self-service), and
the agent's panel with the most relevant articles ("Insert into reply") and "link the article that
solved it". Both panels are HTMX partials loaded by the ticket pages, so those views stay untouched."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from zen_queries import render

from helpdesk.access import customer_only, staff_only
from helpdesk.errors import DomainError
from helpdesk.typing import AuthedHttpRequest
from kb.forms import ArticleChoiceForm
from kb.models import Article
from kb.selectors import (
    article_get,
    ticket_article_links,
    ticket_suggestions_for_agent,
    ticket_suggestions_for_customer,
)
from kb.services import ticket_article_link, ticket_self_serve
from kb.views.public import article_url
from tickets.models import Ticket
from tickets.selectors import ticket_list_visible_to


def _ticket_or_404(request: AuthedHttpRequest, pk: int) -> Ticket:
    return get_object_or_404(ticket_list_visible_to(user=request.user), pk=pk)  # 404: don't leak existence


def _article_or_404(request: AuthedHttpRequest) -> Article:
    form = ArticleChoiceForm(request.POST)
    article = article_get(pk=form.cleaned_data["article"]) if form.is_valid() else None
    if article is None:
        raise Http404(_("No such article."))
    return article


@customer_only
@require_GET
def ticket_suggestions(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    ticket = _ticket_or_404(request, pk)
    rows = [(s, article_url(s.article)) for s in ticket_suggestions_for_customer(ticket=ticket)]
    context = {"ticket": ticket, "rows": rows, "can_self_serve": ticket.is_open}
    return render(request, "kb/_ticket_suggestions.html", context)


@customer_only
@require_POST
def ticket_self_serve_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """“This article solved it”: the ticket is resolved as self-served."""
    ticket = _ticket_or_404(request, pk)
    article = _article_or_404(request)
    try:
        ticket_self_serve(ticket=ticket, article=article, customer=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Glad the article “%(title)s” solved it! Ticket #%(number)s is marked as resolved.")
            % {"title": article.title, "number": ticket.number},
        )
    return redirect("tickets:detail", pk=ticket.pk)


def _agent_panel(request: AuthedHttpRequest, ticket: Ticket, notice: str = "", failed: bool = False) -> HttpResponse:
    suggested = ticket_suggestions_for_agent(ticket=ticket)
    links = ticket_article_links(ticket=ticket)
    linked_ids = {link.article_id for link in links}
    rows = []
    for article in suggested:
        url = request.build_absolute_uri(article_url(article))
        insert = "\n".join(part for part in (article.title, article.summary, url) if part)
        rows.append((article, url, insert))
    # What to offer for "the article that solved it": the agent's and the customer's suggestions.
    options: dict[int, Article] = {a.pk: a for a in suggested}
    for suggestion in ticket_suggestions_for_customer(ticket=ticket):
        options.setdefault(suggestion.article.pk, suggestion.article)
    context = {
        "ticket": ticket,
        "rows": rows,
        "links": links,
        "link_options": [a for pk, a in options.items() if pk not in linked_ids],
        "notice": notice,
        "failed": failed,
    }
    return render(request, "kb/_agent_suggestions_panel.html", context)


@staff_only
@require_GET
def agent_suggestions(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _agent_panel(request, _ticket_or_404(request, pk))


@staff_only
@require_POST
def agent_link_article(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Link the article that solved the ticket (counts as a success once resolved without escalation)."""
    ticket = _ticket_or_404(request, pk)
    article = _article_or_404(request)
    try:
        ticket_article_link(ticket=ticket, article=article, actor=request.user)
    except DomainError as exc:
        notice, failed = str(exc), True
    else:
        notice, failed = _("Linked “%(title)s” to this ticket.") % {"title": article.title}, False
    if request.htmx:  # the panel shows the notice itself
        return _agent_panel(request, ticket, notice=notice, failed=failed)
    (messages.error if failed else messages.success)(request, notice)
    return redirect("agent:ticket-detail", pk=ticket.pk)
