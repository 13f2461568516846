"""The REST API, mounted at /api/v1/ (namespace "api"). Schema: /api/schema/, docs: /api/docs/."""

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

from accounts.api import TokenObtainView
from tickets.api import TicketViewSet

app_name = "api"

router = SimpleRouter()
router.register("tickets", TicketViewSet, basename="ticket")

urlpatterns: list[URLPattern | URLResolver] = [
    path("auth/token/", TokenObtainView.as_view(), name="auth-token"),
    *router.urls,
]
