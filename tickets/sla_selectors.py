"""Reads for the SLA engine: a person's alerts, and the escalation rate per team."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from accounts.models import User
from tickets.models import Escalation, SLAAlert, Ticket
from tickets.permissions import can_work_queue


def alert_list_visible_to(*, user: User) -> QuerySet[SLAAlert]:
    """Alerts addressed to this person (staff only), with their ticket."""
    if not can_work_queue(user):
        return SLAAlert.objects.none()
    return SLAAlert.objects.filter(agent=user).select_related("ticket")


def alert_list_open_for(*, user: User) -> QuerySet[SLAAlert]:
    """What the person still has to acknowledge, the most urgent first (the queue's buttons)."""
    return alert_list_visible_to(user=user).filter(state=SLAAlert.State.OPEN).order_by("ack_deadline", "pk")


@dataclass(frozen=True)
class TeamEscalationRate:
    team_id: int
    team_name: str
    tickets: int
    escalated: int

    @property
    def rate(self) -> float:
        """Share of the team's tickets that were escalated at least once (0.0–1.0)."""
        return self.escalated / self.tickets if self.tickets else 0.0


def escalation_rate_by_team(
    *, since: datetime, until: datetime | None = None, reasons: list[str] | None = None, from_tier: int | None = None
) -> list[TeamEscalationRate]:
    """Per team, of the tickets created in [since, until): how many were escalated (optionally only
    for some reasons, or only out of one tier, e.g. L1 to spot training gaps). One query."""
    escalations = Escalation.objects.filter(ticket=OuterRef("pk"))
    if reasons:
        escalations = escalations.filter(reason__in=reasons)
    if from_tier is not None:
        escalations = escalations.filter(from_tier=from_tier)
    tickets = Ticket.objects.filter(team__isnull=False, created_at__gte=since)
    if until is not None:
        tickets = tickets.filter(created_at__lt=until)
    rows = (
        tickets.values("team_id", "team__name")
        .annotate(n=Count("pk"), escalated=Count("pk", filter=Q(Exists(escalations))))
        .order_by("team__name")
    )
    return [
        TeamEscalationRate(team_id=r["team_id"], team_name=r["team__name"], tickets=r["n"], escalated=r["escalated"])
        for r in rows
    ]
