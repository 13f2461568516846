"""The set-based status sweep: exact boundaries, which clocks run, stickiness, bounded batches,
constant query count, and that the statements can use the partial indexes."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from tests.factories import TicketFactory
from tickets.models import SLAStatus, Ticket, TicketEvent
from tickets.services.sweep import ATTENTION, CLOCKS, MARK_SQL, escalation_candidates, sla_mark_statuses

pytestmark = pytest.mark.django_db
S = Ticket.Status
US = timedelta(microseconds=1)
NOW = timezone.now().replace(microsecond=0)
FR_RISK, FR_DUE = NOW + timedelta(hours=1), NOW + timedelta(hours=2)
RES_RISK, RES_DUE = NOW + timedelta(hours=10), NOW + timedelta(hours=12)


def _ticket(**fields) -> Ticket:
    defaults = {
        "first_response_risk_at": FR_RISK,
        "first_response_due": FR_DUE,
        "resolution_risk_at": RES_RISK,
        "resolution_due": RES_DUE,
    }
    return TicketFactory.create(**{**defaults, **fields})


def _statuses(ticket: Ticket) -> tuple[str, str, bool]:
    ticket.refresh_from_db()
    return ticket.first_response_sla, ticket.resolution_sla, ticket.sla_breached


W, R, B = SLAStatus.WITHIN, SLAStatus.AT_RISK, SLAStatus.BREACHED


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (FR_RISK - US, (W, W, False)),
        (FR_RISK, (R, W, False)),
        (FR_DUE, (R, W, False)),  # due now is not yet late
        (FR_DUE + US, (B, W, True)),
        (RES_RISK, (B, R, True)),
        (RES_DUE + US, (B, B, True)),
    ],
    ids=["before-risk", "at-risk-instant", "at-due-instant", "just-after-due", "resolution-at-risk", "both-late"],
)
def test_statuses_change_exactly_at_the_boundaries(now, expected):
    ticket = _ticket()

    sla_mark_statuses(now=now)

    assert _statuses(ticket) == expected


def test_each_change_writes_one_sla_event():
    ticket = _ticket()

    sla_mark_statuses(now=FR_RISK)
    sla_mark_statuses(now=FR_RISK)  # nothing new the second time
    sla_mark_statuses(now=FR_DUE + US)

    events = list(TicketEvent.objects.filter(ticket=ticket).values_list("kind", "actor", "data"))
    assert events == [
        ("SLA_CHANGED", None, {"clock": "FIRST_RESPONSE", "from": "WITHIN", "to": "AT_RISK"}),
        ("SLA_CHANGED", None, {"clock": "FIRST_RESPONSE", "from": "AT_RISK", "to": "BREACHED"}),
    ]


def test_a_late_sweep_goes_straight_to_breached():
    ticket = _ticket()

    counts = sla_mark_statuses(now=RES_DUE + timedelta(days=1))

    assert _statuses(ticket) == (B, B, True)
    assert counts == {
        "FIRST_RESPONSE:BREACHED": 1,
        "FIRST_RESPONSE:AT_RISK": 0,
        "RESOLUTION:BREACHED": 1,
        "RESOLUTION:AT_RISK": 0,
    }
    assert TicketEvent.objects.filter(ticket=ticket).count() == 2


def test_answered_tickets_stop_the_first_response_clock():
    on_time = _ticket(first_response_at=FR_DUE - timedelta(minutes=5))
    late = _ticket(first_response_at=FR_DUE + timedelta(minutes=5))

    sla_mark_statuses(now=FR_DUE + timedelta(hours=1))

    assert _statuses(on_time) == (W, W, False)
    assert _statuses(late) == (B, W, True)  # answered after the deadline: breached for reporting


def test_waiting_on_customer_pauses_only_the_resolution_clock():
    ticket = _ticket(status=S.WAITING_ON_CUSTOMER, sla_paused_at=NOW)

    sla_mark_statuses(now=RES_DUE + timedelta(hours=1))

    assert _statuses(ticket) == (B, W, True)


@pytest.mark.parametrize("status", [S.RESOLVED, S.CLOSED])
def test_done_tickets_are_left_alone(status):
    done_at = timezone.now() + timedelta(seconds=1)
    ticket = _ticket(status=status, resolved_at=done_at, closed_at=done_at if status == S.CLOSED else None)

    sla_mark_statuses(now=RES_DUE + timedelta(days=1))

    assert _statuses(ticket) == (W, W, False)
    assert TicketEvent.objects.exists() is False


def test_tickets_without_deadlines_or_risk_instants_are_skipped_or_only_breached():
    no_deadlines = _ticket(
        first_response_due=None, resolution_due=None, first_response_risk_at=None, resolution_risk_at=None
    )
    legacy = _ticket(first_response_risk_at=None)  # created before at-risk instants existed

    sla_mark_statuses(now=FR_DUE)
    assert (_statuses(no_deadlines), _statuses(legacy)) == ((W, W, False), (W, W, False))

    sla_mark_statuses(now=FR_DUE + US)
    assert (_statuses(no_deadlines), _statuses(legacy)) == ((W, W, False), (B, W, True))


def test_breached_stays_true_when_the_deadline_moves_later():
    ticket = _ticket()
    sla_mark_statuses(now=FR_DUE + US)
    Ticket.objects.filter(pk=ticket.pk).update(first_response_due=NOW + timedelta(days=3))

    sla_mark_statuses(now=FR_DUE + timedelta(hours=1))

    assert _statuses(ticket) == (B, W, True)


def test_each_run_is_bounded():
    tickets = [_ticket() for _ in range(5)]

    first = sla_mark_statuses(now=FR_RISK, batch=2, max_batches=1)
    second = sla_mark_statuses(now=FR_RISK, batch=2, max_batches=2)

    assert (first["FIRST_RESPONSE:AT_RISK"], second["FIRST_RESPONSE:AT_RISK"]) == (2, 3)
    assert {_statuses(t)[0] for t in tickets} == {R}


@pytest.mark.parametrize("n_tickets", [1, 20])
def test_marking_runs_the_same_statements_for_1_and_n_tickets(django_assert_num_queries, n_tickets):
    for _ in range(n_tickets):
        _ticket()

    # 4 clock×level statements, each in its own transaction (savepoint + statement + release in tests)
    with django_assert_num_queries(12):
        counts = sla_mark_statuses(now=RES_DUE + US)

    assert counts["FIRST_RESPONSE:BREACHED"] == counts["RESOLUTION:BREACHED"] == n_tickets


@pytest.mark.parametrize("n_tickets", [1, 20])
def test_finding_tickets_to_escalate_is_one_query(django_assert_num_queries, n_tickets):
    for _ in range(n_tickets):
        _ticket()
    sla_mark_statuses(now=FR_DUE + US)

    with django_assert_num_queries(1):
        found = escalation_candidates(limit=100)

    assert len(found) == n_tickets
    assert {(kind, level) for _, kind, level in found} == {("FIRST_RESPONSE", "BREACHED")}


@pytest.fixture
def realistic_table():
    """2,000 open tickets with deadlines ahead and fresh statistics, so the planner chooses the way it
    would in production (on a near-empty table any index, or none, looks as good as another)."""
    seed = _ticket(first_response_risk_at=NOW + timedelta(days=1), first_response_due=NOW + timedelta(days=2))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_name = 'tickets_ticket' AND column_name NOT IN ('id', 'number')"
        )
        columns = ", ".join(row[0] for row in cursor.fetchall())
        cursor.execute(
            f"INSERT INTO tickets_ticket ({columns}) SELECT {columns} FROM tickets_ticket, generate_series(1, 2000)"
            " WHERE tickets_ticket.id = %s",
            [seed.pk],
        )
        cursor.execute("ANALYZE tickets_ticket")


def _plan(sql: str, params: dict) -> str:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize("clock", CLOCKS, ids=lambda c: c.kind)
@pytest.mark.parametrize(
    ("level", "index"),
    [
        ("BREACHED", {"FIRST_RESPONSE": "ticket_open_frt_due_idx", "RESOLUTION": "ticket_open_res_due_idx"}),
        ("AT_RISK", {"FIRST_RESPONSE": "ticket_frt_risk_idx", "RESOLUTION": "ticket_res_risk_idx"}),
    ],
)
def test_marking_statements_use_the_partial_indexes(realistic_table, clock, level, index):
    breach = level == "BREACHED"
    sql = MARK_SQL.format(
        ticket="tickets_ticket",
        event="tickets_ticketevent",
        status_col=clock.status_col,
        where=clock.breach_where if breach else clock.risk_where,
        order_col=clock.due_col if breach else clock.risk_col,
    )
    params = {"now": NOW, "batch": 10, "new": level, "breach": breach, "clock": clock.kind, "event_kind": "SLA_CHANGED"}

    assert index[clock.kind] in _plan(sql, params)


def test_escalation_scan_uses_the_attention_index(realistic_table):
    sql, params = Ticket.objects.filter(ATTENTION).values("pk").query.sql_with_params()

    assert "ticket_open_sla_attention_idx" in _plan(sql, params)
