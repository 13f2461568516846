"""Intake decisions for a new ticket: category, priority, team and tier, each with its reason.

`intake_decide` runs the category model (below CLASSIFIER_MIN_CONFIDENCE, or when the model file is
missing or corrupt, the ticket stays unclassified, is flagged and waits in the triage queue), the
priority rules and severity model (tickets/services/priority.py) and the routing rules
(tickets/services/routing.py). `ticket_create` stores what this returns, then gives the new ticket
to an agent (routing.route_to_agent), so every automatic decision keeps its "why"."""

from dataclasses import dataclass, field
from typing import Any

from accounts.models import User
from tickets.models import Category, Priority, Team, Ticket, TicketFlag, Tier
from tickets.services.priority import priority_decide
from tickets.services.routing import routing_decide_team
from triage import inference
from triage.config import intake_config
from triage.datasets import ticket_text


@dataclass(frozen=True)
class IntakeDecision:
    priority: str = Priority.MEDIUM
    priority_source: str = Ticket.PrioritySource.DEFAULT
    priority_reason: str = ""
    category: Category | None = None
    category_confidence: float | None = None
    category_source: str = Ticket.CategorySource.NONE
    team: Team | None = None
    tier: int = Tier.L1
    tag_names: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    routing_reason: dict[str, Any] = field(default_factory=dict)


def customer_is_vip(customer: User) -> bool:
    profile = getattr(customer, "customer_profile", None)
    return bool(profile and profile.is_vip)


def _category(
    result: inference.ModelResult, categories: dict[str, Category]
) -> tuple[Category | None, tuple[str, ...], dict[str, Any]]:
    """The category the model chose (None below the threshold), the flags to raise, the reason."""
    reason = result.as_dict()
    if result.outcome == inference.Outcome.NOT_CONFIGURED:
        return None, (), reason  # no model trained yet: the triage queue takes every ticket
    if result.outcome == inference.Outcome.UNAVAILABLE:
        return None, (TicketFlag.UNCLASSIFIED, TicketFlag.CLASSIFIER_UNAVAILABLE), reason
    if result.outcome == inference.Outcome.BELOW_THRESHOLD or result.prediction is None:
        return None, (TicketFlag.UNCLASSIFIED,), reason
    category = categories.get(result.prediction.label)
    if category is None:
        reason["outcome"] = "unknown_label"
        return None, (TicketFlag.UNCLASSIFIED,), reason
    return category, (), reason


def intake_decide(*, customer: User, subject: str, description: str, language: str) -> IntakeDecision:
    """Decide category, priority and routing for a ticket about to be created."""
    is_vip = customer_is_vip(customer)
    config = intake_config()  # one query: models, rules, categories, teams
    classification = inference.classify(ticket_text(subject, description), models=config.models)
    category, flags, category_reason = _category(classification.category, config.categories)
    category_reason["threshold"] = classification.threshold
    priority = priority_decide(
        subject=subject,
        description=description,
        is_vip=is_vip,
        category=category,
        prediction=classification.priority.prediction,
        rules=config.priority_rules,
    )
    routing = routing_decide_team(
        category=category,
        priority=priority.priority,
        is_vip=is_vip,
        language=language,
        subject=subject,
        description=description,
        config=config,
    )
    return IntakeDecision(
        priority=priority.priority,
        priority_source=priority.source,
        priority_reason=priority.reason,
        category=category,
        category_confidence=classification.category.prediction.confidence
        if classification.category.prediction
        else None,
        category_source=Ticket.CategorySource.MODEL if category else Ticket.CategorySource.NONE,
        team=routing.team,
        tier=routing.tier,
        tag_names=routing.tag_names,
        flags=flags,
        routing_reason={
            "classifier": category_reason,
            "severity_model": classification.priority.as_dict(),
            "priority": priority.as_dict(),
            "team": routing.reason,
        },
    )
