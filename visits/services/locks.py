"""Row locks on a visit group: every write to a group's visits, proposals and bookings holds
one, so finalization, withdrawals, incidents and offers for one group happen one at a time."""

from django.db import connection

from visits.models import VisitGroup


def lock_group(group_id: int, *, skip_locked: bool = False) -> VisitGroup | None:
    """FOR UPDATE on the group (None: missing, or held by someone else with skip_locked)."""
    return (
        VisitGroup.objects.select_related("ticket__customer")
        .select_for_update(skip_locked=skip_locked, of=("self",))
        .filter(pk=group_id)
        .first()
    )


def share_lock_group(group_id: int) -> str | None:
    """FOR SHARE on the group, returning its status: many proposals can hold it at once, while
    finalization (FOR UPDATE) waits for them and they wait for it."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT status FROM {VisitGroup._meta.db_table} WHERE id = %s FOR SHARE", [group_id])
        row = cursor.fetchone()
    return row[0] if row else None
