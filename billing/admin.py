"""Billing admin. Plans and subscriptions are editable; the paid-customer cache mirrors the payment
service and payouts are money already earned, so both are view-only."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from billing.models import PaidCustomerCache, PayoutBatch, PayoutLine, Plan, Subscription
from tickets.admin.mixins import AppendOnlyAdminMixin, ViewOnlyAdminMixin


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "monthly_price_cents", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "code")
    prepopulated_fields = {"code": ("name",)}


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("customer", "plan", "status", "started_on", "paid_through")
    list_filter = ("status", "plan")
    search_fields = ("customer__email", "customer__full_name")
    list_select_related = ("customer", "plan")
    autocomplete_fields = ("customer",)
    date_hierarchy = "paid_through"


@admin.register(PaidCustomerCache)
class PaidCustomerCacheAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    """Deleting an entry is allowed: the next ticket then asks the payment service again."""

    list_display = ("customer", "answer", "paid_through", "checked_at")
    list_filter = ("answer",)
    search_fields = ("customer__email", "customer__full_name")
    list_select_related = ("customer",)
    date_hierarchy = "checked_at"


class PayoutLineInline(admin.TabularInline):
    model = PayoutLine
    extra = 0
    can_delete = False
    fields = ("kind", "visit", "amount_cents", "description", "earned_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: PayoutBatch | None = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[PayoutLine]:
        return super().get_queryset(request).select_related("visit__required_skill")


@admin.register(PayoutBatch)
class PayoutBatchAdmin(AppendOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("expert", "period_start", "period_end", "total_cents", "status", "paid_at")
    list_filter = ("status", "period_start")
    search_fields = ("expert__user__email", "expert__user__full_name")
    list_select_related = ("expert__user",)
    inlines = (PayoutLineInline,)


@admin.register(PayoutLine)
class PayoutLineAdmin(AppendOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("expert", "kind", "amount_cents", "visit", "batch", "description", "earned_at")
    list_filter = ("kind", "batch__status")
    search_fields = ("expert__user__email", "expert__user__full_name", "description")
    list_select_related = ("expert__user", "visit__required_skill", "batch__expert__user")
    date_hierarchy = "earned_at"
