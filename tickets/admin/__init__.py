"""Django admin for the tickets app, split by the same areas as tickets/models/."""

from tickets.admin import automation, organisation, ticket

__all__ = ["automation", "organisation", "ticket"]
