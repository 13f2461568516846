"""django-q2 entry points (STYLE 19/20): ids in, one service call, idempotent, and safe when two
clusters run at once (every service takes the group's row lock; periodic runs skip held groups)."""

from django.utils import timezone

from visits.models import VisitGroup
from visits.services.finalize import OPEN_GROUP, visit_group_finalize
from visits.services.replacements import replacements_expire
from visits.services.reschedule import visit_groups_expire

RETRY_BATCH = 500


def visit_group_finalize_task(group_id: int) -> str:
    """After a proposal commit: book the group if it is full."""
    return str(visit_group_finalize(group_id=group_id))


def visit_groups_finalize_pending() -> dict[str, int]:
    """The periodic retry: every group still looking for experts (e.g. a booking the database
    refused because the expert was booked elsewhere a moment earlier)."""
    counts: dict[str, int] = {}
    ids = VisitGroup.objects.filter(status__in=OPEN_GROUP).order_by("match_deadline", "pk").values_list("pk", flat=True)
    for group_id in ids[:RETRY_BATCH]:
        outcome = str(visit_group_finalize(group_id=group_id, skip_locked=True))
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def visit_groups_expire_task() -> int:
    """Groups unfilled at their match deadline go to the helpdesk."""
    return visit_groups_expire(now=timezone.now())


def visit_replacements_expire_task() -> int:
    """Seats nobody took in time: back to scheduling."""
    return replacements_expire(now=timezone.now())
