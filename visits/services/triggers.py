"""Work that follows a committed change, enqueued on commit (STYLE 9): finalization runs as a
django-q2 task after every proposal commit, and again from the periodic retry."""

from functools import partial

from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django_q.tasks import async_task

from experts.models import Proposal
from visits.models import Visit

FINALIZE_TASK = "visits.tasks.visit_group_finalize_task"


def group_may_be_full(group_id: int) -> bool:
    """A cheap necessary condition (one query): every open visit of the group has at least as
    many distinct experts with active in-window proposals as it needs. Saves the worker a
    finalization run for most proposals; the periodic retry catches anything else."""
    proposers = Subquery(
        Proposal.objects.filter(visit=OuterRef("pk"), status=Proposal.Status.ACTIVE, is_alternative=False)
        .order_by()
        .values("visit")
        .annotate(n=Count("expert", distinct=True))
        .values("n"),
        output_field=IntegerField(),
    )
    rows = list(
        Visit.objects.filter(group_id=group_id, status=Visit.Status.OPEN)
        .annotate(n=Coalesce(proposers, 0))
        .values_list("n", "experts_needed")
    )
    return bool(rows) and all(n >= needed for n, needed in rows)


def finalize_after_commit(group_id: int) -> None:
    # robust: a broker hiccup must not turn a committed proposal into an error; the periodic
    # retry finalizes whatever this misses.
    transaction.on_commit(partial(async_task, FINALIZE_TASK, group_id), robust=True)
