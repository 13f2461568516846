"""Replacements: when an expert cannot come and there is time, runner-up proposers and then other
matching free experts may take the seat; the first to accept gets it. Seats still open close to the
start go back to scheduling."""

from datetime import datetime, timedelta

from django.db import DatabaseError, transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from experts.models import ExpertProfile, Proposal
from experts.services import expert_matches_visit
from helpdesk.errors import InvalidTransitionError
from visits import conf
from visits.models import Booking, Incident, Visit
from visits.notify import notify
from visits.services.dayof import BOOKED, customer_note, reopen_visits, resolve, runner_up_ids, with_dependents
from visits.services.finalize import when
from visits.services.locks import lock_group

K = Incident.Kind


def replacement_refusal(*, visit: Visit, expert: ExpertProfile, incident: Incident, now: datetime) -> str | None:
    """Why `expert` may not take the open seat (None: they may). Runner-ups first; after the
    head start (or when there are none) any matching expert."""
    reason = expert_matches_visit(expert, visit)
    if reason:
        return reason
    booked = set(visit.bookings.filter(status=Booking.Status.ACTIVE).values_list("expert_id", flat=True))
    if expert.pk in booked or expert.pk == incident.expert_id:
        return _("You are already on this visit.")
    runner_ups = runner_up_ids(visit, exclude=[*booked, incident.expert_id or 0])
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
    resolve(incident, _("Replaced by %(name)s.") % {"name": expert.user.display_name}, now)
    incident.save(update_fields=["status", "resolution", "resolved_at"])
    customer_note(
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
            calendar_group_id=group.pk,
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
        reopen_visits(group, with_dependents(visit), reason=_("No replacement expert was found in time."), now=now)
        resolve(incident, _("No replacement in time: back to scheduling."), now)
        incident.save(update_fields=["status", "resolution", "resolved_at"])
        return True


def replacements_expire(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    lead = timedelta(minutes=conf.get("VISIT_REPLACEMENT_LEAD_MINUTES"))
    due = Incident.objects.filter(
        kind=K.CANT_ARRIVE, status=Incident.Status.OPEN, visit__scheduled_start__lt=now + lead
    ).values_list("pk", flat=True)
    return sum(replacement_expire(incident_id=pk, now=now) for pk in due[:500])
