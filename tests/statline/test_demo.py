"""What make run shows (issue 17): the Amersfoort demo, the CBS snapshot imported as make run
imports it (the command refills the indicator for every municipality), and the manager's
dashboard: a value where the national line has figures, "geen landelijk cijfer" where not."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command

from caseload import models as m
from caseload.demo import generate_region
from caseload.demo.parameters import AMERSFOORT
from indicators.models import IndicatorValue
from statline.indicators import CODE

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 22)
SNAPSHOT = Path(__file__).resolve().parents[2] / "data/cbs/85585NED-personen-met-bijstand.csv"
#: what the card says for a year without a value (the snapshot ends with 2022 Q4)
NO_FIGURE = (
    "geen landelijk cijfer (CBS-cijfers ingelezen van 1e kwartaal 2019 tot en met 4e kwartaal "
    "2022, stand 31-12-2022; CBS publiceert met vertraging)"
)


def _card(body: str) -> str:
    match = re.search(
        rf'<section class="app-indicator-card" aria-labelledby="h-{re.escape(CODE)}">(.*?)</section>',
        body,
        re.S,
    )
    assert match, "no card for the indicator"
    return match.group(1)


def test_the_amersfoort_demo_dashboard_shows_the_development_against_the_national_line(client):
    generate_region(today=TODAY, seed=11, reference_households=400, profiles=[AMERSFOORT])
    out = StringIO()
    call_command("import_cbs_series", str(SNAPSHOT), stdout=out)
    assert "16 cijfers ingelezen" in out.getvalue()
    municipality = m.Municipality.objects.get(cbs_code=AMERSFOORT.cbs_code)
    years = set(
        IndicatorValue.objects.filter(
            municipality=municipality, code=CODE, period_kind="year"
        ).values_list("period_start__year", flat=True)
    )
    # a value for each year whose fourth quarter and the one before it have national figures
    assert years == {2020, 2021, 2022}
    assert (
        IndicatorValue.objects.filter(
            municipality=municipality, code=CODE, period_kind="quarter"
        ).count()
        == 12
    )
    client.force_login(m.User.objects.get(username="manager.amersfoort"))
    body = client.get("/indicatoren/?jaar=2021").content.decode()
    card = _card(body)
    assert "Ontwikkeling bestand t.o.v. landelijke lijn" in card
    stored = IndicatorValue.objects.get(
        municipality=municipality, code=CODE, period_kind="year", period_start__year=2021
    ).value
    shown = f"{stored:.1f}%".replace(".", ",")
    assert f'<dd class="app-indicator-value">{shown}</dd>' in card
    assert abs(stored) < Decimal(100)
    for year in (2019, 2024):
        body = client.get(f"/indicatoren/?jaar={year}").content.decode()
        assert f'<dd class="app-indicator-value">{NO_FIGURE}</dd>' in _card(body)


def test_make_runs_setup_order_fills_the_snapshot_years_and_explains_the_demo_year(client):
    """Walk-through of 3 December 2026: ``bin/entrypoint setup`` seeds the demo, imports the
    snapshot without recomputing and then fills what is missing (``--resume``). The years the
    snapshot covers get a value; the dashboard opens on the running year (2026), after the
    snapshot's last quarter (2022 Q4), and says so instead of only "geen landelijk cijfer"."""
    today = date(2026, 12, 3)
    with mock.patch("common.clock.today", return_value=today):
        generate_region(today=today, seed=11, reference_households=400, profiles=[AMERSFOORT])
        out = StringIO()
        call_command("import_cbs_series", str(SNAPSHOT), "--no-recompute", stdout=out)
        assert "16 cijfers ingelezen voor cbs.85585ned.personen_met_bijstand" in out.getvalue()
        call_command("recompute_indicators", "--resume", stdout=StringIO())
        municipality = m.Municipality.objects.get(cbs_code=AMERSFOORT.cbs_code)
        years = set(
            IndicatorValue.objects.filter(
                municipality=municipality, code=CODE, period_kind="year"
            ).values_list("period_start__year", flat=True)
        )
        assert years == {2020, 2021, 2022}
        client.force_login(m.User.objects.get(username="manager.amersfoort"))
        card = _card(client.get("/indicatoren/").content.decode())  # the running year
        assert f'<dd class="app-indicator-value">{NO_FIGURE}</dd>' in card
        card = _card(client.get("/indicatoren/?jaar=2022").content.decode())
        assert "geen landelijk cijfer" not in card
