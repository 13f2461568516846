"""django-q2 entry points of the knowledge base (interfaces: parse arguments, call a service)."""

from datetime import datetime

from django.utils import timezone

from kb.services import articles_archive_stale


def kb_archive_stale_articles(intended_for: str | None = None) -> int:
    """Daily: archive for review what readers rate not helpful or nobody reads. The cut-off comes
    from the scheduled slot, so a retry or a second cluster judges the same moment."""
    slot = datetime.fromisoformat(intended_for) if intended_for else timezone.now()
    if timezone.is_naive(slot):
        slot = timezone.make_aware(slot, timezone.get_current_timezone())
    return articles_archive_stale(now=slot)
