"""Plays the demo ticket histories through the lifecycle services (ticket_create, ticket_reply,
ticket_transition, ticket_assign…), so events, timestamps and load counters are the real thing.
A ticket is keyed on customer + subject: one that exists is never played again."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from unittest import mock

from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone

from accounts.models import CustomerProfile, User
from experts.models import ExpertSkill, Proposal
from kb.models import TicketArticleLink
from tickets.management.demo.seeder import DemoSeeder, local_range, next_workday
from tickets.models import SurveyResponse, Ticket, Tier
from tickets.selectors import sla_policy_for
from tickets.services import (
    ticket_assign,
    ticket_create,
    ticket_customer_confirm_resolution,
    ticket_reply,
    ticket_transition,
)
from visits.models import Visit, VisitGroup, VisitWindow

# --- the script format --------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One thing that happens to a ticket, `after` minutes after the previous step."""

    action: str  # reply | note | customer | status | assign | confirm
    after: int
    who: str = ""  # the acting agent's email (reply, note, status, assign)
    body: str = ""
    to: str = ""  # target status, or the assignee's email for "assign"


def reply(after: int, who: str, body: str) -> Step:
    return Step("reply", after, who, body)


def note(after: int, who: str, body: str) -> Step:
    return Step("note", after, who, body)


def customer(after: int, body: str) -> Step:
    return Step("customer", after, body=body)


def status(after: int, who: str, to: str) -> Step:
    return Step("status", after, who, to=to)


def assign(after: int, who: str, to: str) -> Step:
    return Step("assign", after, who, to=to)


def confirm(after: int) -> Step:
    return Step("confirm", after)


@dataclass(frozen=True)
class DemoTicket:
    customer: str
    subject: str
    description: str
    category: str  # Category slug
    priority: str
    hours_ago: float
    steps: tuple[Step, ...] = ()
    appliance: tuple[str, str] | None = None  # (brand, model number) from data.APPLIANCES
    appliance_text: str = ""
    tier: int = Tier.L1
    tags: tuple[str, ...] = ()
    priority_reason: str = ""
    csat: int | None = None
    article: str | None = None  # KB article slug linked as the solution
    expected_status: str = Ticket.Status.OPEN
    visits: bool = False


# --- playing it ---------------------------------------------------------------------------------


class DemoClock:
    """A simulated clock: each step happens `after` minutes after the previous one, starting
    `hours_ago` in the past, so first-response and handle times look real. Never passes the real now."""

    def __init__(self, start: datetime) -> None:
        self.real_now = timezone.now()
        self.current = min(start, self.real_now)

    def now(self) -> datetime:
        return self.current

    def advance(self, minutes: float) -> None:
        self.current = min(self.current + timedelta(minutes=minutes), self.real_now)


class TicketPlayer:
    def __init__(self, seeded: DemoSeeder, write: Callable[[str], Any], warn: Callable[[str], str]) -> None:
        self.seeded = seeded
        self.write = write
        self.warn = warn

    def run(self, scripts: tuple[DemoTicket, ...]) -> None:
        created = 0
        for spec in scripts:
            customer = self.seeded.users[spec.customer]
            if Ticket.objects.filter(customer=customer, subject=spec.subject).exists():
                continue
            ticket = self.play(spec, customer)
            created += 1
            if ticket.status != spec.expected_status:
                self.write(self.warn(f"  #{ticket.number} ended {ticket.status}, expected {spec.expected_status}"))
        self.seeded.report("tickets", created, len(scripts))

    def play(self, spec: DemoTicket, customer: User) -> Ticket:
        jitter = len(spec.subject) * 7 % 50  # deterministic, so tickets don't all start on the same minute
        clock = DemoClock(timezone.now() - timedelta(hours=spec.hours_ago, minutes=jitter))
        windows = self.visit_windows() if spec.visits else []
        # The services and auto_now fields read django.utils.timezone.now(); the simulated clock
        # replaces it only while this ticket's history is played.
        with mock.patch("django.utils.timezone.now", clock.now):
            ticket = ticket_create(
                customer=customer,
                subject=spec.subject,
                description=spec.description,
                appliance_model_text=spec.appliance_text,
                preferred_windows=[(w.lower, w.upper) for w in windows],
            )
            self.classify(ticket, spec, customer)
            for step in spec.steps:
                clock.advance(step.after)
                self.perform(ticket, step, customer)
            ticket.refresh_from_db()
            self.add_outcome(ticket, spec, customer)
        if spec.visits:
            self.seed_visits(ticket, windows)
        return ticket

    def classify(self, ticket: Ticket, spec: DemoTicket, customer: User) -> None:
        """Stand-in for the intake pipeline (classifier, priority rules, routing): non-status fields only."""
        category = self.seeded.categories[spec.category]
        is_vip = CustomerProfile.objects.filter(user=customer, is_vip=True).exists()
        policy = sla_policy_for(priority=spec.priority, team=category.default_team, is_vip=is_vip)
        dues = {}
        if policy is not None:
            dues = {
                "first_response_due": ticket.created_at + timedelta(minutes=policy.first_response_minutes),
                "resolution_due": ticket.created_at + timedelta(minutes=policy.resolution_minutes),
            }
        Ticket.objects.filter(pk=ticket.pk).update(
            category=category,
            category_source=Ticket.CategorySource.MODEL,
            category_confidence=0.91,
            priority=spec.priority,
            priority_source=Ticket.PrioritySource.RULE if spec.priority_reason else Ticket.PrioritySource.DEFAULT,
            priority_reason=spec.priority_reason or "Default priority",
            team=category.default_team,
            tier=spec.tier,
            appliance=self.seeded.appliances[spec.appliance] if spec.appliance else None,
            **dues,
        )
        ticket.tags.add(*(self.seeded.tags[name] for name in spec.tags))

    def perform(self, ticket: Ticket, step: Step, customer: User) -> None:
        actor = self.seeded.users.get(step.who)
        if step.action in {"reply", "note"} and actor is not None:
            ticket_reply(ticket=ticket, author=actor, body=step.body, internal=step.action == "note")
        elif step.action == "customer":
            ticket_reply(ticket=ticket, author=customer, body=step.body)
        elif step.action == "status":
            ticket_transition(ticket=ticket, to_status=step.to, actor=actor)
        elif step.action == "assign":
            ticket_assign(ticket=ticket, agent=self.seeded.agents[step.to], actor=actor)
        elif step.action == "confirm":
            ticket_customer_confirm_resolution(ticket=ticket, customer=customer)
        else:
            raise ValueError(f"Bad demo step {step!r}")

    def add_outcome(self, ticket: Ticket, spec: DemoTicket, customer: User) -> None:
        agent_user = ticket.assigned_agent.user if ticket.assigned_agent else None
        if spec.article:
            TicketArticleLink.objects.get_or_create(
                ticket=ticket, article=self.seeded.articles[spec.article], defaults={"linked_by": agent_user}
            )
        if spec.csat is not None:
            SurveyResponse.objects.get_or_create(
                ticket=ticket, kind=SurveyResponse.Kind.CSAT, defaults={"customer": customer, "score": spec.csat}
            )

    # --- visits --------------------------------------------------------------------------------

    def visit_windows(self) -> list[DateTimeTZRange]:
        today = self.seeded.today
        return [local_range(next_workday(today), 8, 12), local_range(next_workday(today, skip=2), 13, 17)]

    def seed_visits(self, ticket: Ticket, windows: list[DateTimeTZRange]) -> None:
        """A visit group on a freshly played ticket: one repair visit, or for plumbing a plumber
        followed by an electrician, with a proposal from the demo expert where their skills fit."""
        group = VisitGroup.objects.create(
            ticket=ticket,
            match_deadline=timezone.now() + timedelta(days=2),
            created_by=ticket.assigned_agent.user if ticket.assigned_agent else None,
        )
        slug = ticket.category.slug if ticket.category else "appliance-repair"
        trades = ["plumbing", "electrical"] if slug == "plumbing" else [slug]
        previous: Visit | None = None
        for position, trade in enumerate(trades, start=1):
            visit = Visit.objects.create(
                group=group,
                position=position,
                required_skill=self.seeded.skills[trade],
                min_skill_level=2,
                duration_minutes=90 if previous is None else 45,
                depends_on=previous,
                max_gap_minutes=120,
            )
            VisitWindow.objects.bulk_create(VisitWindow(visit=visit, window=w) for w in windows)
            previous = visit
        first = group.visits.order_by("position").first()
        expert = self.seeded.experts["expert@example.com"]
        if first and ExpertSkill.objects.filter(expert=expert, skill=first.required_skill).exists():
            Proposal.objects.create(expert=expert, visit=first, start_at=windows[0].lower)
        self.write(f"  visit group for #{ticket.number}: {len(trades)} visit(s)")
