"""The bell (unread count, polled by htmx) and the in-app notification list for agents and leads."""

from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST
from zen_queries import render

from helpdesk.access import staff_only
from helpdesk.typing import AuthedHttpRequest
from notifications.selectors import notification_inbox_for, notification_unread_count
from notifications.services import notification_mark_read

INBOX_SIZE = 50


def _bell(request: AuthedHttpRequest) -> HttpResponse:
    count = notification_unread_count(user=request.user)
    return render(request, "notifications/_bell.html", {"bell": {"unread": count}})


@staff_only
@require_GET
def bell(request: AuthedHttpRequest) -> HttpResponse:
    return _bell(request)


@staff_only
@require_GET
def inbox(request: AuthedHttpRequest) -> HttpResponse:
    items = list(notification_inbox_for(user=request.user)[:INBOX_SIZE])
    unread = sum(1 for n in items if n.read_at is None)
    return render(request, "notifications/inbox.html", {"items": items, "unread": unread})


@staff_only
@require_POST
def mark_read(request: AuthedHttpRequest) -> HttpResponse:
    """Mark one (`id`) or all of the user's notifications read."""
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()] or None
    notification_mark_read(user=request.user, ids=ids)
    if request.htmx:
        return _bell(request)
    return redirect("agent:notifications")
