"""Downloading a message's attachment. The file is served only through this view, scoped by
`attachment_get_visible_to` (a customer: their own tickets' public messages; staff: all), and
always as a download: a stored file is never rendered by the browser on our origin.

The API links here too (`attachments[].url`), so besides the session cookie the view accepts the
API's `Authorization: Token <key>` header."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from helpdesk.access import signed_in
from helpdesk.typing import AuthedHttpRequest
from tickets.selectors import attachment_get_visible_to


def _token_or_session(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign in an API client by its token for this request only (no session is created); a
    wrong or inactive token is a 401, as in the API."""

    @wraps(view)  # keeps the inner access policy (signed_in) visible to the route walker
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated and "authorization" in request.headers:
            try:
                result = TokenAuthentication().authenticate(request)
            except AuthenticationFailed as exc:
                refused = HttpResponse(str(exc.detail), status=401, content_type="text/plain; charset=utf-8")
                refused["WWW-Authenticate"] = TokenAuthentication.keyword
                return refused
            if result is not None:
                request.user = result[0]
        return view(request, *args, **kwargs)

    return wrapped


@_token_or_session
@signed_in
@require_GET
def attachment_download(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    attachment = attachment_get_visible_to(user=request.user, pk=pk)
    if attachment is None:
        raise Http404  # not yours to see and missing look the same
    try:
        file = attachment.file.open("rb")
    except FileNotFoundError as exc:  # the row outlived its file
        raise Http404 from exc
    response = FileResponse(
        file,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
