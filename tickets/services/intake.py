"""Intake decisions for a new ticket: category, priority, team and tier, each with its reason.

The foundation decides the defaults only (no category, MEDIUM, no team); the intake-intelligence
work replaces the body of `intake_decide` with the classifier, priority rules and routing rules.
`ticket_create` stores whatever this returns, so every automatic decision keeps its "why"."""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from accounts.models import User
from tickets.models import Category, Priority, Team, Ticket, Tier


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


def intake_decide(*, customer: User, subject: str, description: str, language: str) -> IntakeDecision:
    """Decide category, priority and routing for a ticket about to be created."""
    return IntakeDecision(priority_reason=_("Default priority"))
