"""Knowledge-base admin. Saving an article goes through kb.services (new version, search vector);
publishing and archiving are actions calling the services. Counters, the search vector and
versions are written by the KB services and jobs, so they are read-only here."""

from collections.abc import Callable

from django.contrib import admin, messages
from django.db.models import Count, Q, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from helpdesk.errors import DomainError
from kb.models import (
    Article,
    ArticleFeedback,
    ArticleSuggestion,
    ArticleVersion,
    DeflectionEvent,
    SearchTerm,
    TicketArticleLink,
)
from kb.services import article_archive, article_publish, article_save_version
from tickets.admin.mixins import ReadOnlyInline, ViewOnlyAdminMixin

ARTICLE_COUNTERS = ("view_count", "helpful_count", "not_helpful_count", "deflection_count", "success_count")


def _status_action(change: Callable[..., Article], name: str, description: str) -> Callable[..., None]:
    @admin.action(description=description, permissions=["change"])
    def action(modeladmin: "ArticleAdmin", request: HttpRequest, queryset: QuerySet[Article]) -> None:
        done = []
        for article in queryset.order_by("pk"):
            try:
                change(article=article, actor=request.user)
            except DomainError as exc:
                modeladmin.message_user(request, f"{article.title}: {exc}", messages.ERROR)
            else:
                done.append(article.title)
        if done:
            modeladmin.message_user(request, f"{description}: {', '.join(done)}", messages.SUCCESS)

    action.__name__ = name
    return action


class ArticleVersionInline(ReadOnlyInline):
    model = ArticleVersion
    fields = ("version", "title", "created_by", "created_at")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[ArticleVersion]:
        return super().get_queryset(request).select_related("created_by")


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "status",
        "category",
        "product_area",
        "language",
        "version",
        "view_count",
        "helpful_count",
        "not_helpful_count",
        "deflection_count",
        "deflection_rate",
        "success_count",
        "updated_at",
    )
    list_filter = ("status", "archive_reason", "category", "language", "product_area")
    search_fields = ("title", "slug", "summary", "body_markdown")
    list_select_related = ("category",)
    autocomplete_fields = ("author",)
    prepopulated_fields = {"slug": ("title",)}
    date_hierarchy = "updated_at"
    readonly_fields = (
        "status",
        "version",
        *ARTICLE_COUNTERS,
        "last_viewed_at",
        "created_at",
        "updated_at",
        "published_at",
        "archived_at",
        "archive_reason",
    )
    fieldsets = (
        (None, {"fields": ("title", "slug", "summary", "body_markdown")}),
        ("Classification", {"fields": ("status", "category", "product_area", "tags", "language", "author")}),
        ("Statistics", {"fields": (*ARTICLE_COUNTERS, "last_viewed_at")}),
        (
            "History",
            {"fields": ("version", "created_at", "updated_at", "published_at", "archived_at", "archive_reason")},
        ),
    )
    inlines = (ArticleVersionInline,)
    actions = (
        _status_action(article_publish, "publish", _("Publish")),
        _status_action(article_archive, "archive", _("Archive")),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Article]:
        return (
            super()
            .get_queryset(request)
            .defer("search_vector")
            .annotate(unsolved_suggestions=Count("suggestions", filter=Q(suggestions__solved_at__isnull=True)))
        )

    @admin.display(description=_("deflection rate"))
    def deflection_rate(self, obj: Article) -> str:
        """deflections / (deflections + tickets filed although it was suggested); see docs/decisions.md."""
        filed = getattr(obj, "unsolved_suggestions", 0)
        total = obj.deflection_count + filed
        return f"{obj.deflection_count / total:.0%}" if total else "—"

    def save_model(self, request: HttpRequest, obj: Article, form: ModelForm, change: bool) -> None:
        """Through the service: a content change is a new version; the search vector is rebuilt."""
        article_save_version(article=obj, actor=request.user)  # the form already checked what the service checks


@admin.register(ArticleVersion)
class ArticleVersionAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("article", "version", "title", "created_by", "created_at")
    list_filter = ("article__status",)
    search_fields = ("title", "article__title", "body_markdown")
    list_select_related = ("article", "created_by")
    date_hierarchy = "created_at"


@admin.register(ArticleFeedback)
class ArticleFeedbackAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("article", "helpful", "user", "comment", "created_at")
    list_filter = ("helpful",)
    search_fields = ("article__title", "comment", "user__email")
    list_select_related = ("article", "user")
    date_hierarchy = "created_at"


@admin.register(DeflectionEvent)
class DeflectionEventAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("article", "query", "user", "ticket", "created_at")
    list_filter = ("article__category",)
    search_fields = ("article__title", "query", "user__email")
    list_select_related = ("article", "user", "ticket")
    date_hierarchy = "created_at"


@admin.register(TicketArticleLink)
class TicketArticleLinkAdmin(admin.ModelAdmin):
    list_display = ("ticket", "article", "linked_by", "created_at", "success_counted_at")
    list_filter = ("article__category",)
    search_fields = ("ticket__number__exact", "ticket__subject", "article__title")
    list_select_related = ("ticket", "article", "linked_by")
    autocomplete_fields = ("ticket", "article", "linked_by")
    readonly_fields = ("created_at", "success_counted_at")


@admin.register(ArticleSuggestion)
class ArticleSuggestionAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("ticket", "article", "rank", "created_at", "solved_at")
    list_filter = ("rank", "article__category")
    search_fields = ("ticket__number__exact", "ticket__subject", "article__title")
    list_select_related = ("ticket", "article")
    date_hierarchy = "created_at"


@admin.register(SearchTerm)
class SearchTermAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    """The spelling vocabulary (title and tag words), kept by the indexing service."""

    list_display = ("word",)
    list_filter = (("word", admin.EmptyFieldListFilter),)
    search_fields = ("word",)
