"""SLA policies and escalations."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tickets.models.organisation import AgentProfile, Team, Tier


class SLAStatus(models.TextChoices):
    WITHIN = "WITHIN", _("Within SLA")
    AT_RISK = "AT_RISK", _("At risk")
    BREACHED = "BREACHED", _("Breached")


class SLAPolicy(models.Model):
    """Targets for one priority; optionally narrowed to VIP customers and/or one team.
    The most specific active policy wins (team + VIP, then team, then VIP, then the plain one)."""

    class RiskEscalation(models.TextChoices):
        SENIOR_AGENT = "SENIOR_AGENT", _("Senior agent of the team")
        NEXT_TIER = "NEXT_TIER", _("Next tier")

    name = models.CharField(max_length=100)
    priority = models.CharField(max_length=8, choices=[(p, p.title()) for p in ("LOW", "MEDIUM", "HIGH", "URGENT")])
    vip_only = models.BooleanField(default=False)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.CASCADE, related_name="sla_policies")
    first_response_minutes = models.PositiveIntegerField()
    resolution_minutes = models.PositiveIntegerField()
    at_risk_percent = models.PositiveSmallIntegerField(
        default=20, help_text=_("The last N % of the window counts as at risk.")
    )
    escalate_at_risk_to = models.CharField(
        max_length=16, choices=RiskEscalation.choices, default=RiskEscalation.SENIOR_AGENT
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["priority", "team", "vip_only"]
        verbose_name = "SLA policy"
        verbose_name_plural = "SLA policies"
        constraints = [
            models.UniqueConstraint(
                fields=["priority", "team", "vip_only"],
                condition=Q(is_active=True),
                nulls_distinct=False,
                name="sla_policy_one_active_per_scope",
            ),
            models.CheckConstraint(
                condition=Q(first_response_minutes__gte=1) & Q(resolution_minutes__gte=F("first_response_minutes")),
                name="sla_policy_targets_sane",
            ),
            models.CheckConstraint(
                condition=Q(at_risk_percent__gte=1, at_risk_percent__lte=99), name="sla_policy_risk_percent_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Escalation(models.Model):
    class Reason(models.TextChoices):
        MANUAL = "MANUAL", _("Escalated by an agent")
        AUTO_SLA_RISK = "AUTO_SLA_RISK", _("SLA at risk")
        AUTO_SLA_BREACH = "AUTO_SLA_BREACH", _("SLA breached")
        UNACKNOWLEDGED = "UNACKNOWLEDGED", _("Alert not acknowledged")

    class SLAKind(models.TextChoices):
        FIRST_RESPONSE = "FIRST_RESPONSE", _("First response")
        RESOLUTION = "RESOLUTION", _("Resolution")

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="escalations")
    from_tier = models.PositiveSmallIntegerField(choices=Tier.choices)
    to_tier = models.PositiveSmallIntegerField(choices=Tier.choices)
    from_agent = models.ForeignKey(AgentProfile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    to_agent = models.ForeignKey(AgentProfile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=16, choices=Reason.choices)
    note = models.TextField(blank=True)
    # For automatic escalations: which clock and which step, so each fires exactly once.
    sla_kind = models.CharField(max_length=16, choices=SLAKind.choices, blank=True)
    level = models.CharField(max_length=10, blank=True)
    escalated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "sla_kind", "level"],
                condition=~Q(sla_kind=""),
                name="escalation_auto_once_per_ticket_kind_level",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.ticket_id} L{self.from_tier}→L{self.to_tier} ({self.reason})"
