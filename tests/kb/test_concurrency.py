"""Races on real PostgreSQL: threads with their own connections."""

import pytest

from kb.models import Article, ArticleFeedback, DeflectionEvent, TicketArticleLink
from kb.services import article_deflect, article_record_view, article_vote, ticket_article_link, ticket_self_serve
from tests.concurrency import race as _race
from tests.factories import AgentProfileFactory, ArticleFactory, ArticleSuggestionFactory, TicketFactory
from tickets.models import Ticket
from tickets.services import ticket_transition

pytestmark = pytest.mark.django_db(transaction=True)


def test_simultaneous_votes_of_one_session_count_once_and_views_never_get_lost():
    article = ArticleFactory.create()

    votes = _race([lambda: article_vote(article=article, helpful=True, session_key="same")] * 6)
    _race([lambda: article_record_view(article=article)] * 8)

    assert sorted(votes, key=str) == [False] * 5 + [True]
    fresh = Article.objects.get(pk=article.pk)
    assert (fresh.helpful_count, fresh.view_count, ArticleFeedback.objects.count()) == (1, 8, 1)


def test_simultaneous_deflections_of_one_session_count_once():
    article = ArticleFactory.create()

    results = _race([lambda: article_deflect(article=article, session_key="same")] * 5)

    assert all(isinstance(r, DeflectionEvent) for r in results)
    assert (DeflectionEvent.objects.count(), Article.objects.get(pk=article.pk).deflection_count) == (1, 1)


def test_double_click_on_this_article_solved_it_resolves_once():
    ticket = TicketFactory.create()
    article = ArticleFactory.create()
    ArticleSuggestionFactory.create(ticket=ticket, article=article)

    results = _race([lambda: ticket_self_serve(ticket=ticket, article=article, customer=ticket.customer)] * 2)

    assert sum(isinstance(r, Ticket) for r in results) == 1
    assert (DeflectionEvent.objects.count(), Article.objects.get(pk=article.pk).deflection_count) == (1, 1)


@pytest.mark.parametrize("attempt", range(5))
def test_linking_while_resolving_counts_the_success_exactly_once(attempt):
    ticket = TicketFactory.create(status=Ticket.Status.IN_PROGRESS)
    article = ArticleFactory.create()
    agent = AgentProfileFactory.create().user

    results = _race(
        [
            lambda: ticket_article_link(ticket=ticket, article=article, actor=agent),
            lambda: ticket_transition(ticket=ticket, to_status=Ticket.Status.RESOLVED, actor=agent),
        ]
    )

    assert [type(r) for r in results] == [TicketArticleLink, Ticket]
    assert Article.objects.get(pk=article.pk).success_count == 1
    assert TicketArticleLink.objects.get(ticket=ticket).success_counted_at is not None
