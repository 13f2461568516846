"""Breach alerts: acknowledgement, hand-off to the next available agent and then the lead when
nobody acknowledges, each hop recorded; cancelled when the clock stopped."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from accounts.models import Role
from helpdesk.errors import InvalidTransitionError
from notifications.models import Notification
from tests.factories import AgentProfileFactory, SLAAlertFactory, TeamFactory, TicketFactory, UserFactory
from tickets.models import SLAAlert, Ticket, TicketEvent
from tickets.services.alerts import alert_acknowledge, alert_raise, alerts_pass_on
from tickets.sla_selectors import alert_list_open_for

pytestmark = pytest.mark.django_db
State = SLAAlert.State


def _team_ticket():
    lead = UserFactory.create(role=Role.LEAD)
    team = TeamFactory.create(lead=lead)
    owner = AgentProfileFactory.create(team=team, current_ticket_count=5)
    busy = AgentProfileFactory.create(team=team, current_ticket_count=9, max_tickets=9)  # full: asked last
    free = AgentProfileFactory.create(team=team, current_ticket_count=2)
    AgentProfileFactory.create(team=team, is_available=False)  # away: never asked
    AgentProfileFactory.create()  # another team: never asked
    ticket = TicketFactory.create(team=team, assigned_agent=owner)
    return ticket, owner, free, busy, lead


def _raise(ticket, agent, now):
    return alert_raise(ticket=ticket, kind="FIRST_RESPONSE", agent=agent, escalation_id=None, now=now)


@override_settings(SLA_ACK_MINUTES=7)
def test_an_alert_must_be_acknowledged_within_the_configured_minutes():
    ticket, owner, *_ = _team_ticket()
    now = timezone.now()

    alert = _raise(ticket, owner.user, now)

    assert (alert.hop, alert.state, alert.ack_deadline) == (0, State.OPEN, now + timedelta(minutes=7))
    assert sorted(Notification.objects.filter(recipient=owner.user).values_list("channel", flat=True)) == [
        "EMAIL",
        "IN_APP",
    ]
    assert list(alert_list_open_for(user=owner.user)) == [alert]


def test_acknowledging_records_who_and_when_once():
    alert = SLAAlertFactory.create()

    alert_acknowledge(alert=alert, user=alert.agent)
    again = alert_acknowledge(alert=alert, user=alert.agent)  # a double click is harmless

    assert (again.state, again.acknowledged_by) == (State.ACKNOWLEDGED, alert.agent)
    event = TicketEvent.objects.get()
    assert (event.kind, event.actor, event.data["acknowledged"]) == ("SLA_CHANGED", alert.agent, True)
    assert alerts_pass_on(now=alert.ack_deadline + timedelta(hours=1)) == {}


def test_someone_else_cannot_acknowledge():
    alert = SLAAlertFactory.create()

    with pytest.raises(InvalidTransitionError):
        alert_acknowledge(alert=alert, user=AgentProfileFactory.create().user)

    alert.refresh_from_db()
    assert (alert.state, alert.acknowledged_at, TicketEvent.objects.exists()) == (State.OPEN, None, False)


def test_unacknowledged_alerts_pass_to_the_next_available_agent_then_the_lead():
    ticket, owner, free, busy, lead = _team_ticket()
    first = _raise(ticket, owner.user, timezone.now())

    assert alerts_pass_on(now=first.ack_deadline - timedelta(seconds=1)) == {}  # not yet
    assert alerts_pass_on(now=first.ack_deadline) == {"passed_on": 1}
    second = SLAAlert.objects.get(hop=1)
    assert alerts_pass_on(now=second.ack_deadline) == {"passed_on": 1}
    third = SLAAlert.objects.get(hop=2)
    assert alerts_pass_on(now=third.ack_deadline) == {"passed_on": 1}
    fourth = SLAAlert.objects.get(hop=3)
    assert alerts_pass_on(now=fourth.ack_deadline) == {"expired": 1}

    chain = list(SLAAlert.objects.order_by("hop").values_list("agent", "state", "escalated_to"))
    assert chain == [
        (owner.user.pk, State.PASSED_ON, free.user.pk),
        (free.user.pk, State.PASSED_ON, busy.user.pk),
        (busy.user.pk, State.PASSED_ON, lead.pk),
        (lead.pk, State.EXPIRED, None),
    ]
    assert second.previous == first
    hops = [e.data for e in TicketEvent.objects.filter(kind=TicketEvent.Kind.ESCALATED).order_by("pk")]
    assert [(h["reason"], h["hop"], h["to_user"]) for h in hops] == [
        ("UNACKNOWLEDGED", 1, free.user.pk),
        ("UNACKNOWLEDGED", 2, busy.user.pk),
        ("UNACKNOWLEDGED", 3, lead.pk),
    ]
    assert Notification.objects.filter(recipient=lead, channel="EMAIL").count() == 1


def test_an_acknowledged_hop_stops_the_chain():
    ticket, owner, free, *_ = _team_ticket()
    first = _raise(ticket, owner.user, timezone.now())
    alerts_pass_on(now=first.ack_deadline)
    second = SLAAlert.objects.get(hop=1)

    alert_acknowledge(alert=second, user=free.user)

    assert alerts_pass_on(now=second.ack_deadline + timedelta(hours=1)) == {}
    assert SLAAlert.objects.count() == 2
    with pytest.raises(InvalidTransitionError):  # the first hop is gone from its recipient
        alert_acknowledge(alert=first, user=owner.user)


def test_passing_on_twice_makes_one_hop():
    ticket, owner, *_ = _team_ticket()
    first = _raise(ticket, owner.user, timezone.now())

    alerts_pass_on(now=first.ack_deadline)
    alerts_pass_on(now=first.ack_deadline)

    assert SLAAlert.objects.filter(hop=1).count() == 1
    assert TicketEvent.objects.filter(kind=TicketEvent.Kind.ESCALATED).count() == 1


def test_an_alert_whose_clock_stopped_is_cancelled_not_passed_on():
    ticket, owner, *_ = _team_ticket()
    first = _raise(ticket, owner.user, timezone.now())
    Ticket.objects.filter(pk=ticket.pk).update(first_response_at=timezone.now())  # answered meanwhile

    assert alerts_pass_on(now=first.ack_deadline) == {"cancelled": 1}

    first.refresh_from_db()
    assert (first.state, SLAAlert.objects.count(), TicketEvent.objects.exists()) == (State.CANCELLED, 1, False)


def test_the_same_hop_is_never_raised_twice():
    ticket, owner, *_ = _team_ticket()
    now = timezone.now()

    assert _raise(ticket, owner.user, now) is not None
    assert _raise(ticket, owner.user, now) is None
    assert Notification.objects.count() == 2  # one email, one in-app
