"""Live queue dashboard and SLA sweep benchmark.

Builds its own database `bench_sla` on the configured server (migrated like a test database,
dropped at the end), fills it with COPY (1,000,000 tickets, 10 % open by default), and measures
through the Django test client (DEBUG off): the queue's first page and its refresh partial —
p50/p95 server time and SQL queries per request — at 1,000 tickets and at the full size; then the
SLA sweep over the open tickets (first run, and a steady-state run once everything is marked).

    python -m bench.sla_dashboard [--tickets 1000000] [--requests 50] [--no-record]
"""

import argparse
import random
import sys
import time
from datetime import UTC, datetime, timedelta

from bench import _env

BENCH_DB = "bench_sla"
SMALL = 1_000
OPEN_SHARE = 0.10
TARGET_P95_MS = 50.0
TARGET_QUERIES = 10
TARGET_SWEEP_S = 2.0
COLUMNS = [
    "customer_id",
    "subject",
    "description",
    "language",
    "appliance_model_text",
    "category_source",
    "priority",
    "priority_source",
    "priority_reason",
    "status",
    "team_id",
    "tier",
    "assigned_agent_id",
    "routing_reason",
    "flags",
    "created_at",
    "updated_at",
    "first_response_at",
    "resolved_at",
    "closed_at",
    "first_response_due",
    "resolution_due",
    "first_response_sla",
    "resolution_sla",
    "sla_breached",
    "first_response_risk_at",
    "resolution_risk_at",
]
PRIORITIES = ["LOW", "MEDIUM", "MEDIUM", "HIGH", "URGENT"]


def seed_people(n_agents: int, n_customers: int) -> tuple[int, list[int], list[int]]:
    """A team with a lead and agents of all tiers, customers (the migrations seed the SLA policies)."""
    from accounts.models import Role, User
    from tickets.models import AgentProfile, Team

    lead = User.objects.create_user("lead@bench.test", "pw", role=Role.LEAD, full_name="Lea Lead")
    team = Team.objects.create(name="Bench support", lead=lead)
    agents = []
    for i in range(n_agents):
        user = User.objects.create_user(f"agent{i}@bench.test", "pw", role=Role.AGENT, full_name=f"Agent {i:02d}")
        agents.append(AgentProfile.objects.create(user=user, team=team, tier=1 + i % 3, max_tickets=5_000).pk)
    customers = User.objects.bulk_create(
        User(email=f"c{i}@bench.test", password="!", role=Role.CUSTOMER, full_name=f"Customer {i}")
        for i in range(n_customers)
    )
    return team.pk, agents, [c.pk for c in customers]


def ticket_rows(n: int, *, team: int, agents: list[int], customers: list[int], rng: random.Random, now: datetime):
    """n tickets: every 10th open (created in the last two days, ~0.5 % past their at-risk instant
    or deadline, so the first sweep has work), the rest closed over the last two years."""
    stride = round(1 / OPEN_SHARE)
    for i in range(n):
        priority = rng.choice(PRIORITIES)
        customer = rng.choice(customers)
        agent = rng.choice(agents) if rng.random() < 0.85 else None
        if i % stride == 0:
            late = rng.random() < 0.005
            answered = rng.random() < 0.6
            created = now - timedelta(minutes=rng.uniform(0, 2880 if answered else 200))
            window = timedelta(hours=4)
            fr_due = created + window
            fr_at = created + timedelta(minutes=rng.uniform(5, 120)) if answered else None
            if answered and fr_at > now:
                fr_at = now
            res_due = created + timedelta(days=5)
            if late:  # past the at-risk instant, some past the deadline
                created = now - timedelta(hours=rng.uniform(3.3, 5))
                fr_due, res_due, fr_at = created + window, created + timedelta(hours=4), None
            status = rng.choice(["OPEN", "IN_PROGRESS", "IN_PROGRESS", "WAITING_ON_CUSTOMER"])
            resolved = closed = None
        else:
            created = now - timedelta(days=rng.uniform(3, 730))
            fr_due, res_due = created + timedelta(hours=4), created + timedelta(days=5)
            fr_at = created + timedelta(minutes=rng.uniform(5, 200))
            resolved = closed = created + timedelta(days=rng.uniform(0.2, 6))
            status = "CLOSED"
        yield (
            customer, f"Bench ticket {i}", "Generated for the SLA dashboard benchmark.", "en", "", "NONE",
            priority, "DEFAULT", "", status, team, 1, agent, "{}", "{}", created, created, fr_at, resolved, closed,
            fr_due, res_due, "WITHIN", "WITHIN", False,
            created + (fr_due - created) * 0.8, created + (res_due - created) * 0.8,
        )  # fmt: skip


def copy_tickets(n: int, start: int, **kwargs) -> None:
    from django.db import connection

    started = time.perf_counter()
    step = max(n // 10, 1)
    connection.ensure_connection()
    sql = f"COPY tickets_ticket ({', '.join(COLUMNS)}) FROM STDIN"
    with connection.connection.cursor() as raw, raw.copy(sql) as copy:
        for done, row in enumerate(ticket_rows(n, **kwargs), 1):
            copy.write_row(row)
            if done % step == 0 or done == n:
                _env.progress(f"COPY tickets {start + 1:,}–{start + n:,}", done, n, started)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE tickets_agentprofile a SET current_ticket_count = (SELECT count(*) FROM tickets_ticket t"
            " WHERE t.assigned_agent_id = a.id AND t.status IN ('OPEN', 'IN_PROGRESS', 'WAITING_ON_CUSTOMER'))"
        )
        cursor.execute("VACUUM ANALYZE tickets_ticket")


def measure(client, url: str, params: dict, requests: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        assert client.get(url, params).status_code == 200
    timings, queries = [], set()
    for _ in range(requests):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url, params)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        queries.add(len(ctx.captured_queries))
    return {**_env.percentiles(timings), "queries": "/".join(str(q) for q in sorted(queries))}


def measure_dashboard(size: int, requests: int) -> list[tuple]:
    from django.test import Client
    from django.urls import reverse

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email="agent0@bench.test"))
    rows = []
    for label, url, params in [
        ("first page", reverse("agent:queue"), {}),
        ("refresh partial", reverse("agent:queue-rows"), {}),
        ("refresh, filtered (HIGH, red)", reverse("agent:queue-rows"), {"priority": "HIGH", "sla": "red"}),
    ]:
        result = measure(client, url, params, requests)
        print(
            f"  {size:>9,} tickets · {label}: p50 {result['p50']:.1f} ms, p95 {result['p95']:.1f} ms,"
            f" {result['queries']} queries",
            flush=True,
        )
        rows.append((size, label, result))
    return rows


def measure_sweep() -> list[tuple[str, float, dict]]:
    from django_q.conf import Conf

    from tickets.services.sweep import sla_sweep

    # As in production, the notifications an escalation queues are delivered by the cluster
    # afterwards, not inside the sweep (the test settings would run them synchronously).
    Conf.SYNC = False
    runs = []
    started = time.perf_counter()
    counts = sla_sweep()
    runs.append(("first run", time.perf_counter() - started, counts))
    for _ in range(20):  # drain the escalations (bounded per run), then time a quiet run
        if not counts.get("escalated"):
            break
        counts = sla_sweep()
    started = time.perf_counter()
    counts = sla_sweep()
    runs.append(("steady state", time.perf_counter() - started, counts))
    for label, seconds, found in runs:
        print(f"  sweep {label}: {seconds * 1000:.0f} ms {found}", flush=True)
    return runs


def table(
    args, dashboard: list[tuple], sweep: list[tuple], n_open: int, build_s: float, machine: str, versions: str
) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M")
    lines = [
        f"### Live queue dashboard and SLA sweep — {when}",
        "",
        f"Machine: {machine}.  ",
        f"Versions: {versions}.  ",
        f"Data: {args.tickets:,} tickets ({n_open:,} open), 20 agents, built with COPY in {build_s:.0f} s; "
        f"{args.requests} requests per row through the Django test client (DEBUG off), signed in as an agent.",
        "",
        "| tickets | request | p50 ms | p95 ms | queries |",
        "|---:|---|---:|---:|---:|",
    ]
    for size, label, r in dashboard:
        lines.append(f"| {size:,} | {label} | {r['p50']:.1f} | {r['p95']:.1f} | {r['queries']} |")
    lines += ["", "| SLA sweep over the open tickets | ms | marked / escalated |", "|---|---:|---|"]
    for label, seconds, counts in sweep:
        marked = sum(v for k, v in counts.items() if ":" in k)
        lines.append(f"| {label} | {seconds * 1000:.0f} | {marked} / {counts.get('escalated', 0)} |")
    worst = max(r["p95"] for _s, _l, r in dashboard)
    counts_same = all(
        {r["queries"] for s, lbl, r in dashboard if lbl == label}
        == {next(r["queries"] for _s, lb, r in dashboard if lb == label)}
        for _s, label, _r in dashboard
    )
    most = max(max(int(q) for q in r["queries"].split("/")) for _s, _l, r in dashboard)
    slowest = max(seconds for _l, seconds, _c in sweep)
    lines += [
        "",
        f"Targets: p95 ≤ {TARGET_P95_MS:.0f} ms {'met' if worst <= TARGET_P95_MS else 'NOT met'}"
        f" (worst {worst:.1f} ms); "
        f"≤ {TARGET_QUERIES} queries {'met' if most <= TARGET_QUERIES else 'NOT met'} (most {most}), "
        f"the same count at both sizes: {'yes' if counts_same else 'NO'}; "
        f"sweep ≤ {TARGET_SWEEP_S:.0f} s {'met' if slowest <= TARGET_SWEEP_S else 'NOT met'}"
        f" (slowest {slowest:.2f} s).",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=1_000_000, help="total tickets (10 %% open)")
    parser.add_argument("--requests", type=int, default=50, help="timed requests per page and size")
    parser.add_argument("--keep", action="store_true", help="keep the database (to look at query plans)")
    parser.add_argument("--no-record", action="store_true", help="print only; do not append to docs/benchmarks.md")
    args = parser.parse_args()

    _env.setup_django()
    from django.conf import settings
    from django.db import connection

    # No setup_test_environment(): its template instrumentation (context capture) would be
    # measured too. The test settings already send mail to memory.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    rng = random.Random(20261123)
    connection.settings_dict["TEST"]["NAME"] = BENCH_DB
    print(f"SLA dashboard benchmark: {args.tickets:,} tickets, database “{BENCH_DB}”", flush=True)
    print("  creating and migrating the database…", flush=True)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False, serialize=False)
    try:
        team, agents, customers = seed_people(20, 2_000)
        now = datetime.now(UTC)
        common = {"team": team, "agents": agents, "customers": customers, "rng": rng, "now": now}
        small = min(SMALL, args.tickets)
        started = time.perf_counter()
        copy_tickets(small, 0, **common)
        dashboard = measure_dashboard(small, args.requests)
        if args.tickets > small:
            copy_tickets(args.tickets - small, small, **common)
        build_s = time.perf_counter() - started
        dashboard += measure_dashboard(args.tickets, args.requests)
        from tickets.models import OPEN_STATUSES, Ticket

        n_open = Ticket.objects.filter(status__in=OPEN_STATUSES).count()
        sweep = measure_sweep()
        machine, versions = _env.machine(), _env.versions()
    finally:
        connection.close()
        if not args.keep:
            connection.creation.destroy_test_db(old_name, verbosity=0)
            print(f"  dropped “{BENCH_DB}”", flush=True)
    _env.record(table(args, dashboard, sweep, n_open, build_s, machine, versions), enabled=not args.no_record)
    return 0


if __name__ == "__main__":
    sys.exit(main())
