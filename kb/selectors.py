"""Read queries of the knowledge base: search, public listings, suggestions, deflection rates."""

import re
from dataclasses import dataclass
from datetime import datetime

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Value

from kb.models import Article, ArticleSuggestion, DeflectionEvent, TicketArticleLink
from tickets.models import Ticket

MAX_QUERY_CHARS = 200
MAX_TERMS = 16
MAX_LIMIT = 50
MIN_PREFIX_CHARS = 3
MIN_SPELLING_CHARS = 4  # shorter words are too ambiguous to correct
SPELLING_ALTERNATIVES = 2
TITLE_CANDIDATES = 50  # best title/tag matches that get the full ranking
BODY_CANDIDATES = 200  # body-only matches looked at when titles and tags give too few
# The title's trigram similarity to the query breaks ties between full-text hits.
TITLE_SIMILARITY_WEIGHT = 0.3
TEXT_CONFIGS = ("english", "german")
# Suggestion boxes leave out hits scoring below a quarter of the best one ("wasching machin" also
# matches the circuit-breaker article through "machine", far below the washing-machine article).
SUGGESTION_MIN_RELATIVE_SCORE = 0.25
SUMMARY_FIELDS = ("id", "slug", "title", "summary", "language", "category_id", "product_area", "tags")

# Words are runs of letters and digits; everything else (tsquery operators & | ! ( ) : * < > ',
# quotes, punctuation) only separates words, so the text handed to to_tsquery is always valid.
_WORD = re.compile(r"[^\W_]+")

SIMILAR_WORDS_SQL = """
SELECT t.term, s.word
FROM unnest(%s::text[]) AS t(term)
CROSS JOIN LATERAL (
    SELECT word FROM kb_searchterm WHERE word %% t.term ORDER BY similarity(word, t.term) DESC, word LIMIT 3
) AS s
"""


def search_words(text: str) -> list[str]:
    """Lower-case words (letters and digits) in order of appearance, without repeats."""
    return list(dict.fromkeys(w.lower() for w in _WORD.findall(text)))


def _normalise(query: str | None) -> str:
    """At most 200 characters, whitespace collapsed, no control characters, NUL bytes or lone
    surrogates (PostgreSQL and the driver would refuse them)."""
    text = (query or "")[:MAX_QUERY_CHARS]
    return " ".join("".join(ch for ch in text if ch.isprintable() or ch.isspace()).split())


def _spelling_alternatives(words: list[str]) -> dict[str, list[str]]:
    """For each word that is no title or tag word of any article: the most similar ones (pg_trgm
    similarity ≥ 0.3 against the SearchTerm vocabulary). "wasching" → ["washing"]."""
    candidates = [w for w in words if len(w) >= MIN_SPELLING_CHARS]
    if not candidates:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(SIMILAR_WORDS_SQL, [candidates])
        rows = cursor.fetchall()
    similar: dict[str, list[str]] = {}
    for term, word in rows:
        similar.setdefault(term, []).append(word)
    return {term: found[:SPELLING_ALTERNATIVES] for term, found in similar.items() if term not in found}


def _tsquery_text(words: list[str], *, prefix_last: bool, alternatives: dict[str, list[str]]) -> str:
    """`wasching | washing | machin:*` from "Wasching machin": any word may match (the rank
    decides), misspelt words also as their likely spelling, the word being typed as a prefix."""
    terms: list[str] = []
    for word in words:
        typed = prefix_last and word == words[-1] and len(word) >= MIN_PREFIX_CHARS
        terms += [f"{word}:*" if typed else word, *alternatives.get(word, [])]
    return " | ".join(dict.fromkeys(terms))


def _published_ids(language: str | None) -> QuerySet[Article]:
    qs = Article.objects.filter(status=Article.Status.PUBLISHED)
    return qs.filter(language=language) if language else qs


def _published(language: str | None) -> QuerySet[Article]:
    return _published_ids(language).select_related("category").only(*SUMMARY_FIELDS, "category__name", "category__slug")


def _full_text(language: str | None, text: str, tsquery: SearchQuery, limit: int) -> list[Article]:
    """Two stages, so that a common word never means ranking thousands of bodies:
    1. articles with a query word in the title or tags (small vectors, GIN on `title_vector`): the
       best 50 by title rank, ranked in full (title A, tags B, body C, plus title similarity);
    2. only if that gives fewer than `limit`: up to 200 body-only matches, ranked in full."""
    base, ids = _published(language), _published_ids(language)
    best_titles = (
        ids.filter(title_vector=tsquery)
        .annotate(title_rank=SearchRank(F("title_vector"), tsquery))
        .order_by("-title_rank", "pk")
        .values("pk")[:TITLE_CANDIDATES]
    )
    score = SearchRank(F("search_vector"), tsquery) + TITLE_SIMILARITY_WEIGHT * TrigramWordSimilarity(
        Value(text), "title"
    )
    hits = list(base.filter(pk__in=best_titles).annotate(score=score).order_by("-score", "pk")[:limit])
    if len(hits) < limit:
        in_bodies = ids.filter(search_vector=tsquery).exclude(pk__in=[h.pk for h in hits])
        hits += (
            base.filter(pk__in=in_bodies.values("pk")[:BODY_CANDIDATES])
            .annotate(score=SearchRank(F("search_vector"), tsquery))
            .order_by("-score", "pk")[: limit - len(hits)]
        )
    return hits


def article_search(
    *,
    query: str,
    limit: int = 3,
    language: str | None = None,
    complete_last_word: bool = True,
    min_relative_score: float = 0.0,
) -> list[Article]:
    """Published articles for `query`, best first, each annotated with `score`.

    PostgreSQL full-text search with the English and the German configuration (an article's
    vectors are built with its own language's configuration; the query is parsed with both):
    title (A) over tags (B) over summary and body (C), ties broken by the title's trigram
    similarity; misspelt words also search for the closest title/tag words. When full text finds
    nothing, trigram similarity on the title ("Dishwashr"). Empty, huge (cut at 200 characters)
    and punctuation-only queries, tsquery syntax and mixed languages never raise.

    `min_relative_score` drops hits scoring below that share of the best hit's score (suggestion
    boxes use it to leave out weak matches; the order is the same either way)."""
    text = _normalise(query)
    limit = max(1, min(int(limit), MAX_LIMIT))
    # Single letters ("t" of "won't", "s" of "it's") match everything and mean nothing.
    words = [w for w in search_words(text) if len(w) > 1 or w.isdigit()][:MAX_TERMS]
    if not words:
        return []
    prefix_last = complete_last_word and text[-1:].isalnum()
    tsquery_text = _tsquery_text(words, prefix_last=prefix_last, alternatives=_spelling_alternatives(words))
    english, german = (SearchQuery(tsquery_text, search_type="raw", config=c) for c in TEXT_CONFIGS)
    hits = _full_text(language, text, english | german, limit)
    if not hits and sum(len(w) for w in words) >= MIN_SPELLING_CHARS:  # "no", "my": too short to guess
        hits = list(
            # word similarity (≥ 0.6) finds a misspelt part of a title, whole-string similarity
            # (≥ 0.3) a title misspelt throughout; both use the trigram index on the title.
            _published(language)
            .filter(Q(title__trigram_word_similar=text) | Q(title__trigram_similar=text))
            .annotate(score=TrigramWordSimilarity(Value(text), "title"))
            .order_by("-score", "pk")[:limit]
        )
    if hits and min_relative_score > 0:
        floor = hits[0].score * min_relative_score
        hits = [hit for hit in hits if hit.score >= floor]
    return hits


def article_list_published(*, category_slug: str | None = None) -> QuerySet[Article]:
    """The public listing: published articles by category name, then title."""
    qs = _published(None).order_by(F("category__name").asc(nulls_last=True), "title", "pk")
    if category_slug:
        qs = qs.filter(category__slug=category_slug)
    return qs


def article_get_published(*, slug: str) -> Article | None:
    return (
        Article.objects.filter(status=Article.Status.PUBLISHED, slug=slug)
        .select_related("category")
        .defer("search_vector")
        .first()
    )


def ticket_suggestions_for_customer(*, ticket: Ticket) -> list[ArticleSuggestion]:
    """The articles the ticket's acknowledgement suggested (still published), in rank order."""
    return list(
        ArticleSuggestion.objects.filter(ticket=ticket, article__status=Article.Status.PUBLISHED)
        .select_related("article")
        .defer("article__search_vector", "article__body_markdown")
        .order_by("rank", "pk")
    )


def ticket_suggestions_for_agent(*, ticket: Ticket, limit: int = 3) -> list[Article]:
    """The most relevant articles for the ticket's subject and description."""
    return article_search(query=f"{ticket.subject} {ticket.description}", limit=limit, complete_last_word=False)


def ticket_article_links(*, ticket: Ticket) -> list[TicketArticleLink]:
    return list(
        TicketArticleLink.objects.filter(ticket=ticket)
        .select_related("article", "linked_by")
        .defer("article__search_vector", "article__body_markdown")
        .order_by("created_at", "pk")
    )


# --- deflection rate ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DeflectionRate:
    """deflections / (deflections + tickets filed anyway); None when there was nothing to deflect."""

    deflections: int
    tickets_filed: int

    @property
    def rate(self) -> float | None:
        total = self.deflections + self.tickets_filed
        return self.deflections / total if total else None


def _period(field: str, since: datetime | None, until: datetime | None) -> Q:
    q = Q()
    if since is not None:
        q &= Q(**{f"{field}__gte": since})
    if until is not None:
        q &= Q(**{f"{field}__lt": until})
    return q


def deflection_rate_overall(*, since: datetime | None = None, until: datetime | None = None) -> DeflectionRate:
    """Over all articles (see docs/decisions.md): deflections (an article solved it — before a
    ticket, or self-served from the ticket's suggestions) against tickets that were offered
    suggestions and were filed and worked anyway."""
    deflections = DeflectionEvent.objects.filter(_period("created_at", since, until)).count()
    filed = (
        Ticket.objects.filter(_period("created_at", since, until), kb_suggestions__isnull=False)
        .exclude(kb_suggestions__solved_at__isnull=False)
        .distinct()
        .count()
    )
    return DeflectionRate(deflections=deflections, tickets_filed=filed)


def deflection_rate_by_article(
    *, article_ids: list[int] | None = None, since: datetime | None = None, until: datetime | None = None
) -> dict[int, DeflectionRate]:
    """Per article: its deflections against the tickets it was suggested for and did not solve."""
    deflections = DeflectionEvent.objects.filter(_period("created_at", since, until))
    suggestions = ArticleSuggestion.objects.filter(_period("created_at", since, until), solved_at__isnull=True)
    if article_ids is not None:
        deflections = deflections.filter(article_id__in=article_ids)
        suggestions = suggestions.filter(article_id__in=article_ids)
    counts: dict[int, list[int]] = {}
    for article_id, n in deflections.values_list("article_id").annotate(n=Count("pk")).order_by():
        counts.setdefault(article_id, [0, 0])[0] = n
    for article_id, n in suggestions.values_list("article_id").annotate(n=Count("pk")).order_by():
        counts.setdefault(article_id, [0, 0])[1] = n
    return {pk: DeflectionRate(deflections=d, tickets_filed=t) for pk, (d, t) in counts.items()}


def article_get(*, pk: int) -> Article | None:
    """Any non-draft article by id (agents link published or archived ones)."""
    return (
        Article.objects.exclude(status=Article.Status.DRAFT)
        .defer("search_vector", "body_markdown")
        .filter(pk=pk)
        .first()
    )
