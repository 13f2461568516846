"""Real races on PostgreSQL: run calls at the same moment in threads, each on its own connection."""

import threading
from collections.abc import Callable

from django.db import connection


def race(calls: list[Callable[[], object]]) -> list[object]:
    """Run the calls at the same moment in threads; return each result or the exception it raised."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(i: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # collected and asserted on by the test
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results
