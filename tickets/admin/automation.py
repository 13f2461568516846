"""Admin for configuration that leads edit (routing, canned responses, macros, SLA policies) and
for the records the SLA and survey flows write (escalations, survey responses)."""

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from tickets.admin.mixins import AppendOnlyAdminMixin, ChoiceFieldsAdmin, ViewOnlyAdminMixin
from tickets.models import CannedResponse, Escalation, Macro, Priority, RoutingRule, SLAPolicy, SurveyResponse, Ticket


@admin.register(RoutingRule)
class RoutingRuleAdmin(ChoiceFieldsAdmin):
    choice_fields = {
        "priority": list(Priority.choices),
        "language": [("en", "English"), ("de", "Deutsch")],
    }
    list_display = ("name", "position", "is_active", "category", "priority", "vip", "keywords", "team", "tier")
    list_editable = ("position", "is_active")
    list_filter = ("is_active", "team", "tier", "category", "vip")
    search_fields = ("name", "team__name", "category__name")
    list_select_related = ("category", "team")
    filter_horizontal = ("add_tags",)
    fieldsets = (
        (None, {"fields": ("name", "position", "is_active")}),
        ("Conditions (empty matches everything)", {"fields": ("category", "priority", "vip", "language", "keywords")}),
        ("Actions", {"fields": ("team", "tier", "add_tags")}),
    )


@admin.register(CannedResponse)
class CannedResponseAdmin(admin.ModelAdmin):
    list_display = ("title", "team", "created_by", "created_at")
    list_filter = ("team",)
    search_fields = ("title", "body")
    list_select_related = ("team", "created_by")
    autocomplete_fields = ("created_by",)
    readonly_fields = ("created_at",)

    def save_model(self, request: HttpRequest, obj: CannedResponse, form: forms.ModelForm, change: bool) -> None:
        if not change and obj.created_by_id is None:
            obj.created_by_id = request.user.pk
        super().save_model(request, obj, form, change)


@admin.register(Macro)
class MacroAdmin(ChoiceFieldsAdmin):
    choice_fields = {"set_status": list(Ticket.Status.choices)}
    list_display = ("name", "is_active", "set_category", "set_team", "set_status", "canned_response")
    list_filter = ("is_active", "set_team", "set_category")
    search_fields = ("name",)
    list_select_related = ("set_category", "set_team", "canned_response")
    autocomplete_fields = ("canned_response",)
    filter_horizontal = ("add_tags",)


@admin.register(SLAPolicy)
class SLAPolicyAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "priority",
        "team",
        "vip_only",
        "first_response_minutes",
        "resolution_minutes",
        "at_risk_percent",
        "escalate_at_risk_to",
        "is_active",
    )
    list_filter = ("priority", "vip_only", "is_active", "team", "escalate_at_risk_to")
    search_fields = ("name", "team__name")
    list_select_related = ("team",)


@admin.register(Escalation)
class EscalationAdmin(AppendOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("ticket", "from_tier", "to_tier", "from_agent", "to_agent", "reason", "escalated_by", "created_at")
    list_filter = ("reason", "sla_kind", "from_tier", "to_tier")
    search_fields = ("ticket__number__exact", "ticket__subject", "note")
    list_select_related = ("ticket", "from_agent__user", "to_agent__user", "escalated_by")
    date_hierarchy = "created_at"


@admin.register(SurveyResponse)
class SurveyResponseAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("ticket", "customer", "kind", "score", "created_at")
    list_filter = ("kind", "score")
    search_fields = ("ticket__number__exact", "customer__email", "comment")
    list_select_related = ("ticket", "customer")
    date_hierarchy = "created_at"
