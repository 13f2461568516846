"""SLA breach alerts that a person must acknowledge (on-call style: unacknowledged alerts pass on)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tickets.models.sla import Escalation


class SLAAlert(models.Model):
    """One hop of a breach alert. Hop 0 goes to the responsible agent; when it is not acknowledged
    by `ack_deadline` the next hop (a new row pointing at this one) goes to the next available
    agent of the team, finally to the team lead."""

    class State(models.TextChoices):
        OPEN = "OPEN", _("Waiting for acknowledgement")
        ACKNOWLEDGED = "ACKNOWLEDGED", _("Acknowledged")
        PASSED_ON = "PASSED_ON", _("Passed on")
        EXPIRED = "EXPIRED", _("Nobody left to pass it to")
        CANCELLED = "CANCELLED", _("No longer needed")

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="sla_alerts")
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="sla_alerts",
        help_text=_("Who must acknowledge: an agent of the team, finally the team lead."),
    )
    kind = models.CharField(max_length=16, choices=Escalation.SLAKind.choices)
    escalation = models.ForeignKey(Escalation, null=True, blank=True, on_delete=models.SET_NULL, related_name="alerts")
    hop = models.PositiveSmallIntegerField(default=0)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="next_hop", editable=False
    )
    state = models.CharField(max_length=12, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    ack_deadline = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True, help_text=_("When it stopped waiting."))
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who got the next hop."),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "SLA alert"
        constraints = [
            models.UniqueConstraint(fields=["ticket", "kind", "hop"], name="sla_alert_one_per_hop"),
            models.CheckConstraint(
                condition=Q(state="ACKNOWLEDGED", acknowledged_at__isnull=False)
                | (~Q(state="ACKNOWLEDGED") & Q(acknowledged_at__isnull=True)),
                name="sla_alert_acknowledged_iff_state",
            ),
            models.CheckConstraint(
                condition=Q(hop=0, previous__isnull=True) | Q(hop__gt=0, previous__isnull=False),
                name="sla_alert_hop_has_previous",
            ),
        ]
        indexes = [
            models.Index(fields=["ack_deadline"], name="sla_alert_open_deadline_idx", condition=Q(state="OPEN")),
            models.Index(fields=["agent", "state"], name="sla_alert_agent_state_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.ticket_id} {self.kind} hop {self.hop} → {self.agent_id} ({self.state})"
