"""Who may do what with tickets; shared by views, API permission classes and templates."""

from django.contrib.auth.models import AnonymousUser

from accounts.models import User


def can_work_queue(user: User | AnonymousUser) -> bool:
    """Agents, leads and admins work the helpdesk queue."""
    return bool(user.is_authenticated and user.is_active and user.is_helpdesk_staff)


def can_file_tickets(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_customer)
