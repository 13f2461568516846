"""Admin for the triage configuration: trained models (view, activate), priority rules and
per-team routing weights. The routing rules themselves are in the tickets admin."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from triage import registry
from triage.models import ClassifierModel, PriorityRule, TeamRoutingWeights
from triage.services import classifier_activate


@admin.register(ClassifierModel)
class ClassifierModelAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "kind",
        "version",
        "is_active",
        "cv_macro_f1",
        "cv_accuracy",
        "training_rows",
        "created_at",
    )
    list_filter = ("kind", "is_active")
    search_fields = ("file_path",)
    readonly_fields = (
        "kind",
        "version",
        "file_path",
        "is_active",
        "labels",
        "training_rows",
        "training_sources",
        "metrics",
        "schedule_slot",
        "created_at",
    )
    actions = ("activate",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # models come from `manage.py train_classifier` or the weekly retrain

    @admin.display(description=_("CV macro-F1"))
    def cv_macro_f1(self, obj: ClassifierModel) -> str:
        return f"{obj.macro_f1:.3f}" if obj.macro_f1 is not None else "—"

    @admin.display(description=_("CV accuracy"))
    def cv_accuracy(self, obj: ClassifierModel) -> str:
        value = ((obj.metrics or {}).get("cv") or {}).get("accuracy")
        return f"{value:.3f}" if value is not None else "—"

    @admin.action(description=_("Activate the selected model (one per kind)"))
    def activate(self, request: HttpRequest, queryset: QuerySet[ClassifierModel]) -> None:
        chosen = {}
        for model in queryset.order_by("kind", "-version"):
            chosen.setdefault(model.kind, model)
        for model in chosen.values():
            classifier_activate(model=model)
        self.message_user(
            request,
            ngettext("%(n)d model activated.", "%(n)d models activated.", len(chosen)) % {"n": len(chosen)},
            messages.SUCCESS,
        )

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        for problem in registry.problems():
            messages.warning(request, problem)
        return super().changelist_view(request, extra_context)


@admin.register(PriorityRule)
class PriorityRuleAdmin(admin.ModelAdmin):
    list_display = ("name", "priority", "keyword_list", "vip_only", "position", "is_active")
    list_filter = ("is_active", "priority", "vip_only")
    list_editable = ("position", "is_active")
    search_fields = ("name",)

    @admin.display(description=_("keywords"))
    def keyword_list(self, obj: PriorityRule) -> str:
        text = ", ".join(obj.keywords)
        return text if len(text) <= 80 else text[:79] + "…"


@admin.register(TeamRoutingWeights)
class TeamRoutingWeightsAdmin(admin.ModelAdmin):
    list_display = ("team", "capacity", "skill", "handle_time")
    list_filter = ("team",)
    search_fields = ("team__name",)
    list_select_related = ("team",)
