"""SLA clocks: the deadlines of a ticket from the policy of its priority.

Foundation: wall-clock minutes from the most specific active policy. Business calendars
(opening hours, holidays) plug in here, so every caller gets business-time deadlines."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from tickets.models import SLAPolicy, Team
from tickets.selectors import sla_policy_for


@dataclass(frozen=True)
class SLADeadlines:
    policy: SLAPolicy | None
    first_response_due: datetime | None
    resolution_due: datetime | None


def sla_deadlines(*, priority: str, team: Team | None, is_vip: bool, start: datetime) -> SLADeadlines:
    policy = sla_policy_for(priority=priority, team=team, is_vip=is_vip)
    if policy is None:
        return SLADeadlines(policy=None, first_response_due=None, resolution_due=None)
    return SLADeadlines(
        policy=policy,
        first_response_due=start + timedelta(minutes=policy.first_response_minutes),
        resolution_due=start + timedelta(minutes=policy.resolution_minutes),
    )
