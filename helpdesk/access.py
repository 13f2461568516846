"""Explicit access policies for every route. Each HTML view is wrapped in exactly one of these:
public, signed_in, customer_only, staff_only, expert_only. `tests/test_access_policies.py` walks
every URL pattern and fails on a route without one.

Anything a user reaches by id is additionally scoped by a `*_visible_to` selector (404, not 403)."""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from experts.permissions import can_work_jobs
from tickets.permissions import can_file_tickets, can_work_queue

View = TypeVar("View", bound=Callable[..., HttpResponse])


def _mark(view: View, policy: str) -> View:
    view.access_policy = policy  # type: ignore[attr-defined]  # read by the access-policy test
    return view


def _guard(policy: str, allowed: Callable[[Any], bool]) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not allowed(request.user):
                return render(request, "403.html", status=403)
            return view(request, *args, **kwargs)

        return _mark(wrapped, policy)  # type: ignore[arg-type]

    return decorator


def public(view: View) -> View:
    """Anyone, signed in or not (sign-in, sign-up, the public knowledge base)."""
    return _mark(view, "public")


signed_in = _guard("signed_in", lambda user: True)
customer_only = _guard("customer", can_file_tickets)
staff_only = _guard("staff", can_work_queue)
expert_only = _guard("expert", can_work_jobs)
