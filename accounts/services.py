"""Writes of the accounts app."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from accounts.models import CustomerProfile, Role, User
from helpdesk.errors import DomainValidationError


@transaction.atomic
def customer_sign_up(*, email: str, full_name: str, password: str) -> User:
    """Create a customer account with its profile. The unique email constraint decides
    (no check-then-act): a taken address raises DomainValidationError(field="email")."""
    try:
        with transaction.atomic():  # savepoint, so the outer transaction survives the IntegrityError
            user = User.objects.create_user(
                email=email.strip(), password=password, full_name=full_name.strip(), role=Role.CUSTOMER
            )
    except IntegrityError as exc:
        raise DomainValidationError(_("An account with this email already exists."), field="email") from exc
    CustomerProfile.objects.create(user=user)
    return user


@transaction.atomic
def auth_token_get_or_create(*, user: User) -> Token:
    """The user's API token, made on first use. One per user (unique in the database): two
    concurrent first sign-ins both get the same token."""
    token, _created = Token.objects.get_or_create(user=user)
    return token
