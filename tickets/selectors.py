"""Read queries for tickets. Every read of a ticket goes through a `*_visible_to` selector:
scoping and eager loading in one place."""

from django.db.models import Prefetch, Q, QuerySet

from accounts.models import User
from tickets.models import Message, SLAPolicy, Team, Ticket
from tickets.permissions import can_work_queue


def ticket_list_visible_to(*, user: User) -> QuerySet[Ticket]:
    qs = Ticket.objects.select_related("customer", "category", "team", "assigned_agent__user")
    if can_work_queue(user):
        return qs
    if user.is_authenticated and user.is_customer:
        return qs.filter(customer=user)
    return qs.none()


def ticket_detail_visible_to(*, user: User) -> QuerySet[Ticket]:
    """Tickets with their conversation, as this user may see it (no internal notes for customers)."""
    messages = Message.objects.select_related("author").prefetch_related("attachments")
    if not can_work_queue(user):
        messages = messages.filter(is_internal=False)
    return ticket_list_visible_to(user=user).prefetch_related(
        Prefetch("messages", queryset=messages, to_attr="visible_messages"),
        "preferred_windows",
        "tags",
    )


def ticket_get_visible_to(*, user: User, pk: int) -> Ticket | None:
    return ticket_detail_visible_to(user=user).filter(pk=pk).first()


def sla_policy_for(*, priority: str, team: Team | None, is_vip: bool) -> SLAPolicy | None:
    """The most specific active policy: team + VIP, then team, then VIP, then the plain one."""
    candidates = SLAPolicy.objects.filter(is_active=True, priority=priority).filter(Q(team__isnull=True) | Q(team=team))
    if not is_vip:
        candidates = candidates.filter(vip_only=False)
    best = sorted(candidates, key=lambda p: (p.team_id is not None, p.vip_only), reverse=True)
    return best[0] if best else None
