"""Preload the vangnet rule table and SiSa labels as described in DOMAIN.md section 3."""

from decimal import Decimal as D

from django.db import migrations

RULES = [
    dict(
        year_from=2016,
        year_to=2018,
        entry_threshold=D("0.05"),
        multi_year_kind="since",
        multi_year_threshold=D("0.05"),
        multi_year_window=0,
        multi_year_since=2016,
        band_lower=D("0.05"),
        band_upper=D("0.125"),
        band_rate=D("0.5"),
        above_rate=D("1"),
        note="Banden boven 5% te bevestigen; het Hilversumse plan beschrijft 50% boven 5% en "
        "100% boven 12,5%. Meerjarig: cumulatief tekort sinds 2016.",
    ),
    dict(
        year_from=2019,
        year_to=2024,
        entry_threshold=D("0.075"),
        multi_year_kind="window",
        multi_year_threshold=D("0.075"),
        multi_year_window=2,
        multi_year_since=None,
        band_lower=D("0.075"),
        band_upper=D("0.125"),
        band_rate=D("0.5"),
        above_rate=D("1"),
        note="(tekort T-2 + T-1 + T) / budget T > 7,5%; 50% van de schijf 7,5-12,5%, "
        "100% boven 12,5%.",
    ),
    dict(
        year_from=2025,
        year_to=2099,
        entry_threshold=D("0.075"),
        multi_year_kind="window",
        multi_year_threshold=D("0.075"),
        multi_year_window=2,
        multi_year_since=None,
        band_lower=D("0.075"),
        band_upper=D("0.125"),
        band_rate=D("0.5"),
        above_rate=D("1"),
        note="Reguliere regeling als 2019-2024. Een verruimde regeling met 5% eigen risico "
        "bestaat mogelijk (te bevestigen). Regels vanaf 2026 te bevestigen: tot dan als 2025; "
        "functioneel beheer past de tabel aan.",
    ),
]

REGIMES = {
    "pw": "Participatiewet algemene bijstand",
    "ioaw": "IOAW",
    "ioaz": "IOAZ",
    "bbz_starter": "Bbz levensonderhoud starters",
    "lks": "Loonkostensubsidie",
}


def forwards(apps, schema_editor):
    VangnetRule = apps.get_model("budget", "VangnetRule")
    SisaLabel = apps.get_model("budget", "SisaLabel")
    for rule in RULES:
        VangnetRule.objects.update_or_create(year_from=rule["year_from"], defaults=rule)
    for code, name in REGIMES.items():
        for kind, text in (("besteding", "Besteding"), ("baten", "Baten")):
            SisaLabel.objects.get_or_create(
                regime=code, kind=kind, defaults={"label": f"SiSa G2 {text} {name} (te bevestigen)"}
            )


def backwards(apps, schema_editor):
    apps.get_model("budget", "VangnetRule").objects.filter(
        year_from__in=[r["year_from"] for r in RULES]
    ).delete()
    apps.get_model("budget", "SisaLabel").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("budget", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
