from django.urls import path

from tickets.views import attachments, customer

app_name = "tickets"
urlpatterns = [
    path("", customer.ticket_list, name="list"),
    path("new/", customer.ticket_new, name="new"),
    path("<int:pk>/", customer.ticket_detail, name="detail"),
    path("<int:pk>/reply/", customer.ticket_reply_view, name="reply"),
    path("<int:pk>/confirm/", customer.ticket_confirm, name="confirm"),
    path("attachments/<int:pk>/", attachments.attachment_download, name="attachment"),
]
