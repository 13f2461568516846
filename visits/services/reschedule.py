"""No match in time: groups past their deadline go to the helpdesk; agents (or automation) offer
the customer complete alternative schedules made of the experts' alternative proposals."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import DatabaseError, transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from helpdesk.errors import DomainValidationError, InvalidTransitionError
from tickets.models import TicketFlag
from tickets.services.flags import ticket_add_flag
from visits import conf
from visits.engine import Schedule
from visits.models import RescheduleOffer, VisitGroup, VisitWindow
from visits.notify import notify
from visits.services.finalize import OPEN_GROUP, book_schedule, load_problem, when
from visits.services.groups import reflag_alternatives
from visits.services.locks import lock_group

G = VisitGroup.Status
MAX_OPTIONS = 3


def group_alternatives(*, group: VisitGroup, limit: int = MAX_OPTIONS) -> list[Schedule]:
    """Complete schedules the experts' proposals allow if the customer accepts other times
    (alternatives count, windows don't), earliest first, each with different start times."""
    _, problem = load_problem(group, alternatives=True)
    return problem.distinct(limit)


def _offer_create(group: VisitGroup, schedules: list[Schedule], actor: User | None) -> RescheduleOffer:
    now = timezone.now()
    RescheduleOffer.objects.filter(group=group, status=RescheduleOffer.Status.PENDING).update(
        status=RescheduleOffer.Status.EXPIRED, responded_at=now
    )
    offer = RescheduleOffer.objects.create(
        group=group, options=[s.as_json() for s in schedules[:MAX_OPTIONS]], sent_by=actor
    )
    customer = group.ticket.customer
    with translation.override(customer.language):
        notify(
            key=f"reschedule-offer:{offer.pk}",
            user=customer,
            subject=_("New times for your visit (ticket #%(number)s)") % {"number": group.ticket.number},
            body=_("We could not find experts in your time windows, but they can come at:")
            + "\n"
            + "\n".join(f"{n}. {when(s.placements[0].start)}" for n, s in enumerate(schedules[:MAX_OPTIONS], 1))
            + "\n"
            + _("Choose one on your ticket page and it is booked at once."),
            link=reverse("tickets:detail", args=[group.ticket_id]),
        )
    return offer


@transaction.atomic
def reschedule_offer_send(*, group: VisitGroup, actor: User | None) -> RescheduleOffer:
    """Send the customer up to three complete alternatives (computed now, under the group lock)."""
    locked = lock_group(group.pk)
    if locked is None or locked.status not in OPEN_GROUP:
        raise InvalidTransitionError(_("This visit group is not waiting for experts."))
    schedules = group_alternatives(group=locked)
    if not schedules:
        raise InvalidTransitionError(_("The experts' proposals allow no complete schedule yet."))
    return _offer_create(locked, schedules, actor)


@dataclass(frozen=True)
class AcceptResult:
    booked: bool
    offer: RescheduleOffer
    new_offer: RescheduleOffer | None = None


@transaction.atomic
def reschedule_offer_accept(*, offer: RescheduleOffer, option: int, customer: User) -> AcceptResult:
    """The customer picks option `option` (0-based). Still possible: booked at once (the chosen
    times become windows of the visits). Otherwise the offer expires and, when other complete
    schedules exist, a fresh offer shows what is still possible."""
    group = lock_group(offer.group_id)
    locked = RescheduleOffer.objects.get(pk=offer.pk)
    if group is None or group.ticket.customer_id != customer.pk:
        raise InvalidTransitionError(_("This offer is not yours."))
    if locked.status != RescheduleOffer.Status.PENDING:
        raise InvalidTransitionError(_("This offer is no longer open."))
    if not isinstance(option, int) or not 0 <= option < len(locked.options):
        raise DomainValidationError(_("Choose one of the offered times."), field="option")
    now = timezone.now()
    chosen = {int(v["visit_id"]): datetime.fromisoformat(v["start"]) for v in locked.options[option].get("visits", [])}
    schedule = None
    if group.status in OPEN_GROUP and chosen and min(chosen.values()) > now:
        visits, problem = load_problem(group, alternatives=True, only_starts=chosen)
        schedule = problem.first()
    if schedule is not None:
        try:
            with transaction.atomic():
                grid = timedelta(minutes=conf.grid_minutes())
                VisitWindow.objects.bulk_create(
                    VisitWindow(visit_id=p.visit_id, window=DateTimeTZRange(p.start, p.start + grid, "[)"))
                    for p in schedule.placements
                )
                reflag_alternatives(list(chosen))
                book_schedule(group, visits, schedule)
        except DatabaseError:
            schedule = None
    if schedule is not None:
        locked.status, locked.accepted_option, locked.responded_at = RescheduleOffer.Status.ACCEPTED, option, now
        locked.save(update_fields=["status", "accepted_option", "responded_at"])
        return AcceptResult(booked=True, offer=locked)
    locked.status, locked.responded_at = RescheduleOffer.Status.EXPIRED, now
    locked.save(update_fields=["status", "responded_at"])
    new_offer = None
    if group.status in OPEN_GROUP:
        alternatives = group_alternatives(group=group)
        if alternatives:
            new_offer = _offer_create(group, alternatives, None)
    return AcceptResult(booked=False, offer=locked, new_offer=new_offer)


def visit_group_expire(*, group_id: int, now: datetime) -> bool:
    """Move one group past its deadline to the helpdesk (after a last finalization attempt)."""
    with transaction.atomic():
        group = lock_group(group_id, skip_locked=True)
        if group is None or group.status != G.MATCHING or group.match_deadline > now:
            return False
        visits, problem = load_problem(group)
        schedule = problem.first()
        if schedule is not None:
            try:
                book_schedule(group, visits, schedule)
                return False
            except DatabaseError:
                pass  # booked elsewhere meanwhile: this group still has no complete schedule
        group.status = G.NEEDS_HELPDESK
        group.save(update_fields=["status"])
        ticket_add_flag(
            ticket=group.ticket, flag=TicketFlag.UNMATCHED_VISITS, actor=None, reason=f"visit group {group.pk}"
        )
        customer = group.ticket.customer
        with translation.override(customer.language):
            notify(
                key=f"group-unmatched:{group.pk}:{int(group.match_deadline.timestamp())}",
                user=customer,
                subject=_("We are still looking for experts (ticket #%(number)s)") % {"number": group.ticket.number},
                body=_("No expert could come in your time windows yet. Our team is on it and will offer you times."),
                link=reverse("tickets:detail", args=[group.ticket_id]),
            )
        if conf.get("VISIT_AUTO_RESCHEDULE_OFFERS"):
            alternatives = group_alternatives(group=group)
            if alternatives:
                _offer_create(group, alternatives, None)
        return True


def visit_groups_expire(*, now: datetime | None = None) -> int:
    """The scheduled job: every MATCHING group past its deadline. Idempotent; groups another
    worker holds are skipped (they are picked up on the next run)."""
    now = now or timezone.now()
    due = VisitGroup.objects.filter(status=G.MATCHING, match_deadline__lte=now).order_by("match_deadline", "pk")
    return sum(visit_group_expire(group_id=pk, now=now) for pk in due.values_list("pk", flat=True)[:500])
