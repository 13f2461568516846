"""Builders shared by the marketplace tests (visits and experts)."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from experts.models import ExpertProfile, Skill
from tests.factories import CustomerFactory, ExpertProfileFactory, ExpertSkillFactory, SkillFactory, TicketFactory
from tickets.models import Ticket
from visits.models import VisitGroup
from visits.services.groups import VisitInput, visit_group_create


def day(offset: int = 2) -> date:
    return timezone.localdate() + timedelta(days=offset)


def at(hour: int, minute: int = 0, *, offset: int = 2) -> datetime:
    """A local time `offset` days ahead (on the 30-minute grid for whole/half hours)."""
    return timezone.make_aware(datetime.combine(day(offset), time(hour, minute)))


def skill(name: str = "Plumbing") -> Skill:
    return SkillFactory.create(name=name, slug=name.lower().replace(" ", "-"))


def expert(trade: Skill, *, level: int = 3, area: tuple[str, ...] = ("10",), **extra: object) -> ExpertProfile:
    profile = ExpertProfileFactory.create(service_area=list(area), **extra)
    ExpertSkillFactory.create(expert=profile, skill=trade, level=level)
    return profile


def ticket(*, postal_code: str = "10115", city: str = "Berlin", **extra: object) -> Ticket:
    customer = CustomerFactory.create(profile__postal_code=postal_code, profile__city=city)
    return TicketFactory.create(customer=customer, **extra)


def group(
    trade: Skill,
    *,
    windows: list[tuple[datetime, datetime]] | None = None,
    needed: int = 1,
    duration: int = 60,
    on: Ticket | None = None,
    more: list[VisitInput] = (),  # type: ignore[assignment]
) -> VisitGroup:
    """A group with one visit (plus `more`), windows 09:00-12:00 the day after tomorrow by default."""
    first = VisitInput(
        skill=trade,
        experts_needed=needed,
        duration_minutes=duration,
        windows=windows or [(at(9), at(12))],
    )
    return visit_group_create(ticket=on or ticket(), visits=[first, *more], actor=None)


def schedule_directly(visit, start: datetime, end: datetime, experts: list[ExpertProfile]) -> None:
    """Book a visit without the search (test setup), e.g. at a time already begun."""
    from django.db.backends.postgresql.psycopg_any import DateTimeTZRange

    from experts.models import Proposal
    from visits.models import Booking, Visit

    Visit.objects.filter(pk=visit.pk).update(status=Visit.Status.SCHEDULED, scheduled_start=start, scheduled_end=end)
    for who in experts:
        proposal = Proposal.objects.create(visit=visit, expert=who, start_at=start, status=Proposal.Status.ACCEPTED)
        Booking.objects.create(visit=visit, expert=who, proposal=proposal, during=DateTimeTZRange(start, end, "[)"))
    if not Visit.objects.filter(group_id=visit.group_id, status=Visit.Status.OPEN).exists():
        VisitGroup.objects.filter(pk=visit.group_id).update(status=VisitGroup.Status.SCHEDULED)


def ago(minutes: int) -> datetime:
    return (timezone.now() - timedelta(minutes=minutes)).replace(second=0, microsecond=0)
