"""House rules that a reviewer would otherwise have to remember (STYLE.md rule 7 and 9)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ["accounts", "catalog", "tickets", "experts", "visits", "billing", "kb", "notifications", "triage", "helpdesk"]


def _app_sources():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts or "management" in path.parts:
                continue
            yield path


def test_status_fields_are_written_only_by_services():
    offenders = []
    for path in _app_sources():
        if "services" in path.parts or path.stem == "services":
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"\.status\s*=(?!=)", line) or re.search(r"\.update\([^)]*\bstatus\s*=", line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")

    assert offenders == []


def test_requests_are_not_wrapped_in_one_transaction():
    settings = (ROOT / "helpdesk" / "settings" / "base.py").read_text()

    assert '["ATOMIC_REQUESTS"] = False' in settings
