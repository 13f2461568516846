"""Default priority rules (English and German keywords, VIP customers). Leads edit them in the
admin; re-running this migration never duplicates or overwrites a rule (get_or_create by name)."""

from django.db import migrations

RULES = [  # name, priority, keywords, vip_only, position
    (
        "Danger: gas, fire, flooding",
        "URGENT",
        [
            "emergency", "notfall", "gas smell", "smell of gas", "smells of gas", "gasgeruch", "riecht nach gas",
            "burning smell", "brandgeruch", "smoke", "rauch", "sparks", "sparking", "funken", "burst pipe",
            "*rohrbruch", "flooding", "flooded", "überschwemmung", "überschwemmt",
        ],
        False,
        10,
    ),
    (
        "Urgent or critical (customer's words)",
        "HIGH",
        ["urgent", "urgently", "dringend", "dringende", "dringender", "critical", "kritisch", "kritische", "asap"],
        False,
        20,
    ),
    (
        "Outage, no heating, water damage",
        "HIGH",
        [
            "outage", "power cut", "no power", "*ausfall", "kein strom", "no heating", "heating is not working",
            "keine heizung", "heizung ist aus",
            "water leak", "leaking water", "wasserschaden", "water damage",
        ],
        False,
        30,
    ),
    ("VIP customers: never below medium", "MEDIUM", [], True, 40),
]


def add_rules(apps, schema_editor):
    PriorityRule = apps.get_model("triage", "PriorityRule")
    for name, priority, keywords, vip_only, position in RULES:
        PriorityRule.objects.get_or_create(
            name=name,
            defaults={"priority": priority, "keywords": keywords, "vip_only": vip_only, "position": position},
        )


def remove_rules(apps, schema_editor):
    apps.get_model("triage", "PriorityRule").objects.filter(name__in=[r[0] for r in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("triage", "0001_initial")]
    operations = [migrations.RunPython(add_rules, remove_rules)]
