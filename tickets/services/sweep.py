"""The SLA sweep (every 5 minutes): mark SLA statuses set-wise in SQL, then escalate.

1. Marking: per clock (first response, resolution) and level (BREACHED first, then AT_RISK) one
   statement picks a bounded batch of open tickets over the partial indexes (FOR UPDATE SKIP
   LOCKED, so a second sweep running at the same time takes other rows), updates their status
   and writes one SLA_CHANGED TicketEvent per ticket — no Python loop. BREACHED is `now > due`,
   AT_RISK is `risk_at <= now <= due`; statuses only move up, and `sla_breached` sticks.
2. Escalating: open tickets whose clock is AT_RISK/BREACHED without an Escalation row for that
   (ticket, clock, level) are escalated one by one, each in its own transaction behind the
   unique constraint — exactly once even with two sweeps or two clusters. A ticket whose data
   makes escalation fail is logged and retried on the next run; the others go on. A worker that
   dies mid-run loses nothing: an escalation and its effects commit together or not at all.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from tickets.models import Escalation, SLAStatus, Ticket, TicketEvent
from tickets.services.escalation import PolicyCache, ticket_escalate_for_sla

log = logging.getLogger(__name__)
Kind = Escalation.SLAKind
S = Ticket.Status
OPEN = (S.OPEN, S.IN_PROGRESS, S.WAITING_ON_CUSTOMER)
RUNNING_RESOLUTION = (S.OPEN, S.IN_PROGRESS)  # WAITING_ON_CUSTOMER pauses the resolution clock
ESCALATING = (SLAStatus.AT_RISK, SLAStatus.BREACHED)

# Matches the partial index ticket_open_sla_attention_idx, so the escalation scan only reads open
# tickets that are at risk or breached.
ATTENTION = Q(status__in=list(OPEN)) & (~Q(first_response_sla=SLAStatus.WITHIN) | ~Q(resolution_sla=SLAStatus.WITHIN))


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"  # fixed enum values, never user input


@dataclass(frozen=True)
class ClockSQL:
    kind: str
    status_col: str
    due_col: str
    risk_col: str
    breach_where: str  # served by ticket_open_*_due_idx
    risk_where: str  # the predicate of ticket_*_risk_idx, verbatim


CLOCKS = (
    ClockSQL(
        kind=Kind.FIRST_RESPONSE,
        status_col="first_response_sla",
        due_col="first_response_due",
        risk_col="first_response_risk_at",
        breach_where=f"status IN {_in(OPEN)} AND first_response_due < %(now)s"
        " AND first_response_sla <> 'BREACHED'"
        " AND (first_response_at IS NULL OR first_response_at > first_response_due)",
        risk_where=f"status IN {_in(OPEN)} AND first_response_at IS NULL AND first_response_sla = 'WITHIN'"
        " AND first_response_risk_at <= %(now)s AND first_response_due >= %(now)s",
    ),
    ClockSQL(
        kind=Kind.RESOLUTION,
        status_col="resolution_sla",
        due_col="resolution_due",
        risk_col="resolution_risk_at",
        breach_where=f"status IN {_in(RUNNING_RESOLUTION)} AND resolution_due < %(now)s"
        " AND resolution_sla <> 'BREACHED'",
        risk_where=f"status IN {_in(RUNNING_RESOLUTION)} AND resolution_sla = 'WITHIN'"
        " AND resolution_risk_at <= %(now)s AND resolution_due >= %(now)s",
    ),
)

MARK_SQL = """
WITH picked AS (
    SELECT id, {status_col} AS old_sla FROM {ticket}
    WHERE {where}
    ORDER BY {order_col}, id
    LIMIT %(batch)s
    FOR UPDATE SKIP LOCKED
), marked AS (
    UPDATE {ticket} AS t
    SET {status_col} = %(new)s, sla_breached = t.sla_breached OR %(breach)s, updated_at = %(now)s
    FROM picked WHERE t.id = picked.id
    RETURNING t.id, picked.old_sla
)
INSERT INTO {event} (ticket_id, actor_id, kind, from_status, to_status, data, created_at)
SELECT id, NULL, %(event_kind)s, '', '',
       jsonb_build_object('clock', %(clock)s::text, 'from', old_sla, 'to', %(new)s::text), %(now)s
FROM marked
"""


def mark_batch(clock: ClockSQL, level: str, *, now: datetime, batch: int) -> int:
    """One set-based statement: mark up to `batch` tickets of this clock as `level`."""
    breach = level == SLAStatus.BREACHED
    sql = MARK_SQL.format(
        ticket=Ticket._meta.db_table,
        event=TicketEvent._meta.db_table,
        status_col=clock.status_col,
        where=clock.breach_where if breach else clock.risk_where,
        order_col=clock.due_col if breach else clock.risk_col,
    )
    params = {
        "now": now,
        "batch": batch,
        "new": str(level),
        "breach": breach,
        "clock": str(clock.kind),
        "event_kind": str(TicketEvent.Kind.SLA_CHANGED),
    }
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def sla_mark_statuses(*, now: datetime, batch: int | None = None, max_batches: int | None = None) -> dict[str, int]:
    """Mark every clock and level, in batches of SLA_SWEEP_BATCH, at most SLA_SWEEP_MAX_BATCHES each."""
    batch = batch or settings.SLA_SWEEP_BATCH
    max_batches = max_batches or settings.SLA_SWEEP_MAX_BATCHES
    counts: dict[str, int] = {}
    for clock in CLOCKS:
        for level in (SLAStatus.BREACHED, SLAStatus.AT_RISK):  # a clock past due skips AT_RISK
            total = 0
            for _ in range(max_batches):
                marked = mark_batch(clock, level, now=now, batch=batch)
                total += marked
                if marked < batch:
                    break
            counts[f"{clock.kind}:{level}"] = total
    return counts


def escalation_candidates(*, limit: int) -> list[tuple[int, str, str]]:
    """(ticket id, clock, level) still owed an automatic escalation, oldest tickets first."""
    done_fr = Escalation.objects.filter(
        ticket=OuterRef("pk"), sla_kind=Kind.FIRST_RESPONSE, level=OuterRef("first_response_sla")
    )
    done_res = Escalation.objects.filter(
        ticket=OuterRef("pk"), sla_kind=Kind.RESOLUTION, level=OuterRef("resolution_sla")
    )
    wants_fr = Q(first_response_at__isnull=True, first_response_sla__in=ESCALATING, fr_done=False)
    wants_res = Q(status__in=RUNNING_RESOLUTION, resolution_sla__in=ESCALATING, res_done=False)
    rows = (
        Ticket.objects.filter(ATTENTION)
        .annotate(fr_done=Exists(done_fr), res_done=Exists(done_res))
        .filter(wants_fr | wants_res)
        .order_by("pk")
        .values_list(
            "pk", "status", "first_response_at", "first_response_sla", "resolution_sla", "fr_done", "res_done"
        )[:limit]
    )
    found = []
    for pk, status, fr_at, fr_sla, res_sla, fr_done, res_done in rows:
        if fr_at is None and fr_sla in ESCALATING and not fr_done:
            found.append((pk, Kind.FIRST_RESPONSE, fr_sla))
        if status in RUNNING_RESOLUTION and res_sla in ESCALATING and not res_done:
            found.append((pk, Kind.RESOLUTION, res_sla))
    return found


def sla_escalate_due(*, now: datetime, limit: int | None = None) -> dict[str, int]:
    counts = {"escalated": 0, "skipped": 0, "errors": 0}
    policies: PolicyCache = {}
    for ticket_id, kind, level in escalation_candidates(limit=limit or settings.SLA_ESCALATION_BATCH):
        try:
            escalation = ticket_escalate_for_sla(
                ticket_id=ticket_id, kind=kind, level=level, now=now, policies=policies
            )
        except Exception:  # inconsistent data in one ticket must not stop the sweep
            log.exception("SLA sweep: escalating ticket %s (%s %s) failed; retrying next run", ticket_id, kind, level)
            counts["errors"] += 1
            continue
        counts["escalated" if escalation else "skipped"] += 1
    return counts


def sla_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """The whole 5-minute job: statuses, then escalations. Idempotent; safe to run concurrently."""
    now = now or timezone.now()
    counts = sla_mark_statuses(now=now)
    counts.update(sla_escalate_due(now=now))
    return counts
