"""SLA clocks: the deadlines of a ticket from the policy of its priority, in business time when
the ticket's team has a calendar (opening hours, public holidays, closed days), else wall-clock.

Besides each deadline we store where its at-risk part begins (the last `at_risk_percent` of the
window, in the same business time), so the sweep compares two stored instants with now() and
never has to redo calendar arithmetic in SQL. Pausing (WAITING_ON_CUSTOMER) moves the resolution
instants by the business time that passed during the pause."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from tickets.business_time import WALL_CLOCK, BusinessSchedule, CalendarError, Clock
from tickets.models import BusinessCalendar, SLAPolicy, SLAStatus, Team, Ticket
from tickets.selectors import sla_policy_for

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SLADeadlines:
    policy: SLAPolicy | None
    first_response_due: datetime | None
    resolution_due: datetime | None
    first_response_risk_at: datetime | None = None
    resolution_risk_at: datetime | None = None


def schedule_for_calendar(calendar: BusinessCalendar) -> BusinessSchedule:
    """Uses `calendar.hours` and `calendar.closed_days` (prefetch them to avoid two queries)."""
    return BusinessSchedule.build(
        timezone=calendar.timezone,
        hours=[(h.weekday, h.opens_at, h.closes_at) for h in calendar.hours.all()],
        closed_days=[d.date for d in calendar.closed_days.all()],
        holiday_country=calendar.holiday_country,
        holiday_subdivision=calendar.holiday_subdivision,
    )


def clock_for_team(team: Team | None) -> Clock:
    """The team's business clock; wall-clock for no team, no calendar or a calendar without hours.
    A calendar that cannot be evaluated (e.g. an unknown holiday country slipped past the admin)
    falls back to wall-clock and is logged, so ticket intake never fails on configuration."""
    calendar_id = team.calendar_id if team is not None else None
    if calendar_id is None:
        return WALL_CLOCK
    calendar = BusinessCalendar.objects.prefetch_related("hours", "closed_days").filter(pk=calendar_id).first()
    if calendar is None:
        return WALL_CLOCK
    try:
        schedule = schedule_for_calendar(calendar)
        if not schedule.has_hours:
            log.warning("Calendar %s has no opening hours; SLA clocks run on wall-clock time.", calendar)
            return WALL_CLOCK
        schedule.is_closed(datetime.now().date())  # evaluates the holiday table once
    except (CalendarError, ValueError, KeyError) as exc:
        log.error("Calendar %s is unusable (%s); SLA clocks run on wall-clock time.", calendar, exc)
        return WALL_CLOCK
    return schedule


def risk_fraction(policy: SLAPolicy) -> float:
    return (100 - policy.at_risk_percent) / 100


def _window(clock: Clock, start: datetime, minutes: int, safe_fraction: float) -> tuple[datetime, datetime]:
    """(at-risk instant, deadline) of a window of `minutes` business minutes from `start`."""
    total = timedelta(minutes=minutes)
    safe = timedelta(seconds=round(total.total_seconds() * safe_fraction))
    return clock.add(start, safe), clock.add(start, total)


def sla_deadlines(*, priority: str, team: Team | None, is_vip: bool, start: datetime) -> SLADeadlines:
    policy = sla_policy_for(priority=priority, team=team, is_vip=is_vip)
    if policy is None:
        return SLADeadlines(policy=None, first_response_due=None, resolution_due=None)
    clock = clock_for_team(team)
    fraction = risk_fraction(policy)
    try:
        fr_risk, fr_due = _window(clock, start, policy.first_response_minutes, fraction)
        res_risk, res_due = _window(clock, start, policy.resolution_minutes, fraction)
    except CalendarError as exc:  # e.g. closed for years: count wall-clock time rather than fail
        log.error("SLA clock for team %s failed (%s); using wall-clock time.", team, exc)
        fr_risk, fr_due = _window(WALL_CLOCK, start, policy.first_response_minutes, fraction)
        res_risk, res_due = _window(WALL_CLOCK, start, policy.resolution_minutes, fraction)
    return SLADeadlines(
        policy=policy,
        first_response_due=fr_due,
        resolution_due=res_due,
        first_response_risk_at=fr_risk,
        resolution_risk_at=res_risk,
    )


def _shift_past_pause(clock: Clock, instant: datetime | None, paused_at: datetime, resumed_at: datetime):
    """An instant still ahead when the clock paused keeps its remaining business time, counted
    from the resume; one already passed stays where it was (a pause never undoes a breach)."""
    if instant is None or instant <= paused_at:
        return instant
    return clock.add(resumed_at, clock.between(paused_at, instant))


def sla_clock_resume(*, ticket: Ticket, paused_at: datetime, resumed_at: datetime) -> list[str]:
    """Move the resolution deadline (and its at-risk instant) by the business time that passed
    while the ticket waited on the customer. Called by the lifecycle on leaving that status;
    returns the changed fields."""
    clock = clock_for_team(ticket.team if ticket.team_id else None)
    try:
        due = _shift_past_pause(clock, ticket.resolution_due, paused_at, resumed_at)
        risk = _shift_past_pause(clock, ticket.resolution_risk_at, paused_at, resumed_at)
    except CalendarError as exc:
        log.error("Ticket %s: business clock failed on resume (%s); using wall-clock time.", ticket.pk, exc)
        due = _shift_past_pause(WALL_CLOCK, ticket.resolution_due, paused_at, resumed_at)
        risk = _shift_past_pause(WALL_CLOCK, ticket.resolution_risk_at, paused_at, resumed_at)
    ticket.resolution_due, ticket.resolution_risk_at = due, risk
    return ["resolution_due", "resolution_risk_at"]


def sla_clock_stop(*, ticket: Ticket, to_status: str, now: datetime) -> list[str]:
    """Settle the clocks a transition stops, so reporting is right even if the sweep never saw
    the ticket late: resolving stops the resolution clock, resolving or closing stops the first
    response clock. A clock that ran past its deadline ends BREACHED (and `sla_breached` sticks)."""
    fields = []
    fr_done_at = ticket.first_response_at or now
    if ticket.first_response_due is not None and fr_done_at > ticket.first_response_due:
        ticket.first_response_sla = SLAStatus.BREACHED
        fields.append("first_response_sla")
    if to_status == Ticket.Status.RESOLVED and ticket.resolution_due is not None and now > ticket.resolution_due:
        ticket.resolution_sla = SLAStatus.BREACHED
        fields.append("resolution_sla")
    if fields and not ticket.sla_breached:
        ticket.sla_breached = True
        fields.append("sla_breached")
    return fields


def sla_clock_restart(
    *, ticket: Ticket, start: datetime, is_vip: bool, priority: str | None = None
) -> tuple[SLADeadlines, list[str]]:
    """A new SLA (e.g. on escalation with a new priority): fresh windows from `start` for the
    clocks still running, statuses back to WITHIN (`sla_breached` keeps the history)."""
    sla = sla_deadlines(
        priority=priority or ticket.priority, team=ticket.team if ticket.team_id else None, is_vip=is_vip, start=start
    )
    fields = []
    if ticket.first_response_at is None:
        ticket.first_response_due, ticket.first_response_risk_at = sla.first_response_due, sla.first_response_risk_at
        ticket.first_response_sla = SLAStatus.WITHIN
        fields += ["first_response_due", "first_response_risk_at", "first_response_sla"]
    ticket.resolution_due, ticket.resolution_risk_at = sla.resolution_due, sla.resolution_risk_at
    ticket.resolution_sla = SLAStatus.WITHIN
    fields += ["resolution_due", "resolution_risk_at", "resolution_sla"]
    return sla, fields
