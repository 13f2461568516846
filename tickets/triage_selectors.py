"""Reads for the triage queue: open tickets that have no category yet (the classifier was unsure
or unavailable, or no model is trained), oldest first, for staff who classify them."""

from django.db.models import QuerySet

from accounts.models import User
from tickets.models import OPEN_STATUSES, Category, Ticket
from tickets.selectors import ticket_list_visible_to


def ticket_triage_queue_visible_to(*, user: User) -> QuerySet[Ticket]:
    return (
        ticket_list_visible_to(user=user)
        .filter(category__isnull=True, status__in=OPEN_STATUSES)
        .order_by("created_at", "pk")
    )


def category_choices() -> list[Category]:
    return list(Category.objects.filter(is_active=True).order_by("name"))
