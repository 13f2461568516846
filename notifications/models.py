"""The notification outbox: one row per message to send, written in the same transaction as the
change that causes it, delivered after commit and retried until it is sent (at least once)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "EMAIL", _("Email")
        CHAT = "CHAT", _("Chat webhook")
        IN_APP = "IN_APP", _("In the app")

    class Status(models.TextChoices):
        PENDING = "PENDING", _("Pending")
        SENT = "SENT", _("Sent")
        FAILED = "FAILED", _("Failed")

    channel = models.CharField(max_length=8, choices=Channel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    webhook_url = models.URLField(max_length=500, blank=True, help_text=_("Chat: the incoming-webhook URL."))
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=500, blank=True, help_text=_("Where the in-app entry leads (a path)."))
    attachments = models.JSONField(
        default=list, blank=True, help_text="Email attachments: [{filename, content, mimetype}] (text content)."
    )
    idempotency_key = models.CharField(max_length=200, unique=True)

    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=120, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True, help_text=_("In-app: when the recipient read it."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=["EMAIL", "IN_APP"], recipient__isnull=False)
                | (Q(channel="CHAT") & ~Q(webhook_url="")),
                name="notification_has_destination",
            ),
            models.CheckConstraint(
                condition=~Q(status="SENT") | Q(sent_at__isnull=False), name="notification_sent_has_time"
            ),
        ]
        indexes = [
            # The delivery queue: due rows that nobody holds.
            models.Index(fields=["next_attempt_at"], name="notification_due_idx", condition=Q(status="PENDING")),
            # The reaper: claims that a dead worker left behind.
            models.Index(
                fields=["claimed_at"],
                name="notification_claimed_idx",
                condition=Q(status="PENDING", claimed_at__isnull=False),
            ),
            # The bell: a person's in-app notifications, newest first.
            models.Index(
                fields=["recipient", "-created_at"], name="notification_inbox_idx", condition=Q(channel="IN_APP")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.subject}"
