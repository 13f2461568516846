"""The day of the visit: incidents an expert reports (can't arrive, nobody home, overrun, parts
needed), completion with payout lines, and the ticket moving on when all is done (replacements:
visits/services/replacements.py).
Every function holds the group's row lock, like finalization."""

from datetime import datetime, timedelta

from django.db import DatabaseError, transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from billing.services import payout_lines_for_visit
from experts.models import ExpertProfile, Proposal
from helpdesk.errors import DomainValidationError, InvalidTransitionError
from tickets.models import OPEN_STATUSES, Ticket, TicketFlag
from tickets.services import ticket_transition
from tickets.services.flags import ticket_add_flag, ticket_remove_flag
from visits import conf
from visits.models import Booking, Incident, Visit, VisitGroup
from visits.notify import notify
from visits.services.dayof import (
    BOOKED,
    customer_note,
    reopen_group,
    reopen_visits,
    resolve,
    runner_up_ids,
    with_dependents,
)
from visits.services.finalize import when
from visits.services.locks import lock_group

K, V, G = Incident.Kind, Visit.Status, VisitGroup.Status
MAX_OVERRUN = 8 * 60


def _locked(visit: Visit, expert: ExpertProfile) -> tuple[VisitGroup, Visit, Booking]:
    group = lock_group(visit.group_id)
    assert group is not None
    locked = Visit.objects.select_related("required_skill").get(pk=visit.pk)
    booking = Booking.objects.filter(visit=locked, expert=expert, status=Booking.Status.ACTIVE).first()
    if booking is None:
        raise InvalidTransitionError(_("You are not booked for this visit."))
    if locked.status not in BOOKED:
        raise InvalidTransitionError(_("This visit is not scheduled any more."))
    return group, locked, booking


def _require_started(visit: Visit, now: datetime) -> None:
    if visit.scheduled_start and now < visit.scheduled_start:
        raise InvalidTransitionError(_("This can only be reported once the visit has started."))


def _follow_up(group: VisitGroup, visit: Visit, *, minutes: int, now: datetime) -> Visit:
    position = (Visit.objects.filter(group=group).aggregate(m=Max("position"))["m"] or 0) + 1
    follow_up = Visit.objects.create(
        group=group,
        position=position,
        required_skill=visit.required_skill,
        min_skill_level=visit.min_skill_level,
        experts_needed=visit.experts_needed,
        duration_minutes=max(minutes, 30),
        follow_up_of=visit,
    )
    reopen_group(group, now)
    customer_note(
        group,
        f"follow-up:{follow_up.pk}",
        _("A follow-up visit is needed (ticket #%(number)s)") % {"number": group.ticket.number},
        _("Please choose times for the follow-up visit on your ticket page."),
    )
    return follow_up


def _end_partial(visit: Visit, now: datetime) -> None:
    Visit.objects.filter(pk=visit.pk).update(status=V.PARTIAL, completed_at=now)
    visit.status, visit.completed_at = V.PARTIAL, now
    bookings = list(visit.bookings.filter(status=Booking.Status.ACTIVE).select_related("expert"))
    payout_lines_for_visit(visit=visit, bookings=bookings, earned_at=now)


def _try_extend(group: VisitGroup, visit: Visit, minutes: int) -> bool:
    """Extend the visit's bookings by `minutes` if no later booking of its experts and no
    dependent visit is affected (the exclusion constraint re-checks the first)."""
    assert visit.scheduled_start and visit.scheduled_end
    new_end = visit.scheduled_end + timedelta(minutes=minutes)
    bookings = list(visit.bookings.filter(status=Booking.Status.ACTIVE))
    extension = DateTimeTZRange(visit.scheduled_end, new_end, "[)")
    if Booking.objects.filter(
        expert_id__in=[b.expert_id for b in bookings], status=Booking.Status.ACTIVE, during__overlap=extension
    ).exists():
        return False
    for dependent in visit.dependents.filter(status__in=BOOKED):
        if dependent.scheduled_start and dependent.scheduled_start - new_end < timedelta(
            minutes=dependent.min_gap_minutes
        ):
            return False
    try:
        with transaction.atomic():
            for booking in bookings:
                Booking.objects.filter(pk=booking.pk).update(
                    during=DateTimeTZRange(booking.during.lower, new_end, "[)")
                )
    except DatabaseError:
        return False
    Visit.objects.filter(pk=visit.pk).update(scheduled_end=new_end)
    visit.scheduled_end = new_end
    return True


@transaction.atomic
def incident_report(
    *, visit: Visit, expert: ExpertProfile, kind: str, details: str = "", overrun_minutes: int | None = None
) -> Incident:
    """Record what went wrong on the day and resolve what can be resolved automatically."""
    if kind not in K.values:
        raise DomainValidationError(_("Unknown kind of incident."), field="kind")
    details = (details or "").strip()[:2000]
    if kind == K.OVERRUN and (
        not isinstance(overrun_minutes, int)
        or isinstance(overrun_minutes, bool)
        or not 1 <= overrun_minutes <= MAX_OVERRUN
    ):
        raise DomainValidationError(
            _("Give the extra minutes needed (1 to %(n)d).") % {"n": MAX_OVERRUN}, field="overrun_minutes"
        )
    group, locked, booking = _locked(visit, expert)
    now = timezone.now()
    if kind != K.CANT_ARRIVE:
        _require_started(locked, now)
    incident = Incident(
        visit=locked,
        expert=expert,
        kind=kind,
        details=details,
        overrun_minutes=overrun_minutes if kind == K.OVERRUN else None,
    )
    handler = {K.CANT_ARRIVE: _cant_arrive, K.NOBODY_HOME: _nobody_home, K.OVERRUN: _overrun, K.PARTS_NEEDED: _parts}
    handler[kind](group, locked, booking, incident, now)
    incident.save()
    return incident


def _cant_arrive(group: VisitGroup, visit: Visit, booking: Booking, incident: Incident, now: datetime) -> None:
    assert visit.scheduled_start is not None
    lead = timedelta(minutes=conf.get("VISIT_REPLACEMENT_LEAD_MINUTES"))
    replaceable = visit.required_skill.is_replaceable and visit.scheduled_start - now >= lead
    if not replaceable:
        reopen_visits(
            group,
            with_dependents(visit),
            reason=_("The expert for %(when)s cannot come.") % {"when": when(visit.scheduled_start)},
            now=now,
        )
        resolve(incident, _("Too late or not replaceable: back to scheduling."), now)
        return
    Booking.objects.filter(pk=booking.pk).update(status=Booking.Status.CANCELLED)
    if booking.proposal_id:
        Proposal.objects.filter(pk=booking.proposal_id).update(status=Proposal.Status.WITHDRAWN)
    booked = visit.bookings.filter(status=Booking.Status.ACTIVE).values_list("expert_id", flat=True)
    for expert in ExpertProfile.objects.filter(
        pk__in=runner_up_ids(visit, exclude=[booking.expert_id, *booked])
    ).select_related("user"):
        with translation.override(expert.user.language):
            notify(
                key=f"seat-open:{booking.pk}",
                user=expert.user,
                subject=_("A visit needs you: %(when)s") % {"when": when(visit.scheduled_start)},
                body=_("An expert cannot come. You proposed this time: the first to accept gets the visit."),
                link=reverse("experts:board"),
            )


def _nobody_home(group: VisitGroup, visit: Visit, booking: Booking, incident: Incident, now: datetime) -> None:
    reopen_visits(group, with_dependents(visit), reason=_("The expert found nobody at home."), now=now)
    ticket_add_flag(
        ticket=group.ticket, flag=TicketFlag.UNMATCHED_VISITS, actor=None, reason=f"nobody home, visit {visit.pk}"
    )  # the helpdesk contacts the customer; the incident stays open until an agent resolves it


def _overrun(group: VisitGroup, visit: Visit, booking: Booking, incident: Incident, now: datetime) -> None:
    minutes = incident.overrun_minutes or 0
    if _try_extend(group, visit, minutes):
        resolve(incident, _("Extension of %(n)d minutes granted.") % {"n": minutes}, now)
        return
    _end_partial(visit, now)
    follow_up = _follow_up(group, visit, minutes=minutes, now=now)
    resolve(incident, _("No time to stay longer: follow-up visit %(id)s.") % {"id": follow_up.pk}, now)


def _parts(group: VisitGroup, visit: Visit, booking: Booking, incident: Incident, now: datetime) -> None:
    _end_partial(visit, now)
    follow_up = _follow_up(group, visit, minutes=visit.duration_minutes, now=now)
    resolve(incident, _("Parts needed: follow-up visit %(id)s.") % {"id": follow_up.pk}, now)


@transaction.atomic
def incident_resolve(*, incident: Incident, actor: User, resolution: str) -> Incident:
    """An agent closes an incident the helpdesk handled (e.g. nobody home)."""
    resolution = (resolution or "").strip()
    if not resolution:
        raise DomainValidationError(_("Say how it was resolved."), field="resolution")
    group = lock_group(incident.visit.group_id)
    assert group is not None
    locked = Incident.objects.get(pk=incident.pk)
    if locked.status != Incident.Status.OPEN:
        raise InvalidTransitionError(_("This incident is already resolved."))
    resolve(locked, resolution[:2000], timezone.now())
    locked.save(update_fields=["status", "resolution", "resolved_at"])
    open_elsewhere = Incident.objects.filter(visit__group__ticket=group.ticket, status=Incident.Status.OPEN).exists()
    unmatched = group.ticket.visit_groups.filter(status=G.NEEDS_HELPDESK).exists()
    if not open_elsewhere and not unmatched:
        ticket_remove_flag(
            ticket=group.ticket, flag=TicketFlag.UNMATCHED_VISITS, actor=actor, reason="incident resolved"
        )
    return locked


# --- replacements -------------------------------------------------------------------------------


# --- completion ---------------------------------------------------------------------------------


@transaction.atomic
def visit_complete(*, visit: Visit, expert: ExpertProfile, notes: str = "") -> Visit:
    """The expert finished: notes, a payout line per expert, and when the whole group is done the
    ticket is resolved (the customer is asked to confirm)."""
    group, locked, _booking = _locked(visit, expert)
    now = timezone.now()
    _require_started(locked, now)
    notes = (notes or "").strip()[:5000]
    Visit.objects.filter(pk=locked.pk).update(status=V.COMPLETED, completed_at=now, completion_notes=notes)
    locked.status, locked.completed_at, locked.completion_notes = V.COMPLETED, now, notes
    bookings = list(locked.bookings.filter(status=Booking.Status.ACTIVE).select_related("expert"))
    payout_lines_for_visit(visit=locked, bookings=bookings, earned_at=now)
    unfinished = Visit.objects.filter(group=group, status__in=[V.OPEN, *BOOKED]).exists()
    if not unfinished:
        group.status = G.COMPLETED
        group.save(update_fields=["status"])
        ticket = Ticket.objects.get(pk=group.ticket_id)
        if ticket.status in OPEN_STATUSES:
            ticket_transition(
                ticket=ticket, to_status=Ticket.Status.RESOLVED, actor=expert.user, reason="all visits completed"
            )
        customer_note(
            group,
            f"group-completed:{group.pk}",
            _("Your visit is done (ticket #%(number)s)") % {"number": group.ticket.number},
            _("Please confirm on your ticket page that everything works again."),
        )
    return locked
