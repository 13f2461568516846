"""Ticket flags raised and cleared by automation (e.g. UNMATCHED_VISITS from the marketplace).
Each change locks the ticket and writes a FLAGGED TicketEvent in the same transaction."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from helpdesk.errors import DomainValidationError
from tickets.models import Ticket, TicketEvent, TicketFlag


def _check(flag: str) -> None:
    if flag not in TicketFlag.values:
        raise DomainValidationError(_("Unknown flag “%(flag)s”.") % {"flag": flag}, field="flag")


@transaction.atomic
def ticket_add_flag(*, ticket: Ticket, flag: str, actor: User | None, reason: str = "") -> Ticket:
    """Raise `flag` on the ticket (idempotent: an already flagged ticket is left as it is)."""
    _check(flag)
    locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if flag in locked.flags:
        return locked
    locked.flags = [*locked.flags, flag]
    locked.save(update_fields=["flags", "updated_at"])
    TicketEvent.objects.create(
        ticket=locked, actor=actor, kind=TicketEvent.Kind.FLAGGED, data={"flag": flag, "added": True, "reason": reason}
    )
    return locked


@transaction.atomic
def ticket_remove_flag(*, ticket: Ticket, flag: str, actor: User | None, reason: str = "") -> Ticket:
    """Clear `flag` (idempotent)."""
    _check(flag)
    locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if flag not in locked.flags:
        return locked
    locked.flags = [f for f in locked.flags if f != flag]
    locked.save(update_fields=["flags", "updated_at"])
    TicketEvent.objects.create(
        ticket=locked, actor=actor, kind=TicketEvent.Kind.FLAGGED, data={"flag": flag, "added": False, "reason": reason}
    )
    return locked
