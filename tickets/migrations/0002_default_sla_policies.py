from django.db import migrations

DEFAULTS = [  # priority, first response minutes, resolution minutes
    ("URGENT", 60, 4 * 60),
    ("HIGH", 4 * 60, 24 * 60),
    ("MEDIUM", 8 * 60, 72 * 60),
    ("LOW", 24 * 60, 120 * 60),
]


def add_default_policies(apps, schema_editor):
    SLAPolicy = apps.get_model("tickets", "SLAPolicy")
    for priority, first_response, resolution in DEFAULTS:
        SLAPolicy.objects.get_or_create(
            priority=priority,
            team=None,
            vip_only=False,
            is_active=True,
            defaults={
                "name": f"{priority.title()} (default)",
                "first_response_minutes": first_response,
                "resolution_minutes": resolution,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("tickets", "0001_initial")]
    operations = [migrations.RunPython(add_default_policies, migrations.RunPython.noop)]
