from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Which navigation the base layout shows: by role, so each person sees their own surfaces."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_role": "anonymous"}
    if user.is_helpdesk_staff:
        return {"nav_role": "staff"}
    return {"nav_role": "expert" if user.is_expert else "customer"}
