"""The outbox: write a notification in the caller's transaction (`notification_enqueue`), deliver
it after commit and retry with exponential backoff until it is sent or gives up.

Delivery is at least once: a row is *claimed* with a conditional UPDATE before sending and marked
SENT right after; a worker that dies in between leaves a claim that the reaper releases, so the
row is sent again (duplicates of one event are already impossible: the idempotency key is unique)."""

import logging
import os
import socket
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_q.tasks import async_task

from accounts.models import User
from notifications.channels import SENDERS, DeliveryError, webhook_url_error
from notifications.models import Notification

log = logging.getLogger(__name__)
Channel, Status = Notification.Channel, Notification.Status
DELIVER_TASK = "notifications.tasks.notification_deliver"
DELIVER_KEYS_TASK = "notifications.tasks.notifications_deliver_keys"


def _worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"[:120]


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff after the `attempts`-th failed attempt: base, 2×base, 4×base… capped."""
    seconds = settings.NOTIFICATION_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.NOTIFICATION_RETRY_MAX_SECONDS))


@dataclass(frozen=True)
class Draft:
    """One notification to write: `key` makes it unique (the same cause never notifies twice)."""

    key: str
    channel: str
    subject: str
    body: str = ""
    recipient: User | None = None
    webhook_url: str = ""
    link: str = ""
    attachments: tuple[tuple[str, str, str], ...] = ()  # (filename, text content, mimetype), email only


def _row(draft: Draft, now: datetime) -> Notification | None:
    """The outbox row for a draft, or None (logged) when its destination cannot work."""
    if draft.channel == Channel.CHAT:
        problem = webhook_url_error(draft.webhook_url) if draft.webhook_url else "no webhook URL"
        if problem:
            log.warning("Chat notification %s skipped: %s", draft.key, problem)
            return None
    elif draft.recipient is None:
        log.warning("Notification %s skipped: no recipient", draft.key)
        return None
    in_app = draft.channel == Channel.IN_APP
    return Notification(
        idempotency_key=draft.key[:200],
        channel=draft.channel,
        recipient=draft.recipient if draft.channel != Channel.CHAT else None,
        webhook_url=draft.webhook_url if draft.channel == Channel.CHAT else "",
        subject=draft.subject[:200],
        body=draft.body,
        link=draft.link[:500],
        attachments=[
            {"filename": name, "content": content, "mimetype": mimetype}
            for name, content, mimetype in draft.attachments
            if draft.channel == Channel.EMAIL
        ],
        status=Status.SENT if in_app else Status.PENDING,
        sent_at=now if in_app else None,
        next_attempt_at=now,
    )


def _deliver_after_commit(keys: list[str]) -> None:
    # robust: a broker hiccup must not turn a committed change into an error; the periodic task
    # delivers whatever this misses.
    if keys:
        transaction.on_commit(partial(async_task, DELIVER_KEYS_TASK, keys), robust=True)


def notifications_enqueue(drafts: Iterable[Draft]) -> int:
    """Write several notifications in the current transaction with one INSERT … ON CONFLICT DO
    NOTHING (a key that exists already is skipped), and deliver them in one task after commit.
    In-app notifications are visible at once. A destination that cannot work (no recipient, a
    non-http(s) webhook) is logged and skipped: a notification never blocks the change causing it."""
    now = timezone.now()
    rows = [row for row in (_row(d, now) for d in drafts) if row is not None]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    _deliver_after_commit([r.idempotency_key for r in rows if r.channel != Channel.IN_APP])
    return len(rows)


def notification_enqueue(
    *,
    key: str,
    channel: str,
    subject: str,
    body: str = "",
    recipient: User | None = None,
    webhook_url: str = "",
    link: str = "",
) -> Notification | None:
    """Write one notification in the current transaction and return it (the existing row when
    `key` was used before); delivery starts after commit. See `notifications_enqueue`."""
    draft = Draft(
        key=key, channel=channel, subject=subject, body=body, recipient=recipient, webhook_url=webhook_url, link=link
    )
    row = _row(draft, timezone.now())
    if row is None:
        return None
    defaults = {
        f: getattr(row, f)
        for f in (
            "channel",
            "recipient",
            "webhook_url",
            "subject",
            "body",
            "link",
            "attachments",
            "status",
            "sent_at",
            "next_attempt_at",
        )
    }
    notification, created = Notification.objects.get_or_create(idempotency_key=row.idempotency_key, defaults=defaults)
    if created and notification.channel != Channel.IN_APP:
        _deliver_after_commit([notification.idempotency_key])
    return notification


def _deliver_claimed(notification: Notification, worker: str, now: datetime) -> str:
    try:
        SENDERS[Channel(notification.channel)](notification)
    except Exception as exc:
        if not isinstance(exc, DeliveryError):
            log.exception("Notification %s: unexpected delivery error", notification.pk)
            exc = DeliveryError(f"{type(exc).__name__}: {exc}")
        give_up = exc.permanent or notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS
        changes: dict[str, object] = {"claimed_at": None, "claimed_by": "", "last_error": str(exc)[:2000]}
        if give_up:
            changes["status"] = Status.FAILED
        else:
            changes["next_attempt_at"] = now + retry_delay(notification.attempts)
        Notification.objects.filter(pk=notification.pk, claimed_by=worker).update(**changes)
        log.warning("Notification %s attempt %s failed: %s", notification.pk, notification.attempts, exc)
        return "failed" if give_up else "retry"
    # Sent: mark it whoever holds the claim now, so no later attempt sends it again.
    Notification.objects.filter(pk=notification.pk, status=Status.PENDING).update(
        status=Status.SENT, sent_at=timezone.now(), claimed_at=None, claimed_by="", last_error=""
    )
    return "sent"


def notification_deliver(*, notification_id: int, now: datetime | None = None) -> str:
    """Deliver one notification if it is due and nobody holds it: "sent", "retry", "failed" or "skipped"."""
    now = now or timezone.now()
    worker = _worker_id()
    claimed = Notification.objects.filter(
        pk=notification_id, status=Status.PENDING, claimed_at__isnull=True, next_attempt_at__lte=now
    ).update(claimed_at=now, claimed_by=worker, attempts=F("attempts") + 1)
    if not claimed:
        return "skipped"
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    return _deliver_claimed(notification, worker, now)


def notifications_deliver_keys(*, keys: Iterable[str]) -> dict[str, int]:
    """Deliver the notifications with these idempotency keys (the task enqueued on commit)."""
    outcomes: Counter[str] = Counter()
    ids = Notification.objects.filter(idempotency_key__in=list(keys), status=Status.PENDING).values_list(
        "pk", flat=True
    )
    for notification_id in list(ids):
        outcomes[notification_deliver(notification_id=notification_id)] += 1
    return dict(outcomes)


def notification_reap_stale_claims(*, now: datetime | None = None) -> int:
    """Release claims older than NOTIFICATION_CLAIM_TIMEOUT_MINUTES (their worker died)."""
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.NOTIFICATION_CLAIM_TIMEOUT_MINUTES)
    return Notification.objects.filter(status=Status.PENDING, claimed_at__lt=cutoff).update(
        claimed_at=None, claimed_by=""
    )


def notifications_deliver_due(*, now: datetime | None = None, limit: int | None = None) -> dict[str, int]:
    """Reap stale claims, claim a batch of due notifications (skipping rows another worker is
    claiming) and deliver them. Safe to run on any number of workers at once."""
    now = now or timezone.now()
    worker = _worker_id()
    reaped = notification_reap_stale_claims(now=now)
    with transaction.atomic():
        ids = list(
            Notification.objects.filter(status=Status.PENDING, claimed_at__isnull=True, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[: limit or settings.NOTIFICATION_BATCH]
        )
        Notification.objects.filter(pk__in=ids).update(claimed_at=now, claimed_by=worker, attempts=F("attempts") + 1)
    outcomes: Counter[str] = Counter(reaped=reaped)
    for notification in Notification.objects.filter(pk__in=ids).select_related("recipient").order_by("pk"):
        outcomes[_deliver_claimed(notification, worker, now)] += 1
    return dict(outcomes)


@transaction.atomic
def notification_retry(*, notification_ids: Iterable[int]) -> int:
    """Give failed (or waiting) notifications a fresh set of attempts, starting now."""
    ids = list(
        Notification.objects.filter(pk__in=list(notification_ids), status__in=[Status.FAILED, Status.PENDING])
        .exclude(channel=Channel.IN_APP)
        .values_list("pk", flat=True)
    )
    count = Notification.objects.filter(pk__in=ids).update(
        status=Status.PENDING, attempts=0, next_attempt_at=timezone.now(), claimed_at=None, claimed_by=""
    )
    for pk in ids:
        transaction.on_commit(partial(async_task, DELIVER_TASK, pk), robust=True)
    return count


def notification_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the user's in-app notifications read (all of them when `ids` is None)."""
    qs = Notification.objects.filter(recipient=user, channel=Channel.IN_APP, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
