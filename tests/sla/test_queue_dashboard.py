"""The live queue dashboard: colours by the share of the window used (computed in SQL), sort,
filters, counts, the rows partial that polls with the querystring, rebalancing, alerts, TV mode,
and a constant number of queries at 1 and at N tickets."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import AgentProfileFactory, SLAAlertFactory, TeamFactory, TicketFactory
from tickets.models import AgentProfile, SLAStatus, Ticket, TicketEvent
from tickets.queue_selectors import queue_counts, queue_tickets_visible_to

pytestmark = pytest.mark.django_db
WINDOW = timedelta(hours=2)


def _set_window(ticket: Ticket, used: float, **fields) -> Ticket:
    """Move the ticket's clock so that `used` (0.0–1.5) of a two-hour first-response window is gone."""
    created = timezone.now() - WINDOW * used
    Ticket.objects.filter(pk=ticket.pk).update(created_at=created, first_response_due=created + WINDOW, **fields)
    ticket.refresh_from_db()
    return ticket


@pytest.fixture
def agent_client(client):
    agent = AgentProfileFactory.create(user__full_name="Ada Agent")
    client.force_login(agent.user)
    client.agent = agent
    return client


def _colours(user) -> dict[int, str]:
    return dict(queue_tickets_visible_to(user=user).values_list("pk", "sla_colour"))


def test_each_row_is_coloured_by_the_share_of_its_window_used(agent_client):
    user = agent_client.agent.user
    green, yellow, orange, red = (_set_window(TicketFactory.create(), used) for used in (0.2, 0.6, 0.9, 1.1))
    flagged = _set_window(TicketFactory.create(), 0.1, first_response_sla=SLAStatus.BREACHED)
    no_deadline = TicketFactory.create(first_response_due=None)

    assert _colours(user) == {
        green.pk: "green",
        yellow.pk: "yellow",
        orange.pk: "orange",
        red.pk: "red",
        flagged.pk: "red",
        no_deadline.pk: "none",
    }


def test_the_boundaries_go_to_the_warmer_colour(agent_client):
    half = _set_window(TicketFactory.create(), 0.5)
    three_quarters = _set_window(TicketFactory.create(), 0.75)

    colours = _colours(agent_client.agent.user)

    # now() in the query is a moment later than in the test, so exactly 50 % is already past 50 %.
    assert (colours[half.pk], colours[three_quarters.pk]) == ("yellow", "orange")


def test_after_the_first_response_the_resolution_window_counts(agent_client):
    ticket = _set_window(TicketFactory.create(), 1.2)
    Ticket.objects.filter(pk=ticket.pk).update(
        first_response_at=timezone.now(), resolution_due=ticket.created_at + WINDOW * 10
    )

    row = queue_tickets_visible_to(user=agent_client.agent.user).get(pk=ticket.pk)

    assert (row.sla_colour, row.next_due, round(row.window_used)) == ("green", ticket.created_at + WINDOW * 10, 12)


def test_only_open_tickets_and_only_for_staff(agent_client):
    open_ticket = TicketFactory.create()
    done = TicketFactory.create()
    Ticket.objects.filter(pk=done.pk).update(
        status=Ticket.Status.CLOSED, resolved_at=timezone.now(), closed_at=timezone.now()
    )
    customer = open_ticket.customer

    assert list(queue_tickets_visible_to(user=agent_client.agent.user).values_list("pk", flat=True)) == [open_ticket.pk]
    assert list(queue_tickets_visible_to(user=customer)) == []


def test_the_page_sorts_by_the_next_deadline_and_shows_the_breached_badge(agent_client):
    later = _set_window(TicketFactory.create(subject="Later one"), 0.1)
    breached = _set_window(TicketFactory.create(subject="Breached one"), 1.3)

    response = agent_client.get(reverse("agent:queue"))

    assert response.status_code == 200
    rows = response.context["rows"]
    assert [t.pk for t in rows] == [breached.pk, later.pk]
    html = response.content.decode()
    assert f'id="queue-ticket-{breached.pk}" class="queue-row sla-red"' in html
    assert f'id="queue-ticket-{later.pk}" class="queue-row sla-green"' in html
    assert html.count(">Breached</span>") == 1
    assert 'href="/static/css/queue.css"' in html


@pytest.mark.parametrize(
    ("sort", "expected"),
    [("due", ["a", "b", "c"]), ("-due", ["c", "b", "a"]), ("used", ["a", "b", "c"]), ("priority", ["b", "c", "a"])],
)
def test_sort_options(agent_client, sort, expected):
    _set_window(TicketFactory.create(subject="a", priority="LOW"), 0.9)
    _set_window(TicketFactory.create(subject="b", priority="URGENT"), 0.5)
    c = _set_window(TicketFactory.create(subject="c", priority="HIGH"), 0.1)
    Ticket.objects.filter(pk=c.pk).update(first_response_due=c.created_at + WINDOW * 3)

    response = agent_client.get(reverse("agent:queue"), {"sort": sort})

    assert [t.subject for t in response.context["rows"]] == expected


def test_an_unknown_sort_falls_back_to_the_deadline(agent_client):
    TicketFactory.create()

    response = agent_client.get(reverse("agent:queue"), {"sort": "subject; drop table"})

    assert (response.status_code, response.context["sort"]) == (200, "due")


def test_filters_by_sla_state_team_and_priority(agent_client):
    team = TeamFactory.create()
    red_in_team = _set_window(TicketFactory.create(team=team, priority="HIGH"), 1.5)
    _set_window(TicketFactory.create(team=team, priority="LOW"), 1.5)
    _set_window(TicketFactory.create(team=team, priority="HIGH"), 0.1)
    _set_window(TicketFactory.create(priority="HIGH"), 1.5)

    response = agent_client.get(reverse("agent:queue"), {"sla": "red", "team": team.pk, "priority": "HIGH"})

    assert [t.pk for t in response.context["rows"]] == [red_in_team.pk]
    assert response.context["counts"]["total"] == 1


def test_bad_filter_values_are_a_form_error_not_a_500(agent_client):
    response = agent_client.get(reverse("agent:queue"), {"sla": "purple", "team": "x"})

    assert response.status_code == 200
    assert response.context["filter"].form.errors


def test_counts_per_colour_in_one_query(agent_client, django_assert_num_queries):
    for used in (0.1, 0.2, 0.6, 0.9, 1.2):
        _set_window(TicketFactory.create(), used)
    qs = queue_tickets_visible_to(user=agent_client.agent.user)

    with django_assert_num_queries(1):
        counts = queue_counts(qs)

    assert counts == {"total": 5, "green": 2, "yellow": 1, "orange": 1, "red": 1, "none": 0}


def test_the_rows_partial_carries_the_querystring_and_the_counts_out_of_band(agent_client):
    ticket = _set_window(TicketFactory.create(priority="HIGH"), 0.6)

    response = agent_client.get(reverse("agent:queue-rows"), {"priority": "HIGH", "sort": "used"})

    html = response.content.decode()
    assert html.lstrip().startswith('<tbody id="queue-rows" hx-get="/agent/queue/rows/?priority=HIGH&amp;sort=used"')
    assert 'hx-trigger="every 5s"' in html
    assert 'class="queue-row sla-yellow"' in html and f"#{ticket.number}" in html
    assert '<div id="queue-counts" class="queue-counts" hx-swap-oob="true"' in html
    assert "<html" not in html


def test_the_empty_state(agent_client):
    response = agent_client.get(reverse("agent:queue"))

    assert "No open tickets here" in response.content.decode()
    assert response.context["counts"]["total"] == 0


def test_the_agent_load_panel_highlights_overloaded_agents(agent_client):
    busy = AgentProfileFactory.create(max_tickets=2, user__full_name="Busy Bea")
    AgentProfile.objects.filter(pk=busy.pk).update(current_ticket_count=3)

    response = agent_client.get(reverse("agent:queue"))

    agents = response.context["agents"]
    assert [(a.pk, a.overloaded, a.load_pct) for a in agents] == [
        (busy.pk, True, 150),
        (agent_client.agent.pk, False, 0),
    ]
    html = response.content.decode()
    assert f'id="agent-load-{busy.pk}"' in html and "is-overloaded" in html
    assert f'name="from_agent" value="{busy.pk}"' in html


def test_rebalance_moves_the_most_urgent_tickets_through_ticket_assign(agent_client):
    busy = AgentProfileFactory.create()
    urgent, soon, later = (_set_window(TicketFactory.create(assigned_agent=busy), u) for u in (1.2, 0.8, 0.1))
    AgentProfile.objects.filter(pk=busy.pk).update(current_ticket_count=3)
    target = agent_client.agent

    response = agent_client.post(
        reverse("agent:rebalance"),
        {"from_agent": busy.pk, "to_agent": target.pk, "count": 2, "next": "/agent/queue/?sort=used"},
    )

    assert (response.status_code, response["Location"]) == (302, "/agent/queue/?sort=used")
    assigned = dict(Ticket.objects.values_list("pk", "assigned_agent_id"))
    assert assigned == {urgent.pk: target.pk, soon.pk: target.pk, later.pk: busy.pk}
    busy.refresh_from_db()
    target.refresh_from_db()
    assert (busy.current_ticket_count, target.current_ticket_count) == (1, 2)
    assert TicketEvent.objects.filter(kind=TicketEvent.Kind.ASSIGNED).count() == 2


@pytest.mark.parametrize(
    "data",
    [
        {"count": 1},  # no agents
        {"count": 0, "same": True},
        {"count": 51},
        {"count": "x"},
    ],
)
def test_bad_rebalance_requests_move_nothing(agent_client, data):
    busy = AgentProfileFactory.create()
    ticket = TicketFactory.create(assigned_agent=busy)
    post = {"count": data["count"]}
    if "same" in data:
        post |= {"from_agent": busy.pk, "to_agent": busy.pk}
    elif data["count"] != 1:
        post |= {"from_agent": busy.pk, "to_agent": agent_client.agent.pk}

    response = agent_client.post(reverse("agent:rebalance"), post)

    assert (response.status_code, response["Location"]) == (302, reverse("agent:queue"))
    ticket.refresh_from_db()
    assert ticket.assigned_agent_id == busy.pk
    assert not TicketEvent.objects.filter(kind=TicketEvent.Kind.ASSIGNED).exists()


def test_rebalance_to_the_same_agent_is_refused_with_a_message(agent_client):
    busy = AgentProfileFactory.create()
    TicketFactory.create(assigned_agent=busy)

    response = agent_client.post(
        reverse("agent:rebalance"), {"from_agent": busy.pk, "to_agent": busy.pk, "count": 1}, follow=True
    )

    assert "Choose a different agent" in response.content.decode()


def test_the_queue_shows_my_open_alerts_with_the_acknowledge_button(agent_client):
    mine = SLAAlertFactory.create(ticket__assigned_agent=agent_client.agent)
    SLAAlertFactory.create()  # someone else's

    response = agent_client.get(reverse("agent:queue"))

    assert [a.pk for a in response.context["alerts"]] == [mine.pk]
    html = response.content.decode()
    assert f'hx-post="{reverse("agent:alert-ack", args=[mine.pk])}"' in html


def test_tv_mode_has_no_navigation_and_keeps_polling(agent_client):
    TicketFactory.create()

    response = agent_client.get(reverse("agent:queue"), {"tv": "1"})

    html = response.content.decode()
    assert 'class="queue-tv"' in html and "is-tv" in html
    assert "main-nav" not in html and "filter-bar" not in html
    assert 'hx-get="/agent/queue/rows/?tv=1"' in html


def test_the_nav_links_to_the_live_queue(agent_client):
    response = agent_client.get(reverse("agent:ticket-list"))

    assert f'href="{reverse("agent:queue")}"' in response.content.decode()


@pytest.mark.parametrize("url", ["agent:queue", "agent:queue-rows"])
def test_customers_and_anonymous_cannot_see_the_queue(client, url):
    ticket = TicketFactory.create()

    anonymous = client.get(reverse(url))
    client.force_login(ticket.customer)
    customer = client.get(reverse(url))

    assert anonymous.status_code == 302
    assert customer.status_code == 403


def _many(n: int) -> None:
    team = TeamFactory.create()
    agents = AgentProfileFactory.create_batch(2, team=team)
    for i in range(n):
        ticket = TicketFactory.create(team=team, assigned_agent=agents[i % 2])
        _set_window(ticket, (i % 12) / 10)
        SLAAlertFactory.create(ticket=ticket, agent=agents[0].user) if i < 3 else None


@pytest.mark.parametrize("n", [1, 25])
def test_the_first_page_runs_the_same_queries_at_1_and_n_tickets(agent_client, django_assert_num_queries, n):
    _many(n)
    url = reverse("agent:queue")
    agent_client.get(url)  # warm the session

    with django_assert_num_queries(9):
        response = agent_client.get(url, {"sort": "used", "priority": ["HIGH", "MEDIUM"]})

    assert len(response.context["rows"]) == n


@pytest.mark.parametrize("n", [1, 25])
def test_the_refresh_partial_runs_the_same_queries_at_1_and_n_tickets(agent_client, django_assert_num_queries, n):
    _many(n)
    url = reverse("agent:queue-rows")

    with django_assert_num_queries(4):
        response = agent_client.get(url, {"sla": ["green", "yellow", "orange", "red"]})

    assert len(response.context["rows"]) == n
