from django.urls import path

from notifications import views as notification_views
from tickets.views import agent, alerts, queue, triage
from visits.views import agent as visits_agent

app_name = "agent"
urlpatterns = [
    path("", agent.ticket_list, name="ticket-list"),
    path("tickets/<int:pk>/", agent.ticket_detail, name="ticket-detail"),
    path("tickets/<int:pk>/reply/", agent.ticket_reply_view, name="ticket-reply"),
    path("tickets/<int:pk>/transition/", agent.ticket_transition_view, name="ticket-transition"),
    path("tickets/<int:pk>/assign-to-me/", agent.ticket_assign_to_me, name="ticket-assign"),
    # SLA engine: escalate by hand, acknowledge alerts (queue button, email link), the bell
    path("tickets/<int:pk>/escalate/", alerts.ticket_escalate_view, name="ticket-escalate"),
    path("alerts/<int:pk>/acknowledge/", alerts.alert_ack, name="alert-ack"),
    path("alerts/acknowledge/<str:token>/", alerts.alert_ack_link, name="alert-ack-link"),
    path("notifications/", notification_views.inbox, name="notifications"),
    path("notifications/bell/", notification_views.bell, name="notification-bell"),
    path("notifications/read/", notification_views.mark_read, name="notifications-read"),
    # Visits (visits/views/agent.py): plan a ticket's visits, a group with all proposals and offers
    path("tickets/<int:pk>/visits/", visits_agent.ticket_visits, name="ticket-visits"),
    path("tickets/<int:pk>/visits/new/", visits_agent.group_new, name="visit-group-new"),
    path("visit-groups/<int:pk>/", visits_agent.group_detail, name="visit-group"),
    path("visit-groups/<int:pk>/offer/", visits_agent.group_offer, name="visit-group-offer"),
    path("visit-groups/<int:pk>/finalize/", visits_agent.group_finalize, name="visit-group-finalize"),
    path("visits/<int:pk>/windows/", visits_agent.visit_windows, name="visit-windows"),
    path("incidents/<int:pk>/resolve/", visits_agent.incident_resolve_view, name="incident-resolve"),
    # Live queue dashboard (tickets/views/queue.py): coloured open tickets, rows poll, rebalance
    path("queue/", queue.queue, name="queue"),
    path("queue/rows/", queue.queue_rows_partial, name="queue-rows"),
    path("queue/rebalance/", queue.rebalance, name="rebalance"),
    # Triage (tickets/views/triage.py): unclassified tickets, set or correct a ticket's category
    path("triage/", triage.triage_queue, name="triage"),
    path("tickets/<int:pk>/category/", triage.ticket_category, name="ticket-category"),
]
