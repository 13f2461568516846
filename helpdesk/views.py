from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from helpdesk.access import public


@public
def home(request: HttpRequest) -> HttpResponse:
    """Send each person to their own surface."""
    user = request.user
    if not user.is_authenticated:
        return redirect("accounts:login")
    if user.is_helpdesk_staff:
        return redirect("agent:ticket-list")
    if user.is_expert:
        return redirect("experts:board")
    return redirect("tickets:list")
