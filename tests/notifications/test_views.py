"""The bell and the in-app list for agents and leads; the outbox in the admin."""

import pytest
from django.urls import reverse

from notifications.models import Notification
from notifications.selectors import notification_inbox_for, notification_unread_count
from tests.factories import AgentFactory, CustomerFactory, NotificationFactory

pytestmark = pytest.mark.django_db


def test_the_layout_shows_a_bell_placeholder_for_staff_only(client):
    agent = AgentFactory.create()
    client.force_login(agent)
    staff_page = client.get(reverse("agent:notifications")).content.decode()
    client.force_login(CustomerFactory.create())
    customer_page = client.get(reverse("tickets:list")).content.decode()

    assert 'id="notification-bell"' in staff_page
    assert 'hx-trigger="load, every 30s"' in staff_page  # the count loads after the page, no query while rendering
    assert 'id="notification-bell"' not in customer_page


@pytest.mark.parametrize("n_unread", [1, 12])
def test_the_bell_counts_unread_in_app_notifications(client, django_assert_num_queries, n_unread):
    agent = AgentFactory.create()
    NotificationFactory.create_batch(n_unread, recipient=agent)
    NotificationFactory.create(recipient=agent, read_at="2026-01-01T00:00:00Z")
    NotificationFactory.create()  # someone else's
    client.force_login(agent)
    url = reverse("agent:notification-bell")
    client.get(url)

    with django_assert_num_queries(3):  # session, user, count
        response = client.get(url)

    html = response.content.decode()
    assert f'data-count="{n_unread}"' in html
    assert 'hx-trigger="every 30s"' in html


@pytest.mark.parametrize("n_rows", [1, 12])
def test_the_inbox_selector_is_one_query(django_assert_num_queries, n_rows):
    agent = AgentFactory.create()
    NotificationFactory.create_batch(n_rows, recipient=agent)
    NotificationFactory.create(channel="EMAIL", recipient=agent, status="PENDING", sent_at=None)  # not in the inbox

    with django_assert_num_queries(2):
        rows = [(n.subject, n.link) for n in notification_inbox_for(user=agent)]
        unread = notification_unread_count(user=agent)

    assert (len(rows), unread) == (n_rows, n_rows)


def test_the_inbox_lists_only_my_notifications_and_marks_them_read(client):
    me, other = AgentFactory.create(), AgentFactory.create()
    mine = NotificationFactory.create(recipient=me, subject="Escalated to you")
    NotificationFactory.create(recipient=other, subject="Not yours")
    client.force_login(me)

    page = client.get(reverse("agent:notifications")).content.decode()
    response = client.post(reverse("agent:notifications-read"), {"id": [mine.pk]})

    assert "Escalated to you" in page and "Not yours" not in page
    assert response["Location"] == reverse("agent:notifications")
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert Notification.objects.filter(recipient=other, read_at__isnull=True).count() == 1


def test_mark_all_read_over_htmx_returns_the_bell(client):
    me = AgentFactory.create()
    NotificationFactory.create_batch(3, recipient=me)
    client.force_login(me)

    response = client.post(reverse("agent:notifications-read"), headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert 'id="notification-bell"' in response.content.decode()
    assert "data-count" not in response.content.decode()
    assert Notification.objects.filter(read_at__isnull=True).count() == 0


def test_customers_get_no_bell(client):
    client.force_login(CustomerFactory.create())

    assert client.get(reverse("agent:notification-bell")).status_code == 403


def test_the_outbox_admin_lists_and_sends_again(admin_client):
    failed = NotificationFactory.create(channel="EMAIL", status="FAILED", sent_at=None, attempts=8)
    changelist = reverse("admin:notifications_notification_changelist")

    assert admin_client.get(changelist, {"q": "x"}).status_code == 200
    assert admin_client.get(reverse("admin:notifications_notification_change", args=[failed.pk])).status_code == 200
    assert admin_client.get(reverse("admin:notifications_notification_add")).status_code == 403
    response = admin_client.post(changelist, {"action": "send_again", "_selected_action": [failed.pk]})

    assert response.status_code == 302
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == ("PENDING", 0)  # delivery starts on commit (never, in this test)
