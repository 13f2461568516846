"""Admin for who works the queue: calendars, teams, categories, tags, agents and their skills."""

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tickets.admin.mixins import ChoiceFieldsAdmin
from tickets.models import (
    AgentProfile,
    AgentSkill,
    BusinessCalendar,
    BusinessHours,
    Category,
    ClosedDay,
    Priority,
    Tag,
    Team,
    Ticket,
)
from tickets.services import waiting


class BusinessHoursInline(admin.TabularInline):
    model = BusinessHours
    extra = 0


class ClosedDayInline(admin.TabularInline):
    model = ClosedDay
    extra = 0


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(admin.ModelAdmin):
    list_display = ("name", "timezone", "holiday_country", "holiday_subdivision")
    list_filter = ("timezone", "holiday_country")
    search_fields = ("name",)
    inlines = (BusinessHoursInline, ClosedDayInline)


@admin.register(BusinessHours)
class BusinessHoursAdmin(admin.ModelAdmin):
    list_display = ("calendar", "weekday", "opens_at", "closes_at")
    list_filter = ("calendar", "weekday")
    search_fields = ("calendar__name",)
    list_select_related = ("calendar",)


@admin.register(ClosedDay)
class ClosedDayAdmin(admin.ModelAdmin):
    list_display = ("date", "reason", "calendar")
    list_filter = ("calendar",)
    search_fields = ("reason", "calendar__name")
    list_select_related = ("calendar",)
    date_hierarchy = "date"


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "lead", "calendar", "overflow_team", "queue_threshold", "touch_and_hold")
    list_filter = ("touch_and_hold", "calendar")
    search_fields = ("name", "lead__email", "lead__full_name")
    list_select_related = ("lead", "calendar", "overflow_team")
    autocomplete_fields = ("lead", "overflow_team")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Category)
class CategoryAdmin(ChoiceFieldsAdmin):
    choice_fields = {"minimum_priority": list(Priority.choices)}
    list_display = ("name", "slug", "default_team", "minimum_priority", "is_active")
    list_filter = ("is_active", "default_team")
    search_fields = ("name", "slug", "description")
    list_select_related = ("default_team",)
    prepopulated_fields = {"slug": ("name",)}


class TagInUseFilter(admin.SimpleListFilter):
    title = _("in use")
    parameter_name = "in_use"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("yes", _("On tickets")), ("no", _("Unused"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Tag]) -> QuerySet[Tag]:
        if self.value() == "yes":
            return queryset.filter(Exists(Ticket.tags.through.objects.filter(tag=OuterRef("pk"))))
        if self.value() == "no":
            return queryset.filter(~Exists(Ticket.tags.through.objects.filter(tag=OuterRef("pk"))))
        return queryset


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name",)
    list_filter = (TagInUseFilter,)
    search_fields = ("name",)


class AgentSkillInline(admin.TabularInline):
    model = AgentSkill
    extra = 0


@admin.register(AgentProfile)
class AgentProfileAdmin(admin.ModelAdmin):
    list_display = (
        "user",
        "team",
        "tier",
        "current_ticket_count",
        "max_tickets",
        "is_available",
        "last_assigned_at",
    )
    list_filter = ("tier", "is_available", "team")
    search_fields = ("user__email", "user__full_name", "team__name")
    list_select_related = ("user", "team")
    autocomplete_fields = ("user",)
    # Kept exact by the assignment services; editing them by hand would skew routing.
    readonly_fields = ("current_ticket_count", "last_assigned_at")
    inlines = (AgentSkillInline,)

    def save_model(self, request: HttpRequest, obj: AgentProfile, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # More room (available again, higher max, another team): waiting tickets follow on commit.
        if change and {"is_available", "max_tickets", "team"} & set(form.changed_data):
            waiting.on_capacity_freed(obj.pk, trigger=str(_("agent settings changed")))


@admin.register(AgentSkill)
class AgentSkillAdmin(admin.ModelAdmin):
    list_display = ("agent", "category", "level")
    list_filter = ("category", "level")
    search_fields = ("agent__user__email", "agent__user__full_name", "category__name")
    list_select_related = ("agent__user", "category")
    autocomplete_fields = ("agent",)
