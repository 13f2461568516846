from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CUSTOMER = "CUSTOMER", _("Customer")
    EXPERT = "EXPERT", _("Expert")
    AGENT = "AGENT", _("Agent")
    LEAD = "LEAD", _("Team lead")
    ADMIN = "ADMIN", _("Admin")


STAFF_ROLES = frozenset({Role.AGENT, Role.LEAD, Role.ADMIN})


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: Any) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.update(is_staff=True, is_superuser=True, role=Role.ADMIN)
        return self._create(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """One account for every kind of person; `role` decides which surfaces they reach."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.CUSTOMER, db_index=True)
    language = models.CharField(max_length=8, default="en", choices=[("en", "English"), ("de", "Deutsch")])
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text=_("May sign in to the Django admin."))
    date_joined = models.DateTimeField(default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ["email"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def display_name(self) -> str:
        return self.full_name or self.email.split("@")[0]

    @property
    def is_customer(self) -> bool:
        return self.role == Role.CUSTOMER

    @property
    def is_expert(self) -> bool:
        return self.role == Role.EXPERT

    @property
    def is_helpdesk_staff(self) -> bool:
        """Agents, leads and admins: the people who work the ticket queue."""
        return self.role in STAFF_ROLES


class CustomerProfile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="customer_profile")
    is_vip = models.BooleanField(_("VIP"), default=False)
    phone = models.CharField(max_length=40, blank=True)
    address_line = models.CharField(max_length=200, blank=True)
    postal_code = models.CharField(max_length=16, blank=True, db_index=True)
    city = models.CharField(max_length=100, blank=True)
    timezone = models.CharField(max_length=64, default="Europe/Berlin")

    def __str__(self) -> str:
        return f"Customer {self.user}"
