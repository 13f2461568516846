"""Who may use the expert surfaces; shared by views, API permission classes and templates."""

from django.contrib.auth.models import AnonymousUser

from accounts.models import User


def can_work_jobs(user: User | AnonymousUser) -> bool:
    """Active experts: the job board, proposals, their schedule and visits."""
    return bool(user.is_authenticated and user.is_active and user.is_expert)
