"""Shared by the day-of services (incidents, replacements): sending a visit back to scheduling,
telling the customer, runner-ups. Callers hold the group's row lock."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from experts.models import Proposal
from visits import conf
from visits.models import Booking, Incident, Visit, VisitGroup
from visits.notify import notify
from visits.services.finalize import when

V, G = Visit.Status, VisitGroup.Status
BOOKED = (V.SCHEDULED, V.IN_PROGRESS)


def customer_note(group: VisitGroup, key: str, subject: str, body: str) -> None:
    customer = group.ticket.customer
    with translation.override(customer.language):
        notify(
            key=key, user=customer, subject=subject, body=body, link=reverse("tickets:detail", args=[group.ticket_id])
        )


def with_dependents(visit: Visit) -> list[Visit]:
    """The visit and every scheduled visit that (transitively) depends on it."""
    siblings = list(Visit.objects.filter(group_id=visit.group_id).order_by("position"))
    chosen = {visit.pk}
    for sibling in siblings:  # positions are in dependency order
        if sibling.depends_on_id in chosen and sibling.status in BOOKED:
            chosen.add(sibling.pk)
    return [s for s in siblings if s.pk in chosen]


def reopen_group(group: VisitGroup, now: datetime) -> None:
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
    reopen_group(group, now)
    stamp = int(now.timestamp())
    customer_note(
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


def runner_up_ids(visit: Visit, *, exclude: Iterable[int]) -> list[int]:
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


def resolve(incident: Incident, text: str, now: datetime) -> None:
    incident.status, incident.resolution, incident.resolved_at = Incident.Status.RESOLVED, text, now
