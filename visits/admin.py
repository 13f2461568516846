"""Visits admin. Statuses, schedules and bookings belong to the matching/finalization services
(they keep experts from being double-booked), so they are read-only here."""

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tickets.admin.mixins import AppendOnlyAdminMixin, ViewOnlyAdminMixin
from visits.models import Booking, Incident, RescheduleOffer, Visit, VisitGroup, VisitWindow
from visits.services.finalize import Outcome, visit_group_finalize

VISIT_STATE_FIELDS = ("status", "scheduled_start", "scheduled_end", "completed_at", "completion_notes", "follow_up_of")


class VisitInline(admin.StackedInline):
    model = Visit
    fk_name = "group"
    extra = 0
    show_change_link = True
    autocomplete_fields = ("depends_on",)
    readonly_fields = VISIT_STATE_FIELDS

    def get_queryset(self, request: HttpRequest) -> QuerySet[Visit]:
        return super().get_queryset(request).select_related("required_skill", "depends_on__required_skill")


@admin.register(VisitGroup)
class VisitGroupAdmin(admin.ModelAdmin):
    list_display = ("__str__", "ticket", "status", "visit_count", "match_deadline", "created_by", "finalized_at")
    list_filter = ("status",)
    search_fields = ("ticket__number__exact", "ticket__subject")
    list_select_related = ("ticket", "created_by")
    autocomplete_fields = ("ticket", "created_by")
    readonly_fields = ("status", "created_at", "finalized_at")
    date_hierarchy = "match_deadline"
    inlines = (VisitInline,)
    actions = ("run_matching",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[VisitGroup]:
        return super().get_queryset(request).annotate(visit_total=Count("visits"))

    @admin.action(description=_("Run matching now (book full groups)"))
    def run_matching(self, request: HttpRequest, queryset: QuerySet[VisitGroup]) -> None:
        outcomes = [visit_group_finalize(group_id=pk) for pk in queryset.values_list("pk", flat=True)]
        booked = sum(outcome == Outcome.SCHEDULED for outcome in outcomes)
        self.message_user(request, _("%(booked)d of %(n)d group(s) booked.") % {"booked": booked, "n": len(outcomes)})

    @admin.display(description=_("visits"), ordering="visit_total")
    def visit_count(self, obj: VisitGroup) -> int:
        return getattr(obj, "visit_total", 0)  # annotated in get_queryset


class VisitWindowInline(admin.TabularInline):
    model = VisitWindow
    extra = 0


class BookingInline(admin.TabularInline):
    model = Booking
    extra = 0
    can_delete = False
    fields = ("expert", "during", "status", "proposal", "created_at")
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Visit | None = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Booking]:
        return super().get_queryset(request).select_related("expert__user", "proposal__expert__user")


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "ticket_link",
        "required_skill",
        "experts_needed",
        "duration_minutes",
        "status",
        "scheduled_start",
    )
    list_filter = ("status", "required_skill", "group__status")
    search_fields = ("id__exact", "group__ticket__number__exact", "group__ticket__subject", "required_skill__name")
    list_select_related = ("group__ticket", "required_skill")
    autocomplete_fields = ("group", "depends_on")
    readonly_fields = VISIT_STATE_FIELDS
    date_hierarchy = "scheduled_start"
    inlines = (VisitWindowInline, BookingInline)

    @admin.display(description=_("ticket"), ordering="group__ticket__number")
    def ticket_link(self, obj: Visit) -> str:
        return str(obj.group.ticket)


@admin.register(VisitWindow)
class VisitWindowAdmin(admin.ModelAdmin):
    list_display = ("visit", "window")
    list_filter = ("visit__status",)
    search_fields = ("visit__id__exact", "visit__group__ticket__number__exact")
    list_select_related = ("visit__required_skill",)
    autocomplete_fields = ("visit",)


@admin.register(Booking)
class BookingAdmin(AppendOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("expert", "visit", "during", "status", "created_at")
    list_filter = ("status", "visit__required_skill")
    search_fields = ("expert__user__email", "expert__user__full_name", "visit__group__ticket__number__exact")
    list_select_related = ("expert__user", "visit__required_skill")
    date_hierarchy = "created_at"


@admin.register(Incident)
class IncidentAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("visit", "kind", "expert", "status", "overrun_minutes", "created_at", "resolved_at")
    list_filter = ("kind", "status")
    search_fields = ("details", "resolution", "expert__user__email", "visit__group__ticket__number__exact")
    list_select_related = ("visit__required_skill", "expert__user")
    date_hierarchy = "created_at"


@admin.register(RescheduleOffer)
class RescheduleOfferAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("group", "status", "accepted_option", "sent_by", "created_at", "responded_at")
    list_filter = ("status",)
    search_fields = ("group__ticket__number__exact", "group__ticket__subject")
    list_select_related = ("group", "sent_by")
    date_hierarchy = "created_at"
