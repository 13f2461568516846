from django.db import migrations

SCHEDULES = {
    # name: (function, every N minutes)
    "tickets.sla_sweep": ("tickets.tasks.sla_sweep", 5),
    "tickets.sla_alerts_pass_on": ("tickets.tasks.sla_alerts_pass_on", 1),
}


def add_schedules(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    for name, (func, minutes) in SCHEDULES.items():
        Schedule.objects.update_or_create(
            name=name,
            defaults={"func": func, "schedule_type": "I", "minutes": minutes, "repeats": -1},  # I = MINUTES
        )  # historical models skip Schedule.save(): next_run defaults to now, so the first (idempotent) run is immediate


def remove_schedules(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name__in=list(SCHEDULES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0003_sla_engine"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]
    operations = [migrations.RunPython(add_schedules, remove_schedules)]
