"""Automatic escalation from the sweep (at risk, breached), touch-and-hold vs handover, alerts and
notifications, exactly-once, surviving bad data; manual escalation; escalation rate per team."""

import logging
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from helpdesk.errors import DomainValidationError, InvalidTransitionError
from notifications.models import Notification
from tests.factories import (
    AgentProfileFactory,
    EscalationFactory,
    SLAPolicyFactory,
    TeamFactory,
    TicketFactory,
    UserFactory,
)
from tickets.models import AgentProfile, Escalation, SLAAlert, SLAPolicy, SLAStatus, Ticket, TicketEvent
from tickets.services.escalation import ticket_escalate
from tickets.services.sweep import sla_sweep
from tickets.sla_selectors import escalation_rate_by_team

pytestmark = pytest.mark.django_db
NOW = timezone.now()
RISK = NOW + timedelta(minutes=1)
DUE = NOW + timedelta(minutes=30)


def _setup(*, touch_and_hold=True, risk_to=SLAPolicy.RiskEscalation.SENIOR_AGENT, webhook=""):
    lead = UserFactory.create(role=Role.LEAD, email=f"lead-{timezone.now().timestamp()}@example.test")
    team = TeamFactory.create(lead=lead, touch_and_hold=touch_and_hold, chat_webhook_url=webhook)
    SLAPolicyFactory.create(priority="MEDIUM", team=team, escalate_at_risk_to=risk_to)
    owner = AgentProfileFactory.create(team=team, tier=1, current_ticket_count=1)
    senior = AgentProfileFactory.create(team=team, tier=2)
    ticket = TicketFactory.create(
        team=team,
        assigned_agent=owner,
        first_response_risk_at=RISK,
        first_response_due=DUE,
        resolution_risk_at=NOW + timedelta(days=1),
        resolution_due=NOW + timedelta(days=2),
    )
    return ticket, owner, senior, lead


def _channels(user) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("channel", flat=True))


def test_at_risk_goes_to_a_senior_agent_who_collaborates_while_the_owner_holds():
    ticket, owner, senior, lead = _setup()

    counts = sla_sweep(now=RISK)

    assert counts["escalated"] == 1
    escalation = Escalation.objects.get()
    assert (escalation.reason, escalation.sla_kind, escalation.level) == ("AUTO_SLA_RISK", "FIRST_RESPONSE", "AT_RISK")
    assert (escalation.from_tier, escalation.to_tier, escalation.from_agent, escalation.to_agent) == (
        1,
        2,
        owner,
        senior,
    )
    ticket.refresh_from_db()
    assert (ticket.assigned_agent, ticket.tier, list(ticket.collaborators.all())) == (owner, 2, [senior])
    event = TicketEvent.objects.get(kind=TicketEvent.Kind.ESCALATED)
    assert (event.data["mode"], event.data["escalation"]) == ("touch_and_hold", escalation.pk)
    assert _channels(senior.user) == ["EMAIL", "IN_APP"]
    assert _channels(lead) == []  # the lead hears about breaches, not risks
    assert SLAAlert.objects.exists() is False


def test_without_touch_and_hold_the_ticket_is_handed_over_with_exact_counters():
    ticket, owner, senior, _ = _setup(touch_and_hold=False, risk_to=SLAPolicy.RiskEscalation.NEXT_TIER)

    sla_sweep(now=RISK)

    ticket.refresh_from_db()
    owner.refresh_from_db()
    senior.refresh_from_db()
    assert (ticket.assigned_agent, ticket.tier, ticket.collaborators.count()) == (senior, 2, 0)
    assert (owner.current_ticket_count, senior.current_ticket_count) == (0, 1)
    assert TicketEvent.objects.filter(kind=TicketEvent.Kind.ASSIGNED).count() == 1
    assert TicketEvent.objects.get(kind=TicketEvent.Kind.ESCALATED).data["mode"] == "handover"


def test_breach_escalates_to_the_next_tier_tells_the_lead_and_the_chat_room_and_alerts_the_owner():
    ticket, owner, _, lead = _setup(webhook="https://chat.example.test/hooks/abc")

    sla_sweep(now=RISK)
    sla_sweep(now=DUE + timedelta(seconds=1))

    breach = Escalation.objects.get(level="BREACHED")
    assert (breach.reason, breach.from_tier, breach.to_tier) == ("AUTO_SLA_BREACH", 2, 3)
    assert _channels(lead) == ["EMAIL", "IN_APP"]
    chat = Notification.objects.get(channel="CHAT")
    assert (chat.webhook_url, chat.subject) == (
        "https://chat.example.test/hooks/abc",
        f"Ticket #{ticket.number} escalated to L3: SLA breached",
    )
    alert = SLAAlert.objects.get()
    assert (alert.agent, alert.kind, alert.hop, alert.state, alert.escalation) == (
        owner.user,
        "FIRST_RESPONSE",
        0,
        "OPEN",
        breach,
    )
    assert "/agent/alerts/acknowledge/" in Notification.objects.get(recipient=owner.user, channel="EMAIL").body
    ticket.refresh_from_db()
    assert (ticket.first_response_sla, ticket.sla_breached, ticket.assigned_agent) == ("BREACHED", True, owner)


def test_running_the_sweep_again_escalates_nothing_twice():
    _setup(webhook="https://chat.example.test/hooks/abc")
    later = DUE + timedelta(seconds=1)

    sla_sweep(now=RISK)
    sla_sweep(now=later)
    rows = (
        Escalation.objects.count(),
        Notification.objects.count(),
        SLAAlert.objects.count(),
        TicketEvent.objects.count(),
    )
    again = sla_sweep(now=later)

    assert (again["escalated"], again["skipped"], again["errors"]) == (0, 0, 0)
    assert (
        Escalation.objects.count(),
        Notification.objects.count(),
        SLAAlert.objects.count(),
        TicketEvent.objects.count(),
    ) == rows
    assert sorted(Escalation.objects.values_list("sla_kind", "level")) == [
        ("FIRST_RESPONSE", "AT_RISK"),
        ("FIRST_RESPONSE", "BREACHED"),
    ]


def test_a_ticket_without_team_or_agent_still_gets_one_escalation():
    TicketFactory.create(first_response_risk_at=RISK, first_response_due=DUE)

    sla_sweep(now=DUE + timedelta(seconds=1))

    escalation = Escalation.objects.get()
    assert (escalation.to_tier, escalation.to_agent, escalation.level) == (2, None, "BREACHED")
    assert SLAAlert.objects.exists() is False  # nobody to alert: logged


def test_an_l3_ticket_stays_at_l3():
    ticket, *_ = _setup()
    Ticket.objects.filter(pk=ticket.pk).update(tier=3)

    sla_sweep(now=DUE + timedelta(seconds=1))

    assert list(Escalation.objects.values_list("from_tier", "to_tier")) == [(3, 3)]


def test_the_sweep_logs_a_ticket_with_inconsistent_data_and_goes_on(caplog):
    broken, owner, *_ = _setup(touch_and_hold=False)
    AgentProfile.objects.filter(pk=owner.pk).update(
        current_ticket_count=0
    )  # drifted counter: handover would go negative
    healthy = TicketFactory.create(first_response_risk_at=RISK, first_response_due=DUE)

    with caplog.at_level(logging.ERROR, logger="tickets.services.sweep"):
        counts = sla_sweep(now=DUE + timedelta(seconds=1))

    assert (counts["escalated"], counts["errors"]) == (1, 1)
    assert list(Escalation.objects.values_list("ticket", flat=True)) == [healthy.pk]
    assert f"escalating ticket {broken.pk}" in caplog.text
    broken.refresh_from_db()
    assert (broken.first_response_sla, broken.assigned_agent) == (
        "BREACHED",
        owner,
    )  # marked; escalation retried next run


def test_an_escalation_that_already_exists_is_not_repeated_after_a_status_reset():
    ticket, *_ = _setup()
    EscalationFactory.create(ticket=ticket, sla_kind="FIRST_RESPONSE", level="AT_RISK", reason="AUTO_SLA_RISK")

    counts = sla_sweep(now=RISK)

    assert counts["escalated"] == 0
    assert Escalation.objects.count() == 1


# --- manual escalation --------------------------------------------------------------------------------


def test_an_agent_escalates_by_hand_with_a_reason():
    ticket, owner, senior, _ = _setup()

    escalation = ticket_escalate(ticket=ticket, actor=owner.user, note="Needs a gas-certified technician.")

    assert (escalation.reason, escalation.escalated_by, escalation.note) == (
        "MANUAL",
        owner.user,
        "Needs a gas-certified technician.",
    )
    assert (escalation.sla_kind, escalation.to_tier, escalation.to_agent) == ("", 2, senior)
    ticket.refresh_from_db()
    assert (ticket.tier, ticket.assigned_agent, list(ticket.collaborators.all())) == (2, owner, [senior])
    event = TicketEvent.objects.get(kind=TicketEvent.Kind.ESCALATED)
    assert (event.actor, event.data["reason"]) == (owner.user, "MANUAL")


def test_manual_escalation_with_a_new_priority_sets_a_new_sla():
    ticket, owner, *_ = _setup()
    Ticket.objects.filter(pk=ticket.pk).update(first_response_sla=SLAStatus.BREACHED, sla_breached=True)
    before = timezone.now()

    ticket_escalate(ticket=ticket, actor=owner.user, note="Customer has no heating.", priority="URGENT")

    ticket.refresh_from_db()
    assert (ticket.priority, ticket.priority_source, ticket.first_response_sla, ticket.sla_breached) == (
        "URGENT",
        "AGENT",
        "WITHIN",
        True,
    )
    assert (
        timedelta(hours=1) <= ticket.first_response_due - before < timedelta(hours=1, seconds=5)
    )  # default URGENT: 1 h
    assert TicketEvent.objects.filter(kind=TicketEvent.Kind.PRIORITY_CHANGED).count() == 1


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"note": "   "}, DomainValidationError),
        ({"note": "x", "to_tier": 1}, DomainValidationError),
        ({"note": "x", "priority": "SOON"}, DomainValidationError),
    ],
    ids=["no-reason", "not-a-higher-tier", "bad-priority"],
)
def test_manual_escalation_rejects_bad_input_without_side_effects(kwargs, error):
    ticket, owner, *_ = _setup()

    with pytest.raises(error):
        ticket_escalate(ticket=ticket, actor=owner.user, **kwargs)

    assert (Escalation.objects.exists(), TicketEvent.objects.exists(), Notification.objects.exists()) == (
        False,
        False,
        False,
    )


@pytest.mark.parametrize("case", ["closed", "already-l3"])
def test_manual_escalation_refuses_impossible_moves(case):
    ticket, owner, *_ = _setup()
    if case == "closed":
        Ticket.objects.filter(pk=ticket.pk).update(
            status="CLOSED", resolved_at=timezone.now(), closed_at=timezone.now()
        )
    else:
        Ticket.objects.filter(pk=ticket.pk).update(tier=3)

    with pytest.raises(InvalidTransitionError):
        ticket_escalate(ticket=ticket, actor=owner.user, note="Please help")

    assert (Escalation.objects.exists(), TicketEvent.objects.exists()) == (False, False)


# --- escalation rate per team ---------------------------------------------------------------------


@pytest.mark.parametrize("n_teams", [1, 4])
def test_escalation_rate_per_team_is_one_query(django_assert_num_queries, n_teams):
    teams = [TeamFactory.create(name=f"Team {i:02d}") for i in range(n_teams)]
    for team in teams:
        escalated, *_ = TicketFactory.create_batch(4, team=team)
        EscalationFactory.create_batch(2, ticket=escalated)  # twice: still one escalated ticket
    TicketFactory.create(team=teams[0])

    with django_assert_num_queries(1):
        rates = escalation_rate_by_team(since=NOW - timedelta(hours=1))

    assert (rates[0].team_name, rates[0].tickets, rates[0].escalated) == ("Team 00", 5, 1)
    assert [round(r.rate, 2) for r in rates] == [0.2] + [0.25] * (n_teams - 1)


def test_escalation_rate_can_look_at_one_tier_and_reason():
    team = TeamFactory.create()
    a, b = TicketFactory.create_batch(2, team=team)
    EscalationFactory.create(ticket=a, from_tier=1, reason="AUTO_SLA_BREACH")
    EscalationFactory.create(ticket=b, from_tier=2, reason="MANUAL")

    [from_l1] = escalation_rate_by_team(since=NOW - timedelta(hours=1), from_tier=1)
    [manual] = escalation_rate_by_team(since=NOW - timedelta(hours=1), reasons=["MANUAL"])

    assert (from_l1.escalated, manual.escalated, manual.rate) == (1, 1, 0.5)
