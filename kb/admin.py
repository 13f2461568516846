"""Knowledge-base admin. Counters, the search vector and versions are written by the KB services
and jobs, so they are read-only here."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from kb.models import Article, ArticleFeedback, ArticleVersion, DeflectionEvent, TicketArticleLink
from tickets.admin.mixins import ReadOnlyInline, ViewOnlyAdminMixin

ARTICLE_COUNTERS = ("view_count", "helpful_count", "not_helpful_count", "deflection_count", "success_count")


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
        "updated_at",
    )
    list_filter = ("status", "category", "language", "product_area")
    search_fields = ("title", "slug", "summary", "body_markdown")
    list_select_related = ("category",)
    autocomplete_fields = ("author",)
    prepopulated_fields = {"slug": ("title",)}
    date_hierarchy = "updated_at"
    readonly_fields = ("version", *ARTICLE_COUNTERS, "created_at", "updated_at", "published_at")
    fieldsets = (
        (None, {"fields": ("title", "slug", "summary", "body_markdown")}),
        ("Classification", {"fields": ("status", "category", "product_area", "tags", "language", "author")}),
        ("Statistics", {"fields": ARTICLE_COUNTERS}),
        ("History", {"fields": ("version", "created_at", "updated_at", "published_at")}),
    )
    inlines = (ArticleVersionInline,)


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
    list_display = ("ticket", "article", "linked_by", "created_at")
    list_filter = ("article__category",)
    search_fields = ("ticket__number__exact", "ticket__subject", "article__title")
    list_select_related = ("ticket", "article", "linked_by")
    autocomplete_fields = ("ticket", "article", "linked_by")
    readonly_fields = ("created_at",)
