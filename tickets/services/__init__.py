from tickets.services.lifecycle import (
    ALLOWED_TRANSITIONS,
    ticket_assign,
    ticket_create,
    ticket_customer_confirm_resolution,
    ticket_reply,
    ticket_transition,
)

__all__ = [
    "ALLOWED_TRANSITIONS",
    "ticket_assign",
    "ticket_create",
    "ticket_customer_confirm_resolution",
    "ticket_reply",
    "ticket_transition",
]
