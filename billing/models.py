"""Subscriptions (who may get service), the paid-customer cache, and expert payouts."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Plan(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    monthly_price_cents = models.PositiveIntegerField()
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["monthly_price_cents"]

    def __str__(self) -> str:
        return self.name


class Subscription(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "ACTIVE", _("Active")
        PAST_DUE = "PAST_DUE", _("Past due")
        CANCELLED = "CANCELLED", _("Cancelled")

    customer = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscription")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    started_on = models.DateField()
    paid_through = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.customer} – {self.plan}"


class PaidCustomerCache(models.Model):
    """What the payment service last said about a customer, and when."""

    class Answer(models.TextChoices):
        PAID = "PAID", _("Paid")
        UNPAID = "UNPAID", _("Not paid")
        UNKNOWN = "UNKNOWN", _("Unknown")

    customer = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="paid_cache")
    answer = models.CharField(max_length=8, choices=Answer.choices, default=Answer.UNKNOWN)
    paid_through = models.DateField(null=True, blank=True)
    checked_at = models.DateTimeField()

    class Meta:
        verbose_name = "paid-customer cache entry"
        verbose_name_plural = "paid-customer cache"

    def __str__(self) -> str:
        return f"{self.customer}: {self.answer}"


class PayoutBatch(models.Model):
    class Status(models.TextChoices):
        OPEN = "OPEN", _("Open")
        PAID = "PAID", _("Paid")

    expert = models.ForeignKey("experts.ExpertProfile", on_delete=models.PROTECT, related_name="payout_batches")
    period_start = models.DateField()
    period_end = models.DateField()
    total_cents = models.IntegerField(default=0)
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period_start"]
        verbose_name_plural = "payout batches"
        constraints = [
            models.UniqueConstraint(fields=["expert", "period_start"], name="payout_batch_once_per_period"),
            models.CheckConstraint(condition=Q(period_start__lt=F("period_end")), name="payout_period_order"),
        ]

    def __str__(self) -> str:
        return f"{self.expert} {self.period_start:%Y-%m}"


class PayoutLine(models.Model):
    class Kind(models.TextChoices):
        VISIT = "VISIT", _("Completed visit")
        ADJUSTMENT = "ADJUSTMENT", _("Adjustment")

    expert = models.ForeignKey("experts.ExpertProfile", on_delete=models.PROTECT, related_name="payout_lines")
    visit = models.ForeignKey("visits.Visit", null=True, blank=True, on_delete=models.PROTECT)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.VISIT)
    amount_cents = models.IntegerField()
    description = models.CharField(max_length=200, blank=True)
    batch = models.ForeignKey(PayoutBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="lines")
    earned_at = models.DateTimeField()

    class Meta:
        ordering = ["-earned_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "visit"], condition=Q(kind="VISIT"), name="payout_line_once_per_visit_expert"
            ),
            models.CheckConstraint(
                condition=~Q(kind="VISIT") | Q(visit__isnull=False), name="payout_visit_line_has_visit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert} {self.amount_cents / 100:.2f}"
