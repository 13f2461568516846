"""Every route declares who may use it. A new route without an explicit policy fails here."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import CustomerFactory, ExpertProfileFactory


def _walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), namespace + (p.name or ""), p.callback


ROUTES = list(_walk(get_resolver().url_patterns))


def _policy(route: str, name: str, callback) -> str | None:
    if name.startswith("admin:"):
        return "admin site (staff only)"
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if view_class is not None and hasattr(view_class, "permission_classes"):
        # DRF: the project's own class (or its nearest project base) must set permission_classes.
        own = [k for k in view_class.__mro__ if "permission_classes" in vars(k)]
        return "drf" if own and not own[0].__module__.startswith("rest_framework.") else None
    return getattr(callback, "access_policy", None)


@pytest.mark.parametrize(("route", "name", "callback"), ROUTES, ids=[r[0] or "/" for r in ROUTES])
def test_route_has_an_explicit_access_policy(route, name, callback):
    assert _policy(route, name, callback) is not None, f"/{route} ({name}) has no explicit access policy"


STAFF_ROUTES = [r for r in ROUTES if getattr(r[2], "access_policy", None) == "staff"]


def _url(route: str) -> str:
    import re

    return "/" + re.sub(r"<(?:\w+:)?\w+>", "1", route)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["customer", "expert"])
def test_customers_and_experts_cannot_reach_staff_routes(client, role):
    user = CustomerFactory.create() if role == "customer" else ExpertProfileFactory.create().user
    client.force_login(user)

    answers = {route: client.get(_url(route)).status_code for route, _, _ in STAFF_ROUTES}

    assert STAFF_ROUTES, "the agent workspace has routes"
    assert {route: code for route, code in answers.items() if code not in (403, 405)} == {}
    assert client.get("/admin/").status_code == 302  # the admin sends non-staff to its login page
