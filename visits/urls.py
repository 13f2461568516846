from django.urls import path

from visits.views import customer

app_name = "visits"
urlpatterns = [
    path("", customer.my_visits, name="mine"),
    path("tickets/<int:pk>/", customer.ticket_visits, name="ticket"),
    path("visits/<int:pk>/windows/", customer.visit_windows, name="windows"),
    path("offers/<int:pk>/accept/", customer.offer_accept, name="offer-accept"),
    path("groups/<int:pk>/calendar.ics", customer.group_calendar, name="calendar"),
]
