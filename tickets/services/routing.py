"""Routing: the team and tier (ordered RoutingRule table, then the category's default team, then
overflow), and the agent inside the team (weighted score of free capacity, skill level and
handle time). Every decision stores its inputs and score breakdown in Ticket.routing_reason.
Tickets that wait for capacity are handed out by tickets/services/waiting.py.

Load counters: an agent's `current_ticket_count` only grows through a conditional UPDATE
(`... WHERE current_ticket_count < max_tickets`), in the transaction that gives the ticket to
the agent, so concurrent intakes can never push an agent past `max_tickets`. Locks are taken
ticket first, then agent (as in lifecycle.ticket_assign), and at most one agent row at a time."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from tickets.models import (
    OPEN_STATUSES,
    AgentProfile,
    AgentSkill,
    Category,
    Team,
    Ticket,
    TicketEvent,
    Tier,
)
from tickets.services.priority import find_keyword
from triage.config import IntakeConfig, RoutingRuleSpec, intake_config
from triage.models import TeamRoutingWeights

logger = logging.getLogger(__name__)
MAX_OVERFLOW_HOPS = 3
SHOWN_CANDIDATES = 5


# --- team and tier ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamDecision:
    team: Team | None
    tier: int
    tag_names: tuple[str, ...]
    reason: dict[str, Any]


def _rule_matches(
    rule: RoutingRuleSpec,
    *,
    category: Category | None,
    priority: str,
    is_vip: bool,
    language: str,
    subject: str,
    description: str,
) -> list[str] | None:
    """The conditions that held (for the reason), or None when one does not hold."""
    held = []
    if rule.category_id is not None:
        if category is None or rule.category_id != category.pk:
            return None
        held.append(_("category %(name)s") % {"name": category.name})
    if rule.priority:
        if rule.priority != priority:
            return None
        held.append(_("priority %(priority)s") % {"priority": rule.priority})
    if rule.vip is not None:
        if rule.vip != is_vip:
            return None
        held.append(_("VIP customer") if is_vip else _("not a VIP customer"))
    if rule.language:
        if rule.language != language:
            return None
        held.append(_("language %(language)s") % {"language": language})
    if rule.keywords:
        hit = find_keyword(rule.keywords, subject=subject, description=description)
        if hit is None:
            return None
        held.append(_("keyword '%(word)s'") % {"word": hit[0]})
    return held


def _overflow(team: Team, tier: int, teams: dict[int, Team]) -> tuple[Team, int, list[dict[str, Any]]]:
    """Follow overflow while a team's unassigned queue is deeper than its threshold."""
    steps: list[dict[str, Any]] = []
    seen: set[int] = set()
    while team.queue_threshold is not None and team.pk not in seen and len(steps) < MAX_OVERFLOW_HOPS:
        seen.add(team.pk)
        depth = Ticket.objects.filter(team=team, assigned_agent__isnull=True, status__in=OPEN_STATUSES).count()
        if depth <= team.queue_threshold:
            break
        step: dict[str, Any] = {"team": team.name, "queue": depth, "threshold": team.queue_threshold}
        if team.overflow_team_id is not None:
            team = teams.get(team.overflow_team_id) or Team.objects.get(pk=team.overflow_team_id)
            step["to_team"] = team.name
        elif tier < Tier.L3:
            tier += 1
            step["to_tier"] = Tier(tier).label
        else:
            step["note"] = "no overflow team and already L3"
        steps.append(step)
        if "to_team" not in step:
            break
    return team, tier, steps


def routing_decide_team(
    *,
    category: Category | None,
    priority: str,
    is_vip: bool,
    language: str,
    subject: str,
    description: str,
    config: IntakeConfig | None = None,
) -> TeamDecision:
    """The first active rule whose conditions all hold decides team, tier and tags; without a team
    from a rule the category's default team takes the ticket; then overflow applies. `config`: the
    intake snapshot (rules and teams), read now when not given."""
    config = config or intake_config()
    reason: dict[str, Any] = {"rule": None}
    team: Team | None = None
    tier = Tier.L1
    tags: tuple[str, ...] = ()
    for rule in config.routing_rules:
        held = _rule_matches(
            rule,
            category=category,
            priority=priority,
            is_vip=is_vip,
            language=language,
            subject=subject,
            description=description,
        )
        if held is None:
            continue
        team = config.teams.get(rule.team_id) if rule.team_id is not None else None
        tier = rule.tier or Tier.L1
        tags = rule.tags
        reason["rule"] = {"id": rule.id, "name": rule.name, "conditions": held or [_("matches every ticket")]}
        break
    if team is not None:
        reason["via"] = "rule"
    elif category is not None and category.default_team_id is not None:
        team = config.teams.get(category.default_team_id) or category.default_team
        reason["via"] = "category"
    else:
        reason["via"] = "none"
    if team is not None:
        team, tier, steps = _overflow(team, tier, config.teams)
        if steps:
            reason["overflow"] = steps
    reason.update(team=team.name if team else None, tier=Tier(tier).label, tags=list(tags))
    return TeamDecision(team=team, tier=tier, tag_names=tags, reason=reason)


# --- the agent ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgentScore:
    agent: AgentProfile
    skill_level: int
    handle_hours: float | None
    capacity: float
    skill: float
    handle: float
    score: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.agent.pk,
            "name": self.agent.user.display_name,
            "current": self.agent.current_ticket_count,
            "max": self.agent.max_tickets,
            "skill_level": self.skill_level,
            "handle_hours": None if self.handle_hours is None else round(self.handle_hours, 2),
            "capacity": round(self.capacity, 3),
            "skill": round(self.skill, 3),
            "handle_time": round(self.handle, 3),
            "score": round(self.score, 3),
        }


def routing_weights(team: Team) -> dict[str, float]:
    row = TeamRoutingWeights.objects.filter(team=team).first()
    return row.as_dict() if row else dict(settings.ROUTING_WEIGHTS)


def _candidates_sql() -> str:
    agent, skill, user = AgentProfile._meta.db_table, AgentSkill._meta.db_table, User._meta.db_table
    ticket, weights = Ticket._meta.db_table, TeamRoutingWeights._meta.db_table
    return f"""
    SELECT a.id, a.user_id, a.team_id, a.tier, a.current_ticket_count, a.max_tickets, a.last_assigned_at,
           u.full_name, u.email, s.level,
           (SELECT extract(epoch FROM avg(t.resolved_at - coalesce(t.first_response_at, t.created_at)))
              FROM {ticket} t
             WHERE t.assigned_agent_id = a.id AND t.category_id = %(category)s
               AND t.resolved_at IS NOT NULL AND t.resolved_at >= %(since)s) AS handle_seconds,
           w.capacity, w.skill, w.handle_time
      FROM {agent} a
      JOIN {skill} s ON s.agent_id = a.id AND s.category_id = %(category)s
      JOIN {user} u ON u.id = a.user_id
      LEFT JOIN {weights} w ON w.team_id = a.team_id
     WHERE a.team_id = %(team)s AND a.is_available AND a.tier >= %(tier)s
       AND a.current_ticket_count < a.max_tickets
     ORDER BY a.id"""


def rank_agents(*, team: Team, category: Category, tier: int, now: datetime) -> tuple[list[AgentScore], dict]:
    """Available agents of `team` at `tier` or above, with free capacity and the category skill,
    best first: score = w_capacity·(1 − current/max) + w_skill·(level/5) + w_handle·(1 − normalised
    handle time in the category over the last ROUTING_HANDLE_TIME_DAYS); ties: least recently
    assigned. One query (agents, skill level, handle time and the team's weights)."""
    since = now - timedelta(days=settings.ROUTING_HANDLE_TIME_DAYS)
    with connection.cursor() as cursor:
        cursor.execute(_candidates_sql(), {"category": category.pk, "since": since, "team": team.pk, "tier": tier})
        rows = cursor.fetchall()
    if not rows:
        return [], routing_weights(team)
    weights = (
        {"capacity": rows[0][11], "skill": rows[0][12], "handle_time": rows[0][13]}
        if rows[0][11] is not None
        else dict(settings.ROUTING_WEIGHTS)
    )
    agents = []
    for pk, user_id, team_id, agent_tier, current, maximum, last, full_name, email, level, seconds, *_weights in rows:
        agent = AgentProfile(
            id=pk,
            user_id=user_id,
            team_id=team_id,
            tier=agent_tier,
            current_ticket_count=current,
            max_tickets=maximum,
            last_assigned_at=last,
        )
        agent._state.adding, agent._state.db = False, connection.alias
        agent.user = User(id=user_id, full_name=full_name, email=email)
        agents.append((agent, level, None if seconds is None else float(seconds) / 3600))
    hours = [h for _, _, h in agents if h is not None]
    low, high = (min(hours), max(hours)) if hours else (0.0, 0.0)
    scores = []
    for agent, level, own in agents:
        capacity = 1 - agent.current_ticket_count / agent.max_tickets
        skill = level / 5
        # Unknown, or nobody to compare with: the middle. Otherwise the fastest 1, the slowest 0.
        handle = 0.5 if own is None or high == low else 1 - (own - low) / (high - low)
        total = weights["capacity"] * capacity + weights["skill"] * skill + weights["handle_time"] * handle
        scores.append(AgentScore(agent, level, own, capacity, skill, handle, total))
    never = datetime.min.replace(tzinfo=now.tzinfo)
    scores.sort(key=lambda s: (-round(s.score, 9), s.agent.last_assigned_at or never, s.agent.pk))
    return scores, weights


def _claim(ranked: list[AgentScore], now: datetime) -> AgentScore | None:
    """Take one unit of capacity from the best-ranked agent that still has some. First without
    waiting (an agent being assigned by a concurrent intake is skipped), then waiting in rank order."""
    if not ranked:
        return None
    ids = [s.agent.pk for s in ranked]
    table = AgentProfile._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {table} SET current_ticket_count = current_ticket_count + 1, last_assigned_at = %s
                WHERE id = (SELECT id FROM {table}
                            WHERE id = ANY(%s) AND is_available AND current_ticket_count < max_tickets
                            ORDER BY array_position(%s::bigint[], id) LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING id""",
            [now, ids, ids],
        )
        row = cursor.fetchone()
    if row is None:
        for score in ranked:
            taken = AgentProfile.objects.filter(
                pk=score.agent.pk, is_available=True, current_ticket_count__lt=F("max_tickets")
            ).update(current_ticket_count=F("current_ticket_count") + 1, last_assigned_at=now)
            if taken:
                return score
        return None
    return next(s for s in ranked if s.agent.pk == row[0])


def give_ticket(ticket: Ticket, agent: AgentProfile, *, reason: dict[str, Any], actor: User | None) -> None:
    """Record the assignment (the caller has claimed the agent's capacity in this transaction)."""
    ticket.assigned_agent = agent
    ticket.routing_reason = {**(ticket.routing_reason or {}), "agent": reason}
    ticket.save(update_fields=["assigned_agent", "routing_reason", "updated_at"])
    TicketEvent.objects.create(
        ticket=ticket,
        actor=actor,
        kind=TicketEvent.Kind.ASSIGNED,
        data={"from_agent": None, "to_agent": agent.pk, "reason": reason.get("summary", "")},
    )


def route_to_agent(*, ticket: Ticket, actor: User | None = None) -> Ticket:
    """Give an open, unassigned ticket (locked or created by the caller's transaction) to the best
    agent of its team, or record why it waits in the team queue."""
    now = timezone.now()
    reason: dict[str, Any] = {"at": now.isoformat()}
    if ticket.team_id is None or ticket.category_id is None:
        reason.update(
            outcome="queued",
            summary=_("waits for a person to classify it") if ticket.category_id is None else _("no team"),
        )
        ticket.routing_reason = {**(ticket.routing_reason or {}), "agent": reason}
        ticket.save(update_fields=["routing_reason", "updated_at"])
        return ticket
    ranked, weights = rank_agents(team=ticket.team, category=ticket.category, tier=ticket.tier, now=now)
    reason.update(weights=weights, considered=len(ranked), candidates=[s.as_dict() for s in ranked[:SHOWN_CANDIDATES]])
    chosen = _claim(ranked, now)
    if chosen is None:
        reason.update(
            outcome="queued",
            summary=_("no available %(tier)s+ agent of %(team)s with free capacity and the %(category)s skill")
            % {"tier": Tier(ticket.tier).label, "team": ticket.team.name, "category": ticket.category.name},
        )
        ticket.routing_reason = {**(ticket.routing_reason or {}), "agent": reason}
        ticket.save(update_fields=["routing_reason", "updated_at"])
        return ticket
    reason.update(
        outcome="assigned",
        chosen=chosen.as_dict(),
        summary=_("highest score %(score).2f of %(n)d available agents") % {"score": chosen.score, "n": len(ranked)},
    )
    if chosen is not ranked[0]:
        reason["note"] = _("higher-ranked agents were taken by tickets filed at the same moment")
    give_ticket(ticket, chosen.agent, reason=reason, actor=actor)
    return ticket
