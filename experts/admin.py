from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from experts.models import Availability, ExpertProfile, ExpertSkill, Proposal, Skill
from tickets.admin.mixins import AppendOnlyAdminMixin


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "is_replaceable")
    list_filter = ("is_replaceable",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


class ExpertSkillInline(admin.TabularInline):
    model = ExpertSkill
    extra = 0


class AvailabilityInline(admin.TabularInline):
    model = Availability
    extra = 0


@admin.register(ExpertProfile)
class ExpertProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "skill_list", "service_area", "is_active", "hourly_rate_cents", "phone")
    list_filter = ("is_active", "skills")
    search_fields = ("user__email", "user__full_name", "phone")
    list_select_related = ("user",)
    autocomplete_fields = ("user",)
    inlines = (ExpertSkillInline, AvailabilityInline)

    def get_queryset(self, request: HttpRequest) -> QuerySet[ExpertProfile]:
        return super().get_queryset(request).prefetch_related("expert_skills__skill")

    @admin.display(description=_("skills"))
    def skill_list(self, obj: ExpertProfile) -> str:
        return ", ".join(f"{s.skill.name} {s.level}/5" for s in obj.expert_skills.all())


@admin.register(ExpertSkill)
class ExpertSkillAdmin(admin.ModelAdmin):
    list_display = ("expert", "skill", "level")
    list_filter = ("skill", "level")
    search_fields = ("expert__user__email", "expert__user__full_name", "skill__name")
    list_select_related = ("expert__user", "skill")
    autocomplete_fields = ("expert",)


@admin.register(Availability)
class AvailabilityAdmin(admin.ModelAdmin):
    list_display = ("expert", "window")
    list_filter = ("expert__is_active",)
    search_fields = ("expert__user__email", "expert__user__full_name")
    list_select_related = ("expert__user",)
    autocomplete_fields = ("expert",)


@admin.register(Proposal)
class ProposalAdmin(AppendOnlyAdminMixin, admin.ModelAdmin):
    """Proposals are the experts' claims: their created_at is time priority, so only the claim
    services write them."""

    list_display = ("expert", "visit", "start_at", "is_alternative", "status", "created_at")
    list_filter = ("status", "is_alternative", "visit__required_skill")
    search_fields = ("expert__user__email", "expert__user__full_name", "visit__group__ticket__number__exact")
    list_select_related = ("expert__user", "visit__required_skill")
    date_hierarchy = "created_at"
