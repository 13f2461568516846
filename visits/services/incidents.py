"""The day of the visit: incidents an expert reports (can't arrive, nobody home, overrun, parts
needed), replacements, completion with payout lines, and the ticket moving on when all is done.
Every function holds the group's row lock, like finalization."""

from collections.abc import Iterable
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
from experts.services import expert_matches_visit
from helpdesk.errors import DomainValidationError, InvalidTransitionError
from tickets.models import OPEN_STATUSES, Ticket, TicketFlag
from tickets.services import ticket_transition
from tickets.services.flags import ticket_add_flag, ticket_remove_flag
from visits import conf
from visits.models import Booking, Incident, Visit, VisitGroup
from visits.notify import notify
from visits.services.finalize import when
from visits.services.locks import lock_group

K, V, G = Incident.Kind, Visit.Status, VisitGroup.Status
BOOKED = (V.SCHEDULED, V.IN_PROGRESS)
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


def _customer_note(group: VisitGroup, key: str, subject: str, body: str) -> None:
    customer = group.ticket.customer
    with translation.override(customer.language):
        notify(
            key=key, user=customer, subject=subject, body=body, link=reverse("tickets:detail", args=[group.ticket_id])
        )


def _with_dependents(visit: Visit) -> list[Visit]:
    """The visit and every scheduled visit that (transitively) depends on it."""
    siblings = list(Visit.objects.filter(group_id=visit.group_id).order_by("position"))
    chosen = {visit.pk}
    for sibling in siblings:  # positions are in dependency order
        if sibling.depends_on_id in chosen and sibling.status in BOOKED:
            chosen.add(sibling.pk)
    return [s for s in siblings if s.pk in chosen]


def _reopen_group(group: VisitGroup, now: datetime) -> None:
    group.status, group.finalized_at = G.MATCHING, None
    group.match_deadline = now + timedelta(hours=conf.match_deadline_hours(group.ticket.priority))
    group.save(update_fields=["status", "finalized_at", "match_deadline"])


def reopen_visits(group: VisitGroup, visits: Iterable[Visit], *, reason: str, now: datetime) -> None:
    """Back to scheduling: cancel the visits' bookings, reopen them and the group, tell everyone."""
    ids = [v.pk for v in visits]
    cancelled = list(
        Booking.objects.filter(visit_id__in=ids, status=Booking.Status.ACTIVE).select_related("expert__user")
    )
    Booking.objects.filter(pk__in=[b.pk for b in cancelled]).update(status=Booking.Status.CANCELLED)
    # The booked proposals no longer stand: experts propose again for the new times.
    Proposal.objects.filter(visit_id__in=ids, status=Proposal.Status.ACCEPTED).update(status=Proposal.Status.WITHDRAWN)
    Visit.objects.filter(pk__in=ids).update(status=V.OPEN, scheduled_start=None, scheduled_end=None)
    _reopen_group(group, now)
    stamp = int(now.timestamp())
    _customer_note(
        group,
        f"reopened:{group.pk}:{stamp}",
        _("Your visit needs a new time (ticket #%(number)s)") % {"number": group.ticket.number},
        reason + "\n" + _("Experts can now propose new times; check that your time windows still suit you."),
    )
    for booking in cancelled:
        user = booking.expert.user
        with translation.override(user.language):
            notify(
                key=f"booking-cancelled:{booking.pk}",
                user=user,
                subject=_("Booking cancelled: %(when)s") % {"when": when(booking.during.lower)},
                body=reason,
                link=reverse("experts:schedule"),
            )


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
    _reopen_group(group, now)
    _customer_note(
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


def _runner_up_ids(visit: Visit, *, exclude: Iterable[int]) -> list[int]:
    """Experts who proposed this visit at its booked start, by time priority."""
    rows = (
        Proposal.objects.filter(
            visit=visit,
            start_at=visit.scheduled_start,
            status__in=[Proposal.Status.REJECTED, Proposal.Status.ACTIVE],
            expert__is_active=True,
        )
        .exclude(expert_id__in=list(exclude))
        .order_by("created_at", "pk")
        .values_list("expert_id", flat=True)
    )
    return list(dict.fromkeys(rows))


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


def _resolve(incident: Incident, text: str, now: datetime) -> None:
    incident.status, incident.resolution, incident.resolved_at = Incident.Status.RESOLVED, text, now


def _cant_arrive(group: VisitGroup, visit: Visit, booking: Booking, incident: Incident, now: datetime) -> None:
    assert visit.scheduled_start is not None
    lead = timedelta(minutes=conf.get("VISIT_REPLACEMENT_LEAD_MINUTES"))
    replaceable = visit.required_skill.is_replaceable and visit.scheduled_start - now >= lead
    if not replaceable:
        reopen_visits(
            group,
            _with_dependents(visit),
            reason=_("The expert for %(when)s cannot come.") % {"when": when(visit.scheduled_start)},
            now=now,
        )
        _resolve(incident, _("Too late or not replaceable: back to scheduling."), now)
        return
    Booking.objects.filter(pk=booking.pk).update(status=Booking.Status.CANCELLED)
    if booking.proposal_id:
        Proposal.objects.filter(pk=booking.proposal_id).update(status=Proposal.Status.WITHDRAWN)
    booked = visit.bookings.filter(status=Booking.Status.ACTIVE).values_list("expert_id", flat=True)
    for expert in ExpertProfile.objects.filter(
        pk__in=_runner_up_ids(visit, exclude=[booking.expert_id, *booked])
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
    reopen_visits(group, _with_dependents(visit), reason=_("The expert found nobody at home."), now=now)
    ticket_add_flag(
        ticket=group.ticket, flag=TicketFlag.UNMATCHED_VISITS, actor=None, reason=f"nobody home, visit {visit.pk}"
    )  # the helpdesk contacts the customer; the incident stays open until an agent resolves it


def _overrun(group: VisitGroup, visit: Visit, booking: Booking, incident: Incident, now: datetime) -> None:
    minutes = incident.overrun_minutes or 0
    if _try_extend(group, visit, minutes):
        _resolve(incident, _("Extension of %(n)d minutes granted.") % {"n": minutes}, now)
        return
    _end_partial(visit, now)
    follow_up = _follow_up(group, visit, minutes=minutes, now=now)
    _resolve(incident, _("No time to stay longer: follow-up visit %(id)s.") % {"id": follow_up.pk}, now)


def _parts(group: VisitGroup, visit: Visit, booking: Booking, incident: Incident, now: datetime) -> None:
    _end_partial(visit, now)
    follow_up = _follow_up(group, visit, minutes=visit.duration_minutes, now=now)
    _resolve(incident, _("Parts needed: follow-up visit %(id)s.") % {"id": follow_up.pk}, now)


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
    _resolve(locked, resolution[:2000], timezone.now())
    locked.save(update_fields=["status", "resolution", "resolved_at"])
    open_elsewhere = Incident.objects.filter(visit__group__ticket=group.ticket, status=Incident.Status.OPEN).exists()
    unmatched = group.ticket.visit_groups.filter(status=G.NEEDS_HELPDESK).exists()
    if not open_elsewhere and not unmatched:
        ticket_remove_flag(
            ticket=group.ticket, flag=TicketFlag.UNMATCHED_VISITS, actor=actor, reason="incident resolved"
        )
    return locked


# --- replacements -------------------------------------------------------------------------------


def replacement_refusal(*, visit: Visit, expert: ExpertProfile, incident: Incident, now: datetime) -> str | None:
    """Why `expert` may not take the open seat (None: they may). Runner-ups first; after the
    head start (or when there are none) any matching expert."""
    reason = expert_matches_visit(expert, visit)
    if reason:
        return reason
    booked = set(visit.bookings.filter(status=Booking.Status.ACTIVE).values_list("expert_id", flat=True))
    if expert.pk in booked or expert.pk == incident.expert_id:
        return _("You are already on this visit.")
    runner_ups = _runner_up_ids(visit, exclude=[*booked, incident.expert_id or 0])
    head_start = timedelta(minutes=conf.get("VISIT_RUNNER_UP_HEAD_START_MINUTES"))
    if expert.pk not in runner_ups and runner_ups and now < incident.created_at + head_start:
        return _("Experts who proposed this time get the first chance; try again in a few minutes.")
    return None


@transaction.atomic
def replacement_accept(*, visit: Visit, expert: ExpertProfile) -> Booking:
    """Take the seat an expert gave up. The first to accept gets it; the rest are refused."""
    group = lock_group(visit.group_id)
    assert group is not None
    locked = Visit.objects.select_related("required_skill", "group__ticket__customer__customer_profile").get(
        pk=visit.pk
    )
    incident = (
        Incident.objects.filter(visit=locked, kind=K.CANT_ARRIVE, status=Incident.Status.OPEN)
        .order_by("created_at", "pk")
        .first()
    )
    if locked.status not in BOOKED or incident is None or locked.scheduled_start is None:
        raise InvalidTransitionError(_("This visit needs no replacement any more."))
    now = timezone.now()
    reason = replacement_refusal(visit=locked, expert=expert, incident=incident, now=now)
    if reason:
        raise InvalidTransitionError(reason)
    proposal = Proposal.objects.filter(visit=locked, expert=expert, start_at=locked.scheduled_start).first()
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                visit=locked,
                expert=expert,
                proposal=proposal,
                during=DateTimeTZRange(locked.scheduled_start, locked.scheduled_end, "[)"),
            )
    except DatabaseError as exc:
        raise InvalidTransitionError(_("You are booked elsewhere at that time.")) from exc
    if proposal is not None:
        Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.ACCEPTED)
    _resolve(incident, _("Replaced by %(name)s.") % {"name": expert.user.display_name}, now)
    incident.save(update_fields=["status", "resolution", "resolved_at"])
    _customer_note(
        group,
        f"replaced:{booking.pk}",
        _("Another expert comes on %(when)s") % {"when": when(locked.scheduled_start)},
        _("%(name)s will do your visit instead.") % {"name": expert.user.display_name},
    )
    with translation.override(expert.user.language):
        notify(
            key=f"replacement:{booking.pk}",
            user=expert.user,
            subject=_("You are booked: %(when)s") % {"when": when(locked.scheduled_start)},
            body=_("You took over a visit for ticket #%(number)s.") % {"number": group.ticket.number},
            link=reverse("experts:schedule"),
            calendar_link=reverse("visits:calendar", args=[group.pk]),
        )
    return booking


def replacement_expire(*, incident_id: int, now: datetime) -> bool:
    """A seat still open too close to the start: the visit goes back to scheduling."""
    with transaction.atomic():
        incident = Incident.objects.select_related("visit").filter(pk=incident_id).first()
        if incident is None:
            return False
        group = lock_group(incident.visit.group_id, skip_locked=True)
        incident = Incident.objects.select_related("visit").get(pk=incident_id)
        visit = incident.visit
        lead = timedelta(minutes=conf.get("VISIT_REPLACEMENT_LEAD_MINUTES"))
        if group is None or incident.status != Incident.Status.OPEN or visit.status not in BOOKED:
            return False
        if visit.scheduled_start is None or visit.scheduled_start - now >= lead:
            return False
        reopen_visits(group, _with_dependents(visit), reason=_("No replacement expert was found in time."), now=now)
        _resolve(incident, _("No replacement in time: back to scheduling."), now)
        incident.save(update_fields=["status", "resolution", "resolved_at"])
        return True


def replacements_expire(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    lead = timedelta(minutes=conf.get("VISIT_REPLACEMENT_LEAD_MINUTES"))
    due = Incident.objects.filter(
        kind=K.CANT_ARRIVE, status=Incident.Status.OPEN, visit__scheduled_start__lt=now + lead
    ).values_list("pk", flat=True)
    return sum(replacement_expire(incident_id=pk, now=now) for pk in due[:500])


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
        _customer_note(
            group,
            f"group-completed:{group.pk}",
            _("Your visit is done (ticket #%(number)s)") % {"number": group.ticket.number},
            _("Please confirm on your ticket page that everything works again."),
        )
    return locked
