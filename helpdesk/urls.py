from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from helpdesk import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("tickets/", include("tickets.urls")),
    path("agent/", include("tickets.agent_urls")),
    path("kb/", include("kb.urls")),
    path("jobs/", include("experts.urls")),
    path("visits/", include("visits.urls")),
    path("api/v1/", include("helpdesk.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]
# Uploaded files are never served from MEDIA_URL: attachments go through the scoped
# `tickets:attachment` view, which checks who may read them.
