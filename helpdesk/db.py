"""Small database helpers shared by the apps' models."""

from django.db import models
from django.db.models import Q
from psycopg.types.range import Range


def bounded_range_check(field: str, name: str) -> models.CheckConstraint:
    """A time range column must be non-empty with both ends set (no open-ended windows)."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isempty": False, f"{field}__lower_inf": False, f"{field}__upper_inf": False}),
        name=name,
    )


def range_label(value: Range | None) -> str:
    if value is None or value.lower is None or value.upper is None:
        return ""
    return f"{value.lower:%Y-%m-%d %H:%M}–{value.upper:%H:%M}"
