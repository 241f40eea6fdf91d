"""Independent recomputation of amersfoort.caseload_vs_national (issue 17, seed 004): the figures
are recomputed here in Python from the case rows, the committed CBS snapshot read with the csv
module (not the importer) and the wording of docs/indicators.md alone (no SQL of the
definition), on generated histories, and compared with every stored quarter and year."""

from __future__ import annotations

import csv
import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from caseload import models as m
from indicators.models import IndicatorValue
from indicators.services import indicator_values_fill
from tests import factories

pytestmark = pytest.mark.django_db

D = dt.date
CODE = "amersfoort.caseload_vs_national"
TODAY = D(2026, 11, 22)
SNAPSHOT = Path(__file__).resolve().parents[2] / "data/cbs/85585NED-personen-met-bijstand.csv"
QUARTER_ENDS = ((3, 31), (6, 30), (9, 30), (12, 31))
FOUR = Decimal("0.0001")


def _national() -> dict[dt.date, Decimal]:
    """docs: N(d) = the national figure of the quarter ending on d (periods like 2019KW01)."""
    with SNAPSHOT.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    out = {}
    for row in rows:
        year, quarter = int(row["Perioden"][:4]), int(row["Perioden"][-2:])
        month, day = QUARTER_ENDS[quarter - 1]
        out[D(year, month, day)] = Decimal(row["Personen met bijstand (aantal)"])
    return out


def _persons_on(municipality, day: dt.date) -> int:
    """docs: applicant and partner in a household with a pw benefit running on ``day`` (start on
    or before, no end or an end after it); a person counts once."""
    households = (
        m.Benefit.objects.filter(
            household__municipality=municipality, regime="pw", start_date__lte=day
        )
        .exclude(end_date__lte=day)
        .values_list("household_id", flat=True)
    )
    return (
        m.Resident.objects.filter(
            household_id__in=set(households), household_role__in=["aanvrager", "partner"]
        )
        .distinct()
        .count()
    )


def _generate(rng: random.Random, municipality) -> None:
    team = factories.TeamFactory(municipality=municipality)
    for _ in range(rng.randrange(25, 45)):
        household = factories.HouseholdFactory(municipality=municipality)
        applicant = factories.ResidentFactory(household=household, team=team)
        if rng.random() < 0.4:
            factories.ResidentFactory(
                household=household, team=team, household_role=m.HouseholdRole.PARTNER
            )
        if rng.random() < 0.3:
            factories.ResidentFactory(
                household=household, team=team, household_role=m.HouseholdRole.OTHER
            )
        start = D(2017, 1, 1) + dt.timedelta(days=rng.randrange(0, 6 * 365))
        if rng.random() < 0.15:  # exactly on a quarter end (counts on it)
            start = D(rng.randrange(2018, 2023), 12, 31)
        for _benefit in range(rng.choice([1, 1, 2])):
            end = None
            if rng.random() < 0.6:
                end = start + dt.timedelta(days=rng.randrange(1, 900))
                if rng.random() < 0.2:  # ends exactly on a quarter end (does not count on it)
                    end = D(max(end.year, start.year + 1), 6, 30)
            regime = rng.choice(["pw", "pw", "pw", "ioaw", "bbz_starter"])
            if (
                end is None
                and m.Benefit.objects.filter(
                    household=household, regime=regime, end_date__isnull=True
                ).exists()
            ):
                end = start + dt.timedelta(days=30)
            factories.BenefitFactory(
                household=household,
                applicant=applicant,
                regime=regime,
                start_date=start,
                end_date=end,
                end_reason="11" if end else "",
            )
            # a second benefit may overlap the first (a person still counts once)
            start = start + dt.timedelta(days=rng.randrange(-60, 700))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_caseload_vs_national_recomputed(seed):
    rng = random.Random(seed)
    municipality = factories.MunicipalityFactory(cbs_code=f"GM98{seed:02d}")
    _generate(rng, municipality)
    call_command("import_cbs_series", str(SNAPSHOT), "--no-recompute")
    for year in range(2019, 2024):
        indicator_values_fill(municipality_id=municipality.pk, codes=[CODE], year=year, today=TODAY)
    stored = {
        (v.period_kind, v.period_end): (v.value, v.numerator, v.denominator)
        for v in IndicatorValue.objects.filter(municipality=municipality, code=CODE)
    }
    national = _national()
    expected = {}
    for year in range(2019, 2024):
        for month, day in QUARTER_ENDS:
            d1 = D(year, month, day)
            d0 = D(year - 1, month, day)
            if d1 not in national or d0 not in national:
                continue  # docs: no national figure for d1 or d0, no value
            m1, m0 = _persons_on(municipality, d1), _persons_on(municipality, d0)
            if m0 == 0:
                continue  # docs: no value when M(d0) = 0
            numerator = Decimal(m1) - Decimal(m0) * national[d1] / national[d0]
            value = 100 * numerator / Decimal(m0)
            figures = (
                value.quantize(FOUR, ROUND_HALF_UP),
                numerator.quantize(FOUR, ROUND_HALF_UP),
                Decimal(m0),
            )
            expected[("quarter", d1)] = figures
            if month == 12:  # docs: the year's value is that of its fourth quarter
                expected[("year", d1)] = figures
    assert len(expected) >= 10
    assert stored == expected
