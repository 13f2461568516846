"""Presentation helpers shared by the ticket pages: short relative times, SLA deadline states.
Computed in the view (templates only print), with one level of precision ("in 3 hours")."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.timesince import timesince, timeuntil
from django.utils.translation import gettext as _

from tickets.models import Ticket

DUE_SOON = timedelta(hours=1)


@dataclass(frozen=True)
class Due:
    """An SLA deadline as the queue shows it: state (done/none/overdue/soon/ok) and a short text."""

    state: str
    text: str
    at: datetime | None = None


def due(*, deadline: datetime | None, done_at: datetime | None, is_open: bool, now: datetime, done: str) -> Due:
    if done_at is not None:
        return Due("done", done, done_at)
    if deadline is None or not is_open:
        return Due("none", "—")
    if abs(deadline - now) < timedelta(minutes=1):
        return Due("soon", _("due now"), deadline)
    if deadline < now:
        return Due("overdue", _("overdue by %(time)s") % {"time": timesince(deadline, now, depth=1)}, deadline)
    state = "soon" if deadline - now < DUE_SOON else "ok"
    return Due(state, _("in %(time)s") % {"time": timeuntil(deadline, now, depth=1)}, deadline)


def first_response_due(ticket: Ticket, now: datetime) -> Due:
    return due(
        deadline=ticket.first_response_due,
        done_at=ticket.first_response_at,
        is_open=ticket.is_open,
        now=now,
        done=_("Answered"),
    )


def ago(moment: datetime, now: datetime) -> str:
    """Short relative time: just now, 5 minutes ago, 3 days ago."""
    if now - moment < timedelta(minutes=1):
        return _("just now")
    return _("%(time)s ago") % {"time": timesince(moment, now, depth=1)}
