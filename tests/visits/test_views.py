"""Visit pages: the agent plans visits and handles a group; the customer follows their visits."""

from datetime import UTC, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import PreferredWindowFactory, ProposalFactory, SkillFactory
from tests.visits.helpers import at, day, expert, group, schedule_directly, skill, ticket
from tickets.models import Ticket
from visits.models import Incident, RescheduleOffer, Visit, VisitGroup, VisitWindow
from visits.services.incidents import incident_report
from visits.services.reschedule import reschedule_offer_send, visit_groups_expire

pytestmark = pytest.mark.django_db


def _visit_form(trade, **changes):
    data = {
        "v0_skill": trade.pk,
        "v0_min_skill_level": 2,
        "v0_experts_needed": 1,
        "v0_duration_minutes": 90,
        "v0_w1_date": day().isoformat(),
        "v0_w1_start": "09:00",
        "v0_w1_end": "12:00",
    }
    for i in (1, 2):
        data.update({f"v{i}_min_skill_level": 1, f"v{i}_experts_needed": 1, f"v{i}_duration_minutes": 60})
        data.update({f"v{i}_min_gap_minutes": 0, f"v{i}_max_gap_minutes": 60})
    return {**data, **changes}


# --- agent ------------------------------------------------------------------------------------


def test_the_agent_form_starts_from_the_tickets_preferred_windows(client, agent):
    on = ticket()
    PreferredWindowFactory.create(ticket=on, window=(at(14), at(17)))
    client.force_login(agent)

    response = client.get(reverse("agent:visit-group-new", args=[on.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert f'value="{day().isoformat()}"' in body
    assert 'value="14:00"' in body


def test_the_agent_plans_a_plumber_then_an_electrician(client, agent):
    plumbing, electrical = skill("Plumbing"), skill("Electrical")
    on = ticket()
    client.force_login(agent)
    data = _visit_form(
        plumbing,
        v1_skill=electrical.pk,
        v1_depends_on=0,
        v1_max_gap_minutes=30,
        v1_w1_date=day().isoformat(),
        v1_w1_start="09:00",
        v1_w1_end="16:00",
    )

    response = client.post(reverse("agent:visit-group-new", args=[on.pk]), data)

    group = VisitGroup.objects.get(ticket=on)
    assert response.status_code == 302
    assert response["Location"] == reverse("agent:visit-group", args=[group.pk])
    first, second = group.visits.order_by("position")
    assert (first.required_skill, first.min_skill_level, first.duration_minutes) == (plumbing, 2, 90)
    assert (second.required_skill, second.depends_on, second.max_gap_minutes) == (electrical, first, 30)


def test_a_bad_plan_shows_the_error_on_the_field(client, agent):
    trade = skill()
    on = ticket()
    client.force_login(agent)

    response = client.post(
        reverse("agent:visit-group-new", args=[on.pk]),
        _visit_form(trade, v0_w1_date="", v0_w1_start="", v0_w1_end=""),
    )

    assert response.status_code == 422
    assert "Give at least one time window." in response.content.decode()
    assert VisitGroup.objects.exists() is False


def test_the_group_page_shows_every_proposal_and_the_alternatives(client, agent):
    trade = skill()
    g = group(trade, needed=2)
    visit = g.visits.get()
    a, b = expert(trade), expert(trade)
    ProposalFactory.create(visit=visit, expert=a, start_at=at(10))
    ProposalFactory.create(visit=visit, expert=b, start_at=at(15), is_alternative=True)
    ProposalFactory.create(visit=visit, expert=a, start_at=at(15), is_alternative=True)
    client.force_login(agent)

    response = client.get(reverse("agent:visit-group", args=[g.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("<td>" + a.user.display_name + "</td>") == 2
    assert "Alternative" in body and "In window" in body
    assert "Offer these to the customer" in body  # 15:00 with a and b is complete


@pytest.mark.parametrize("n_proposals", [1, 8], ids=["one", "eight"])
def test_group_page_query_count_is_bounded(client, agent, django_assert_max_num_queries, n_proposals):
    trade = skill()
    g = group(trade)
    for i in range(n_proposals):
        ProposalFactory.create(
            visit=g.visits.get(), expert=expert(trade), start_at=at(15) + timedelta(minutes=30 * i), is_alternative=True
        )
    client.force_login(agent)
    url = reverse("agent:visit-group", args=[g.pk])
    client.get(url)

    with django_assert_max_num_queries(18):
        response = client.get(url)

    assert response.status_code == 200


def test_the_agent_sends_an_offer_with_one_click(client, agent):
    trade = skill()
    g = group(trade)
    ProposalFactory.create(visit=g.visits.get(), expert=expert(trade), start_at=at(15), is_alternative=True)
    client.force_login(agent)

    response = client.post(reverse("agent:visit-group-offer", args=[g.pk]))

    assert response.status_code == 302
    offer = RescheduleOffer.objects.get(group=g)
    assert (offer.sent_by, len(offer.options)) == (agent, 1)


def test_run_matching_now_books_a_full_group(client, agent):
    trade = skill()
    g = group(trade)
    ProposalFactory.create(visit=g.visits.get(), expert=expert(trade), start_at=at(10))
    client.force_login(agent)

    client.post(reverse("agent:visit-group-finalize", args=[g.pk]))

    g.refresh_from_db()
    assert g.status == VisitGroup.Status.SCHEDULED


def test_the_agent_edits_a_visits_windows(client, agent):
    trade = skill()
    visit = group(trade).visits.get()
    client.force_login(agent)

    response = client.post(
        reverse("agent:visit-windows", args=[visit.pk]),
        {f"v{visit.pk}-w1_date": day().isoformat(), f"v{visit.pk}-w1_start": "13:00", f"v{visit.pk}-w1_end": "18:00"},
    )

    assert response.status_code == 302
    assert [w.window.lower for w in VisitWindow.objects.filter(visit=visit)] == [at(13)]


def test_the_agent_resolves_a_nobody_home_incident(client, agent):
    trade = skill()
    visit = group(trade).visits.get()
    who = expert(trade)
    start = (timezone.now() - timedelta(minutes=30)).replace(second=0, microsecond=0)
    schedule_directly(visit, start, start + timedelta(hours=1), [who])
    incident = incident_report(visit=visit, expert=who, kind=Incident.Kind.NOBODY_HOME)
    client.force_login(agent)

    client.post(reverse("agent:incident-resolve", args=[incident.pk]), {"resolution": "Rescheduled by phone"})

    incident.refresh_from_db()
    assert (incident.status, incident.resolution) == (Incident.Status.RESOLVED, "Rescheduled by phone")


def test_the_agent_ticket_page_loads_the_visits_panel(client, agent):
    trade = skill()
    g = group(trade)
    client.force_login(agent)

    page = client.get(reverse("agent:ticket-detail", args=[g.ticket_id])).content.decode()
    panel = client.get(reverse("agent:ticket-visits", args=[g.ticket_id])).content.decode()

    assert f'hx-get="{reverse("agent:ticket-visits", args=[g.ticket_id])}"' in page
    assert reverse("agent:visit-group", args=[g.pk]) in panel
    assert "Looking for experts" in panel


# --- customer ---------------------------------------------------------------------------------


def test_the_customer_sees_times_and_experts_on_the_ticket_page(client):
    trade = skill("Plumbing")
    g = group(trade)
    visit = g.visits.get()
    who = expert(trade)
    schedule_directly(visit, at(10), at(11), [who])
    client.force_login(g.ticket.customer)

    page = client.get(reverse("tickets:detail", args=[g.ticket_id])).content.decode()
    panel = client.get(reverse("visits:ticket", args=[g.ticket_id]), headers={"HX-Request": "true"}).content.decode()

    assert f'hx-get="{reverse("visits:ticket", args=[g.ticket_id])}"' in page
    assert "Plumbing" in panel
    assert who.user.display_name in panel
    assert reverse("visits:calendar", args=[g.pk]) in panel


@pytest.mark.parametrize("n_visits", [1, 3], ids=["one", "three"])
def test_ticket_visits_panel_query_count_does_not_grow(client, django_assert_max_num_queries, n_visits):
    on = ticket()
    for _ in range(n_visits):
        group(skill(f"Trade {_}"), on=on)
    client.force_login(on.customer)
    url = reverse("visits:ticket", args=[on.pk])
    client.get(url)

    with django_assert_max_num_queries(8):  # session, user, ticket, groups, visits, windows, bookings, offers
        response = client.get(url)

    assert response.status_code == 200


def test_another_customers_visits_are_not_found(client, other_customer):
    g = group(skill())
    client.force_login(other_customer)

    assert client.get(reverse("visits:ticket", args=[g.ticket_id])).status_code == 404
    assert client.get(reverse("visits:calendar", args=[g.pk])).status_code == 404


def test_my_visits_lists_only_mine(client):
    g = group(skill("Plumbing"))
    group(skill("Electrical"))  # someone else's
    client.force_login(g.ticket.customer)

    response = client.get(reverse("visits:mine"))

    assert [v.group_id for v in response.context["visits"]] == [g.pk]


def test_the_customer_accepts_an_offer_on_the_ticket_page(client, agent):
    trade = skill()
    g = group(trade)
    VisitGroup.objects.filter(pk=g.pk).update(match_deadline=timezone.now() - timedelta(minutes=1))
    ProposalFactory.create(visit=g.visits.get(), expert=expert(trade), start_at=at(15), is_alternative=True)
    visit_groups_expire()
    offer = reschedule_offer_send(group=g, actor=agent)
    client.force_login(g.ticket.customer)
    panel = client.get(reverse("visits:ticket", args=[g.ticket_id])).content.decode()
    assert reverse("visits:offer-accept", args=[offer.pk]) in panel

    response = client.post(reverse("visits:offer-accept", args=[offer.pk]), {"option": 0})

    assert response.status_code == 302
    g.refresh_from_db()
    assert g.status == VisitGroup.Status.SCHEDULED


def test_nobody_else_accepts_the_customers_offer(client, other_customer):
    g = group(skill())
    offer = RescheduleOffer.objects.create(group=g, options=[{"visits": []}])
    client.force_login(other_customer)

    assert client.post(reverse("visits:offer-accept", args=[offer.pk]), {"option": 0}).status_code == 404
    offer.refresh_from_db()
    assert offer.status == RescheduleOffer.Status.PENDING


def test_the_customer_chooses_times_for_a_follow_up(client):
    trade = skill()
    g = group(trade)
    follow_up = Visit.objects.create(group=g, position=2, required_skill=trade)
    client.force_login(g.ticket.customer)
    panel = client.get(reverse("visits:ticket", args=[g.ticket_id])).content.decode()
    assert reverse("visits:windows", args=[follow_up.pk]) in panel

    client.post(
        reverse("visits:windows", args=[follow_up.pk]),
        {
            f"v{follow_up.pk}-w1_date": day().isoformat(),
            f"v{follow_up.pk}-w1_start": "14:00",
            f"v{follow_up.pk}-w1_end": "16:00",
        },
    )

    assert [w.window.lower for w in follow_up.windows.all()] == [at(14)]


def test_the_calendar_file_for_the_customer_and_the_booked_expert(client):
    trade = skill("Plumbing")
    g = group(trade)
    who = expert(trade)
    schedule_directly(g.visits.get(), at(10), at(11), [who])

    for user in (g.ticket.customer, who.user):
        client.force_login(user)
        response = client.get(reverse("visits:calendar", args=[g.pk]))
        body = response.content.decode()
        assert response["Content-Type"].startswith("text/calendar")
        assert "BEGIN:VEVENT" in body and "SUMMARY:Plumbing – #" in body
        assert "DTSTART:" + at(10).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ") in body

    client.force_login(expert(trade).user)
    assert client.get(reverse("visits:calendar", args=[g.pk])).status_code == 404


def test_experts_and_customers_cannot_plan_visits(client, customer):
    on = ticket(status=Ticket.Status.OPEN)
    SkillFactory.create()
    for user in (customer, expert(skill()).user):
        client.force_login(user)
        assert client.get(reverse("agent:visit-group-new", args=[on.pk])).status_code == 403


def test_the_admin_action_runs_matching(admin_client):
    trade = skill()
    full, waiting = group(trade), group(trade)
    ProposalFactory.create(visit=full.visits.get(), expert=expert(trade), start_at=at(10))

    admin_client.post(
        reverse("admin:visits_visitgroup_changelist"),
        {"action": "run_matching", "_selected_action": [full.pk, waiting.pk]},
    )

    assert dict(VisitGroup.objects.values_list("pk", "status")) == {full.pk: "SCHEDULED", waiting.pk: "MATCHING"}
