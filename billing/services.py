"""Billing writes. Payout lines for completed visits (created by the visit services, in their
transaction); payout batches come later."""

from datetime import datetime

from django.utils import timezone

from billing.models import PayoutLine
from visits import conf
from visits.models import Booking, Visit


def payout_amount_cents(*, hourly_cents: int, minutes: int) -> int:
    return round(hourly_cents * minutes / 60)


def payout_lines_for_visit(*, visit: Visit, bookings: list[Booking], earned_at: datetime | None = None) -> None:
    """One VISIT line per booked expert: the skill's rate (or the expert's own) × booked minutes.
    Idempotent: the unique (expert, visit) constraint turns a second call into a no-op."""
    rates: dict[str, int] = conf.get("VISIT_PAYOUT_HOURLY_CENTS_BY_SKILL")
    skill = visit.required_skill
    lines = []
    for booking in bookings:
        minutes = int((booking.during.upper - booking.during.lower).total_seconds() // 60)
        hourly = rates.get(skill.slug, booking.expert.hourly_rate_cents)
        lines.append(
            PayoutLine(
                expert_id=booking.expert_id,
                visit=visit,
                kind=PayoutLine.Kind.VISIT,
                amount_cents=payout_amount_cents(hourly_cents=hourly, minutes=minutes),
                description=f"{skill.name}, {minutes} min, ticket visit {visit.pk}"[:200],
                earned_at=earned_at or timezone.now(),
            )
        )
    PayoutLine.objects.bulk_create(lines, ignore_conflicts=True)
