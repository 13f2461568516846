"""Field experts, their trade skills and availability, and their proposals for visits."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField, DateTimeRangeField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from helpdesk.db import bounded_range_check


class Skill(models.Model):
    """A trade (plumbing, electrical work, appliance repair…) that visits require."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=50, unique=True)
    is_replaceable = models.BooleanField(
        default=True, help_text=_("Any expert with this skill can stand in for another.")
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ExpertProfile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert_profile")
    phone = models.CharField(max_length=40, blank=True)
    service_area = ArrayField(
        models.CharField(max_length=16),
        default=list,
        blank=True,
        help_text=_("Postal-code prefixes served, e.g. 101, 102. Empty: everywhere."),
    )
    is_active = models.BooleanField(default=True)
    hourly_rate_cents = models.PositiveIntegerField(default=4500, help_text=_("Payout per hour of visit."))
    skills = models.ManyToManyField(Skill, through="ExpertSkill", related_name="experts")

    class Meta:
        ordering = ["user__email"]

    def __str__(self) -> str:
        return str(self.user)


class ExpertSkill(models.Model):
    expert = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="expert_skills")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE)
    level = models.PositiveSmallIntegerField(default=3, validators=[MinValueValidator(1), MaxValueValidator(5)])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["expert", "skill"], name="expert_skill_unique"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="expert_skill_level_range"),
        ]

    def __str__(self) -> str:
        return f"{self.skill} {self.level}/5"


class Availability(models.Model):
    """A time range in which the expert says they can work."""

    expert = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="availability")
    window = DateTimeRangeField()

    class Meta:
        ordering = ["window"]
        verbose_name_plural = "availability"
        constraints = [
            bounded_range_check("window", "availability_window_bounded"),
        ]

    def __str__(self) -> str:
        return f"{self.expert}: {self.window.lower:%Y-%m-%d %H:%M}"


class Proposal(models.Model):
    """An expert offers to do a visit starting at `start_at`; created_at is their time priority."""

    class Status(models.TextChoices):
        ACTIVE = "ACTIVE", _("Proposed")
        WITHDRAWN = "WITHDRAWN", _("Withdrawn")
        ACCEPTED = "ACCEPTED", _("Accepted")
        REJECTED = "REJECTED", _("Not chosen")

    expert = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="proposals")
    visit = models.ForeignKey("visits.Visit", on_delete=models.CASCADE, related_name="proposals")
    start_at = models.DateTimeField()
    is_alternative = models.BooleanField(default=False, help_text=_("Outside the customer's windows."))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "visit", "start_at"],
                condition=Q(status="ACTIVE"),
                name="proposal_one_active_per_expert_visit_start",
            ),
        ]
        indexes = [models.Index(fields=["visit", "status", "start_at"], name="proposal_visit_status_idx")]

    def __str__(self) -> str:
        return f"{self.expert} → visit {self.visit_id} at {self.start_at:%Y-%m-%d %H:%M}"
