"""The REST API, mounted at /api/v1/ (namespace "api"). Schema: /api/schema/, docs: /api/docs/."""

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

from accounts.api import TokenObtainView
from experts.api import JobViewSet, ProposalViewSet, ScheduleViewSet, VisitActionViewSet
from kb.api import ArticleSearchView
from tickets.api import TicketViewSet
from visits.api import RescheduleOfferViewSet, VisitGroupViewSet

app_name = "api"

router = SimpleRouter()
router.register("tickets", TicketViewSet, basename="ticket")
router.register("jobs", JobViewSet, basename="job")
router.register("visits", VisitActionViewSet, basename="visit")
router.register("proposals", ProposalViewSet, basename="proposal")
router.register("schedule", ScheduleViewSet, basename="schedule")
router.register("visit-groups", VisitGroupViewSet, basename="visit-group")
router.register("reschedule-offers", RescheduleOfferViewSet, basename="reschedule-offer")

urlpatterns: list[URLPattern | URLResolver] = [
    path("auth/token/", TokenObtainView.as_view(), name="auth-token"),
    path("kb/search/", ArticleSearchView.as_view(), name="kb-search"),
    *router.urls,
]
