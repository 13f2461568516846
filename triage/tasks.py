"""django-q2 entry points of the triage app (thin: derive the slot, call the service)."""

import logging
from datetime import datetime

from django.utils import timezone

from triage.services import classifier_retrain_for_slot

logger = logging.getLogger(__name__)


def classifier_retrain_weekly(intended_for: str | None = None) -> str:
    """Weekly retrain. The slot comes from the schedule (not from now()), so a retry or a second
    cluster targets the same week and finds it done."""
    moment = datetime.fromisoformat(intended_for) if intended_for else timezone.now()
    slot = timezone.localdate(moment)
    result = classifier_retrain_for_slot(slot=slot, progress=logger.info)
    if result is None:
        return f"retrain for {slot} already done or running"
    states = [
        f"{kind.lower()}: v{t.model.version} {'activated' if t.model.is_active else 'kept current'}"
        for kind, t in result.targets.items()
        if t.model
    ]
    return f"retrain for {slot}: " + ", ".join(states)
