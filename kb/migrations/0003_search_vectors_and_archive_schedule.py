"""Rebuild every article's search vector with its language's text-search configuration (title A,
tags B, summary and body C — the same expression as kb.services), and declare the daily KB
archive job. Both steps are idempotent."""

from django.db import migrations

REFRESH_VECTORS = """
UPDATE kb_article SET search_vector =
    setweight(to_tsvector(cfg, coalesce(title, '')), 'A')
    || setweight(to_tsvector(cfg, coalesce(array_to_string(tags, ' '), '')), 'B')
    || setweight(to_tsvector(cfg, coalesce(summary, '') || ' ' || coalesce(body_markdown, '')), 'C')
FROM (SELECT id AS article_id,
             (CASE WHEN language = 'de' THEN 'german' ELSE 'english' END)::regconfig AS cfg
      FROM kb_article) AS configs
WHERE kb_article.id = configs.article_id
"""


def add_schedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.update_or_create(
        name="kb.archive_stale_articles",
        defaults={
            "func": "kb.tasks.kb_archive_stale_articles",
            "schedule_type": "C",  # Schedule.CRON (croniter is installed)
            "cron": "20 3 * * *",  # daily at 03:20
            "intended_date_kwarg": "intended_for",
        },
    )  # historical models skip Schedule.save(): next_run defaults to now, so the first (idempotent) run is immediate


def remove_schedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name="kb.archive_stale_articles").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("kb", "0002_search_deflection_suggestions"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [
        migrations.RunSQL(REFRESH_VECTORS, reverse_sql=migrations.RunSQL.noop),
        migrations.RunPython(add_schedule, remove_schedule),
    ]
