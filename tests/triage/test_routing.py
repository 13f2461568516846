"""Routing: rules → team/tier/tags, overflow, and the agent's weighted score (capacity, skill,
handle time), with the decision's inputs stored on the ticket."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import (
    AgentProfileFactory,
    AgentSkillFactory,
    CategoryFactory,
    RoutingRuleFactory,
    TagFactory,
    TeamFactory,
    TeamRoutingWeightsFactory,
    TicketFactory,
)
from tickets.models import AgentProfile, Ticket, TicketEvent, Tier
from tickets.services.routing import rank_agents, route_to_agent, routing_decide_team

pytestmark = pytest.mark.django_db


def _team(**kwargs):
    return routing_decide_team(
        category=kwargs.get("category"),
        priority=kwargs.get("priority", "MEDIUM"),
        is_vip=kwargs.get("vip", False),
        language=kwargs.get("language", "en"),
        subject=kwargs.get("subject", "Tap"),
        description=kwargs.get("description", "It drips."),
    )


# --- team and tier ---------------------------------------------------------------------------------


def test_the_first_matching_rule_decides_team_tier_and_tags():
    category = CategoryFactory.create(name="Plumbing")
    emergency, plumbing = TeamFactory.create(name="Emergency"), TeamFactory.create(name="Plumbers")
    rule = RoutingRuleFactory.create(name="Floods", position=10, keywords=["flood"], team=emergency, tier=Tier.L2)
    rule.add_tags.set([TagFactory.create(name="water-damage-risk")])
    RoutingRuleFactory.create(name="Plumbing", position=20, category=category, team=plumbing)

    flood = _team(category=category, description="There is a flood in the basement")
    drip = _team(category=category)

    assert (flood.team, flood.tier, flood.tag_names) == (emergency, Tier.L2, ("water-damage-risk",))
    assert flood.reason["rule"] == {"id": rule.pk, "name": "Floods", "conditions": ["keyword 'flood'"]}
    assert (drip.team, drip.tier, drip.tag_names) == (plumbing, Tier.L1, ())
    assert drip.reason["rule"]["conditions"] == ["category Plumbing"]


@pytest.mark.parametrize(
    ("condition", "ticket", "matches"),
    [
        ({"priority": "URGENT"}, {"priority": "URGENT"}, True),
        ({"priority": "URGENT"}, {"priority": "HIGH"}, False),
        ({"vip": True}, {"vip": True}, True),
        ({"vip": True}, {"vip": False}, False),
        ({"vip": False}, {"vip": False}, True),
        ({"language": "de"}, {"language": "de"}, True),
        ({"language": "de"}, {"language": "en"}, False),
        ({"keywords": ["gas"]}, {"subject": "Gas smell"}, True),
        ({"keywords": ["gas"]}, {"subject": "Gasket"}, False),
        ({}, {}, True),  # no condition: matches everything
    ],
)
def test_rule_conditions(condition, ticket, matches):
    team = TeamFactory.create()
    RoutingRuleFactory.create(team=team, **condition)

    assert (_team(**ticket).team == team) is matches


def test_a_rule_for_a_category_never_matches_an_unclassified_ticket():
    RoutingRuleFactory.create(category=CategoryFactory.create())

    assert (_team(category=None).team, _team(category=None).reason["via"]) == (None, "none")


def test_inactive_rules_are_skipped():
    RoutingRuleFactory.create(team=TeamFactory.create(), is_active=False)

    assert _team().team is None


def test_a_rule_with_only_a_tier_keeps_the_categorys_default_team():
    team = TeamFactory.create()
    category = CategoryFactory.create(default_team=team)
    RoutingRuleFactory.create(name="VIP to L2", team=None, tier=Tier.L2, vip=True)

    decision = _team(category=category, vip=True)

    assert (decision.team, decision.tier, decision.reason["via"]) == (team, Tier.L2, "category")


def test_a_deep_queue_overflows_to_the_overflow_team():
    overflow = TeamFactory.create(name="Overflow")
    team = TeamFactory.create(name="Main", queue_threshold=2, overflow_team=overflow)
    category = CategoryFactory.create(default_team=team)
    TicketFactory.create_batch(3, team=team)  # unassigned and open: deeper than 2

    decision = _team(category=category)

    assert decision.team == overflow
    assert decision.reason["overflow"] == [{"team": "Main", "queue": 3, "threshold": 2, "to_team": "Overflow"}]


def test_a_queue_at_its_threshold_does_not_overflow():
    team = TeamFactory.create(queue_threshold=2, overflow_team=TeamFactory.create())
    category = CategoryFactory.create(default_team=team)
    TicketFactory.create_batch(2, team=team)
    TicketFactory.create(team=team, assigned=True)  # assigned tickets are not in the queue

    assert _team(category=category).team == team


def test_without_an_overflow_team_a_deep_queue_goes_to_the_next_tier():
    team = TeamFactory.create(name="Solo", queue_threshold=0)
    category = CategoryFactory.create(default_team=team)
    TicketFactory.create(team=team)

    decision = _team(category=category)

    assert (decision.team, decision.tier) == (team, Tier.L2)
    assert decision.reason["overflow"][0]["to_tier"] == "L2"


# --- the agent -------------------------------------------------------------------------------------


def _agent(team, category, *, level=3, current=0, max_tickets=10, **kwargs):
    agent = AgentProfileFactory.create(team=team, max_tickets=max_tickets, **kwargs)
    AgentProfile.objects.filter(pk=agent.pk).update(current_ticket_count=current)
    agent.refresh_from_db()
    AgentSkillFactory.create(agent=agent, category=category, level=level)
    return agent


@pytest.fixture
def team_and_category():
    team = TeamFactory.create(name="Plumbers")
    return team, CategoryFactory.create(name="Plumbing", default_team=team)


def _waiting_ticket(team, category, **kwargs):
    return TicketFactory.create(team=team, category=category, **kwargs)


def test_the_agent_with_the_best_weighted_score_gets_the_ticket(team_and_category, settings):
    settings.ROUTING_WEIGHTS = {"capacity": 0.6, "skill": 0.4, "handle_time": 0.0}
    team, category = team_and_category
    busy_expert = _agent(team, category, level=5, current=8)  # 0.6*0.2 + 0.4*1.0 = 0.52
    free_novice = _agent(team, category, level=1, current=0)  # 0.6*1.0 + 0.4*0.2 = 0.68
    ticket = _waiting_ticket(team, category)

    route_to_agent(ticket=ticket)

    ticket.refresh_from_db()
    assert ticket.assigned_agent == free_novice
    reason = ticket.routing_reason["agent"]
    assert reason["outcome"] == "assigned"
    assert reason["weights"] == {"capacity": 0.6, "skill": 0.4, "handle_time": 0.0}
    assert [(c["id"], c["score"]) for c in reason["candidates"]] == [(free_novice.pk, 0.68), (busy_expert.pk, 0.52)]
    assert reason["chosen"]["capacity"] == 1.0 and reason["chosen"]["skill"] == 0.2
    free_novice.refresh_from_db()
    assert free_novice.current_ticket_count == 1
    event = TicketEvent.objects.get(ticket=ticket, kind=TicketEvent.Kind.ASSIGNED)
    assert (event.actor, event.data["to_agent"]) == (None, free_novice.pk)


def test_team_weights_override_the_settings(team_and_category):
    team, category = team_and_category
    TeamRoutingWeightsFactory.create(team=team, capacity=0.0, skill=1.0, handle_time=0.0)
    expert = _agent(team, category, level=5, current=9)
    _agent(team, category, level=2, current=0)
    ticket = _waiting_ticket(team, category)

    route_to_agent(ticket=ticket)

    assert Ticket.objects.get(pk=ticket.pk).assigned_agent == expert


def test_shorter_handle_time_in_the_category_scores_higher(team_and_category, settings):
    settings.ROUTING_WEIGHTS = {"capacity": 0.0, "skill": 0.0, "handle_time": 1.0}
    team, category = team_and_category
    fast, slow, new = (_agent(team, category) for _ in range(3))
    now = timezone.now()
    history = [(fast, 1, 1), (slow, 5, 1), (new, 1, 31 * 24)]  # the last one is older than the window
    for agent, hours, resolved_hours_ago in history:
        ticket = TicketFactory.create(assigned_agent=agent, category=category)
        resolved = now - timedelta(hours=resolved_hours_ago)
        Ticket.objects.filter(pk=ticket.pk).update(  # arrange a finished history directly
            status=Ticket.Status.RESOLVED,
            created_at=resolved - timedelta(hours=hours + 2),
            first_response_at=resolved - timedelta(hours=hours),
            resolved_at=resolved,
        )

    ranked, _ = rank_agents(team=team, category=category, tier=Tier.L1, now=now)

    assert [(s.agent, s.handle) for s in ranked] == [(fast, 1.0), (new, 0.5), (slow, 0.0)]
    assert [round(s.handle_hours, 1) if s.handle_hours else None for s in ranked] == [1.0, None, 5.0]


def test_ties_go_to_the_agent_assigned_least_recently(team_and_category):
    team, category = team_and_category
    now = timezone.now()
    recent = _agent(team, category)
    earlier = _agent(team, category)
    AgentProfile.objects.filter(pk=recent.pk).update(last_assigned_at=now - timedelta(minutes=1))
    AgentProfile.objects.filter(pk=earlier.pk).update(last_assigned_at=now - timedelta(hours=3))
    ticket = _waiting_ticket(team, category)

    route_to_agent(ticket=ticket)

    assert Ticket.objects.get(pk=ticket.pk).assigned_agent == earlier


@pytest.mark.parametrize(
    "excluded",
    [
        {"is_available": False},
        {"current": 3, "max_tickets": 3},
        {"other_team": True},
        {"no_skill": True},
        {"tier": Tier.L1, "ticket_tier": Tier.L2},
    ],
    ids=["unavailable", "full", "other-team", "no-skill", "tier-too-low"],
)
def test_agents_who_cannot_take_the_ticket_are_not_candidates(team_and_category, excluded):
    team, category = team_and_category
    excluded = dict(excluded)
    other = TeamFactory.create()
    agent_team = other if excluded.pop("other_team", False) else team
    agent_category = CategoryFactory.create() if excluded.pop("no_skill", False) else category
    ticket_tier = excluded.pop("ticket_tier", Tier.L1)
    agent = _agent(agent_team, agent_category, **excluded)
    ticket = _waiting_ticket(team, category, tier=ticket_tier)

    route_to_agent(ticket=ticket)

    ticket.refresh_from_db()
    assert ticket.assigned_agent is None
    assert ticket.routing_reason["agent"]["outcome"] == "queued"
    assert ticket.routing_reason["agent"]["candidates"] == []
    agent.refresh_from_db()
    assert agent.current_ticket_count == excluded.get("current", 0)  # no side effect on the agent
    assert not TicketEvent.objects.filter(ticket=ticket, kind=TicketEvent.Kind.ASSIGNED).exists()


def test_an_unclassified_ticket_waits_for_a_person(team_and_category):
    team, category = team_and_category
    _agent(team, category)
    ticket = TicketFactory.create(team=team, category=None)

    route_to_agent(ticket=ticket)

    ticket.refresh_from_db()
    assert (ticket.assigned_agent, ticket.routing_reason["agent"]["outcome"]) == (None, "queued")


@pytest.mark.parametrize("agents", [1, 8])
def test_ranking_costs_the_same_queries_for_one_or_many_agents(team_and_category, agents, django_assert_num_queries):
    team, category = team_and_category
    for _ in range(agents):
        _agent(team, category)

    with django_assert_num_queries(1):  # agents with skill level, handle time and the team's weights
        ranked, _ = rank_agents(team=team, category=category, tier=Tier.L1, now=timezone.now())

    assert len(ranked) == agents
