"""Issue 18: Hilversum's profile target as a seed (indicators/seeds.py): 'iedereen heeft een
digitaal profiel', 71 % of the caseload in the matching tool at the end of 2018, target 100 %.
After ``load_indicator_targets`` the manager's dashboard card shows the target and the baseline
beside the stored share; a municipality without that plan has no target for it."""

from __future__ import annotations

import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from indicators import calculations as calc
from indicators.fill import indicator_values_fill
from indicators.seeds import GRONINGEN, HILVERSUM, seed_targets_for
from indicators.selectors import dashboard_overview
from tests import factories

from .conftest import TODAY

pytestmark = pytest.mark.django_db
CODE = "matching.profile_complete_share"


def test_the_seed_is_hilversums_from_2019_on():
    targets = {(c, y): (b, t) for c, y, b, t, _ in seed_targets_for(HILVERSUM, range(2018, 2027))}
    assert (CODE, 2018) not in targets
    assert targets[(CODE, 2019)] == (Decimal(71), Decimal(100))
    assert targets[(CODE, 2026)] == (Decimal(71), Decimal(100))  # carried forward
    assert CODE not in {c for c, *_ in seed_targets_for(GRONINGEN, range(2019, 2027))}


def test_the_dashboard_card_shows_100_against_the_baseline_71(client, region):
    assert region.municipality.cbs_code == HILVERSUM
    for _ in range(6):
        region.resident()  # complete: sought occupation, no experience, licence, range, hours
    for _ in range(2):
        region.resident(hours=None)  # incomplete: hours available missing
    call_command(
        "load_indicator_targets", "--from-year", "2026", "--to-year", "2026", stdout=StringIO()
    )
    indicator_values_fill(
        municipality_id=region.municipality.pk, codes=[CODE], year=2026, today=TODAY
    )
    manager = factories.UserFactory(manager=True, municipality=region.municipality)
    (card,) = dashboard_overview(
        user=manager, municipality=region.municipality, year=2026, today=TODAY, codes=[CODE]
    )
    assert (card.numerator, card.denominator) == (6, 8)
    assert card.value == Decimal(75)
    assert (card.baseline, card.target) == (Decimal(71), Decimal(100))
    assert card.status != calc.NO_TARGET

    client.force_login(manager)
    body = client.get("/indicatoren/?jaar=2026").content.decode()
    section = re.search(
        rf'<section class="app-indicator-card" aria-labelledby="h-{re.escape(CODE)}">(.*?)</section>',
        body,
        re.S,
    )
    assert section, "no profile card on the dashboard"
    assert "<dt>Streefwaarde</dt><dd>100,0%</dd>" in section.group(1)
    assert "<dt>Nulmeting</dt><dd>71,0%</dd>" in section.group(1)
    assert "Geen streefwaarde" not in section.group(1)


def test_another_municipality_has_no_profile_target(region):
    elsewhere = factories.MunicipalityFactory(cbs_code=GRONINGEN, name="Groningen")
    call_command(
        "load_indicator_targets", "--from-year", "2026", "--to-year", "2026", stdout=StringIO()
    )
    manager = factories.UserFactory(manager=True)
    (card,) = dashboard_overview(
        user=manager, municipality=elsewhere, year=2026, today=TODAY, codes=[CODE]
    )
    assert card.target is None and card.status == calc.NO_TARGET
