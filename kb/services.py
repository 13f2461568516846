"""Every write of the knowledge base: article versions and publication (with the search vector),
views, votes, deflections, the acknowledgement of new tickets with suggested articles, self-service
resolution, agents' article links and success counts, and the archive job.

Counters change with F() only; "once per session / ticket" is a unique constraint plus
get_or_create, never check-then-act."""

import logging
import zoneinfo
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db import DatabaseError, transaction
from django.db.models import Case, Count, ExpressionWrapper, F, FloatField, Func, Q, TextField, Value, When
from django.db.models.functions import Coalesce, Concat, Greatest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.timesince import timeuntil
from django.utils.translation import gettext as _

from accounts.models import User
from helpdesk.errors import DomainValidationError, InvalidTransitionError
from kb.models import (
    Article,
    ArticleFeedback,
    ArticleSuggestion,
    ArticleVersion,
    DeflectionEvent,
    SearchTerm,
    TicketArticleLink,
)
from kb.selectors import SUGGESTION_MIN_RELATIVE_SCORE, article_search, search_words
from tickets import services as ticket_services  # module import: tickets.services calls back into kb
from tickets.models import Escalation, Message, Ticket

logger = logging.getLogger(__name__)

VERSIONED_FIELDS = ("title", "summary", "body_markdown")
EDITABLE_FIELDS = (
    "title",
    "slug",
    "summary",
    "body_markdown",
    "category",
    "product_area",
    "tags",
    "language",
    "author",
)
SUGGESTIONS_ON_ACKNOWLEDGEMENT = 3


# --- articles ------------------------------------------------------------------------------------


def _search_vectors() -> tuple[SearchVector, SearchVector]:
    """(title A + tags B, title A + tags B + summary and body C), in the article's own language's
    text-search configuration."""
    config = Case(When(language=Article.Language.GERMAN, then=Value("german")), default=Value("english"))
    tags = Func(F("tags"), Value(" "), function="array_to_string", output_field=TextField())
    text = Concat("summary", Value(" "), "body_markdown", output_field=TextField())
    title_and_tags = SearchVector("title", config=config, weight="A") + SearchVector(tags, config=config, weight="B")
    return title_and_tags, title_and_tags + SearchVector(text, config=config, weight="C")


def article_search_vectors_refresh(*, article_ids: Iterable[int] | None = None) -> int:
    """Rebuild the search vectors and add title and tag words to the spelling vocabulary (all
    articles when `article_ids` is None). Returns the number of articles updated."""
    qs = Article.objects.all() if article_ids is None else Article.objects.filter(pk__in=list(article_ids))
    title_vector, search_vector = _search_vectors()
    updated = qs.update(title_vector=title_vector, search_vector=search_vector)
    words: set[str] = set()
    for title, tags in qs.values_list("title", "tags"):
        words.update(search_words(" ".join([title, *tags])))
    SearchTerm.objects.bulk_create([SearchTerm(word=w[:100]) for w in sorted(words)], ignore_conflicts=True)
    return updated


def _unique_slug(title: str) -> str:
    base = slugify(title)[:180] or "article"
    slug, n = base, 1
    while Article.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _validate(article: Article) -> None:
    article.title = (article.title or "").strip()
    article.body_markdown = (article.body_markdown or "").strip()
    article.summary = (article.summary or "").strip()
    if not article.title:
        raise DomainValidationError(_("An article needs a title."), field="title")
    if not article.body_markdown:
        raise DomainValidationError(_("An article needs a text."), field="body_markdown")
    if article.language not in Article.Language.values:
        raise DomainValidationError(_("Articles are written in English or German."), field="language")


@transaction.atomic
def article_save_version(*, article: Article, actor: User | None) -> Article:
    """Create or update `article` from its (edited) fields. A change of title, summary or text bumps
    the version and snapshots it in ArticleVersion; the search vector is rebuilt. Status and
    counters are never written here (see article_publish / article_archive; counters use F())."""
    _validate(article)
    if article.pk is None:
        article.slug = article.slug or _unique_slug(article.title)
        article.version = 1
        if article.status == Article.Status.PUBLISHED:
            article.published_at = article.published_at or timezone.now()
        article.save()
        new_version = True
    else:
        current = Article.objects.select_for_update().get(pk=article.pk)
        new_version = any(getattr(current, name) != getattr(article, name) for name in VERSIONED_FIELDS)
        article.version = current.version + 1 if new_version else current.version
        article.save(update_fields=[*EDITABLE_FIELDS, "version", "updated_at"])
    if new_version:
        ArticleVersion.objects.create(
            article=article,
            version=article.version,
            title=article.title,
            body_markdown=article.body_markdown,
            created_by=actor,
        )
    article_search_vectors_refresh(article_ids=[article.pk])
    return article


@transaction.atomic
def article_publish(*, article: Article, actor: User | None) -> Article:
    """DRAFT or ARCHIVED → PUBLISHED. `published_at` is the latest publication (the archive job
    measures views and votes from there)."""
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if locked.status == Article.Status.PUBLISHED:
        raise InvalidTransitionError(_("“%(title)s” is already published.") % {"title": locked.title})
    locked.status = Article.Status.PUBLISHED
    locked.published_at = timezone.now()
    locked.archived_at = None
    locked.archive_reason = Article.ArchiveReason.NONE
    locked.save(update_fields=["status", "published_at", "archived_at", "archive_reason", "updated_at"])
    article_search_vectors_refresh(article_ids=[locked.pk])
    return locked


@transaction.atomic
def article_archive(*, article: Article, actor: User | None, reason: str = Article.ArchiveReason.MANUAL) -> Article:
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if locked.status == Article.Status.ARCHIVED:
        raise InvalidTransitionError(_("“%(title)s” is already archived.") % {"title": locked.title})
    locked.status = Article.Status.ARCHIVED
    locked.archived_at = timezone.now()
    locked.archive_reason = reason
    locked.save(update_fields=["status", "archived_at", "archive_reason", "updated_at"])
    return locked


def article_record_view(*, article: Article) -> None:
    """Count one view (the caller counts each visitor session once)."""
    Article.objects.filter(pk=article.pk).update(view_count=F("view_count") + 1, last_viewed_at=timezone.now())


def _require_session(session_key: str | None) -> str:
    if not session_key:
        raise DomainValidationError(_("Please enable cookies to give feedback."), field="session")
    return session_key


@transaction.atomic
def article_vote(*, article: Article, helpful: bool, session_key: str | None, user: User | None = None) -> bool:
    """Helpful / not helpful, once per visitor session. Returns False for a repeated vote."""
    _, created = ArticleFeedback.objects.get_or_create(
        article=article,
        session_key=_require_session(session_key),
        defaults={"helpful": helpful, "user": user if user and user.is_authenticated else None},
    )
    if created:
        counter = "helpful_count" if helpful else "not_helpful_count"
        Article.objects.filter(pk=article.pk).update(**{counter: F(counter) + 1})
    return created


@transaction.atomic
def article_deflect(
    *, article: Article, session_key: str | None, user: User | None = None, query: str = ""
) -> DeflectionEvent:
    """ "This solved my problem" before filing a ticket: a deflection (once per session and article)."""
    event, created = DeflectionEvent.objects.get_or_create(
        article=article,
        session_key=_require_session(session_key),
        ticket=None,
        defaults={"query": " ".join(query.split())[:200], "user": user if user and user.is_authenticated else None},
    )
    if created:
        Article.objects.filter(pk=article.pk).update(deflection_count=F("deflection_count") + 1)
    return event


# --- tickets: acknowledgement, self-service, links -------------------------------------------------


def _acknowledgement_text(ticket: Ticket, articles: list[Article]) -> str:
    profile = getattr(ticket.customer, "customer_profile", None)
    tz = None
    if profile is not None:
        try:
            tz = zoneinfo.ZoneInfo(profile.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            tz = None
    lines = [_("Thank you — we have received your ticket #%(number)s.") % {"number": ticket.number}]
    if ticket.first_response_due is not None:
        due = ticket.first_response_due
        minutes = max(1, round((due - (ticket.created_at or timezone.now())).total_seconds() / 60))
        lines.append(
            _("You can expect a first reply within %(within)s (by %(when)s).")
            % {
                "within": timeuntil(due, due - timedelta(minutes=minutes), depth=2),
                "when": date_format(timezone.localtime(due, tz), "j M Y, H:i"),
            }
        )
    else:
        lines.append(_("We will reply as soon as we can."))
    if articles:
        lines.append("")
        lines.append(_("While you wait, these articles may already answer your question:"))
        lines.extend(f"- {a.title}: {reverse('kb:article', args=[a.slug])}" for a in articles)
        lines.append(_("If one of them solves it, tell us on your ticket page and we will mark the ticket solved."))
    return "\n".join(lines)


def ticket_acknowledge(*, ticket: Ticket) -> Message:
    """The BOT message on a new ticket: its number, the expected first-response time and up to three
    articles that may already answer it (stored as ArticleSuggestion). Called by ticket_create in its
    transaction; a failing search never blocks intake (the message is posted without articles)."""
    articles: list[Article] = []
    try:
        with transaction.atomic():  # savepoint: a search error must not abort the ticket's transaction
            articles = article_search(
                query=f"{ticket.subject} {ticket.description}",
                limit=SUGGESTIONS_ON_ACKNOWLEDGEMENT,
                complete_last_word=False,
                min_relative_score=SUGGESTION_MIN_RELATIVE_SCORE,
            )
    except DatabaseError:
        logger.exception("KB search failed while acknowledging ticket #%s", ticket.number)
    ArticleSuggestion.objects.bulk_create(
        ArticleSuggestion(ticket=ticket, article=article, rank=rank) for rank, article in enumerate(articles, 1)
    )
    with translation.override(ticket.language or settings.LANGUAGE_CODE):
        body = _acknowledgement_text(ticket, articles)
    return Message.objects.create(ticket=ticket, author=None, sender_type=Message.SenderType.BOT, body=body)


@transaction.atomic
def ticket_self_serve(*, ticket: Ticket, article: Article, customer: User) -> Ticket:
    """The customer says a suggested article solved it: the ticket is resolved as self-served and
    the article gets a deflection linked to the ticket."""
    locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if locked.customer_id != customer.pk:
        raise InvalidTransitionError(_("Only the customer who filed the ticket can do this."))
    suggestion = ArticleSuggestion.objects.filter(ticket=locked, article=article).first()
    if suggestion is None:
        raise DomainValidationError(_("This article was not suggested for this ticket."), field="article")
    resolved = ticket_services.ticket_transition(
        ticket=locked, to_status=Ticket.Status.RESOLVED, actor=customer, reason="self-served"
    )
    ArticleSuggestion.objects.filter(pk=suggestion.pk).update(solved_at=timezone.now())
    DeflectionEvent.objects.create(article=article, ticket=locked, user=customer, query=locked.subject[:200])
    Article.objects.filter(pk=article.pk).update(deflection_count=F("deflection_count") + 1)
    return resolved


def _count_success(ticket: Ticket) -> int:
    """Raise the success count of the ticket's not-yet-counted links, unless it was escalated.
    The caller holds the ticket's row lock, so a link is counted exactly once."""
    if Escalation.objects.filter(ticket=ticket).exists():
        return 0
    pending = list(
        TicketArticleLink.objects.select_for_update()
        .filter(ticket=ticket, success_counted_at__isnull=True)
        .order_by("pk")
        .values_list("pk", "article_id")
    )
    if not pending:
        return 0
    TicketArticleLink.objects.filter(pk__in=[pk for pk, _article_id in pending]).update(
        success_counted_at=timezone.now()
    )
    for article_id in sorted({article_id for _pk, article_id in pending}):  # pk order: no deadlocks
        Article.objects.filter(pk=article_id).update(success_count=F("success_count") + 1)
    return len(pending)


def ticket_resolved_count_success(*, ticket: Ticket) -> int:
    """Hook of the ticket lifecycle, called inside the transition to RESOLVED (ticket row locked)."""
    return _count_success(ticket)


@transaction.atomic
def ticket_article_link(*, ticket: Ticket, article: Article, actor: User | None) -> TicketArticleLink:
    """An agent links the article that solved the ticket. If the ticket is already resolved (and
    was not escalated) the article's success count rises now, else on resolution."""
    locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if article.status == Article.Status.DRAFT:
        raise DomainValidationError(_("Draft articles cannot be linked."), field="article")
    link, created = TicketArticleLink.objects.get_or_create(
        ticket=locked, article=article, defaults={"linked_by": actor}
    )
    if created and locked.resolved_at is not None:
        _count_success(locked)
    return link


# --- archive job -----------------------------------------------------------------------------------


def articles_archive_stale(*, now: datetime) -> int:
    """Archive (for review) published articles that readers rate not helpful too often, or that
    nobody viewed for KB_ARCHIVE_UNVIEWED_DAYS. Votes count from the latest publication, so a
    reworked and republished article starts afresh. Idempotent and safe to run twice at once:
    each archive is a conditional UPDATE on status=PUBLISHED."""
    rate = float(settings.KB_ARCHIVE_NOT_HELPFUL_RATE)
    min_votes = int(settings.KB_ARCHIVE_MIN_VOTES)
    unviewed_days = int(settings.KB_ARCHIVE_UNVIEWED_DAYS)
    published = Article.objects.filter(status=Article.Status.PUBLISHED)
    since_publication = Q(feedback__created_at__gte=F("published_at"))
    poorly_rated = (
        published.annotate(
            votes=Count("feedback", filter=since_publication),
            not_helpful=Count("feedback", filter=since_publication & Q(feedback__helpful=False)),
        )
        .filter(votes__gte=min_votes)
        .filter(not_helpful__gte=ExpressionWrapper(F("votes") * rate, output_field=FloatField()))
        .values_list("pk", flat=True)
    )
    archived = published.filter(pk__in=list(poorly_rated)).update(
        status=Article.Status.ARCHIVED, archived_at=now, archive_reason=Article.ArchiveReason.NOT_HELPFUL
    )
    cutoff = now - timedelta(days=unviewed_days)
    archived += (
        Article.objects.filter(status=Article.Status.PUBLISHED)
        .alias(last_seen=Coalesce(Greatest("last_viewed_at", "published_at"), "created_at"))
        .filter(last_seen__lt=cutoff)
        .update(status=Article.Status.ARCHIVED, archived_at=now, archive_reason=Article.ArchiveReason.UNVIEWED)
    )
    if archived:
        logger.info("Archived %d knowledge-base articles for review", archived)
    return archived
