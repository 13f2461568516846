"""Helpers shared by the triage benchmarks (intake_http, classifier_f1): Django setup, progress
lines, percentiles, the machine and versions line, and appending a table to docs/benchmarks.md."""

import os
import platform
import statistics
import sys
import time
import warnings
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def setup_django() -> None:
    warnings.filterwarnings("ignore", message="No directory at")
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings.test")  # DEBUG off, no dev extras
    import django

    django.setup()


def progress(label: str, done: int, total: int, started: float) -> None:
    tty = sys.stdout.isatty()
    line = f"  {label}: {done:>5}/{total} ({time.perf_counter() - started:5.1f} s)"
    print(f"\r{line}" if tty else line, end="" if tty and done < total else "\n", flush=True)


def percentiles(timings: list[float]) -> dict[str, float]:
    if not timings:
        return {"p50": 0.0, "p95": 0.0, "p99": 0.0, "max": 0.0}
    if len(timings) < 2:
        return dict.fromkeys(("p50", "p95", "p99", "max"), timings[0])
    cuts = statistics.quantiles(timings, n=100, method="inclusive")
    return {"p50": statistics.median(timings), "p95": cuts[94], "p99": cuts[98], "max": max(timings)}


def database_url(name: str) -> str:
    """The configured server's URL with another database name (for servers started by a bench)."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        from helpdesk import embedded_db

        url = embedded_db.ensure_running()
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def machine() -> str:
    cpu = platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = f"{int(Path('/proc/meminfo').read_text().split()[1]) / 1024 / 1024:.1f} GB RAM"
    except (OSError, ValueError, IndexError):
        memory = "RAM unknown"
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{cpu}, {os.cpu_count()} CPUs, {memory}, {platform.system()} {platform.release()}; load average {load}"


def versions(*, database: bool = True) -> str:
    import django
    import joblib
    import numpy
    import sklearn

    parts = [f"Python {platform.python_version()}", f"Django {django.get_version()}"]
    if database:
        import psycopg
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            parts += [f"PostgreSQL {cursor.fetchone()[0]}", f"psycopg {psycopg.__version__}"]
    parts += [f"scikit-learn {sklearn.__version__}", f"numpy {numpy.__version__}", f"joblib {joblib.__version__}"]
    try:
        import gunicorn

        parts.append(f"gunicorn {gunicorn.__version__}")
    except ImportError:
        pass
    return ", ".join(parts)


def record(table: str, *, enabled: bool = True) -> None:
    print("\n" + table)
    if enabled:
        with (ROOT / "docs" / "benchmarks.md").open("a", encoding="utf-8") as out:
            out.write("\n" + table)
        print("Appended to docs/benchmarks.md")


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (0.0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
