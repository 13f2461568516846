"""No match in time: the deadline job, alternative schedules, reschedule offers."""

from datetime import datetime, timedelta

import pytest
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone

from helpdesk.errors import DomainValidationError, InvalidTransitionError
from notifications.models import Notification
from tests.factories import BookingFactory, ProposalFactory
from tests.visits.helpers import at, expert, group, skill
from tickets.models import TicketFlag
from visits.models import Booking, RescheduleOffer, VisitGroup, VisitWindow
from visits.services.reschedule import (
    group_alternatives,
    reschedule_offer_accept,
    reschedule_offer_send,
    visit_groups_expire,
)
from visits.tasks import visit_groups_finalize_pending

pytestmark = pytest.mark.django_db


def _overdue(trade, **kw):
    g = group(trade, **kw)
    VisitGroup.objects.filter(pk=g.pk).update(match_deadline=timezone.now() - timedelta(minutes=1))
    return g


def test_groups_unfilled_at_the_deadline_go_to_the_helpdesk_once():
    trade = skill()
    g = _overdue(trade)
    waiting = group(trade)  # deadline still ahead

    assert [visit_groups_expire() for _ in range(2)] == [1, 0]

    g.refresh_from_db()
    g.ticket.refresh_from_db()
    waiting.refresh_from_db()
    assert (g.status, waiting.status) == (VisitGroup.Status.NEEDS_HELPDESK, VisitGroup.Status.MATCHING)
    assert TicketFlag.UNMATCHED_VISITS in g.ticket.flags
    assert Notification.objects.filter(recipient=g.ticket.customer, channel="EMAIL").count() == 1
    assert RescheduleOffer.objects.exists() is False  # automatic offers are off by default


def test_a_group_that_is_full_at_the_deadline_is_booked_instead():
    trade = skill()
    g = _overdue(trade)
    ProposalFactory.create(visit=g.visits.get(), expert=expert(trade), start_at=at(10))

    assert visit_groups_expire() == 0

    g.refresh_from_db()
    assert g.status == VisitGroup.Status.SCHEDULED


def _with_alternatives(trade):
    g = _overdue(trade)
    visit = g.visits.get()
    a, b = expert(trade), expert(trade)
    for who, hour in ((a, 15), (b, 16), (a, 17), (b, 18)):
        ProposalFactory.create(visit=visit, expert=who, start_at=at(hour), is_alternative=True)
    visit_groups_expire()
    g.refresh_from_db()
    return g, visit, a, b


def test_agents_see_up_to_three_complete_alternatives_earliest_first():
    trade = skill()
    g, _visit, a, b = _with_alternatives(trade)

    schedules = group_alternatives(group=g)

    assert [(s.starts, s.placements[0].expert_ids) for s in schedules] == [
        ((at(15),), (a.pk,)),
        ((at(16),), (b.pk,)),
        ((at(17),), (a.pk,)),
    ]


def test_the_customer_accepts_an_offer_and_it_is_booked_at_once(agent):
    trade = skill()
    g, visit, _a, b = _with_alternatives(trade)
    offer = reschedule_offer_send(group=g, actor=agent)
    assert len(offer.options) == 3
    assert Notification.objects.filter(recipient=g.ticket.customer, subject__contains="New times").exists()

    result = reschedule_offer_accept(offer=offer, option=1, customer=g.ticket.customer)

    assert result.booked is True
    offer.refresh_from_db()
    g.refresh_from_db()
    g.ticket.refresh_from_db()
    assert (offer.status, offer.accepted_option) == (RescheduleOffer.Status.ACCEPTED, 1)
    assert g.status == VisitGroup.Status.SCHEDULED
    assert Booking.objects.get().expert == b
    assert Booking.objects.get().during.lower == at(16)
    assert VisitWindow.objects.filter(visit=visit, window=DateTimeTZRange(at(16), at(16, 30), "[)")).exists()
    assert TicketFlag.UNMATCHED_VISITS not in g.ticket.flags


def test_an_option_no_longer_possible_expires_the_offer_and_shows_what_is_left(agent):
    trade = skill()
    g, visit, a, _b = _with_alternatives(trade)
    offer = reschedule_offer_send(group=g, actor=agent)
    BookingFactory.create(expert=a, during=DateTimeTZRange(at(14), at(18), "[)"))  # a got busy meanwhile

    result = reschedule_offer_accept(offer=offer, option=0, customer=g.ticket.customer)

    assert result.booked is False
    offer.refresh_from_db()
    assert offer.status == RescheduleOffer.Status.EXPIRED
    assert result.new_offer is not None
    starts = [datetime.fromisoformat(o["visits"][0]["start"]) for o in result.new_offer.options]
    assert starts == [at(16), at(18)]
    assert Booking.objects.filter(visit=visit).exists() is False


def test_automatic_offers_when_the_setting_is_on(settings):
    settings.VISIT_AUTO_RESCHEDULE_OFFERS = True
    trade = skill()

    g, *_ = _with_alternatives(trade)

    offer = RescheduleOffer.objects.get(group=g)
    assert (offer.status, offer.sent_by, len(offer.options)) == (RescheduleOffer.Status.PENDING, None, 3)


def test_no_alternatives_no_offer(agent):
    g = _overdue(skill())
    visit_groups_expire()

    with pytest.raises(InvalidTransitionError):
        reschedule_offer_send(group=g, actor=agent)

    assert RescheduleOffer.objects.exists() is False


def test_only_the_tickets_customer_accepts_and_only_a_real_option(agent, other_customer):
    trade = skill()
    g, *_ = _with_alternatives(trade)
    offer = reschedule_offer_send(group=g, actor=agent)

    with pytest.raises(InvalidTransitionError):
        reschedule_offer_accept(offer=offer, option=0, customer=other_customer)
    with pytest.raises(DomainValidationError):
        reschedule_offer_accept(offer=offer, option=7, customer=g.ticket.customer)

    offer.refresh_from_db()
    assert offer.status == RescheduleOffer.Status.PENDING
    assert Booking.objects.exists() is False


def test_the_periodic_retry_is_idempotent():
    trade = skill()
    g = group(trade)
    ProposalFactory.create(visit=g.visits.get(), expert=expert(trade), start_at=at(10))
    group(trade)  # not full

    first, second = visit_groups_finalize_pending(), visit_groups_finalize_pending()

    assert (first, second) == ({"scheduled": 1, "not_full": 1}, {"not_full": 1})
    assert Booking.objects.count() == 1
