"""Django admin for the tickets app, split by the same areas as tickets/models/."""

from tickets.admin import automation, organisation, sla, ticket  # sla re-registers some admins with validation

__all__ = ["automation", "organisation", "sla", "ticket"]
