"""Reads for the live queue dashboard: open tickets with their next deadline and the share of the
window used (computed in SQL, so the template does no maths), the counts per SLA colour in one
aggregate, and the agents' load."""

from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Extract, Floor, Greatest, Now
from django.db.models.lookups import GreaterThan
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from tickets.models import OPEN_STATUSES, AgentProfile, Priority, SLAStatus, Ticket
from tickets.permissions import can_work_queue

QUEUE_LIMIT = 50  # rows shown (a screen or a wall TV); the filters narrow it; the counts cover every matching ticket

# Colour of a row by the share of its window used; "none" when the ticket has no deadline.
GREEN, YELLOW, ORANGE, RED, NONE = "green", "yellow", "orange", "red", "none"
SLA_STATES = [
    (GREEN, _("Under 50 %")),
    (YELLOW, _("50–75 %")),
    (ORANGE, _("75–100 %")),
    (RED, _("Breached")),
    (NONE, _("No deadline")),
]

SORTS = {
    "due": ("next_due", "pk"),
    "-due": ("-next_due", "-pk"),
    "used": ("-window_used", "next_due", "pk"),
    "priority": ("-priority_rank", "next_due", "pk"),
    "created": ("created_at", "pk"),
    "-created": ("-created_at", "-pk"),
    "number": ("number",),
}
DEFAULT_SORT = "due"


def _epoch(expression: object) -> Extract:
    return Extract(expression, "epoch")


class WindowInstant(Func):
    """start + share × (end − start): the instant at which `share` of the window is used."""

    output_field = DateTimeField()

    def __init__(self, start: F, end: F, share: float) -> None:
        super().__init__(start, end, Value(share))

    def as_sql(self, compiler, connection, **extra_context):
        (start, p_start), (end, p_end), (share, p_share) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        return f"({start} + ({end} - {start}) * {share})", (*p_start, *p_end, *p_start, *p_share)


def queue_annotate(qs: QuerySet[Ticket]) -> QuerySet[Ticket]:
    """next_due: first-response due until answered, else resolution due; window_used: percentage
    of [created_at, next_due] elapsed by the database's now(); sla_colour: the row's colour."""
    answered = Q(first_response_at__isnull=False)
    next_due = Case(
        When(answered, then=F("resolution_due")), default=F("first_response_due"), output_field=DateTimeField()
    )
    next_status = Case(
        When(answered, then=F("resolution_sla")), default=F("first_response_sla"), output_field=CharField()
    )
    qs = qs.annotate(next_due=next_due, next_sla=next_status)
    elapsed = _epoch(ExpressionWrapper(Now() - F("created_at"), output_field=DurationField()))
    length = _epoch(ExpressionWrapper(F("next_due") - F("created_at"), output_field=DurationField()))
    used = ExpressionWrapper(Value(100.0) * elapsed / Greatest(length, Value(1.0)), output_field=FloatField())
    ranks = [When(priority=value, then=Value(Priority.rank(value))) for value in Priority.values]
    return qs.annotate(
        window_used=used,
        used_percent=Cast(Floor(F("window_used")), IntegerField()),
        priority_rank=Case(*ranks, default=Value(99), output_field=IntegerField()),
        # Timestamps compared directly (no per-row epoch maths): the counts aggregate evaluates
        # this for every open ticket.
        sla_colour=Case(
            When(next_due__isnull=True, then=Value(NONE)),
            When(Q(next_sla=SLAStatus.BREACHED) | Q(next_due__lte=Now()), then=Value(RED)),
            When(GreaterThan(WindowInstant(F("created_at"), F("next_due"), 0.5), Now()), then=Value(GREEN)),
            When(GreaterThan(WindowInstant(F("created_at"), F("next_due"), 0.75), Now()), then=Value(YELLOW)),
            default=Value(ORANGE),
            output_field=CharField(),
        ),
    )


def queue_tickets_visible_to(*, user: User) -> QuerySet[Ticket]:
    """Every open ticket (staff only), annotated for the queue; filters and sort come on top."""
    if not can_work_queue(user):
        return Ticket.objects.none()
    qs = Ticket.objects.filter(status__in=OPEN_STATUSES).select_related(
        "customer", "category", "team", "assigned_agent__user"
    )
    return queue_annotate(qs)


def queue_rows(qs: QuerySet[Ticket], *, sort: str) -> list[Ticket]:
    order = SORTS.get(sort, SORTS[DEFAULT_SORT])
    fields = [name.removeprefix("-") for name in order]
    ordering = [
        F(field).desc(nulls_last=True) if name.startswith("-") else F(field).asc(nulls_last=True)
        for field, name in zip(fields, order, strict=True)
    ]
    return list(qs.order_by(*ordering)[:QUEUE_LIMIT])


def queue_counts(qs: QuerySet[Ticket]) -> dict[str, int]:
    """Tickets per colour and in total, in one query (grouped: the colour is computed once a row)."""
    counts = dict.fromkeys((state for state, _label in SLA_STATES), 0)
    for colour, n in qs.order_by().values_list("sla_colour").annotate(n=Count("pk")).values_list("sla_colour", "n"):
        counts[colour] = n
    return {"total": sum(counts.values()), **counts}


def agent_load_list(*, user: User) -> list[AgentProfile]:
    """Active agents with open tickets / max, fullest first; `overloaded` when over their maximum."""
    if not can_work_queue(user):
        return []
    qs = (
        AgentProfile.objects.filter(user__is_active=True)
        .select_related("user", "team")
        .annotate(
            load_pct=ExpressionWrapper(F("current_ticket_count") * 100 / F("max_tickets"), output_field=IntegerField()),
            overloaded=Case(When(current_ticket_count__gt=F("max_tickets"), then=Value(True)), default=Value(False)),
        )
        .order_by("-load_pct", "user__full_name", "pk")
    )
    return list(qs)
