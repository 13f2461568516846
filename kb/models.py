"""Knowledge base: articles with versions, feedback, deflections and links to tickets."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "DRAFT", _("Draft")
        PUBLISHED = "PUBLISHED", _("Published")
        ARCHIVED = "ARCHIVED", _("Archived")

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        GERMAN = "de", _("German")

    class ArchiveReason(models.TextChoices):
        NONE = "", _("—")
        NOT_HELPFUL = "NOT_HELPFUL", _("Often rated not helpful")
        UNVIEWED = "UNVIEWED", _("No views for a long time")
        MANUAL = "MANUAL", _("Archived by an editor")

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.CharField(max_length=300, blank=True)
    body_markdown = models.TextField()
    category = models.ForeignKey("tickets.Category", null=True, blank=True, on_delete=models.SET_NULL)
    product_area = models.CharField(max_length=100, blank=True)
    tags = ArrayField(models.CharField(max_length=50), default=list, blank=True)
    language = models.CharField(
        max_length=8,
        choices=Language.choices,
        default=Language.ENGLISH,
        help_text=_("Decides the text-search configuration (stemming, stop words) of the article."),
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=1)
    search_vector = SearchVectorField(null=True, editable=False)  # title A, tags B, summary and body C
    title_vector = SearchVectorField(null=True, editable=False)  # title A, tags B: the cheap first stage
    view_count = models.PositiveIntegerField(default=0, editable=False)
    helpful_count = models.PositiveIntegerField(default=0, editable=False)
    not_helpful_count = models.PositiveIntegerField(default=0, editable=False)
    deflection_count = models.PositiveIntegerField(default=0, editable=False)
    success_count = models.PositiveIntegerField(default=0, editable=False)
    last_viewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)
    archive_reason = models.CharField(
        max_length=12, choices=ArchiveReason.choices, default=ArchiveReason.NONE, blank=True, editable=False
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["title"]
        indexes = [
            GinIndex(fields=["search_vector"], name="article_search_gin"),
            GinIndex(fields=["title_vector"], name="article_title_search_gin"),
            # Typo-tolerant fallback: trigram (word) similarity on the title.
            GinIndex(fields=["title"], name="article_title_trgm", opclasses=["gin_trgm_ops"]),
            models.Index(fields=["status", "category"], name="article_status_category_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class ArticleVersion(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body_markdown = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["article", "version"], name="article_version_unique")]

    def __str__(self) -> str:
        return f"{self.article} v{self.version}"


class ArticleFeedback(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="feedback")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    session_key = models.CharField(max_length=64, blank=True)
    helpful = models.BooleanField()
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "article feedback"
        constraints = [
            # One vote per visitor session and article.
            models.UniqueConstraint(
                fields=["article", "session_key"],
                condition=~Q(session_key=""),
                name="article_feedback_once_per_session",
            ),
        ]

    def __str__(self) -> str:
        return f"{'👍' if self.helpful else '👎'} {self.article}"


class DeflectionEvent(models.Model):
    """A customer said an article solved their problem, so no ticket was needed."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="deflections")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    session_key = models.CharField(max_length=64, blank=True)
    query = models.CharField(max_length=200, blank=True)
    ticket = models.ForeignKey("tickets.Ticket", null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # Before a ticket: once per visitor session and article; after one: once per ticket and article.
            models.UniqueConstraint(
                fields=["article", "session_key"],
                condition=Q(ticket__isnull=True) & ~Q(session_key=""),
                name="deflection_once_per_session",
            ),
            models.UniqueConstraint(
                fields=["article", "ticket"], condition=Q(ticket__isnull=False), name="deflection_once_per_ticket"
            ),
        ]

    def __str__(self) -> str:
        return f"Deflection by {self.article}"


class TicketArticleLink(models.Model):
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="article_links")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="ticket_links")
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    success_counted_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("When this link raised the article's success count (once, on resolution without escalation)."),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ticket", "article"], name="ticket_article_link_unique"),
        ]

    def __str__(self) -> str:
        return f"#{self.ticket_id} ↔ {self.article}"


class ArticleSuggestion(models.Model):
    """An article the acknowledgement of a new ticket offered to the customer. The customer can say
    it solved the problem (self-service); unsolved suggestions count as "ticket filed anyway"."""

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="kb_suggestions")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="suggestions")
    rank = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    solved_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["ticket", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "article"], name="article_suggestion_unique"),
        ]

    def __str__(self) -> str:
        return f"#{self.ticket_id} → {self.article}"


class SearchTerm(models.Model):
    """The words of article titles and tags: the vocabulary that misspelt search words are matched
    against (trigram similarity), the way the pg_trgm documentation suggests for spelling help.
    Written by kb.services when articles are indexed; words of deleted articles do no harm."""

    word = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["word"]
        indexes = [GinIndex(fields=["word"], name="search_term_trgm", opclasses=["gin_trgm_ops"])]

    def __str__(self) -> str:
        return self.word
