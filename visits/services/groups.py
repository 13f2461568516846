"""Turning a ticket into a visit group, and editing a visit's time windows."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from experts.models import Proposal, Skill
from helpdesk.errors import DomainValidationError, InvalidTransitionError
from tickets.models import OPEN_STATUSES, Ticket
from visits import conf
from visits.models import Visit, VisitGroup, VisitWindow
from visits.services.locks import lock_group
from visits.services.triggers import finalize_after_commit

MAX_VISITS_PER_GROUP = 10
MAX_WINDOWS_PER_VISIT = 10
MAX_EXPERTS_PER_VISIT = 10
MIN_DURATION, MAX_DURATION = 15, 12 * 60
MAX_GAP = 24 * 60
OPEN_GROUP = (VisitGroup.Status.MATCHING, VisitGroup.Status.NEEDS_HELPDESK)

Window = tuple[datetime, datetime]


@dataclass(frozen=True)
class VisitInput:
    """One visit to create. `windows=None` takes the ticket's preferred windows; `depends_on` is
    the 0-based index of an earlier visit in the same list."""

    skill: Skill
    min_skill_level: int = 1
    experts_needed: int = 1
    duration_minutes: int = 60
    windows: Sequence[Window] | None = None
    depends_on: int | None = None
    min_gap_minutes: int = 0
    max_gap_minutes: int = 60


def clean_windows(windows: Sequence[Window], *, field: str, now: datetime) -> list[DateTimeTZRange]:
    """Windows must be bounded, in order, end in the future and lie within the horizon."""
    if not windows:
        raise DomainValidationError(_("Give at least one time window."), field=field)
    if len(windows) > MAX_WINDOWS_PER_VISIT:
        raise DomainValidationError(_("At most %(n)d time windows.") % {"n": MAX_WINDOWS_PER_VISIT}, field=field)
    horizon = now + timedelta(days=conf.get("VISIT_MAX_HORIZON_DAYS"))
    cleaned = []
    for start, end in windows:
        if start is None or end is None or timezone.is_naive(start) or timezone.is_naive(end):
            raise DomainValidationError(_("A time window needs a start and an end."), field=field)
        if start >= end:
            raise DomainValidationError(_("A time window must end after it starts."), field=field)
        if end <= now:
            raise DomainValidationError(_("A time window must lie in the future."), field=field)
        if start > horizon:
            raise DomainValidationError(
                _("A time window must start within %(days)d days.") % {"days": conf.get("VISIT_MAX_HORIZON_DAYS")},
                field=field,
            )
        cleaned.append(DateTimeTZRange(start, end, "[)"))
    return sorted(cleaned, key=lambda r: (r.lower, r.upper))


def _check_int(value: object, *, low: int, high: int, field: str, label: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise DomainValidationError(
            _("%(label)s must be between %(low)d and %(high)d.") % {"label": label, "low": low, "high": high},
            field=field,
        )
    return value


def _check_visit(index: int, spec: VisitInput) -> None:
    prefix = f"visits.{index}."
    if not isinstance(spec.skill, Skill) or spec.skill.pk is None:
        raise DomainValidationError(_("Choose the skill this visit needs."), field=prefix + "skill")
    _check_int(spec.min_skill_level, low=1, high=5, field=prefix + "min_skill_level", label=_("The skill level"))
    _check_int(
        spec.experts_needed,
        low=1,
        high=MAX_EXPERTS_PER_VISIT,
        field=prefix + "experts_needed",
        label=_("The number of experts"),
    )
    _check_int(
        spec.duration_minutes,
        low=MIN_DURATION,
        high=MAX_DURATION,
        field=prefix + "duration_minutes",
        label=_("The duration (minutes)"),
    )
    if spec.depends_on is not None:
        if not isinstance(spec.depends_on, int) or not 0 <= spec.depends_on < index:
            raise DomainValidationError(
                _("A visit can only follow an earlier visit of the same group."), field=prefix + "depends_on"
            )
        low = _check_int(spec.min_gap_minutes, low=0, high=MAX_GAP, field=prefix + "min_gap_minutes", label=_("Gap"))
        high = _check_int(spec.max_gap_minutes, low=0, high=MAX_GAP, field=prefix + "max_gap_minutes", label=_("Gap"))
        if low > high:
            raise DomainValidationError(
                _("The minimum gap cannot exceed the maximum gap."), field=prefix + "max_gap_minutes"
            )


@transaction.atomic
def visit_group_create(*, ticket: Ticket, visits: Sequence[VisitInput], actor: User | None) -> VisitGroup:
    """An agent (or a macro) turns a ticket into 1..N visits; experts can propose at once."""
    locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if locked.status not in OPEN_STATUSES:
        raise InvalidTransitionError(_("Visits can only be planned for an open ticket."))
    if not 1 <= len(visits) <= MAX_VISITS_PER_GROUP:
        raise DomainValidationError(
            _("A visit group has between 1 and %(n)d visits.") % {"n": MAX_VISITS_PER_GROUP}, field="visits"
        )
    now = timezone.now()
    preferred = [(w.window.lower, w.window.upper) for w in locked.preferred_windows.all()]
    windows = []
    for index, spec in enumerate(visits):
        _check_visit(index, spec)
        windows.append(
            clean_windows(preferred if spec.windows is None else spec.windows, field=f"visits.{index}.windows", now=now)
        )

    group = VisitGroup.objects.create(
        ticket=locked,
        created_by=actor,
        match_deadline=now + timedelta(hours=conf.match_deadline_hours(locked.priority)),
    )
    created: list[Visit] = []
    for index, spec in enumerate(visits):
        depends = created[spec.depends_on] if spec.depends_on is not None else None
        created.append(
            Visit.objects.create(
                group=group,
                position=index + 1,
                required_skill=spec.skill,
                min_skill_level=spec.min_skill_level,
                experts_needed=spec.experts_needed,
                duration_minutes=spec.duration_minutes,
                depends_on=depends,
                min_gap_minutes=spec.min_gap_minutes if depends else 0,
                max_gap_minutes=spec.max_gap_minutes if depends else 60,
            )
        )
    VisitWindow.objects.bulk_create(
        VisitWindow(visit=visit, window=window)
        for visit, ranges in zip(created, windows, strict=True)
        for window in ranges
    )
    return group


def reflag_alternatives(visit_ids: Sequence[int]) -> None:
    """A proposal is an alternative exactly when its start lies in none of the visit's windows."""
    inside = Exists(VisitWindow.objects.filter(visit=OuterRef("visit"), window__contains=OuterRef("start_at")))
    active = Proposal.objects.filter(visit_id__in=visit_ids, status=Proposal.Status.ACTIVE)
    active.filter(inside).exclude(is_alternative=False).update(is_alternative=False)
    active.exclude(inside).exclude(is_alternative=True).update(is_alternative=True)


@transaction.atomic
def visit_windows_set(*, visit: Visit, windows: Sequence[Window], actor: User | None) -> Visit:
    """Replace an open visit's windows (agent edits, a customer choosing times for a follow-up).
    Proposals are re-judged against the new windows and finalization runs again."""
    group = lock_group(visit.group_id)
    locked = Visit.objects.get(pk=visit.pk)
    if locked.status != Visit.Status.OPEN or group.status not in OPEN_GROUP:
        raise InvalidTransitionError(_("Times can only be changed while the visit is not booked."))
    ranges = clean_windows(windows, field="windows", now=timezone.now())
    VisitWindow.objects.filter(visit=locked).delete()
    VisitWindow.objects.bulk_create(VisitWindow(visit=locked, window=window) for window in ranges)
    reflag_alternatives([locked.pk])
    finalize_after_commit(group.pk)
    return locked
