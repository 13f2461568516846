"""Who works the queue: teams, tiers, agents and their skills, categories, business calendars."""

import datetime as dt
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Tier(models.IntegerChoices):
    L1 = 1, "L1"
    L2 = 2, "L2"
    L3 = 3, "L3"


def validate_timezone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(_("Unknown time zone %(tz)s."), params={"tz": value}) from exc


class BusinessCalendar(models.Model):
    """Opening hours of a team; SLA clocks of its tickets count business time only."""

    name = models.CharField(max_length=100, unique=True)
    timezone = models.CharField(max_length=64, default="Europe/Berlin", validators=[validate_timezone])
    holiday_country = models.CharField(
        max_length=2, blank=True, help_text=_("ISO country code for public holidays, e.g. DE.")
    )
    holiday_subdivision = models.CharField(max_length=8, blank=True, help_text=_("e.g. BY for Bavaria."))

    def __str__(self) -> str:
        return self.name


class BusinessHours(models.Model):
    calendar = models.ForeignKey(BusinessCalendar, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(
        choices=[(i, day) for i, day in enumerate(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"])]
    )
    opens_at = models.TimeField(default=dt.time(8))
    closes_at = models.TimeField(default=dt.time(18))

    class Meta:
        ordering = ["calendar", "weekday", "opens_at"]
        verbose_name_plural = "business hours"
        constraints = [
            models.CheckConstraint(condition=Q(opens_at__lt=F("closes_at")), name="business_hours_open_before_close"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="business_hours_weekday_range"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens_at:%H:%M}-{self.closes_at:%H:%M}"


class ClosedDay(models.Model):
    calendar = models.ForeignKey(BusinessCalendar, on_delete=models.CASCADE, related_name="closed_days")
    date = models.DateField()
    reason = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["calendar", "date"], name="closed_day_unique")]

    def __str__(self) -> str:
        return f"{self.date} {self.reason}".strip()


class Team(models.Model):
    name = models.CharField(max_length=100, unique=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="led_teams"
    )
    calendar = models.ForeignKey(BusinessCalendar, null=True, blank=True, on_delete=models.SET_NULL)
    overflow_team = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL)
    queue_threshold = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Unassigned tickets above this overflow to the overflow team.")
    )
    touch_and_hold = models.BooleanField(
        default=True, help_text=_("On escalation the original agent stays owner and the new one collaborates.")
    )
    chat_webhook_url = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(overflow_team=F("pk")), name="team_overflow_not_self"),
        ]

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    """A ticket category; `slug` is the classifier's label (e.g. PLUMBING, BILLING)."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=50, unique=True)
    description = models.TextField(blank=True)
    default_team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL)
    minimum_priority = models.CharField(
        max_length=8, blank=True, help_text=_("Tickets of this category get at least this priority.")
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    name = models.CharField(max_length=50, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AgentProfile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agent_profile")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="agents")
    tier = models.PositiveSmallIntegerField(choices=Tier.choices, default=Tier.L1)
    max_tickets = models.PositiveIntegerField(default=10)
    current_ticket_count = models.PositiveIntegerField(default=0, editable=False)
    is_available = models.BooleanField(default=True)
    last_assigned_at = models.DateTimeField(null=True, blank=True, editable=False)
    categories = models.ManyToManyField(Category, through="AgentSkill", related_name="skilled_agents")

    class Meta:
        ordering = ["user__email"]
        constraints = [
            models.CheckConstraint(condition=Q(max_tickets__gte=1), name="agent_max_tickets_positive"),
            models.CheckConstraint(condition=Q(tier__gte=1, tier__lte=3), name="agent_tier_range"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_tier_display()})"


class AgentSkill(models.Model):
    agent = models.ForeignKey(AgentProfile, on_delete=models.CASCADE, related_name="skills")
    category = models.ForeignKey(Category, on_delete=models.CASCADE)
    level = models.PositiveSmallIntegerField(default=3, validators=[MinValueValidator(1), MaxValueValidator(5)])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agent", "category"], name="agent_skill_unique"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="agent_skill_level_range"),
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.level}/5"
