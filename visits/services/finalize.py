"""Finalization: when a visit group is full, book the schedule the rule picks (visits/engine.py),
atomically, under the group's row lock; the exclusion constraint on bookings is the last line of
defence against double-booking an expert across groups."""

import logging
from datetime import datetime, timedelta
from enum import StrEnum

from django.db import DatabaseError, transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.db.models import Case, Value, When
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from experts.models import ExpertProfile, Proposal
from tickets.models import TicketFlag
from tickets.services.flags import ticket_remove_flag
from visits.engine import Interval, Offer, Problem, Schedule, VisitNeed
from visits.models import Booking, RescheduleOffer, Visit, VisitGroup
from visits.notify import Message, notify_many
from visits.services.locks import lock_group

log = logging.getLogger(__name__)
G = VisitGroup.Status
OPEN_GROUP = (G.MATCHING, G.NEEDS_HELPDESK)
DONE_VISIT = (Visit.Status.COMPLETED, Visit.Status.PARTIAL, Visit.Status.CANCELLED)
BOOKING_ATTEMPTS = 3


class Outcome(StrEnum):
    SCHEDULED = "scheduled"
    NOT_FULL = "not_full"
    NOT_OPEN = "not_open"  # already scheduled, completed or cancelled
    BUSY = "busy"  # another worker holds the group (skip_locked)
    CONFLICT = "conflict"  # the database refused the bookings every time; the retry comes back later


def load_problem(
    group: VisitGroup, *, alternatives: bool = False, only_starts: dict[int, datetime] | None = None
) -> tuple[dict[int, Visit], Problem]:
    """The group's open visits, their active proposals and the proposing experts' bookings, as a
    search problem. `alternatives`: ignore windows and count alternative proposals (what an agent
    could offer the customer). Five queries whatever the size."""
    visits = list(
        Visit.objects.filter(group=group)
        .select_related("required_skill")
        .prefetch_related("windows")
        .order_by("position")
    )
    open_visits = [v for v in visits if v.status == Visit.Status.OPEN]
    # A booked parent still binds its open dependents; a finished or cancelled one no longer does.
    fixed: dict[int, Interval] = {
        v.pk: (v.scheduled_start, v.scheduled_end)
        for v in visits
        if v.status in (Visit.Status.SCHEDULED, Visit.Status.IN_PROGRESS) and v.scheduled_start and v.scheduled_end
    }
    needs = [
        VisitNeed(
            id=v.pk,
            duration=timedelta(minutes=v.duration_minutes),
            needed=v.experts_needed,
            windows=tuple((w.window.lower, w.window.upper) for w in v.windows.all()),
            depends_on=v.depends_on_id
            if (v.depends_on_id in fixed or v.depends_on_id in {o.pk for o in open_visits})
            else None,
            min_gap=timedelta(minutes=v.min_gap_minutes),
            max_gap=timedelta(minutes=v.max_gap_minutes),
        )
        for v in open_visits
    ]
    proposals = Proposal.objects.filter(
        visit__in=open_visits, status=Proposal.Status.ACTIVE, expert__is_active=True
    ).values_list("pk", "expert_id", "visit_id", "start_at", "created_at", "is_alternative")
    if not alternatives:
        proposals = proposals.filter(is_alternative=False)
    offers = [
        Offer(id=pk, expert_id=expert, visit_id=visit, start=start, priority=(created, pk), is_alternative=alt)
        for pk, expert, visit, start, created, alt in proposals
    ]
    busy: dict[int, list[Interval]] = {}
    if offers:
        longest = timedelta(minutes=max(v.duration_minutes for v in open_visits))
        span = DateTimeTZRange(min(o.start for o in offers), max(o.start for o in offers) + longest, "[)")
        for expert_id, during in Booking.objects.filter(
            expert_id__in={o.expert_id for o in offers}, status=Booking.Status.ACTIVE, during__overlap=span
        ).values_list("expert_id", "during"):
            busy.setdefault(expert_id, []).append((during.lower, during.upper))
    problem = Problem(
        needs,
        offers,
        busy,
        fixed=fixed,
        use_windows=not alternatives,
        include_alternatives=alternatives,
        only_starts=only_starts,
    )
    return {v.pk: v for v in visits}, problem


def book_schedule(group: VisitGroup, visits: dict[int, Visit], schedule: Schedule) -> list[Booking]:
    """Write the schedule (the caller holds the group lock). Raises DatabaseError when the database
    refuses a booking (an expert was booked elsewhere meanwhile); nothing is written then."""
    now = timezone.now()
    bookings = sorted(
        (
            Booking(
                visit_id=p.visit_id,
                expert_id=offer.expert_id,
                proposal_id=offer.id,
                during=DateTimeTZRange(p.start, p.end, "[)"),
            )
            for p in schedule.placements
            for offer in p.offers
        ),
        # One order for every writer: concurrent finalizations cannot wait on each other in a cycle.
        key=lambda b: (b.expert_id, b.during.lower),
    )
    with transaction.atomic():  # a savepoint: a refused booking leaves the group untouched
        Booking.objects.bulk_create(bookings)
    placed = [p.visit_id for p in schedule.placements]
    Visit.objects.filter(pk__in=placed).update(  # one statement for all visits
        status=Visit.Status.SCHEDULED,
        scheduled_start=Case(*(When(pk=p.visit_id, then=Value(p.start)) for p in schedule.placements)),
        scheduled_end=Case(*(When(pk=p.visit_id, then=Value(p.end)) for p in schedule.placements)),
    )
    for p in schedule.placements:
        visit = visits[p.visit_id]
        visit.status, visit.scheduled_start, visit.scheduled_end = Visit.Status.SCHEDULED, p.start, p.end
    accepted = [offer.id for p in schedule.placements for offer in p.offers]
    Proposal.objects.filter(pk__in=accepted).update(status=Proposal.Status.ACCEPTED)
    Proposal.objects.filter(visit_id__in=placed, status=Proposal.Status.ACTIVE).update(status=Proposal.Status.REJECTED)
    # Every open visit is placed (load_problem searches exactly those), so the group is booked.
    group.status, group.finalized_at = G.SCHEDULED, now
    group.save(update_fields=["status", "finalized_at"])
    RescheduleOffer.objects.filter(group=group, status=RescheduleOffer.Status.PENDING).update(
        status=RescheduleOffer.Status.EXPIRED, responded_at=now
    )
    ticket = group.ticket
    flagged = TicketFlag.UNMATCHED_VISITS in ticket.flags
    if flagged and not ticket.visit_groups.filter(status=G.NEEDS_HELPDESK).exclude(pk=group.pk).exists():
        ticket_remove_flag(ticket=ticket, flag=TicketFlag.UNMATCHED_VISITS, actor=None, reason="visits scheduled")
    _notify_scheduled(group, visits, schedule, bookings)
    return bookings


def visit_group_finalize(*, group_id: int, skip_locked: bool = False) -> Outcome:
    """Book the group if it is full. Safe to call any number of times, from any process."""
    for attempt in range(1, BOOKING_ATTEMPTS + 1):
        with transaction.atomic():
            group = lock_group(group_id, skip_locked=skip_locked)
            if group is None:
                return (
                    Outcome.BUSY
                    if skip_locked and VisitGroup.objects.filter(pk=group_id).exists()
                    else Outcome.NOT_OPEN
                )
            if group.status not in OPEN_GROUP:
                return Outcome.NOT_OPEN
            visits, problem = load_problem(group)
            schedule = problem.first()
            if schedule is None:
                return Outcome.NOT_FULL
            try:
                book_schedule(group, visits, schedule)
            except DatabaseError as exc:  # exclusion violation, or a deadlock the database broke
                log.info("Group %s: bookings refused (attempt %s): %s", group_id, attempt, exc)
                continue
            return Outcome.SCHEDULED
    return Outcome.CONFLICT


# --- messages ---------------------------------------------------------------------------------


def when(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "D j M Y, H:i")


def _notify_scheduled(group: VisitGroup, visits: dict[int, Visit], schedule: Schedule, bookings: list[Booking]) -> None:
    experts = {
        e.pk: e for e in ExpertProfile.objects.filter(pk__in={b.expert_id for b in bookings}).select_related("user")
    }
    ticket = group.ticket
    customer = ticket.customer
    stamp = min(b.pk for b in bookings)  # one key per booking, however often the group is rebooked
    key = f"group-scheduled:{group.pk}:{stamp}"
    messages = []
    with translation.override(customer.language):
        lines = [
            _("%(when)s – %(skill)s with %(experts)s")
            % {
                "when": when(p.start),
                "skill": visits[p.visit_id].required_skill.name,
                "experts": ", ".join(experts[e].user.display_name for e in p.expert_ids),
            }
            for p in schedule.placements
        ]
        messages.append(
            Message(
                key=key,
                user=customer,
                subject=_("Your visit for ticket #%(number)s is booked") % {"number": ticket.number},
                body="\n".join(lines),
                link=reverse("tickets:detail", args=[ticket.pk]),
                calendar_group_id=group.pk,
            )
        )
    for expert_id, expert in experts.items():
        mine = [p for p in schedule.placements if expert_id in p.expert_ids]
        with translation.override(expert.user.language):
            messages.append(
                Message(
                    key=key,
                    user=expert.user,
                    subject=_("You are booked: %(when)s") % {"when": when(mine[0].start)},
                    body="\n".join(
                        _("%(when)s – %(skill)s, ticket #%(number)s")
                        % {
                            "when": when(p.start),
                            "skill": visits[p.visit_id].required_skill.name,
                            "number": ticket.number,
                        }
                        for p in mine
                    ),
                    link=reverse("experts:schedule"),
                    calendar_group_id=group.pk,
                )
            )
    notify_many(messages)
