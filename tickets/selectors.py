"""Read queries for tickets. Every read of a ticket goes through a `*_visible_to` selector:
scoping and eager loading in one place."""

from django.db.models import Prefetch, Q, QuerySet

from accounts.models import User
from tickets.models import Attachment, Message, SLAPolicy, Team, Ticket, TicketEvent
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


def ticket_workspace_get(*, user: User, pk: int) -> Ticket | None:
    """One ticket as the agent workspace shows it: the conversation with internal notes, the
    customer's profile and the full event timeline (`ticket.timeline`). None unless helpdesk staff."""
    if not can_work_queue(user):
        return None
    timeline = TicketEvent.objects.select_related("actor").order_by("created_at", "pk")
    return (
        ticket_detail_visible_to(user=user)
        .select_related("customer__customer_profile")
        .prefetch_related(Prefetch("events", queryset=timeline, to_attr="timeline"))
        .filter(pk=pk)
        .first()
    )


def message_list_visible_to(*, user: User, ticket: Ticket) -> QuerySet[Message]:
    """The ticket's conversation, oldest first, as this user may see it: staff see internal notes,
    the ticket's customer sees the public messages, everyone else nothing. Lazy, so callers can
    paginate in the database."""
    messages = Message.objects.filter(ticket=ticket).select_related("author").prefetch_related("attachments")
    if can_work_queue(user):
        return messages.order_by("created_at", "pk")
    if user.is_authenticated and user.is_customer and ticket.customer_id == user.pk:
        return messages.filter(is_internal=False).order_by("created_at", "pk")
    return messages.none()


def attachment_list_visible_to(*, user: User) -> QuerySet[Attachment]:
    """Attachments this user may download: staff all; a customer those on the public messages of
    their own tickets (never an internal note's); experts and everyone else none."""
    attachments = Attachment.objects.all()
    if can_work_queue(user):
        return attachments
    if user.is_authenticated and user.is_customer:
        return attachments.filter(message__ticket__customer=user, message__is_internal=False)
    return attachments.none()


def attachment_get_visible_to(*, user: User, pk: int) -> Attachment | None:
    return attachment_list_visible_to(user=user).filter(pk=pk).first()


def sla_policy_for(*, priority: str, team: Team | None, is_vip: bool) -> SLAPolicy | None:
    """The most specific active policy: team + VIP, then team, then VIP, then the plain one."""
    candidates = SLAPolicy.objects.filter(is_active=True, priority=priority).filter(Q(team__isnull=True) | Q(team=team))
    if not is_vip:
        candidates = candidates.filter(vip_only=False)
    best = sorted(candidates, key=lambda p: (p.team_id is not None, p.vip_only), reverse=True)
    return best[0] if best else None
