"""Ticket intake through the real HTTP stack, and the web worker's memory with the models loaded:

    python -m bench.intake_http [--tickets 4000] [--clients 16] [--workers 2]

Builds its own database (`bench_intake` on the configured server; created and dropped here), with
the default models trained on the shipped corpus (into a temporary MODEL_DIR), 8 categories in
3 teams, 12 agents with skills, the demo's routing rules, the shipped priority rules and SLA
policies, and 50 published KB articles. Then gunicorn (2 sync workers, 127.0.0.1, production
settings, DEBUG off) serves `POST /api/v1/tickets/` to 16 client threads with token auth, each
filing tickets back to back (English and German texts from the shipped home-service examples).
Every ticket runs the whole intake: classification, priority rules + severity model, SLA
deadlines, routing rules, agent scoring and assignment, the KB acknowledgement message.

Reported: tickets/s, latency p50/p95/p99, the workers' resident memory (VmRSS) after the run,
and consistency checks in SQL (no agent past max_tickets; counters equal open tickets).
Targets (issue 3): ≥ 200 tickets/s, p95 ≤ 80 ms, worker RSS ≤ 250 MB."""

import argparse
import csv
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

from bench import _env

BENCH_DB = "bench_intake"
TARGET_RATE = 200.0
TARGET_P95_MS = 80.0
TARGET_RSS_MB = 250.0
TEAMS = {
    "Front line": ["billing", "account", "scheduling", "general"],
    "Appliance specialists": ["appliance-repair"],
    "Field coordination": ["plumbing", "electrical", "heating"],
}
NAMES = {
    "plumbing": "Plumbing",
    "electrical": "Electrical",
    "appliance-repair": "Appliance repair",
    "heating": "Heating",
    "billing": "Billing",
    "account": "Account",
    "scheduling": "Scheduling",
    "general": "General",
}


def _texts() -> list[tuple[str, str]]:
    path = _env.ROOT / "data" / "training" / "home_services" / "tickets.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [row["text"] for row in csv.DictReader(handle)]
    pairs = []
    for text in rows:
        subject, _, body = text.partition(". ") if ". " in text[:80] else (text[:60], "", text)
        pairs.append((subject.strip()[:200] or "Help", (body or text).strip()))
    return pairs


def seed(n_customers: int, max_tickets: int, rng: random.Random) -> list[str]:
    """The helpdesk the tickets arrive at; returns one API token per customer."""
    from rest_framework.authtoken.models import Token

    from accounts.models import CustomerProfile, Role, User
    from kb.models import Article
    from kb.services import article_save_version
    from tickets.models import AgentProfile, AgentSkill, Category, RoutingRule, Tag, Team, Tier

    teams = {name: Team.objects.create(name=name) for name in TEAMS}
    categories = {}
    for team_name, slugs in TEAMS.items():
        for slug in slugs:
            categories[slug] = Category.objects.create(slug=slug, name=NAMES[slug], default_team=teams[team_name])
    for i in range(12):
        team_name = list(TEAMS)[i % 3]
        user = User.objects.create_user(f"agent{i}@bench.test", "pw", role=Role.AGENT, full_name=f"Agent {i}")
        agent = AgentProfile.objects.create(user=user, team=teams[team_name], tier=1 + i % 2, max_tickets=max_tickets)
        for slug in TEAMS[team_name]:
            AgentSkill.objects.create(agent=agent, category=categories[slug], level=rng.randint(1, 5))
    emergency = RoutingRule.objects.create(
        name="Emergencies", position=10, team=teams["Field coordination"], tier=Tier.L2,
        keywords=["gas", "flood", "sparks", "burning smell", "burst pipe"],
    )  # fmt: skip
    emergency.add_tags.set([Tag.objects.create(name="water-damage-risk")])
    RoutingRule.objects.create(name="VIP to L2", position=20, tier=Tier.L2, vip=True)
    RoutingRule.objects.create(
        name="Appliances", position=30, team=teams["Appliance specialists"], category=categories["appliance-repair"]
    )
    for i, (subject, body) in enumerate(_texts()[:50]):
        article_save_version(
            article=Article(title=f"{subject} ({i})", body_markdown=body, status=Article.Status.PUBLISHED), actor=None
        )
    tokens = []
    for i in range(n_customers):
        user = User.objects.create_user(f"customer{i}@bench.test", "pw", role=Role.CUSTOMER, full_name=f"C {i}")
        user.language = "de" if i % 3 == 0 else "en"
        user.save(update_fields=["language"])
        CustomerProfile.objects.create(user=user, is_vip=i % 10 == 0, city="Berlin", postal_code="10115")
        tokens.append(Token.objects.create(user=user).key)
    return tokens


def train(model_dir: Path) -> None:
    from django.conf import settings

    from triage.services import classifier_train

    settings.MODEL_DIR = model_dir
    classifier_train(csv_paths=list(settings.CLASSIFIER_TRAINING_FILES), folds=0, progress=lambda s: print(f"  {s}"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_gunicorn(port: int, workers: int, model_dir: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": _env.database_url(BENCH_DB),
        "DJANGO_SETTINGS_MODULE": "helpdesk.settings.prod",
        "SECRET_KEY": "bench-only-secret",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
        "MODEL_DIR": str(model_dir),
        "CONN_MAX_AGE": "600",  # keep each worker on one connection, so its backend's CPU can be measured
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    process = subprocess.Popen(
        [str(gunicorn), "helpdesk.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=_env.ROOT,
        env=env,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/accounts/login/")
            if conn.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError("gunicorn did not come up")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


class Client(threading.Thread):
    """One API client filing tickets back to back on a keep-alive connection."""

    def __init__(self, port: int, token: str, texts: list[tuple[str, str]], n: int, start: threading.Barrier) -> None:
        super().__init__(daemon=True)
        self.port, self.token, self.texts, self.n, self.start_line = port, token, texts, n, start
        self.timings: list[float] = []
        self.statuses: dict[int, int] = {}
        self.errors: list[str] = []

    def post(self, conn: http.client.HTTPConnection, subject: str, body: str) -> int:
        payload = json.dumps({"subject": subject, "description": body})
        headers = {"Authorization": f"Token {self.token}", "Content-Type": "application/json"}
        conn.request("POST", "/api/v1/tickets/", body=payload, headers=headers)
        response = conn.getresponse()
        response.read()
        if response.getheader("Connection", "").lower() == "close":
            conn.close()
        return response.status

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        self.start_line.wait()
        for i in range(self.n):
            subject, body = self.texts[(hash(self.token) + i) % len(self.texts)]
            started = time.perf_counter()
            try:
                status = self.post(conn, subject, body)
            except (OSError, http.client.HTTPException) as exc:
                self.errors.append(repr(exc))
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                continue
            self.timings.append((time.perf_counter() - started) * 1000)
            self.statuses[status] = self.statuses.get(status, 0) + 1


def run_load(port: int, tokens: list[str], per_client: int, texts: list[tuple[str, str]]) -> tuple[float, list[Client]]:
    barrier = threading.Barrier(len(tokens) + 1)
    clients = [Client(port, token, texts, per_client, barrier) for token in tokens]
    for client in clients:
        client.start()
    barrier.wait()
    started = time.perf_counter()
    total = per_client * len(clients)
    while any(c.is_alive() for c in clients):
        time.sleep(1)
        _env.progress("tickets", sum(len(c.timings) + len(c.errors) for c in clients), total, started)
    wall = time.perf_counter() - started
    _env.progress("tickets", total, total, started)
    return wall, clients


def backend_pids(database: str) -> list[int]:
    """The PostgreSQL server processes connected to the bench database (the workers' connections)."""
    import psycopg

    with psycopg.connect(_env.database_url("postgres"), autocommit=True) as conn:
        rows = conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [database]).fetchall()
    return [row[0] for row in rows]


def checks() -> dict[str, int]:
    from django.db import connection

    queries = {
        "agents past max_tickets": "SELECT count(*) FROM tickets_agentprofile WHERE current_ticket_count > max_tickets",
        "agents whose counter differs from their open tickets": """
            SELECT count(*) FROM tickets_agentprofile a WHERE a.current_ticket_count <> (
              SELECT count(*) FROM tickets_ticket t WHERE t.assigned_agent_id = a.id
                AND t.status IN ('OPEN', 'IN_PROGRESS', 'WAITING_ON_CUSTOMER'))""",
    }
    with connection.cursor() as cursor:
        found = {}
        for label, sql in queries.items():
            cursor.execute(sql)
            found[label] = cursor.fetchone()[0]
    return found


def outcomes() -> dict[str, int]:
    from tickets.models import Ticket

    tickets = Ticket.objects.all()
    return {
        "tickets": tickets.count(),
        "classified": tickets.filter(category__isnull=False).count(),
        "assigned": tickets.filter(assigned_agent__isnull=False).count(),
        "raised by a rule": tickets.filter(priority_source="RULE").count(),
        "raised by the model": tickets.filter(priority_source="MODEL").count(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=4000, help="measured tickets in total")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--max-tickets", type=int, default=100_000, help="agent capacity (high: every ticket is assigned)"
    )
    parser.add_argument("--no-record", action="store_true", help="print only; do not append to docs/benchmarks.md")
    args = parser.parse_args()

    _env.setup_django()
    from django.db import connection
    from django.test.utils import setup_test_environment

    rng = random.Random(20261123)
    connection.settings_dict["TEST"]["NAME"] = BENCH_DB
    print(f"Intake benchmark: {args.tickets} tickets, {args.clients} clients, database “{BENCH_DB}”", flush=True)
    setup_test_environment()
    print("  creating and migrating the database…", flush=True)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False, serialize=False)
    model_dir = Path(tempfile.mkdtemp(prefix="bench-models-"))
    process = None
    try:
        print("  training the default models on the shipped corpus…", flush=True)
        train(model_dir)
        tokens = seed(args.clients, args.max_tickets, rng)
        texts = _texts()
        rng.shuffle(texts)
        connection.close()  # gunicorn uses its own connections
        port = _free_port()
        print(f"  starting gunicorn ({args.workers} sync workers) on 127.0.0.1:{port}…", flush=True)
        process = start_gunicorn(port, args.workers, model_dir)
        print("  warming up (each worker loads the models once)…", flush=True)
        run_load(port, tokens[:4], 10, texts)
        rss_idle = {pid: _env.rss_mb(pid) for pid in _env.children(process.pid)}
        workers = _env.children(process.pid)
        backends = backend_pids(BENCH_DB)
        cpu_before = [sum(_env.cpu_seconds(p) for p in group) for group in (workers, backends)]
        wall, clients = run_load(port, tokens, args.tickets // args.clients, texts)
        backends_after = backend_pids(BENCH_DB)
        cpu_after = [sum(_env.cpu_seconds(p) for p in group) for group in (workers, backends_after)]
        new_backends = set(backends_after) - set(backends)  # connections opened during the run
        rss = {pid: _env.rss_mb(pid) for pid in _env.children(process.pid)}
        stop(process)
        process = None
        found, results = checks(), outcomes()
        machine, versions = _env.machine(), _env.versions()
    finally:
        if process is not None:
            stop(process)
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)
        for path in model_dir.iterdir():
            path.unlink()
        model_dir.rmdir()
        print(f"  dropped “{BENCH_DB}” and the temporary models", flush=True)

    timings = [t for c in clients for t in c.timings]
    statuses: dict[int, int] = {}
    for c in clients:
        for code, n in c.statuses.items():
            statuses[code] = statuses.get(code, 0) + n
    errors = [e for c in clients for e in c.errors]
    created = statuses.get(201, 0)
    rate = created / wall
    web_ms, db_ms = (
        (after - before) * 1000 / max(created, 1) for before, after in zip(cpu_before, cpu_after, strict=True)
    )
    capacity = 1000 * (os.cpu_count() or 1) / (web_ms + db_ms) if web_ms + db_ms else 0.0
    p = _env.percentiles(timings)
    worst_rss = max((v for v in rss.values() if v is not None), default=0.0)
    violations = sum(found.values())
    lines = [
        f"### Intake through HTTP ({args.clients} clients, gunicorn {args.workers} workers) — "
        f"{datetime.now():%Y-%m-%d %H:%M}",
        "",
        f"Machine: {machine}.  ",
        f"Versions: {versions}.  ",
        f"Setup: `POST /api/v1/tickets/` with token auth, production settings (DEBUG off), gunicorn sync workers "
        f"on 127.0.0.1, PostgreSQL and the {args.clients} client threads on the same machine; each ticket is "
        "classified (category + severity model), prioritised (rules), SLA-timed, routed (rules, agent score, "
        f"capacity claim) and acknowledged with KB suggestions; 12 agents, 8 categories, 50 KB articles.",
        "",
        "| what | value | target |",
        "|---|---:|---|",
        f"| tickets created | {created} in {wall:.1f} s | |",
        f"| throughput | {rate:.0f} tickets/s | ≥ {TARGET_RATE:.0f}: {'met' if rate >= TARGET_RATE else 'NOT met'} |",
        f"| latency p50 | {p['p50']:.1f} ms | |",
        f"| latency p95 | {p['p95']:.1f} ms | ≤ {TARGET_P95_MS:.0f}: "
        f"{'met' if p['p95'] <= TARGET_P95_MS else 'NOT met'} |",
        f"| latency p99 / max | {p['p99']:.1f} / {p['max']:.1f} ms | |",
        f"| CPU per ticket: web workers / PostgreSQL | {web_ms:.1f} / {db_ms:.1f} ms | |",
        f"| ceiling if the {os.cpu_count()} CPUs did nothing else | {capacity:.0f} tickets/s | |",
        f"| web worker RSS after warm-up (models loaded) | "
        f"{', '.join(f'{v:.0f}' for v in rss_idle.values() if v)} MB | |",
        f"| web worker RSS after the run | {', '.join(f'{v:.0f}' for v in rss.values() if v)} MB | "
        f"≤ {TARGET_RSS_MB:.0f}: {'met' if worst_rss <= TARGET_RSS_MB else 'NOT met'} |",
        "",
        f"Answers {dict(sorted(statuses.items()))}; client errors {len(errors)}"
        f"{f' e.g. {errors[:2]}' if errors else ''}. "
        f"Outcome: {results}. Consistency (SQL): {found} ({'ok' if violations == 0 else 'VIOLATED'}). "
        f"CPU is measured from /proc for the gunicorn workers and the PostgreSQL backends serving them"
        f"{f' ({len(new_backends)} connections opened during the run are not counted)' if new_backends else ''}; "
        "the rest of the machine (the client threads, other processes) is what the load average shows.",
        "",
    ]
    _env.record("\n".join(lines), enabled=not args.no_record)
    return 1 if violations or errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
