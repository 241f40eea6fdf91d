"""The default group proposal rules (general, no municipality); functioneel beheer adapts them
in the admin. Documented in docs/intake.md."""

from django.db import migrations

DEFAULT_RULES = [
    {
        "priority": 10,
        "group": 1,
        "min_work_score": 4,
        "max_barriers": 0,
        "reason": (
            "Kan nu aan het werk: werkvermogen 4 of hoger en geen drempels. "
            "Betaald werk binnen ongeveer zes maanden met lichte ondersteuning."
        ),
    },
    {
        "priority": 20,
        "group": 2,
        "min_work_score": 2,
        "reason": (
            "Werk binnen twee jaar met gerichte ondersteuning: werkvermogen 2 of hoger, "
            "maar nog niet direct bemiddelbaar of met drempels."
        ),
    },
    {
        "priority": 30,
        "group": 3,
        "reason": (
            "Nu geen perspectief op werk (werkvermogen 1): participatie, vrijwilligerswerk of "
            "dagbesteding; minstens eenmaal per jaar een gesprek."
        ),
    },
]


def create_rules(apps, schema_editor):
    Rule = apps.get_model("intake", "GroupProposalRule")
    for rule in DEFAULT_RULES:
        Rule.objects.get_or_create(municipality=None, priority=rule["priority"], defaults=rule)


def remove_rules(apps, schema_editor):
    Rule = apps.get_model("intake", "GroupProposalRule")
    Rule.objects.filter(
        municipality=None, priority__in=[r["priority"] for r in DEFAULT_RULES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_initial")]

    operations = [migrations.RunPython(create_rules, remove_rules)]
