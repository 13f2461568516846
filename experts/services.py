"""Experts claim visits by proposing start times ("Uber model"), and may withdraw until the group
is finalized. Every rule is checked here, on the server, whatever the caller showed the expert."""

from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import reduce
from operator import or_

from django.db import IntegrityError, transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from experts.models import ExpertProfile, ExpertSkill, Proposal
from helpdesk.errors import DomainValidationError, InvalidTransitionError
from visits import conf
from visits.models import Booking, Visit, VisitGroup
from visits.services.finalize import when
from visits.services.locks import lock_group, share_lock_group
from visits.services.triggers import finalize_after_commit, group_may_be_full

MAX_STARTS_PER_REQUEST = 20
MAX_ACTIVE_PER_VISIT = 60
OPEN_GROUP = (VisitGroup.Status.MATCHING, VisitGroup.Status.NEEDS_HELPDESK)


def on_grid(moment: datetime) -> bool:
    local = timezone.localtime(moment)
    grid = conf.grid_minutes()
    return local.second == 0 and local.microsecond == 0 and (local.hour * 60 + local.minute) % grid == 0


def area_matches(service_area: Sequence[str], postal_code: str) -> bool:
    """An empty service area means everywhere; otherwise the postal code starts with a prefix."""
    return not service_area or any(postal_code.startswith(prefix) for prefix in service_area if prefix)


def expert_matches_visit(expert: ExpertProfile, visit: Visit) -> str | None:
    """Why `expert` may not work `visit`, or None when they match skill, level and area."""
    if not expert.is_active:
        return _("Your expert account is not active.")
    level = (
        ExpertSkill.objects.filter(expert=expert, skill_id=visit.required_skill_id)
        .values_list("level", flat=True)
        .first()
    )
    if level is None or level < visit.min_skill_level:
        return _("This visit needs a skill or skill level you don't have.")
    profile = getattr(visit.group.ticket.customer, "customer_profile", None)
    if not area_matches(expert.service_area, profile.postal_code if profile else ""):
        return _("This visit is outside your service area.")
    return None


def _clean_starts(start_times: Sequence[datetime], now: datetime) -> list[datetime]:
    if not start_times:
        raise DomainValidationError(_("Choose at least one start time."), field="start_times")
    if len(start_times) > MAX_STARTS_PER_REQUEST:
        raise DomainValidationError(
            _("At most %(n)d start times at once.") % {"n": MAX_STARTS_PER_REQUEST}, field="start_times"
        )
    horizon = now + timedelta(days=conf.get("VISIT_MAX_HORIZON_DAYS"))
    seen: set[datetime] = set()
    for start in start_times:
        if not isinstance(start, datetime) or timezone.is_naive(start):
            raise DomainValidationError(_("Give start times with a time zone."), field="start_times")
        if start in seen:
            raise DomainValidationError(_("%(when)s is listed twice.") % {"when": when(start)}, field="start_times")
        seen.add(start)
        if not on_grid(start):
            raise DomainValidationError(
                _("%(when)s is not on the %(grid)d-minute grid.") % {"when": when(start), "grid": conf.grid_minutes()},
                field="start_times",
            )
        if start <= now:
            raise DomainValidationError(_("%(when)s is in the past.") % {"when": when(start)}, field="start_times")
        if start > horizon:
            raise DomainValidationError(_("%(when)s is too far ahead.") % {"when": when(start)}, field="start_times")
    return sorted(seen)


@transaction.atomic
def proposal_create(*, expert: ExpertProfile, visit: Visit, start_times: Sequence[datetime]) -> list[Proposal]:
    """Propose one or more start times for a visit. Starts outside the customer's windows are
    recorded as alternatives. Finalization runs after commit."""
    starts = _clean_starts(start_times, timezone.now())
    status = share_lock_group(visit.group_id)
    locked = Visit.objects.select_related("group__ticket__customer__customer_profile").get(pk=visit.pk)
    if status not in OPEN_GROUP or locked.status != Visit.Status.OPEN:
        raise InvalidTransitionError(_("This visit is already scheduled or no longer open."))
    reason = expert_matches_visit(expert, locked)
    if reason:
        raise DomainValidationError(reason, field="visit")
    duration = timedelta(minutes=locked.duration_minutes)
    spans = [DateTimeTZRange(start, start + duration, "[)") for start in starts]
    overlapping = reduce(or_, (Q(during__overlap=span) for span in spans))
    booked = list(
        Booking.objects.filter(overlapping, expert=expert, status=Booking.Status.ACTIVE).values_list(
            "during", flat=True
        )
    )
    for span in spans:
        if any(span.lower < b.upper and b.lower < span.upper for b in booked):
            raise DomainValidationError(
                _("At %(when)s you are already booked.") % {"when": when(span.lower)}, field="start_times"
            )
    mine = set(
        Proposal.objects.filter(expert=expert, visit=locked, status=Proposal.Status.ACTIVE).values_list(
            "start_at", flat=True
        )
    )
    taken = mine.intersection(starts)
    if taken:
        raise DomainValidationError(
            _("You already proposed %(when)s.") % {"when": when(min(taken))}, field="start_times"
        )
    if len(mine) + len(starts) > MAX_ACTIVE_PER_VISIT:
        raise DomainValidationError(
            _("At most %(n)d open proposals per visit.") % {"n": MAX_ACTIVE_PER_VISIT}, field="start_times"
        )
    windows = [(w.window.lower, w.window.upper) for w in locked.windows.all()]
    proposals = [
        Proposal(
            expert=expert,
            visit=locked,
            start_at=start,
            is_alternative=not any(lo <= start < hi for lo, hi in windows),
        )
        for start in starts
    ]
    try:
        with transaction.atomic():
            Proposal.objects.bulk_create(proposals)
    except IntegrityError as exc:  # the same start proposed twice at the same moment
        raise DomainValidationError(_("You already proposed one of these times."), field="start_times") from exc
    if any(not p.is_alternative for p in proposals) and group_may_be_full(locked.group_id):
        finalize_after_commit(locked.group_id)  # alternatives alone never fill a group
    return proposals


@transaction.atomic
def proposal_withdraw(*, proposal: Proposal, expert: ExpertProfile) -> Proposal:
    """Withdraw an active proposal. Holds the group lock, so it never races a finalization: a
    proposal is either withdrawn before the group is booked, or accepted/rejected by it."""
    visit = Visit.objects.only("group_id").get(pk=proposal.visit_id)
    lock_group(visit.group_id)
    locked = Proposal.objects.get(pk=proposal.pk)
    if locked.expert_id != expert.pk:
        raise InvalidTransitionError(_("This is not your proposal."))
    if locked.status == Proposal.Status.ACCEPTED:
        raise InvalidTransitionError(
            _("You are booked for this visit. If you cannot come, report it on the visit page.")
        )
    if locked.status != Proposal.Status.ACTIVE:
        raise InvalidTransitionError(_("This proposal is no longer open."))
    Proposal.objects.filter(pk=locked.pk).update(status=Proposal.Status.WITHDRAWN)
    locked.status = Proposal.Status.WITHDRAWN
    return locked
