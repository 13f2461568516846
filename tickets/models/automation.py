"""Routing rules, canned responses and macros: configuration that agents and leads edit."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tickets.models.organisation import Category, Tag, Team, Tier


class RoutingRule(models.Model):
    """Ordered rules; the first active rule whose conditions all hold decides team, tier and tags.
    An empty condition matches everything."""

    name = models.CharField(max_length=100)
    position = models.PositiveIntegerField(default=100, help_text=_("Lower runs first."))
    is_active = models.BooleanField(default=True)
    # conditions
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.CASCADE)
    priority = models.CharField(max_length=8, blank=True)
    vip = models.BooleanField(null=True, blank=True, help_text=_("Empty: any customer."))
    language = models.CharField(max_length=8, blank=True)
    keywords = ArrayField(models.CharField(max_length=50), default=list, blank=True)
    # actions
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.CASCADE)
    tier = models.PositiveSmallIntegerField(choices=Tier.choices, null=True, blank=True)
    add_tags = models.ManyToManyField(Tag, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(team__isnull=False) | Q(tier__isnull=False), name="routing_rule_has_action"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CannedResponse(models.Model):
    """A reply template; placeholders: {{customer_name}}, {{ticket_number}}, {{agent_name}}."""

    title = models.CharField(max_length=100)
    body = models.TextField()
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.CASCADE, help_text=_("Empty: everyone."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["title", "team"], nulls_distinct=False, name="canned_title_unique")
        ]

    def __str__(self) -> str:
        return self.title


class Macro(models.Model):
    """One click, several actions: set category/team/status, add tags, send a canned response."""

    name = models.CharField(max_length=100, unique=True)
    set_category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL)
    set_team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL)
    set_status = models.CharField(max_length=24, blank=True)
    add_tags = models.ManyToManyField(Tag, blank=True)
    canned_response = models.ForeignKey(CannedResponse, null=True, blank=True, on_delete=models.SET_NULL)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
