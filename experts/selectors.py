"""Reads for experts: the job board, the visits they may act on, their proposals and schedule.

Privacy by construction: board rows carry only annotated columns about the customer's area
(postal-code prefix and city), never a join to the customer, so no template or serializer can
reach a name, phone number or street address before the expert is booked."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import reduce
from operator import or_

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from experts.models import ExpertProfile, ExpertSkill, Proposal
from tickets.models import Priority
from visits import conf
from visits.models import Booking, Incident, Visit, VisitGroup

OPEN_GROUP = (VisitGroup.Status.MATCHING, VisitGroup.Status.NEEDS_HELPDESK)
BOOKED = (Visit.Status.SCHEDULED, Visit.Status.IN_PROGRESS)
POSTAL = "group__ticket__customer__customer_profile__postal_code"
MAX_SLOTS = 48


def expert_profile_of(user: User) -> ExpertProfile | None:
    if not (user.is_authenticated and user.is_expert):
        return None
    return ExpertProfile.objects.filter(user=user).first()


def _skill_match(expert: ExpertProfile) -> Exists:
    return Exists(
        ExpertSkill.objects.filter(
            expert=expert, skill=OuterRef("required_skill"), level__gte=OuterRef("min_skill_level")
        )
    )


def _area_match(expert: ExpertProfile) -> Q:
    prefixes = [p for p in expert.service_area if p]
    if not prefixes:
        return Q()
    return reduce(or_, (Q(**{f"{POSTAL}__startswith": p}) for p in prefixes))


def matching_open_visits(*, expert: ExpertProfile) -> QuerySet[Visit]:
    """Open visits of groups still looking for experts that match the expert's skills, level and
    service area (unevaluated, unannotated: also the scope for proposing by id)."""
    if not expert.is_active:
        return Visit.objects.none()
    return Visit.objects.filter(status=Visit.Status.OPEN, group__status__in=OPEN_GROUP).filter(
        _skill_match(expert), _area_match(expert)
    )


def _proposer_count() -> Subquery:
    """Distinct experts with an active proposal for the visit (a correlated subquery: no GROUP BY
    over the board's wide rows)."""
    return Subquery(
        Proposal.objects.filter(visit=OuterRef("pk"), status=Proposal.Status.ACTIVE)
        .order_by()
        .values("visit")
        .annotate(n=Count("expert", distinct=True))
        .values("n"),
        output_field=IntegerField(),
    )


def job_board_for(*, expert: ExpertProfile) -> list[Visit]:
    """The expert's board, most urgent first: ticket priority, then the group's match deadline.
    Three queries whatever the number of visits (visits, windows, my proposals)."""
    rank = Case(
        *(When(group__ticket__priority=p, then=Value(Priority.rank(p))) for p in Priority.values),
        default=Value(0),
        output_field=IntegerField(),
    )
    mine = Proposal.objects.filter(expert=expert, status=Proposal.Status.ACTIVE).order_by("start_at")
    return list(
        matching_open_visits(expert=expert)
        .select_related("required_skill", "depends_on__required_skill")
        .annotate(
            priority_rank=rank,
            priority=F("group__ticket__priority"),
            match_deadline=F("group__match_deadline"),
            summary=F("group__ticket__subject"),
            appliance_brand=F("group__ticket__appliance__brand"),
            appliance_model=F("group__ticket__appliance__model_number"),
            appliance_text=F("group__ticket__appliance_model_text"),
            area_postal=F(POSTAL),
            area_city=F("group__ticket__customer__customer_profile__city"),
            proposer_count=Coalesce(_proposer_count(), 0),
        )
        .prefetch_related("windows", Prefetch("proposals", queryset=mine, to_attr="my_proposals"))
        .order_by("-priority_rank", "match_deadline", "group_id", "position")
    )


def visit_scope_for_expert(*, expert: ExpertProfile) -> QuerySet[Visit]:
    """Visits an expert may reach by id: those of their trades and area (booked or not, so a late
    proposal hears "already scheduled" rather than "not found"), and those they proposed for or
    are booked on. Whether they may propose now is the service's decision."""
    mine = Q(Exists(Proposal.objects.filter(visit=OuterRef("pk"), expert=expert))) | Q(
        Exists(Booking.objects.filter(visit=OuterRef("pk"), expert=expert))
    )
    if not expert.is_active:
        return Visit.objects.filter(mine)
    matching = Visit.objects.filter(_skill_match(expert), _area_match(expert)).values("pk")
    return Visit.objects.filter(Q(pk__in=matching) | mine)


def proposals_of(*, expert: ExpertProfile) -> QuerySet[Proposal]:
    return Proposal.objects.filter(expert=expert).select_related("visit")


def replacement_seat_scope(*, expert: ExpertProfile) -> QuerySet[Visit]:
    """Booked visits that lost an expert (open "can't arrive" incident) and that this expert
    could take: matching skill and area, not already on it, still ahead."""
    if not expert.is_active:
        return Visit.objects.none()
    open_seat = Exists(
        Incident.objects.filter(visit=OuterRef("pk"), kind=Incident.Kind.CANT_ARRIVE, status=Incident.Status.OPEN)
    )
    on_it = Exists(Booking.objects.filter(visit=OuterRef("pk"), expert=expert, status=Booking.Status.ACTIVE))
    return (
        Visit.objects.filter(status__in=BOOKED, scheduled_start__gt=timezone.now())
        .filter(open_seat, _skill_match(expert), _area_match(expert))
        .exclude(on_it)
    )


def replacement_seats_for(*, expert: ExpertProfile) -> list[Visit]:
    return list(
        replacement_seat_scope(expert=expert)
        .select_related("required_skill")
        .annotate(
            summary=F("group__ticket__subject"),
            area_postal=F(POSTAL),
            area_city=F("group__ticket__customer__customer_profile__city"),
        )
        .order_by("scheduled_start", "pk")
    )


def schedule_of(*, expert: ExpertProfile) -> QuerySet[Booking]:
    """The expert's active bookings with everything the schedule shows, including (now that they
    are booked) the customer's name, phone and address."""
    return (
        Booking.objects.filter(expert=expert, status=Booking.Status.ACTIVE)
        .select_related(
            "visit__required_skill",
            "visit__group__ticket__customer__customer_profile",
            "visit__group__ticket__appliance",
        )
        .order_by("during")
    )


def booked_visit_for(*, expert: ExpertProfile, pk: int) -> Visit | None:
    """A visit this expert is (or was) booked on, for its page: customer details, co-experts,
    incidents. None when they never were."""
    return (
        Visit.objects.filter(pk=pk, bookings__expert=expert)
        .select_related(
            "required_skill",
            "depends_on__required_skill",
            "group__ticket__customer__customer_profile",
            "group__ticket__appliance",
        )
        .prefetch_related(
            Prefetch(
                "bookings",
                queryset=Booking.objects.filter(status=Booking.Status.ACTIVE).select_related("expert__user"),
                to_attr="active_bookings",
            ),
            Prefetch("incidents", queryset=Incident.objects.order_by("-created_at", "-pk"), to_attr="incident_list"),
        )
        .distinct()
        .first()
    )


# --- presentation helpers (pure) -----------------------------------------------------------------


def area_label(postal_code: str | None, city: str | None) -> str:
    """ "101xx Berlin": the postal-code prefix and the city, never more."""
    postal = (postal_code or "").strip()
    keep = conf.get("VISIT_AREA_PREFIX_LENGTH")
    masked = postal[:keep] + "x" * max(len(postal) - keep, 0)
    return " ".join(part for part in (masked, (city or "").strip()) if part) or "—"


@dataclass(frozen=True)
class Slot:
    start: datetime
    inside: bool


def grid_slots(windows: Sequence[tuple[datetime, datetime]], *, now: datetime, limit: int = MAX_SLOTS) -> list[Slot]:
    """Start times on the grid inside the windows (what the board offers to tick)."""
    grid = timedelta(minutes=conf.grid_minutes())
    found: list[Slot] = []
    for lo, hi in sorted(windows):
        local = timezone.localtime(max(lo, now))
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        steps = -(-(local - midnight) // grid)  # ceil: the first grid point at or after lo
        start = midnight + steps * grid
        while start < hi and len(found) < limit:
            if start > now and not any(s.start == start for s in found):
                found.append(Slot(start=start, inside=True))
            start += grid
    return sorted(found, key=lambda s: s.start)
