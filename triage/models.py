"""Intake triage configuration and history: trained classifier models, priority rules and
per-team routing weights (the routing rules themselves are tickets.RoutingRule)."""

from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tickets.models import Priority, Team


class ClassifierModel(models.Model):
    """One trained model file (joblib, under settings.MODEL_DIR) with its metrics. At most one
    model per kind is active; the web process loads it once and keeps it while it stays active."""

    class Kind(models.TextChoices):
        CATEGORY = "CATEGORY", _("Category")
        PRIORITY = "PRIORITY", _("Priority")

    kind = models.CharField(max_length=8, choices=Kind.choices)
    version = models.PositiveIntegerField()
    file_path = models.CharField(max_length=255, help_text=_("Relative to MODEL_DIR."))
    metrics = models.JSONField(default=dict, blank=True)
    labels = ArrayField(models.CharField(max_length=50), default=list, blank=True)
    training_rows = models.PositiveIntegerField(default=0)
    training_sources = models.JSONField(default=list, blank=True)
    is_active = models.BooleanField(default=False)
    schedule_slot = models.DateField(
        null=True, blank=True, help_text=_("The scheduled retrain run (week) that trained this model.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="classifier_model_version_unique"),
            models.UniqueConstraint(
                fields=["kind"], condition=Q(is_active=True), name="classifier_model_one_active_per_kind"
            ),
            models.UniqueConstraint(
                fields=["kind", "schedule_slot"],
                condition=Q(schedule_slot__isnull=False),
                name="classifier_model_one_per_slot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"

    @property
    def macro_f1(self) -> float | None:
        value = (self.metrics or {}).get("cv", {}) or {}
        return value.get("macro_f1")


class PriorityRule(models.Model):
    """A rule that raises a new ticket's priority: any keyword in the subject or description
    (whole words, case-insensitive, English or German), and/or a VIP customer. All given
    conditions must hold; the highest priority of the matching rules, the model and the
    category minimum wins."""

    name = models.CharField(max_length=100)
    is_active = models.BooleanField(default=True)
    keywords = ArrayField(
        models.CharField(max_length=60),
        default=list,
        blank=True,
        help_text=_("Comma-separated; phrases allowed, e.g. urgent, dringend, keine Heizung."),
    )
    vip_only = models.BooleanField(default=False, help_text=_("Only for VIP customers."))
    priority = models.CharField(max_length=8, choices=Priority.choices)
    position = models.PositiveIntegerField(default=100, help_text=_("Lower is checked first (for equal priorities)."))

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(keywords=[]) | Q(vip_only=True), name="priority_rule_has_condition"),
            models.CheckConstraint(
                condition=Q(priority__in=["LOW", "MEDIUM", "HIGH", "URGENT"]), name="priority_rule_priority_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


def _weight_field(default: float, help_text: str) -> models.FloatField:
    return models.FloatField(
        default=default, validators=[MinValueValidator(0.0), MaxValueValidator(1.0)], help_text=help_text
    )


class TeamRoutingWeights(models.Model):
    """Per-team weights of the agent score (without a row the settings' ROUTING_WEIGHTS apply):
    score = capacity·(1 − current/max) + skill·(level/5) + handle_time·(1 − normalised handle time)."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="routing_weights")
    capacity = _weight_field(0.5, _("Weight of free capacity."))
    skill = _weight_field(0.3, _("Weight of the skill level in the ticket's category."))
    handle_time = _weight_field(0.2, _("Weight of a short average handle time in the category (last 30 days)."))

    class Meta:
        verbose_name_plural = "team routing weights"
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=0, skill__gte=0, handle_time__gte=0)
                & (Q(capacity__gt=0) | Q(skill__gt=0) | Q(handle_time__gt=0)),
                name="routing_weights_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team}: {self.capacity:g}/{self.skill:g}/{self.handle_time:g}"

    def as_dict(self) -> dict[str, float]:
        return {"capacity": self.capacity, "skill": self.skill, "handle_time": self.handle_time}
