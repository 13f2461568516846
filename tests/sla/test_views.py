"""Agent pages of the SLA engine: the acknowledge button (plain POST and htmx), the signed email
link, manual escalation from the ticket page."""

import pytest
from django.core import signing
from django.test import override_settings
from django.urls import reverse

from tests.factories import AgentProfileFactory, CustomerFactory, SLAAlertFactory, TicketFactory
from tickets.models import Escalation, SLAAlert, TicketEvent
from tickets.services.alerts import ACK_SALT, alert_ack_token

pytestmark = pytest.mark.django_db
State = SLAAlert.State


def test_the_recipient_acknowledges_with_the_button(client):
    alert = SLAAlertFactory.create()
    client.force_login(alert.agent)

    response = client.post(reverse("agent:alert-ack", args=[alert.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("agent:ticket-detail", args=[alert.ticket_id])
    alert.refresh_from_db()
    assert (alert.state, alert.acknowledged_by) == (State.ACKNOWLEDGED, alert.agent)


def test_the_button_over_htmx_gets_the_alert_item_back(client):
    alert = SLAAlertFactory.create()
    client.force_login(alert.agent)

    response = client.post(reverse("agent:alert-ack", args=[alert.pk]), headers={"HX-Request": "true"})

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<li id="sla-alert-{alert.pk}"')
    assert "Acknowledged" in html and "<button" not in html


def test_the_button_safely_follows_next(client):
    alert = SLAAlertFactory.create()
    client.force_login(alert.agent)

    inside = client.post(reverse("agent:alert-ack", args=[alert.pk]), {"next": "/agent/?sla=BREACHED"})
    outside = client.post(reverse("agent:alert-ack", args=[alert.pk]), {"next": "https://evil.example/"})

    assert inside["Location"] == "/agent/?sla=BREACHED"
    assert outside["Location"] == reverse("agent:ticket-detail", args=[alert.ticket_id])


def test_someone_elses_alert_is_a_404_and_stays_open(client):
    alert = SLAAlertFactory.create()
    client.force_login(AgentProfileFactory.create().user)

    response = client.post(reverse("agent:alert-ack", args=[alert.pk]))

    assert response.status_code == 404
    alert.refresh_from_db()
    assert alert.state == State.OPEN


def test_a_passed_on_alert_answers_409_to_htmx(client):
    alert = SLAAlertFactory.create(state=State.PASSED_ON)
    client.force_login(alert.agent)

    response = client.post(reverse("agent:alert-ack", args=[alert.pk]), headers={"HX-Request": "true"})

    assert response.status_code == 409
    assert TicketEvent.objects.exists() is False


def test_customers_cannot_acknowledge(client):
    alert = SLAAlertFactory.create()
    client.force_login(CustomerFactory.create())

    assert client.post(reverse("agent:alert-ack", args=[alert.pk])).status_code == 403


def test_the_email_link_asks_first_and_acknowledges_on_post(client):
    alert = SLAAlertFactory.create()
    url = reverse("agent:alert-ack-link", args=[alert_ack_token(alert)])
    client.force_login(alert.agent)

    page = client.get(url)
    alert.refresh_from_db()
    assert (page.status_code, alert.state) == (200, State.OPEN)  # a mail scanner opening the link changes nothing
    assert f"#{alert.ticket.number}" in page.content.decode()

    done = client.post(url)

    alert.refresh_from_db()
    assert (done.status_code, done["Location"], alert.state) == (
        302,
        reverse("agent:ticket-detail", args=[alert.ticket_id]),
        State.ACKNOWLEDGED,
    )


@pytest.mark.parametrize("case", ["forged", "other-user", "unknown-alert"])
def test_bad_links_are_404(client, case):
    alert = SLAAlertFactory.create()
    token = {
        "forged": alert_ack_token(alert)[:-2] + "xx",
        "other-user": signing.dumps({"alert": alert.pk, "user": alert.agent_id + 1000}, salt=ACK_SALT),
        "unknown-alert": signing.dumps({"alert": -1, "user": alert.agent_id}, salt=ACK_SALT),
    }[case]
    client.force_login(alert.agent)

    assert client.post(reverse("agent:alert-ack-link", args=[token])).status_code == 404
    alert.refresh_from_db()
    assert alert.state == State.OPEN


@override_settings(SLA_ACK_LINK_MAX_AGE_HOURS=0)
def test_an_expired_link_sends_the_agent_to_the_queue(client):
    alert = SLAAlertFactory.create()
    client.force_login(alert.agent)

    response = client.post(reverse("agent:alert-ack-link", args=[alert_ack_token(alert)]))

    assert (response.status_code, response["Location"]) == (302, reverse("agent:ticket-list"))
    alert.refresh_from_db()
    assert alert.state == State.OPEN


def test_an_agent_escalates_from_the_ticket_page(client):
    agent = AgentProfileFactory.create()
    ticket = TicketFactory.create(team=agent.team)
    client.force_login(agent.user)

    response = client.post(reverse("agent:ticket-escalate", args=[ticket.pk]), {"note": "Needs L2", "to_tier": "2"})

    assert response.status_code == 302
    escalation = Escalation.objects.get()
    assert (escalation.reason, escalation.to_tier, escalation.escalated_by) == ("MANUAL", 2, agent.user)


@pytest.mark.parametrize("data", [{"note": ""}, {"note": "x", "to_tier": "9"}, {"note": "x", "to_tier": "1"}])
def test_bad_escalation_input_is_a_message_not_an_error_page(client, data):
    agent = AgentProfileFactory.create()
    ticket = TicketFactory.create()
    client.force_login(agent.user)

    response = client.post(reverse("agent:ticket-escalate", args=[ticket.pk]), data, follow=True)

    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert Escalation.objects.exists() is False
