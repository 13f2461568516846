from datetime import timedelta

import pytest
from django.utils import timezone

from helpdesk.errors import DomainValidationError, InvalidTransitionError
from tests.factories import AgentProfileFactory, CustomerFactory, SLAPolicyFactory, TicketFactory
from tickets.models import OPEN_STATUSES, AgentProfile, Message, PreferredWindow, Ticket, TicketEvent, TicketFlag
from tickets.services import (
    ALLOWED_TRANSITIONS,
    ticket_assign,
    ticket_create,
    ticket_customer_confirm_resolution,
    ticket_reply,
    ticket_transition,
)

pytestmark = pytest.mark.django_db
S = Ticket.Status
ALL_PAIRS = [(a, b) for a in S.values for b in S.values if a != b]
LEGAL = [(a, b) for a, b in ALL_PAIRS if b in ALLOWED_TRANSITIONS[a]]
ILLEGAL = [(a, b) for a, b in ALL_PAIRS if b not in ALLOWED_TRANSITIONS[a]]


def _ticket_in(status: str) -> Ticket:
    ticket = TicketFactory.create()
    extra: dict = {}
    if status in {S.RESOLVED, S.CLOSED}:
        extra["resolved_at"] = timezone.now()
    if status == S.CLOSED:
        extra["closed_at"] = timezone.now()
    if status == S.WAITING_ON_CUSTOMER:
        extra["sla_paused_at"] = timezone.now()
    Ticket.objects.filter(pk=ticket.pk).update(status=status, **extra)  # arrange a state directly
    ticket.refresh_from_db()
    return ticket


# --- creation ---------------------------------------------------------------------------------


def test_create_computes_deadlines_from_the_default_policy_of_its_priority(customer):
    before = timezone.now()

    ticket = ticket_create(customer=customer, subject="  Washer leaks  ", description="Water on the floor.")

    assert (ticket.subject, ticket.status, ticket.priority) == ("Washer leaks", S.OPEN, "MEDIUM")
    assert ticket.number >= 1001
    assert timedelta(hours=8) <= ticket.first_response_due - before < timedelta(hours=8, seconds=5)
    assert timedelta(hours=72) <= ticket.resolution_due - before < timedelta(hours=72, seconds=5)
    event = TicketEvent.objects.get(ticket=ticket)
    assert (event.kind, event.to_status, event.actor) == (TicketEvent.Kind.CREATED, S.OPEN, customer)


def test_create_uses_the_vip_policy_for_vip_customers():
    vip = CustomerFactory.create(profile__is_vip=True)
    SLAPolicyFactory.create(priority="MEDIUM", team=None, vip_only=True, first_response_minutes=30)

    ticket = ticket_create(customer=vip, subject="Oven dead", description="No heat at all.")

    assert ticket.first_response_due - ticket.created_at < timedelta(minutes=31)


def test_create_stores_windows_and_flags_free_text_appliances(customer):
    start = timezone.now() + timedelta(days=2)

    ticket = ticket_create(
        customer=customer,
        subject="Dryer noise",
        description="Loud banging.",
        appliance_model_text="Miele T1 (old)",
        preferred_windows=[(start, start + timedelta(hours=3))],
    )

    assert ticket.flags == [TicketFlag.FREE_TEXT_APPLIANCE]
    assert PreferredWindow.objects.get(ticket=ticket).window.lower == start


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("subject", {"subject": "   "}),
        ("subject", {"subject": "x" * 201}),
        ("description", {"description": ""}),
        ("description", {"description": "x" * 10_001}),
        ("appliance_model_text", {"appliance_model_text": "x" * 121}),
    ],
    ids=["blank_subject", "long_subject", "blank_description", "long_description", "long_appliance"],
)
def test_create_rejects_bad_input_with_the_field_and_writes_nothing(customer, field, kwargs):
    values = {"subject": "Fine", "description": "Fine", **kwargs}

    with pytest.raises(DomainValidationError) as error:
        ticket_create(customer=customer, **values)

    assert error.value.field == field
    assert Ticket.objects.count() == 0
    assert TicketEvent.objects.count() == 0


@pytest.mark.parametrize("case", ["end_before_start", "in_the_past", "too_many"])
def test_create_rejects_bad_windows_and_writes_nothing(customer, case):
    now = timezone.now()
    windows = {
        "end_before_start": [(now + timedelta(days=1, hours=2), now + timedelta(days=1))],
        "in_the_past": [(now - timedelta(days=2), now - timedelta(days=1))],
        "too_many": [(now + timedelta(days=d), now + timedelta(days=d, hours=1)) for d in range(1, 8)],
    }[case]

    with pytest.raises(DomainValidationError) as error:
        ticket_create(customer=customer, subject="S", description="D", preferred_windows=windows)

    assert error.value.field == "preferred_windows"
    assert Ticket.objects.count() == 0


# --- transitions ------------------------------------------------------------------------------


@pytest.mark.parametrize(("from_status", "to_status"), LEGAL, ids=[f"{a}->{b}" for a, b in LEGAL])
def test_every_legal_transition_changes_status_and_writes_one_event(agent, from_status, to_status):
    ticket = _ticket_in(from_status)

    result = ticket_transition(ticket=ticket, to_status=to_status, actor=agent)

    ticket.refresh_from_db()
    assert result.status == ticket.status == to_status
    event = TicketEvent.objects.get(ticket=ticket)
    assert (event.kind, event.from_status, event.to_status, event.actor) == (
        TicketEvent.Kind.STATUS_CHANGED,
        from_status,
        to_status,
        agent,
    )
    if to_status == S.RESOLVED:
        assert ticket.resolved_at is not None
    if to_status in OPEN_STATUSES:
        assert ticket.resolved_at is None
    assert (ticket.closed_at is not None) == (to_status == S.CLOSED)
    assert (ticket.sla_paused_at is not None) == (to_status == S.WAITING_ON_CUSTOMER)


@pytest.mark.parametrize(("from_status", "to_status"), ILLEGAL, ids=[f"{a}->{b}" for a, b in ILLEGAL])
def test_every_illegal_transition_is_rejected_without_side_effects(agent, from_status, to_status):
    ticket = _ticket_in(from_status)

    with pytest.raises(InvalidTransitionError):
        ticket_transition(ticket=ticket, to_status=to_status, actor=agent)

    ticket.refresh_from_db()
    assert ticket.status == from_status
    assert TicketEvent.objects.exists() is False


def test_unknown_status_is_a_validation_error(agent):
    ticket = _ticket_in(S.OPEN)

    with pytest.raises(DomainValidationError) as error:
        ticket_transition(ticket=ticket, to_status="DONE", actor=agent)

    assert error.value.field == "status"
    assert TicketEvent.objects.exists() is False


def test_waiting_on_customer_pauses_the_resolution_clock(agent):
    ticket = _ticket_in(S.IN_PROGRESS)
    due = ticket.resolution_due
    ticket_transition(ticket=ticket, to_status=S.WAITING_ON_CUSTOMER, actor=agent)
    Ticket.objects.filter(pk=ticket.pk).update(sla_paused_at=timezone.now() - timedelta(hours=2))

    ticket_reply(ticket=ticket, author=ticket.customer, body="Here is the photo.")

    ticket.refresh_from_db()
    assert ticket.status == S.IN_PROGRESS
    assert ticket.sla_paused_at is None
    assert timedelta(hours=2) <= ticket.resolution_due - due < timedelta(hours=2, seconds=5)


def test_customer_confirms_a_resolved_ticket_and_it_closes():
    ticket = _ticket_in(S.RESOLVED)

    ticket_customer_confirm_resolution(ticket=ticket, customer=ticket.customer)

    ticket.refresh_from_db()
    assert ticket.status == S.CLOSED


def test_customer_cannot_confirm_an_open_ticket():
    ticket = _ticket_in(S.OPEN)

    with pytest.raises(InvalidTransitionError):
        ticket_customer_confirm_resolution(ticket=ticket, customer=ticket.customer)

    assert TicketEvent.objects.exists() is False


# --- replies ----------------------------------------------------------------------------------


def test_first_agent_reply_sets_first_response_and_starts_work(agent):
    ticket = _ticket_in(S.OPEN)

    ticket_reply(ticket=ticket, author=agent, body="We're on it.")
    first = Ticket.objects.get(pk=ticket.pk).first_response_at
    ticket_reply(ticket=ticket, author=agent, body="Second reply.")

    ticket.refresh_from_db()
    assert first is not None
    assert ticket.first_response_at == first
    assert ticket.status == S.IN_PROGRESS
    kinds = list(TicketEvent.objects.filter(ticket=ticket).values_list("kind", flat=True))
    assert kinds == ["STATUS_CHANGED", "REPLIED", "REPLIED"]


def test_internal_note_is_not_a_first_response(agent):
    ticket = _ticket_in(S.OPEN)

    message = ticket_reply(ticket=ticket, author=agent, body="Check warranty.", internal=True)

    ticket.refresh_from_db()
    assert message.is_internal is True
    assert ticket.first_response_at is None
    assert ticket.status == S.OPEN


@pytest.mark.parametrize("status", [S.WAITING_ON_CUSTOMER, S.RESOLVED])
def test_customer_reply_reopens(status):
    ticket = _ticket_in(status)

    ticket_reply(ticket=ticket, author=ticket.customer, body="Still broken.")

    ticket.refresh_from_db()
    assert ticket.status == S.IN_PROGRESS
    assert ticket.resolved_at is None


def test_reply_to_a_closed_ticket_is_refused_and_writes_nothing():
    ticket = _ticket_in(S.CLOSED)

    with pytest.raises(InvalidTransitionError):
        ticket_reply(ticket=ticket, author=ticket.customer, body="Hello?")

    assert Message.objects.exists() is False
    assert TicketEvent.objects.exists() is False


def test_another_customer_cannot_reply(other_customer):
    ticket = _ticket_in(S.OPEN)

    with pytest.raises(InvalidTransitionError):
        ticket_reply(ticket=ticket, author=other_customer, body="Hi")

    assert Message.objects.exists() is False


def test_customer_cannot_write_internal_notes():
    ticket = _ticket_in(S.OPEN)

    with pytest.raises(DomainValidationError):
        ticket_reply(ticket=ticket, author=ticket.customer, body="psst", internal=True)

    assert Message.objects.exists() is False


# --- assignment and load counters -------------------------------------------------------------


def test_assignment_keeps_agent_counters_equal_to_open_tickets(agent):
    profile = agent.agent_profile
    other = AgentProfileFactory.create()
    ticket = _ticket_in(S.OPEN)

    ticket_assign(ticket=ticket, agent=profile, actor=agent)
    ticket_assign(ticket=ticket, agent=other, actor=agent)
    ticket_transition(ticket=ticket, to_status=S.RESOLVED, actor=agent)
    ticket_transition(ticket=ticket, to_status=S.IN_PROGRESS, actor=agent)

    counts = dict(AgentProfile.objects.values_list("pk", "current_ticket_count"))
    assert counts[profile.pk] == 0
    assert counts[other.pk] == 1
    assert Ticket.objects.get(pk=ticket.pk).assigned_agent == other


def test_closed_tickets_cannot_be_assigned(agent):
    ticket = _ticket_in(S.CLOSED)

    with pytest.raises(InvalidTransitionError):
        ticket_assign(ticket=ticket, agent=agent.agent_profile, actor=agent)

    assert AgentProfile.objects.get(pk=agent.agent_profile.pk).current_ticket_count == 0


# --- attachments ------------------------------------------------------------------------------


def test_reply_stores_attachments():
    from django.core.files.uploadedfile import SimpleUploadedFile

    ticket = _ticket_in(S.OPEN)
    photo = SimpleUploadedFile("../../leak.jpg", b"\xff\xd8jpeg", content_type="image/jpeg")

    message = ticket_reply(ticket=ticket, author=ticket.customer, body="Photo attached.", attachments=[photo])

    attachment = message.attachments.get()
    assert (attachment.original_name, attachment.content_type, attachment.size_bytes) == ("leak.jpg", "image/jpeg", 6)
    assert attachment.file.read() == b"\xff\xd8jpeg"


def test_oversized_attachment_is_refused_and_nothing_is_written(settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.ATTACHMENT_MAX_BYTES = 4
    ticket = _ticket_in(S.OPEN)

    with pytest.raises(DomainValidationError) as error:
        ticket_reply(
            ticket=ticket, author=ticket.customer, body="Big", attachments=[SimpleUploadedFile("a.bin", b"12345")]
        )

    assert error.value.field == "attachments"
    assert Message.objects.exists() is False
