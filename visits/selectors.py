"""Reads of visit groups for customers and agents (experts' reads are in experts/selectors.py).
Everything reached by id is scoped: a customer's own tickets, staff everything, else nothing."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from accounts.models import User
from experts.models import Availability, ExpertProfile, Proposal
from experts.services import area_matches
from tickets.models import Ticket
from tickets.permissions import can_work_queue
from tickets.selectors import ticket_list_visible_to
from visits.ics import CalendarEvent
from visits.models import Booking, Incident, RescheduleOffer, Visit, VisitGroup

AVAILABILITY_DAYS = 14
AVAILABILITY_ROWS = 50


def _visits(*, all_proposals: bool = False) -> QuerySet[Visit]:
    qs = (
        Visit.objects.select_related("required_skill", "depends_on__required_skill")
        .prefetch_related(
            "windows",
            Prefetch(
                "bookings",
                queryset=Booking.objects.filter(status=Booking.Status.ACTIVE).select_related("expert__user"),
                to_attr="active_bookings",
            ),
        )
        .order_by("position")
    )
    if all_proposals:
        qs = qs.prefetch_related(
            Prefetch(
                "proposals",
                queryset=Proposal.objects.select_related("expert__user").order_by("start_at", "created_at", "pk"),
                to_attr="all_proposals",
            ),
            Prefetch(
                "incidents",
                queryset=Incident.objects.select_related("expert__user").order_by("-created_at", "-pk"),
                to_attr="incident_list",
            ),
        )
    return qs


def visit_groups_visible_to(*, user: User) -> QuerySet[VisitGroup]:
    """Groups a user may read: staff all, a customer those of their own tickets, others none."""
    groups = VisitGroup.objects.prefetch_related(
        Prefetch("visits", queryset=_visits(), to_attr="visit_list"),
        Prefetch(
            "reschedule_offers",
            queryset=RescheduleOffer.objects.filter(status=RescheduleOffer.Status.PENDING),
            to_attr="pending_offers",
        ),
    ).order_by("-created_at", "-pk")
    if can_work_queue(user):
        return groups
    if user.is_authenticated and user.is_customer:
        return groups.filter(ticket__customer=user)
    return groups.none()


def ticket_visit_groups(*, user: User, ticket_id: int) -> tuple[Ticket | None, list[VisitGroup]]:
    """A ticket's visit groups as its customer (or an agent) sees them: visits with windows and
    booked experts, and pending reschedule offers. Six queries whatever the size."""
    ticket = ticket_list_visible_to(user=user).filter(pk=ticket_id).first()
    if ticket is None:
        return None, []
    groups = list(
        VisitGroup.objects.filter(ticket=ticket)
        .prefetch_related(
            Prefetch("visits", queryset=_visits(), to_attr="visit_list"),
            Prefetch(
                "reschedule_offers",
                queryset=RescheduleOffer.objects.filter(status=RescheduleOffer.Status.PENDING),
                to_attr="pending_offers",
            ),
        )
        .order_by("created_at", "pk")
    )
    return ticket, groups


def visit_group_for_staff(*, user: User, pk: int) -> VisitGroup | None:
    """The agent's view of a group: every visit with all proposals, bookings and incidents."""
    if not can_work_queue(user):
        return None
    return (
        VisitGroup.objects.filter(pk=pk)
        .select_related("ticket__customer__customer_profile", "created_by")
        .prefetch_related(
            Prefetch("visits", queryset=_visits(all_proposals=True), to_attr="visit_list"),
            Prefetch(
                "reschedule_offers",
                queryset=RescheduleOffer.objects.select_related("sent_by").order_by("-created_at", "-pk"),
                to_attr="offer_list",
            ),
        )
        .first()
    )


def customer_visits(*, user: User) -> list[Visit]:
    """All visits of the customer's tickets, soonest first (the "My visits" page)."""
    if not (user.is_authenticated and user.is_customer):
        return []
    return list(
        _visits()
        .filter(group__ticket__customer=user)
        .exclude(status=Visit.Status.CANCELLED)
        .select_related("group__ticket")
        .order_by("scheduled_start", "group_id", "position")
    )


def open_visit_for_customer(*, user: User, pk: int) -> Visit | None:
    """An open visit of the customer's own ticket (to choose times for)."""
    if not (user.is_authenticated and user.is_customer):
        return None
    return Visit.objects.filter(pk=pk, group__ticket__customer=user).first()


def offer_for_customer(*, user: User, pk: int) -> RescheduleOffer | None:
    if not (user.is_authenticated and user.is_customer):
        return None
    return RescheduleOffer.objects.filter(pk=pk, group__ticket__customer=user).select_related("group").first()


@dataclass(frozen=True)
class ExpertAvailability:
    expert: ExpertProfile
    skills: str
    start: datetime
    end: datetime


def availability_for_group(*, group: VisitGroup) -> list[ExpertAvailability]:
    """What matching experts said about their availability in the coming two weeks (one query)."""
    visits = [v for v in getattr(group, "visit_list", []) if v.status == Visit.Status.OPEN]
    if not visits:
        return []
    needs = {v.required_skill_id: v.min_skill_level for v in visits}
    profile = getattr(group.ticket.customer, "customer_profile", None)
    now = timezone.now()
    rows = (
        Availability.objects.filter(
            window__overlap=DateTimeTZRange(now, now + timedelta(days=AVAILABILITY_DAYS), "[)"),
            expert__is_active=True,
            expert__expert_skills__skill_id__in=list(needs),
        )
        .select_related("expert__user")
        .prefetch_related("expert__expert_skills__skill")
        .distinct()
        .order_by("window", "pk")[: AVAILABILITY_ROWS * 2]
    )
    found = []
    for row in rows:
        skills = [s for s in row.expert.expert_skills.all() if needs.get(s.skill_id, 6) <= s.level]
        if skills and area_matches(row.expert.service_area, profile.postal_code if profile else ""):
            label = ", ".join(f"{s.skill.name} {s.level}/5" for s in skills)
            found.append(ExpertAvailability(row.expert, label, row.window.lower, row.window.upper))
    return found[:AVAILABILITY_ROWS]


def customer_address(profile: object | None) -> str:
    if profile is None:
        return ""
    town = f"{getattr(profile, 'postal_code', '')} {getattr(profile, 'city', '')}".strip()
    return ", ".join(part for part in (getattr(profile, "address_line", ""), town) if part)


def calendar_events_for(*, user: User, group_id: int) -> list[CalendarEvent] | None:
    """The booked visits of a group as calendar events for this user (None: not theirs to see).
    Customers and staff get every visit; an expert the visits they are booked on, with address."""
    groups = VisitGroup.objects.filter(pk=group_id)
    bookings = Booking.objects.filter(visit__group_id=group_id, status=Booking.Status.ACTIVE)
    if can_work_queue(user):
        pass
    elif user.is_authenticated and user.is_customer:
        groups = groups.filter(ticket__customer=user)
    elif user.is_authenticated and user.is_expert:
        groups = groups.filter(visits__bookings__expert__user=user)
        bookings = bookings.filter(expert__user=user)
    else:
        return None
    if not groups.exists():
        return None
    return _calendar_events(list(bookings.select_related(*CALENDAR_RELATED).order_by("during", "pk")))


CALENDAR_RELATED = ("visit__required_skill", "visit__group__ticket__customer__customer_profile", "expert__user")


def _calendar_events(rows: list[Booking]) -> list[CalendarEvent]:
    """Booking rows (ordered by time) as one calendar event per visit, naming its experts."""
    visits: dict[int, tuple[Visit, list[str]]] = {}
    for booking in rows:
        visits.setdefault(booking.visit_id, (booking.visit, []))[1].append(booking.expert.user.display_name)
    events = []
    for visit, names in visits.values():
        ticket = visit.group.ticket
        profile = getattr(ticket.customer, "customer_profile", None)
        address = customer_address(profile)
        assert visit.scheduled_start and visit.scheduled_end
        events.append(
            CalendarEvent(
                uid=f"visit-{visit.pk}@fixdesk",
                start=visit.scheduled_start,
                end=visit.scheduled_end,
                summary=f"{visit.required_skill.name} – #{ticket.number}",
                description=f"{ticket.subject}\n" + ", ".join(names),
                location=address,
            )
        )
    return events


def calendar_events_by_recipient(*, group_id: int) -> dict[int, list[CalendarEvent]]:
    """One query for a booking notification: per user id, the events `calendar_events_for` would
    give them — the customer every booked visit, each booked expert the visits they are on."""
    rows = list(
        Booking.objects.filter(visit__group_id=group_id, status=Booking.Status.ACTIVE)
        .select_related(*CALENDAR_RELATED)
        .order_by("during", "pk")
    )
    if not rows:
        return {}
    by_user = {rows[0].visit.group.ticket.customer_id: _calendar_events(rows)}
    for expert_user_id in {row.expert.user_id for row in rows}:
        by_user[expert_user_id] = _calendar_events([row for row in rows if row.expert.user_id == expert_user_id])
    return by_user
