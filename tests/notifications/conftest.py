"""Real local servers for delivery tests: an SMTP server (aiosmtpd) and an HTTP webhook
(http.server), each on 127.0.0.1 and a free port, which a test can stop and start again."""

import email
import email.policy
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SMTPServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.messages: list[email.message.EmailMessage] = []
        self._controller: Controller | None = None

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted"

    def start(self) -> None:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


class WebhookServer:
    """Records every POST; answers with the queued status codes (then 200), optionally slowly."""

    def __init__(self) -> None:
        self.port = free_port()
        self.received: list[tuple[str, str, dict]] = []
        self.statuses: list[int] = []
        self.delay = 0.0
        self._httpd: ThreadingHTTPServer | None = None
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/team"

    def start(self) -> None:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if server.delay:
                    time.sleep(server.delay)
                with server._lock:
                    server.received.append((self.path, self.headers.get("Content-Type", ""), json.loads(body)))
                    status = server.statuses.pop(0) if server.statuses else 200
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", f"http://127.0.0.1:{server.port}/elsewhere")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None


@pytest.fixture
def smtp_server(settings):
    """Not started: call .start() (tests of an outage start it later)."""
    server = SMTPServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.NOTIFICATION_EMAIL_TIMEOUT = 5
    yield server
    server.stop()


@pytest.fixture
def webhook_server(settings):
    """Not started: call .start()."""
    server = WebhookServer()
    settings.NOTIFICATION_HTTP_TIMEOUT = 5
    yield server
    server.stop()
