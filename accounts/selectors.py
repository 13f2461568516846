"""Read queries of the accounts app."""

from accounts.models import User


def user_profile_get(*, user: User) -> User:
    """The signed-in user with everything the profile page shows: customer, expert (with trade
    skills) and agent (team, category skills) profiles, in three queries whatever the role."""
    return (
        User.objects.select_related("customer_profile", "expert_profile", "agent_profile__team")
        .prefetch_related("expert_profile__expert_skills__skill", "agent_profile__skills__category")
        .get(pk=user.pk)
    )
