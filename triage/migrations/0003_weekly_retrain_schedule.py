"""The weekly retrain (Mondays 03:00): shipped data + agent labels; the new model replaces the
active one only if it scores better on the same held-out rows (triage.services)."""

from datetime import datetime

from croniter import croniter
from django.db import migrations
from django.utils import timezone

CRON = "0 3 * * 1"  # https://crontab.guru/#0_3_*_*_1


def add_schedule(apps, schema_editor):
    # Historical models skip Schedule.save(), which would set next_run: set it here, so the first
    # run is next Monday and not right after the first start.
    next_run = croniter(CRON, timezone.localtime()).get_next(datetime)
    apps.get_model("django_q", "Schedule").objects.update_or_create(
        name="triage.classifier_retrain_weekly",
        defaults={
            "func": "triage.tasks.classifier_retrain_weekly",
            "schedule_type": "C",  # Schedule.CRON
            "cron": CRON,
            "intended_date_kwarg": "intended_for",
            "next_run": next_run,
            "repeats": -1,
        },
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name="triage.classifier_retrain_weekly").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("triage", "0002_default_priority_rules"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]
    operations = [migrations.RunPython(add_schedule, remove_schedule)]
