"""Marketplace settings with their defaults. Each can be set in Django settings (or the
environment variable of the same name); read at call time, so tests can override them."""

import json
import os
from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # Proposed start times lie on this grid (minutes past midnight, local time).
    "VISIT_GRID_MINUTES": 30,
    # How long a group may look for experts before it goes to the helpdesk, by ticket priority.
    "VISIT_MATCH_DEADLINE_HOURS": {"URGENT": 4, "HIGH": 12, "MEDIUM": 24, "LOW": 48},
    # "Can't arrive": a replacement is searched only when the visit starts at least this far ahead.
    "VISIT_REPLACEMENT_LEAD_MINUTES": 120,
    # Runner-up proposers get the seat offer first; other free experts after this head start.
    "VISIT_RUNNER_UP_HEAD_START_MINUTES": 15,
    # Send reschedule offers without an agent when a group times out and alternatives exist.
    "VISIT_AUTO_RESCHEDULE_OFFERS": False,
    # Payout per hour by skill slug; skills not listed pay the expert's own hourly rate.
    "VISIT_PAYOUT_HOURLY_CENTS_BY_SKILL": {},
    # The job board shows this many leading digits of the customer's postal code.
    "VISIT_AREA_PREFIX_LENGTH": 3,
    # Windows and proposals may lie at most this far ahead.
    "VISIT_MAX_HORIZON_DAYS": 90,
}


def _from_env(name: str, default: Any) -> Any:
    raw = os.environ.get(name)
    if raw is None:
        return default
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    return json.loads(raw)  # dicts: JSON, e.g. VISIT_MATCH_DEADLINE_HOURS='{"URGENT": 2, ...}'


def get(name: str) -> Any:
    if hasattr(settings, name):
        return getattr(settings, name)
    return _from_env(name, DEFAULTS[name])


def grid_minutes() -> int:
    return int(get("VISIT_GRID_MINUTES"))


def match_deadline_hours(priority: str) -> int:
    table: dict[str, int] = {**DEFAULTS["VISIT_MATCH_DEADLINE_HOURS"], **get("VISIT_MATCH_DEADLINE_HOURS")}
    return int(table.get(priority, table["MEDIUM"]))
