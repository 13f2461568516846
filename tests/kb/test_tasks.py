"""The daily archive job: articles rated not helpful too often, or unread for 90 days, are archived
for review; idempotent; declared as a django-q2 schedule."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_q.models import Schedule

from kb.models import Article
from kb.services import article_publish, article_vote, articles_archive_stale
from kb.tasks import kb_archive_stale_articles
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _article(*, published_days_ago: int = 10, viewed_days_ago: int | None = 1, **kwargs: object) -> Article:
    return ArticleFactory.create(
        published_at=NOW - timedelta(days=published_days_ago),
        last_viewed_at=None if viewed_days_ago is None else NOW - timedelta(days=viewed_days_ago),
        **kwargs,
    )


def _votes(article: Article, *, helpful: int, not_helpful: int) -> None:
    for i in range(helpful + not_helpful):
        article_vote(article=article, helpful=i < helpful, session_key=f"{article.pk}-{i}")


def _status(article: Article) -> tuple[str, str]:
    fresh = Article.objects.get(pk=article.pk)
    return fresh.status, fresh.archive_reason


def test_poorly_rated_and_unread_articles_are_archived_others_stay(settings):
    settings.KB_ARCHIVE_NOT_HELPFUL_RATE = 0.6
    settings.KB_ARCHIVE_MIN_VOTES = 10
    poorly_rated = _article()
    _votes(poorly_rated, helpful=3, not_helpful=7)
    well_rated = _article()
    _votes(well_rated, helpful=6, not_helpful=4)
    too_few_votes = _article()
    _votes(too_few_votes, helpful=0, not_helpful=9)
    unread = _article(published_days_ago=200, viewed_days_ago=91)
    never_read = _article(published_days_ago=91, viewed_days_ago=None)
    recently_read = _article(published_days_ago=200, viewed_days_ago=89)
    new_and_unread = _article(published_days_ago=5, viewed_days_ago=None)
    draft = _article(published_days_ago=200, viewed_days_ago=None, status=Article.Status.DRAFT)

    archived = articles_archive_stale(now=NOW)

    assert archived == 3
    assert _status(poorly_rated) == ("ARCHIVED", "NOT_HELPFUL")
    assert _status(unread) == ("ARCHIVED", "UNVIEWED")
    assert _status(never_read) == ("ARCHIVED", "UNVIEWED")
    for article in (well_rated, too_few_votes, recently_read, new_and_unread):
        assert _status(article) == ("PUBLISHED", "")
    assert _status(draft) == ("DRAFT", "")
    assert Article.objects.get(pk=poorly_rated.pk).archived_at == NOW


def test_thresholds_are_configurable(settings):
    settings.KB_ARCHIVE_NOT_HELPFUL_RATE = 0.3
    settings.KB_ARCHIVE_MIN_VOTES = 4
    settings.KB_ARCHIVE_UNVIEWED_DAYS = 30
    rated = _article()
    _votes(rated, helpful=3, not_helpful=2)
    unread = _article(published_days_ago=60, viewed_days_ago=31)

    assert articles_archive_stale(now=NOW) == 2
    assert [_status(rated)[1], _status(unread)[1]] == ["NOT_HELPFUL", "UNVIEWED"]


def test_republished_article_starts_afresh(settings):
    settings.KB_ARCHIVE_MIN_VOTES = 10
    article = _article()
    _votes(article, helpful=0, not_helpful=10)
    articles_archive_stale(now=NOW)

    article_publish(article=article, actor=None)  # reworked and published again

    assert articles_archive_stale(now=timezone.now()) == 0
    assert _status(article) == ("PUBLISHED", "")


def test_the_task_is_idempotent():
    _article(published_days_ago=200, viewed_days_ago=None)
    slot = (NOW + timedelta(hours=1)).isoformat()

    first = kb_archive_stale_articles(intended_for=slot)
    second = kb_archive_stale_articles(intended_for=slot)  # retry, or a second cluster

    assert (first, second) == (1, 0)


def test_the_task_runs_without_a_slot():
    assert kb_archive_stale_articles() == 0


def test_daily_schedule_is_declared():
    schedule = Schedule.objects.get(name="kb.archive_stale_articles")

    assert (schedule.func, schedule.schedule_type, schedule.cron) == (
        "kb.tasks.kb_archive_stale_articles",
        Schedule.CRON,
        "20 3 * * *",
    )
    assert schedule.intended_date_kwarg == "intended_for"
