"""Who may use the expert surfaces; shared by views, API permission classes and templates."""

from django.contrib.auth.models import AnonymousUser

from accounts.models import User
from helpdesk.access import _guard


def can_work_jobs(user: User | AnonymousUser) -> bool:
    """Active experts: the job board, proposals, their schedule and visits."""
    return bool(user.is_authenticated and user.is_active and user.is_expert)


# The expert surfaces' access policy, built like helpdesk.access's (policy name "expert").
expert_only = _guard("expert", can_work_jobs)
