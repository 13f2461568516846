"""`make run`: one embedded PostgreSQL (unless DATABASE_URL is set), migrations, demo data, then
the web server and the django-q2 worker cluster together. Ctrl-C stops all of it, the embedded
PostgreSQL included; a later run starts cleanly even after a kill -9 (the server is reused)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from helpdesk import embedded_db

DEMO_ACCOUNTS = [
    ("admin@example.com", "admin (Django admin, everything)"),
    ("lead@example.com", "team lead"),
    ("agent@example.com", "agent (L1)"),
    ("expert@example.com", "field expert"),
    ("customer@example.com", "customer (VIP)"),
    ("customer2@example.com", "customer"),
]


def _die_with_parent() -> None:
    """Children get SIGTERM when this process dies, even by kill -9, so no orphan keeps the port."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def _manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "manage.py", *args], env=env, check=True)


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 15
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()


def main() -> int:
    port = os.environ.get("PORT", "8000")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "helpdesk.settings.dev")}
    owns_database = not env.get("DATABASE_URL")
    if owns_database:
        print("Starting the embedded PostgreSQL (data in var/pgdata)…", flush=True)
        env["DATABASE_URL"] = embedded_db.ensure_running()
    processes: list[subprocess.Popen[bytes]] = []
    stopping = False

    def on_signal(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        print("Applying migrations…", flush=True)
        _manage("migrate", "--noinput", env=env)
        print("Loading demo data…", flush=True)
        _manage("seed_demo", env=env)
        # After the demo histories (they script their own categories and assignments); a few seconds,
        # once: later starts find the active model and skip this.
        print("Checking the ticket classifier (the first start trains the default model)…", flush=True)
        _manage("train_classifier", "--if-missing", "--folds", "0", env=env)
        web = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
        worker = [sys.executable, "manage.py", "qcluster"]
        processes.extend(subprocess.Popen(cmd, env=env, preexec_fn=_die_with_parent) for cmd in (web, worker))
        base = f"http://127.0.0.1:{port}"
        print(
            f"\nHelpdesk is running:\n  self-service  {base}/\n  agent queue   {base}/agent/\n"
            f"  admin         {base}/admin/\n  API docs      {base}/api/docs/\n\n"
            "Demo accounts (password: demo):\n"
            + "\n".join(f"  {email:<24} {what}" for email, what in DEMO_ACCOUNTS)
            + "\n\nCtrl-C stops the web server, the worker and the database.\n",
            flush=True,
        )
        while not stopping and all(p.poll() is None for p in processes):
            time.sleep(0.5)
        failed = [p for p in processes if p.poll() not in (None, 0)]
        return 1 if failed and not stopping else 0
    except subprocess.CalledProcessError as exc:
        print(f"Setup step failed: {exc}", file=sys.stderr)
        return 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        _stop(processes)
        if owns_database:
            print("Stopping the embedded PostgreSQL…", flush=True)
            embedded_db.stop()


if __name__ == "__main__":
    sys.exit(main())
