"""The public help center: articles by category, search, the live suggestions under the new-ticket
subject, an article's page with "This solved my problem" / "I still need help" and votes.

Works for anonymous visitors. Views are counted once per visitor session (a session list of seen
article ids); votes and deflections are POSTs, once per session and article."""

from itertools import groupby
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from zen_queries import queries_disabled, render

from helpdesk.access import public
from helpdesk.errors import DomainValidationError
from kb.forms import DeflectForm, FeedbackForm, SearchForm
from kb.models import Article
from kb.rendering import render_markdown
from kb.selectors import (
    SUGGESTION_MIN_RELATIVE_SCORE,
    article_get_published,
    article_list_published,
    article_search,
)
from kb.services import article_deflect, article_record_view, article_vote

LIST_PAGE_SIZE = 100
SEARCH_RESULTS = 20
LIVE_SUGGESTIONS = 3
SEEN_KEY, VOTED_KEY, SOLVED_KEY = "kb_seen", "kb_voted", "kb_solved"
SESSION_MEMORY = 500  # ids remembered per list; older ones drop off


def _load_user(request: HttpRequest) -> None:
    """Touch the (lazy) user and session here: templates may not query (zen_queries)."""
    _ = request.user.is_authenticated


def _session_key(request: HttpRequest) -> str:
    if not request.session.session_key:
        request.session.save()
    return request.session.session_key or ""


def _remember(request: HttpRequest, key: str, article_id: int) -> bool:
    """Add the id to a session list; False if it was already there."""
    seen: list[int] = list(request.session.get(key, []))
    if article_id in seen:
        return False
    request.session[key] = [*seen, article_id][-SESSION_MEMORY:]
    return True


def _article_or_404(slug: str) -> Article:
    article = article_get_published(slug=slug)
    if article is None:
        raise Http404(_("No such article."))
    return article


def article_url(article: Article, *, query: str = "") -> str:
    url = reverse("kb:article", args=[article.slug])
    return f"{url}?{urlencode({'q': query})}" if query else url


@public
@require_GET
def kb_home(request: HttpRequest) -> HttpResponse:
    _load_user(request)
    category = request.GET.get("category") or None
    page = Paginator(article_list_published(category_slug=category), LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    groups = [
        (name or _("General"), list(articles))
        for name, articles in groupby(page.object_list, key=lambda a: a.category.name if a.category else "")
    ]
    return render(request, "kb/home.html", {"page": page, "groups": groups, "form": SearchForm()})


@public
@require_GET
def kb_search(request: HttpRequest) -> HttpResponse:
    _load_user(request)
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    results = article_search(query=query, limit=SEARCH_RESULTS) if query else []
    rows = [(article, article_url(article, query=query)) for article in results]
    return render(request, "kb/search.html", {"form": form, "query": query, "rows": rows})


@public
@require_GET
@vary_on_headers("HX-Request")
def kb_suggest(request: HttpRequest) -> HttpResponse:
    """The live "these articles may help" box under the new-ticket subject (HTMX partial).
    Reads `subject` (the form field hx-get sends) or `q`."""
    form = SearchForm({"q": request.GET.get("subject", request.GET.get("q", ""))})
    query = form.cleaned_data["q"] if form.is_valid() else ""
    if not any(ch.isalnum() for ch in query):
        query = ""  # nothing to look for yet (empty, or only punctuation)
    results = (
        article_search(query=query, limit=LIVE_SUGGESTIONS, min_relative_score=SUGGESTION_MIN_RELATIVE_SCORE)
        if query
        else []
    )
    rows = [(article, article_url(article, query=query)) for article in results]
    # A fragment without the page's context processors: no session or user lookup per keystroke.
    with queries_disabled():
        html = render_to_string("kb/_suggestions.html", {"query": query, "rows": rows})
    return HttpResponse(html)


@public
@require_GET
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    _load_user(request)
    article = _article_or_404(slug)
    if _remember(request, SEEN_KEY, article.pk):
        article_record_view(article=article)
    form = DeflectForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    still_need_help = reverse("tickets:new") + (f"?{urlencode({'subject': query})}" if query else "")
    context = {
        "article": article,
        "body": render_markdown(article.body_markdown),
        "query": query,
        "still_need_help_url": still_need_help,
        "voted": article.pk in request.session.get(VOTED_KEY, []),
        "solved": article.pk in request.session.get(SOLVED_KEY, []),
    }
    return render(request, "kb/article_detail.html", context)


@public
@require_POST
def article_solved(request: HttpRequest, slug: str) -> HttpResponse:
    """“This solved my problem”: a deflection — and no ticket."""
    _load_user(request)
    article = _article_or_404(slug)
    form = DeflectForm(request.POST)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    user = request.user if request.user.is_authenticated else None
    article_deflect(article=article, session_key=_session_key(request), user=user, query=query)
    _remember(request, SOLVED_KEY, article.pk)
    return redirect("kb:article-thanks", slug=article.slug)


@public
@require_GET
def article_thanks(request: HttpRequest, slug: str) -> HttpResponse:
    _load_user(request)
    article = _article_or_404(slug)
    return render(request, "kb/thanks.html", {"article": article})


@public
@require_POST
def article_feedback(request: HttpRequest, slug: str) -> HttpResponse:
    _load_user(request)
    article = _article_or_404(slug)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Please answer yes or no."), status=422)
    user = request.user if request.user.is_authenticated else None
    try:
        recorded = article_vote(
            article=article, helpful=form.cleaned_data["helpful"], session_key=_session_key(request), user=user
        )
    except DomainValidationError as exc:
        messages.error(request, str(exc))
    else:
        _remember(request, VOTED_KEY, article.pk)
        if recorded:
            messages.success(request, _("Thanks for your feedback!"))
        else:
            messages.info(request, _("You already rated this article — thank you."))
    return redirect(reverse("kb:article", args=[article.slug]) + "#feedback")
