from django.urls import path

from tickets.views import agent

app_name = "agent"
urlpatterns = [
    path("", agent.ticket_list, name="ticket-list"),
    path("tickets/<int:pk>/", agent.ticket_detail, name="ticket-detail"),
    path("tickets/<int:pk>/reply/", agent.ticket_reply_view, name="ticket-reply"),
    path("tickets/<int:pk>/transition/", agent.ticket_transition_view, name="ticket-transition"),
    path("tickets/<int:pk>/assign-to-me/", agent.ticket_assign_to_me, name="ticket-assign"),
]
