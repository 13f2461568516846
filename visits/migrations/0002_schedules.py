"""The marketplace's periodic jobs (declarative and re-runnable: update_or_create by name)."""

from django.db import migrations

SCHEDULES = {
    "visits.finalize_pending": ("visits.tasks.visit_groups_finalize_pending", 5),
    "visits.match_timeouts": ("visits.tasks.visit_groups_expire_task", 5),
    "visits.replacement_timeouts": ("visits.tasks.visit_replacements_expire_task", 5),
}


def add_schedules(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    for name, (func, minutes) in SCHEDULES.items():
        # Historical models skip Schedule.save(): next_run defaults to now, so the first
        # (idempotent) run happens on the next scheduler tick.
        Schedule.objects.update_or_create(
            name=name, defaults={"func": func, "schedule_type": "I", "minutes": minutes, "repeats": -1}
        )


def remove_schedules(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name__in=list(SCHEDULES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("visits", "0001_initial"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(add_schedules, remove_schedules)]
