"""The django-q2 entry points and their schedules: declared by migrations, idempotent when run twice."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_q.models import Schedule

from notifications import tasks as notification_tasks
from notifications.models import Notification
from tests.factories import AgentProfileFactory, NotificationFactory, SLAAlertFactory, TicketFactory
from tickets import tasks
from tickets.models import Escalation, SLAAlert

pytestmark = pytest.mark.django_db


def test_the_schedules_are_declared_by_migrations():
    rows = set(
        Schedule.objects.filter(name__startswith=("tickets.sla")).values_list(
            "name", "func", "schedule_type", "minutes"
        )
    )
    rows |= set(
        Schedule.objects.filter(name="notifications.deliver_due").values_list(
            "name", "func", "schedule_type", "minutes"
        )
    )

    assert rows == {
        ("tickets.sla_sweep", "tickets.tasks.sla_sweep", "I", 5),
        ("tickets.sla_alerts_pass_on", "tickets.tasks.sla_alerts_pass_on", "I", 1),
        ("notifications.deliver_due", "notifications.tasks.deliver_due", "I", 1),
    }


def test_the_sweep_task_run_twice_escalates_once():
    agent = AgentProfileFactory.create()
    TicketFactory.create(
        team=agent.team,
        assigned_agent=agent,
        first_response_risk_at=timezone.now() - timedelta(hours=1),
        first_response_due=timezone.now() - timedelta(minutes=1),
    )

    first, second = tasks.sla_sweep(), tasks.sla_sweep()

    assert (first["FIRST_RESPONSE:BREACHED"], first["escalated"]) == (1, 1)
    assert (second["FIRST_RESPONSE:BREACHED"], second["escalated"]) == (0, 0)
    assert (Escalation.objects.count(), SLAAlert.objects.count()) == (1, 1)


def test_the_pass_on_task_run_twice_makes_one_hop():
    owner = AgentProfileFactory.create()
    AgentProfileFactory.create(team=owner.team)
    ticket = TicketFactory.create(team=owner.team, assigned_agent=owner)
    SLAAlertFactory.create(ticket=ticket, agent=owner.user, ack_deadline=timezone.now() - timedelta(minutes=1))

    assert (tasks.sla_alerts_pass_on(), tasks.sla_alerts_pass_on()) == ({"passed_on": 1}, {})
    assert SLAAlert.objects.filter(hop=1).count() == 1


def test_the_delivery_task_run_twice_sends_once(mailoutbox):
    pending = NotificationFactory.create(channel="EMAIL", status="PENDING", sent_at=None)

    assert notification_tasks.deliver_due() == {"reaped": 0, "sent": 1}
    assert notification_tasks.deliver_due() == {"reaped": 0}
    assert notification_tasks.notification_deliver(pending.pk) == "skipped"
    assert [m.subject for m in mailoutbox] == [pending.subject]
    assert Notification.objects.get(pk=pending.pk).status == "SENT"
