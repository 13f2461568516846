import pytest

from accounts.models import Role
from tests.factories import AgentProfileFactory, CustomerFactory, ExpertProfileFactory, UserFactory


@pytest.fixture
def customer():
    return CustomerFactory.create()


@pytest.fixture
def other_customer():
    return CustomerFactory.create()


@pytest.fixture
def agent():
    """An agent user with a profile (L1, in a team)."""
    return AgentProfileFactory.create().user


@pytest.fixture
def lead():
    return AgentProfileFactory.create(user__role=Role.LEAD, tier=3).user


@pytest.fixture
def expert():
    return ExpertProfileFactory.create().user


@pytest.fixture
def admin_user():
    return UserFactory.create(role=Role.ADMIN, is_staff=True, is_superuser=True)
