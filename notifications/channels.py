"""How each channel delivers one notification. Called by the outbox service outside any
transaction; every failure is a DeliveryError that says whether trying again can help."""

import json
import smtplib
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from notifications.models import Notification

ALLOWED_WEBHOOK_SCHEMES = ("http", "https")


class DeliveryError(Exception):
    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


def webhook_url_error(url: str) -> str | None:
    """Why `url` may not be used as a chat webhook, or None."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ALLOWED_WEBHOOK_SCHEMES:
        return "Only http:// and https:// webhook URLs are allowed."
    if not parts.hostname:
        return "The webhook URL has no host."
    return None


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A webhook answers itself; following redirects would let it send us anywhere."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def send_email(notification: Notification) -> None:
    recipient = notification.recipient
    if recipient is None or not recipient.email:
        raise DeliveryError("The recipient has no email address.", permanent=True)
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
    message = EmailMessage(
        subject=notification.subject,
        body=notification.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
        # Same key, same Message-ID: mail systems can drop a duplicate of an at-least-once resend.
        headers={"Message-ID": f"<notification-{notification.idempotency_key}@{domain}>"},
        connection=get_connection(timeout=settings.NOTIFICATION_EMAIL_TIMEOUT),
    )
    for attachment in notification.attachments:
        message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    try:
        message.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused as exc:
        raise DeliveryError(f"Recipient refused: {exc}", permanent=True) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc


def send_chat(notification: Notification) -> None:
    url = notification.webhook_url
    problem = webhook_url_error(url)
    if problem:
        raise DeliveryError(problem, permanent=True)
    text = f"*{notification.subject}*\n{notification.body}".strip()
    request = urllib.request.Request(
        url,
        data=json.dumps({"text": text}).encode(),
        headers={"Content-Type": "application/json", "User-Agent": "FixDesk-notifications"},
        method="POST",
    )
    try:
        with _opener.open(request, timeout=settings.NOTIFICATION_HTTP_TIMEOUT) as response:
            response.read(1024)
    except urllib.error.HTTPError as exc:
        # A redirect, or a 4xx (the hook is gone or refuses us), won't heal by itself; "slow down" and
        # timeouts (408, 429) and 5xx are worth another try.
        permanent = 300 <= exc.code < 500 and exc.code not in (408, 429)
        raise DeliveryError(f"HTTP {exc.code} from the webhook", permanent=permanent) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc


SENDERS = {Notification.Channel.EMAIL: send_email, Notification.Channel.CHAT: send_chat}
