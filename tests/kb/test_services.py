"""KB writes: versions and search vectors, publication, views/votes/deflections, the BOT
acknowledgement with suggestions, self-service, article links and success counts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from helpdesk.errors import DomainValidationError, InvalidTransitionError
from kb.models import Article, ArticleFeedback, ArticleSuggestion, ArticleVersion, DeflectionEvent, TicketArticleLink
from kb.selectors import article_search
from kb.services import (
    article_archive,
    article_deflect,
    article_publish,
    article_record_view,
    article_save_version,
    article_vote,
    ticket_acknowledge,
    ticket_article_link,
    ticket_self_serve,
)
from tests.factories import (
    ArticleFactory,
    ArticleSuggestionFactory,
    CustomerFactory,
    EscalationFactory,
    TicketFactory,
)
from tests.kb.conftest import make_article
from tickets.models import Message, SLAPolicy, Ticket, TicketEvent
from tickets.services import ticket_create, ticket_transition

pytestmark = pytest.mark.django_db

S = Ticket.Status


def _fresh(article: Article) -> Article:
    return Article.objects.get(pk=article.pk)


# --- versions, publication, search vector -----------------------------------------------------


def test_new_article_is_version_one_indexed_and_gets_a_slug(admin_user):
    article = make_article("Oven light not working", "Replace the bulb.", actor=admin_user)

    assert (article.slug, article.version) == ("oven-light-not-working", 1)
    version = ArticleVersion.objects.get()
    assert (version.article, version.version, version.title, version.created_by) == (
        article,
        1,
        "Oven light not working",
        admin_user,
    )
    assert article_search(query="oven light") == [article]


def test_editing_the_text_bumps_the_version_and_reindexes(admin_user):
    article = make_article("Oven light not working", "Replace the bulb.")
    article.title = "Oven lamp replacement"
    article.body_markdown = "Unscrew the cover, then the halogen lamp."

    article_save_version(article=article, actor=admin_user)

    assert _fresh(article).version == 2
    assert list(ArticleVersion.objects.values_list("version", "title")) == [
        (2, "Oven lamp replacement"),
        (1, "Oven light not working"),
    ]
    assert article_search(query="halogen lamp") == [article]
    assert article_search(query="bulb") == []


def test_saving_without_a_text_change_keeps_the_version():
    article = make_article("Oven light not working", "Replace the bulb.")
    article.product_area = "Ovens"
    article.tags = ["oven", "lamp"]

    article_save_version(article=article, actor=None)

    fresh = _fresh(article)
    assert (fresh.version, fresh.product_area) == (1, "Ovens")
    assert ArticleVersion.objects.count() == 1
    assert article_search(query="lamp") == [article]  # tags are indexed too


def test_saving_never_overwrites_counters_or_status():
    article = make_article("Oven light not working")
    stale = _fresh(article)
    article_record_view(article=article)  # someone reads it meanwhile
    Article.objects.filter(pk=article.pk).update(status=Article.Status.ARCHIVED)
    stale.summary = "Bulb or fuse."
    stale.status = Article.Status.PUBLISHED

    article_save_version(article=stale, actor=None)

    fresh = _fresh(article)
    assert (fresh.view_count, fresh.status, fresh.summary, fresh.version) == (1, "ARCHIVED", "Bulb or fuse.", 2)


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"title": "  "}, "title"), ({"body_markdown": ""}, "body_markdown"), ({"language": "fr"}, "language")],
)
def test_invalid_article_is_refused_and_nothing_is_written(changes, field):
    article = Article(**{"title": "Valid", "body_markdown": "Text", **changes})

    with pytest.raises(DomainValidationError) as error:
        article_save_version(article=article, actor=None)

    assert error.value.field == field
    assert (Article.objects.exists(), ArticleVersion.objects.exists()) == (False, False)


def test_german_article_is_indexed_with_the_german_configuration():
    article = make_article("Geschirrspüler zeigt Fehler", "Die Pumpe läuft nicht.", language="de")

    assert article_search(query="Geschirrspülers") == [article]


def test_slug_is_unique():
    first = make_article("Oven light")
    second = make_article("Oven light")

    assert (first.slug, second.slug) == ("oven-light", "oven-light-2")


def test_publish_and_archive(admin_user):
    article = make_article("Oven light", status=Article.Status.DRAFT)
    assert article.published_at is None

    published = article_publish(article=article, actor=admin_user)
    assert (published.status, published.published_at is not None) == (Article.Status.PUBLISHED, True)
    assert article_search(query="oven light") == [article]

    archived = article_archive(article=article, actor=admin_user)
    assert (archived.status, archived.archive_reason) == (Article.Status.ARCHIVED, Article.ArchiveReason.MANUAL)
    assert article_search(query="oven light") == []


def test_publishing_twice_is_refused():
    article = make_article("Oven light")

    with pytest.raises(InvalidTransitionError):
        article_publish(article=article, actor=None)


# --- views, votes, deflections ----------------------------------------------------------------


def test_views_votes_and_deflections_count_with_f_expressions():
    article = ArticleFactory.create()

    article_record_view(article=article)
    article_record_view(article=article)
    assert article_vote(article=article, helpful=True, session_key="s1") is True
    assert article_vote(article=article, helpful=False, session_key="s2") is True
    article_deflect(article=article, session_key="s1", query="  oven   light ")

    fresh = _fresh(article)
    assert (fresh.view_count, fresh.helpful_count, fresh.not_helpful_count, fresh.deflection_count) == (2, 1, 1, 1)
    assert fresh.last_viewed_at is not None
    assert DeflectionEvent.objects.get().query == "oven light"


def test_one_vote_per_session_and_article():
    article = ArticleFactory.create()

    first = article_vote(article=article, helpful=False, session_key="s1")
    again = article_vote(article=article, helpful=True, session_key="s1")

    assert (first, again) == (True, False)
    fresh = _fresh(article)
    assert (fresh.helpful_count, fresh.not_helpful_count) == (0, 1)
    assert ArticleFeedback.objects.get().helpful is False


def test_one_deflection_per_session_and_article():
    article = ArticleFactory.create()

    article_deflect(article=article, session_key="s1")
    article_deflect(article=article, session_key="s1")

    assert (DeflectionEvent.objects.count(), _fresh(article).deflection_count) == (1, 1)


@pytest.mark.parametrize("session_key", ["", None])
def test_votes_and_deflections_need_a_session(session_key):
    article = ArticleFactory.create()

    with pytest.raises(DomainValidationError):
        article_vote(article=article, helpful=True, session_key=session_key)
    with pytest.raises(DomainValidationError):
        article_deflect(article=article, session_key=session_key)

    assert (ArticleFeedback.objects.exists(), DeflectionEvent.objects.exists()) == (False, False)
    assert _fresh(article).deflection_count == 0


# --- the acknowledgement of a new ticket --------------------------------------------------------


def test_new_ticket_gets_a_bot_acknowledgement_with_number_reply_time_and_articles(library):
    customer = CustomerFactory.create()  # the default MEDIUM policy: first reply within 8 hours

    ticket = ticket_create(customer=customer, subject="Washing machine won't drain", description="Water in the drum.")

    message = Message.objects.get(ticket=ticket)
    assert (message.sender_type, message.author, message.is_internal) == (Message.SenderType.BOT, None, False)
    assert f"ticket #{ticket.number}" in message.body
    due = timezone.localtime(ticket.first_response_due).strftime("%-d %b %Y, %H:%M")
    assert f"You can expect a first reply within 8\xa0hours (by {due})." in message.body
    assert f"- Washing machine won't drain: /kb/articles/{library['washer'].slug}/" in message.body
    suggestions = list(ArticleSuggestion.objects.filter(ticket=ticket).values_list("article", "rank"))
    assert suggestions[0] == (library["washer"].pk, 1)
    assert len(suggestions) <= 3
    assert ticket.first_response_at is None  # a bot message is not a first response


def test_acknowledgement_without_matching_articles_or_policy():
    SLAPolicy.objects.all().delete()  # no policy: no promise of a reply time
    ticket = ticket_create(customer=CustomerFactory.create(), subject="Qwertzuiop", description="Asdfghjkl.")

    body = Message.objects.get(ticket=ticket).body
    assert body == (f"Thank you — we have received your ticket #{ticket.number}.\nWe will reply as soon as we can.")
    assert ArticleSuggestion.objects.exists() is False


def test_german_ticket_gets_the_german_article(library):
    ticket = ticket_create(
        customer=CustomerFactory.create(), subject="Waschmaschine", description="Pumpt nicht ab.", language="de"
    )

    assert ArticleSuggestion.objects.get(ticket=ticket, rank=1).article == library["waschmaschine"]
    assert f"/kb/articles/{library['waschmaschine'].slug}/" in Message.objects.get(ticket=ticket).body


def test_a_failing_search_never_blocks_intake(library):
    with connection.cursor() as cursor:  # break the search for real (rolled back with the test)
        cursor.execute("ALTER TABLE kb_article RENAME COLUMN search_vector TO search_vector_gone")

    ticket = ticket_create(customer=CustomerFactory.create(), subject="Washing machine", description="Drain.")

    assert Ticket.objects.filter(pk=ticket.pk).exists()
    assert Message.objects.get(ticket=ticket).sender_type == Message.SenderType.BOT
    assert ArticleSuggestion.objects.exists() is False


def test_acknowledge_stores_suggestions_in_rank_order(library):
    ticket = TicketFactory.create(subject="Boiler pressure low, radiators cold", description="Heating.")

    ticket_acknowledge(ticket=ticket)

    ranked = list(ArticleSuggestion.objects.filter(ticket=ticket).order_by("rank").values_list("article", flat=True))
    assert ranked[0] == library["boiler"].pk
    assert (
        ranked == [a.pk for a in article_search(query=f"{ticket.subject} {ticket.description}", limit=3)][: len(ranked)]
    )


# --- self-service -----------------------------------------------------------------------------


def _suggested(status: str = S.OPEN) -> tuple[Ticket, Article]:
    ticket = TicketFactory.create(status=status)
    article = ArticleFactory.create()
    ArticleSuggestionFactory.create(ticket=ticket, article=article)
    return ticket, article


def test_self_serve_resolves_the_ticket_and_records_a_deflection():
    ticket, article = _suggested()

    resolved = ticket_self_serve(ticket=ticket, article=article, customer=ticket.customer)

    assert (resolved.status, resolved.resolved_at is not None) == (S.RESOLVED, True)
    event = TicketEvent.objects.get(ticket=ticket)
    assert (event.to_status, event.data, event.actor) == (S.RESOLVED, {"reason": "self-served"}, ticket.customer)
    deflection = DeflectionEvent.objects.get()
    assert (deflection.article, deflection.ticket, deflection.user) == (article, ticket, ticket.customer)
    assert _fresh(article).deflection_count == 1
    assert ArticleSuggestion.objects.get().solved_at is not None


@pytest.mark.parametrize("case", ["other_customer", "not_suggested", "closed", "already_resolved"])
def test_refused_self_serve_changes_nothing(case):
    ticket, article = _suggested(status=S.CLOSED if case == "closed" else S.OPEN)
    if case == "already_resolved":
        ticket = ticket_transition(ticket=ticket, to_status=S.RESOLVED, actor=None)
        TicketEvent.objects.all().delete()
    customer = CustomerFactory.create() if case == "other_customer" else ticket.customer
    if case == "not_suggested":
        article = ArticleFactory.create()

    with pytest.raises((InvalidTransitionError, DomainValidationError)):
        ticket_self_serve(ticket=ticket, article=article, customer=customer)

    assert TicketEvent.objects.exists() is False
    assert DeflectionEvent.objects.exists() is False
    assert ArticleSuggestion.objects.filter(solved_at__isnull=False).exists() is False
    assert _fresh(article).deflection_count == 0


# --- agents' links and success counts ---------------------------------------------------------


def test_success_counts_when_a_linked_ticket_is_resolved(agent):
    ticket = TicketFactory.create(status=S.IN_PROGRESS)
    article = ArticleFactory.create()

    ticket_article_link(ticket=ticket, article=article, actor=agent)
    assert _fresh(article).success_count == 0
    ticket_transition(ticket=ticket, to_status=S.RESOLVED, actor=agent)

    assert _fresh(article).success_count == 1
    assert TicketArticleLink.objects.get().success_counted_at is not None


def test_success_counts_once_even_if_reopened_and_resolved_again(agent):
    ticket = TicketFactory.create(status=S.IN_PROGRESS)
    article = ArticleFactory.create()
    ticket_article_link(ticket=ticket, article=article, actor=agent)

    ticket_transition(ticket=ticket, to_status=S.RESOLVED, actor=agent)
    ticket_transition(ticket=ticket, to_status=S.IN_PROGRESS, actor=agent)
    ticket_transition(ticket=ticket, to_status=S.RESOLVED, actor=agent)

    assert _fresh(article).success_count == 1


def test_linking_after_resolution_counts_at_link_time(agent):
    ticket = ticket_transition(ticket=TicketFactory.create(status=S.IN_PROGRESS), to_status=S.RESOLVED, actor=agent)
    article = ArticleFactory.create()

    ticket_article_link(ticket=ticket, article=article, actor=agent)
    ticket_article_link(ticket=ticket, article=article, actor=agent)  # twice: one link, one count

    assert (TicketArticleLink.objects.count(), _fresh(article).success_count) == (1, 1)


def test_escalated_tickets_never_count_as_a_success(agent):
    ticket = TicketFactory.create(status=S.IN_PROGRESS)
    EscalationFactory.create(ticket=ticket)
    article = ArticleFactory.create()
    ticket_article_link(ticket=ticket, article=article, actor=agent)

    ticket_transition(ticket=ticket, to_status=S.RESOLVED, actor=agent)

    assert _fresh(article).success_count == 0
    assert TicketArticleLink.objects.get().success_counted_at is None


def test_closing_without_resolving_is_not_a_success(agent):
    ticket = TicketFactory.create(status=S.IN_PROGRESS)
    article = ArticleFactory.create()
    ticket_article_link(ticket=ticket, article=article, actor=agent)

    ticket_transition(ticket=ticket, to_status=S.CLOSED, actor=agent)

    assert _fresh(article).success_count == 0


def test_draft_articles_cannot_be_linked(agent):
    ticket = TicketFactory.create()
    draft = ArticleFactory.create(status=Article.Status.DRAFT)

    with pytest.raises(DomainValidationError):
        ticket_article_link(ticket=ticket, article=draft, actor=agent)

    assert TicketArticleLink.objects.exists() is False


def test_resolving_without_links_touches_no_article(agent):
    ticket = TicketFactory.create(status=S.IN_PROGRESS)
    article = ArticleFactory.create()

    ticket_transition(ticket=ticket, to_status=S.RESOLVED, actor=agent)

    assert _fresh(article).success_count == 0
    assert timezone.now() - _fresh(article).updated_at < timedelta(minutes=5)
