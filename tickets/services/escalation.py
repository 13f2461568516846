"""Escalation through the tiers L1 → L2 → L3: automatic when an SLA clock is at risk or
breached (exactly once per ticket, clock and level), and by hand with a reason.

Each escalation is an Escalation row plus an ESCALATED TicketEvent, in one transaction with its
effects. Where the ticket goes: AT_RISK to a senior agent of the team or the next tier (as the
SLA policy says), BREACHED to the next tier, plus the team lead and the team's chat room are
told and the responsible agent gets an alert to acknowledge. With the team's "touch and hold" the
original agent stays owner and the new one becomes a collaborator; otherwise the ticket is handed
over through `ticket_assign`, which keeps the load counters exact."""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from helpdesk.errors import DomainValidationError, InvalidTransitionError
from tickets.models import AgentProfile, Escalation, Priority, SLAPolicy, SLAStatus, Ticket, TicketEvent, Tier
from tickets.selectors import sla_policy_for
from tickets.services.alerts import alert_raise
from tickets.services.intake import customer_is_vip
from tickets.services.lifecycle import ticket_assign
from tickets.services.notify import notify_escalation
from tickets.services.sla import sla_clock_restart

log = logging.getLogger(__name__)
Kind, Reason = Escalation.SLAKind, Escalation.Reason
AT_CAPACITY = ExpressionWrapper(Q(current_ticket_count__gte=F("max_tickets")), output_field=BooleanField())


@dataclass(frozen=True)
class Target:
    tier: int
    agent: AgentProfile | None


def _team_agents(ticket: Ticket) -> QuerySet[AgentProfile]:
    """Available agents of the ticket's team, those with free capacity and least load first."""
    if ticket.team_id is None:
        return AgentProfile.objects.none()
    return (
        AgentProfile.objects.select_related("user")
        .filter(team_id=ticket.team_id, is_available=True, user__is_active=True)
        .exclude(pk=ticket.assigned_agent_id or 0)
        .order_by(AT_CAPACITY.asc(), "tier", "current_ticket_count", F("last_assigned_at").asc(nulls_first=True), "pk")
    )


def next_tier_target(ticket: Ticket) -> Target:
    tier = min(ticket.tier + 1, Tier.L3)
    return Target(tier, _team_agents(ticket).filter(tier=tier).first())


def senior_agent_target(ticket: Ticket) -> Target:
    """A more senior agent of the team than the current owner; else the next tier."""
    owner_tier = ticket.assigned_agent.tier if ticket.assigned_agent_id else ticket.tier
    senior = _team_agents(ticket).filter(tier__gt=owner_tier).first()
    if senior is None:
        return next_tier_target(ticket)
    return Target(max(ticket.tier, senior.tier), senior)


def _apply(
    *,
    ticket: Ticket,
    target: Target,
    reason: str,
    actor: User | None,
    note: str = "",
    sla_kind: str = "",
    level: str = "",
) -> Escalation:
    """Write the escalation and its effects on a locked ticket."""
    owner = ticket.assigned_agent
    fields = {
        "from_tier": ticket.tier,
        "to_tier": target.tier,
        "from_agent": owner,
        "to_agent": target.agent,
        "reason": reason,
        "note": note,
        "escalated_by": actor,
    }
    # Automatic escalations carry (sla_kind, level): the unique constraint makes each happen once.
    # The caller holds the ticket's row lock and checked for an existing one, so a plain INSERT
    # suffices; were it to collide anyway, the IntegrityError rolls the whole escalation back.
    escalation = Escalation.objects.create(ticket=ticket, sla_kind=sla_kind, level=level, **fields)

    if ticket.tier != target.tier:
        ticket.tier = target.tier
        ticket.save(update_fields=["tier", "updated_at"])
    mode = "stays"
    new = target.agent
    if new is not None and new.pk != ticket.assigned_agent_id:
        if owner is not None and ticket.team is not None and ticket.team.touch_and_hold:
            ticket.collaborators.add(new)
            mode = "touch_and_hold"
        else:
            ticket_assign(ticket=ticket, agent=new, actor=actor)
            ticket.assigned_agent = new
            mode = "handover" if owner is not None else "assigned"
    TicketEvent.objects.create(
        ticket=ticket,
        actor=actor,
        kind=TicketEvent.Kind.ESCALATED,
        data={
            "escalation": escalation.pk,
            "reason": reason,
            "clock": sla_kind,
            "level": level,
            "from_tier": escalation.from_tier,
            "to_tier": escalation.to_tier,
            "from_agent": owner.pk if owner else None,
            "to_agent": new.pk if new else None,
            "mode": mode,
        },
    )
    notify_escalation(escalation=escalation, ticket=ticket)
    return escalation


def _clock_level(ticket: Ticket, kind: str) -> str | None:
    """The level an automatic escalation of this clock would be for, if the clock still runs."""
    if kind == Kind.FIRST_RESPONSE:
        running = ticket.is_open and ticket.first_response_at is None
        level = ticket.first_response_sla
    else:
        running = ticket.status in {Ticket.Status.OPEN, Ticket.Status.IN_PROGRESS}
        level = ticket.resolution_sla
    return level if running and level in {SLAStatus.AT_RISK, SLAStatus.BREACHED} else None


PolicyCache = dict[tuple[str, int | None, bool], SLAPolicy | None]


def _policy(ticket: Ticket, cache: PolicyCache | None) -> SLAPolicy | None:
    """The ticket's policy; a sweep passes a cache so each scope is looked up once per run."""
    key = (ticket.priority, ticket.team_id, customer_is_vip(ticket.customer))
    if cache is not None and key in cache:
        return cache[key]
    policy = sla_policy_for(priority=key[0], team=ticket.team, is_vip=key[2])
    if cache is not None:
        cache[key] = policy
    return policy


def ticket_escalate_for_sla(
    *, ticket_id: int, kind: str, level: str, now: datetime | None = None, policies: PolicyCache | None = None
) -> Escalation | None:
    """Escalate one ticket whose `kind` clock reached `level` (AT_RISK or BREACHED), at most once.
    Returns None when there is nothing to do: the clock moved on, or this escalation exists
    already (e.g. a concurrent sweep made it while we waited for the row lock)."""
    now = now or timezone.now()
    with transaction.atomic():
        # Wait for the row rather than skip it: a concurrent sweep holds it for one escalation
        # only, and whichever comes second sees that escalation and does nothing.
        try:
            ticket = (
                Ticket.objects.select_for_update(of=("self",))
                .select_related("team__lead", "assigned_agent__user", "customer__customer_profile")
                .get(pk=ticket_id)
            )
        except Ticket.DoesNotExist:
            return None
        if _clock_level(ticket, kind) != level:
            return None
        if Escalation.objects.filter(ticket=ticket, sla_kind=kind, level=level).exists():
            return None
        policy = _policy(ticket, policies)
        if level == SLAStatus.AT_RISK and (
            policy is None or policy.escalate_at_risk_to == SLAPolicy.RiskEscalation.SENIOR_AGENT
        ):
            target = senior_agent_target(ticket)
        else:
            target = next_tier_target(ticket)
        breached = level == SLAStatus.BREACHED
        escalation = _apply(
            ticket=ticket,
            target=target,
            reason=Reason.AUTO_SLA_BREACH if breached else Reason.AUTO_SLA_RISK,
            actor=None,
            note=f"{Kind(kind).label}: {SLAStatus(level).label}",
            sla_kind=kind,
            level=level,
        )
        if breached:
            responsible = _responsible_person(ticket, escalation)
            if responsible is None:
                log.warning("Ticket %s breached %s but nobody can be alerted (no agent, no lead).", ticket.pk, kind)
            else:
                alert_raise(ticket=ticket, kind=kind, agent=responsible, escalation_id=escalation.pk, now=now)
        return escalation


def _responsible_person(ticket: Ticket, escalation: Escalation) -> User | None:
    """Whom the breach alert goes to first: the owner, else whoever it was escalated to, else the lead."""
    if ticket.assigned_agent is not None and ticket.assigned_agent.user.is_active:
        return ticket.assigned_agent.user
    if escalation.to_agent is not None:
        return escalation.to_agent.user
    return ticket.team.lead if ticket.team is not None else None


@transaction.atomic
def ticket_escalate(
    *,
    ticket: Ticket,
    actor: User,
    note: str,
    to_tier: int | None = None,
    to_agent: AgentProfile | None = None,
    priority: str | None = None,
) -> Escalation:
    """An agent escalates by hand, with a reason: to a given agent, a given higher tier, or the
    next tier. A new `priority` sets a new SLA from now (the policy of that priority)."""
    note = (note or "").strip()
    if not note:
        raise DomainValidationError(_("Please say why you escalate."), field="note")
    if priority is not None and priority not in Priority.values:
        raise DomainValidationError(_("Unknown priority."), field="priority")
    locked = (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("team__lead", "assigned_agent__user", "customer__customer_profile")
        .get(pk=ticket.pk)
    )
    if not locked.is_open:
        raise InvalidTransitionError(_("Only open tickets can be escalated."))
    if to_agent is not None:
        if to_agent.pk == locked.assigned_agent_id:
            raise DomainValidationError(_("The ticket is already with this agent."), field="to_agent")
        target = Target(max(locked.tier, to_tier or to_agent.tier), to_agent)
    elif to_tier is not None:
        if to_tier not in Tier.values or to_tier <= locked.tier:
            raise DomainValidationError(_("Choose a higher tier than the current one."), field="to_tier")
        target = Target(to_tier, _team_agents(locked).filter(tier=to_tier).first())
    else:
        if locked.tier >= Tier.L3:
            raise InvalidTransitionError(_("The ticket is already at the highest tier; choose an agent."))
        target = next_tier_target(locked)
    if priority is not None and priority != locked.priority:
        old = locked.priority
        locked.priority, locked.priority_source = priority, Ticket.PrioritySource.AGENT
        locked.priority_reason = _("Escalated by %(name)s") % {"name": actor.display_name}
        sla, fields = sla_clock_restart(
            ticket=locked, start=timezone.now(), is_vip=customer_is_vip(locked.customer), priority=priority
        )
        locked.save(update_fields=[*fields, "priority", "priority_source", "priority_reason", "updated_at"])
        TicketEvent.objects.create(
            ticket=locked,
            actor=actor,
            kind=TicketEvent.Kind.PRIORITY_CHANGED,
            data={"from": old, "to": priority, "sla_policy": sla.policy.name if sla.policy else None},
        )
    return _apply(ticket=locked, target=target, reason=Reason.MANUAL, actor=actor, note=note)
