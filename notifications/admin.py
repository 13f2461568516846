"""Admin for the notification outbox: look, filter, and send failed rows again (through the service)."""

from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from notifications.models import Notification
from notifications.services import notification_retry
from tickets.admin.mixins import ViewOnlyAdminMixin


@admin.register(Notification)
class NotificationAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("subject", "channel", "recipient", "status", "attempts", "next_attempt_at", "sent_at", "created_at")
    list_filter = ("status", "channel")
    search_fields = ("subject", "idempotency_key", "recipient__email", "webhook_url")
    list_select_related = ("recipient",)
    date_hierarchy = "created_at"
    actions = ("send_again",)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.action(description=_("Send again now"), permissions=["view"])
    def send_again(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        count = notification_retry(notification_ids=queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext("%(n)d notification queued again.", "%(n)d notifications queued again.", count) % {"n": count},
            messages.SUCCESS,
        )
