"""django-q2 entry points of the tickets app; each fetches nothing itself and calls a service."""

from tickets.services.alerts import alerts_pass_on
from tickets.services.sweep import sla_sweep as run_sla_sweep


def sla_sweep() -> dict[str, int]:
    """Every 5 minutes: SLA statuses (set-based), then automatic escalations."""
    return run_sla_sweep()


def sla_alerts_pass_on() -> dict[str, int]:
    """Every minute: breach alerts not acknowledged in time go to the next person."""
    return alerts_pass_on()
