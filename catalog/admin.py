from django.contrib import admin

from catalog.models import ApplianceModel


@admin.register(ApplianceModel)
class ApplianceModelAdmin(admin.ModelAdmin):
    list_display = ("brand", "model_number", "appliance_type", "external_id", "is_active", "updated_at")
    list_filter = ("appliance_type", "is_active", "brand")
    search_fields = ("brand", "model_number", "external_id")
    readonly_fields = ("updated_at",)
    ordering = ("brand", "model_number")
