"""amersfoort.caseload_vs_national: exact values on a hand-made history against the committed
CBS snapshot, no value without a national figure ("geen landelijk cijfer", never 0), and what
the dashboard shows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from caseload.models import Benefit, HouseholdRole, Team
from indicators.models import IndicatorValue
from indicators.selectors import dashboard_overview, indicator_residents
from indicators.services import indicator_values_fill
from statline.indicators import CODE, NATIONAL_SERIES
from statline.models import NationalSeries, NationalSeriesValue
from tests import factories

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2026, 11, 22)
SNAPSHOT = Path(__file__).resolve().parents[2] / "data/cbs/85585NED-personen-met-bijstand.csv"


def _household(municipality, team, *, start, end=None, regime="pw", partner=False, child=False):
    household = factories.HouseholdFactory(municipality=municipality)
    applicant = factories.ResidentFactory(household=household, team=team)
    if partner:
        factories.ResidentFactory(
            household=household, team=team, household_role=HouseholdRole.PARTNER
        )
    if child:
        factories.ResidentFactory(
            household=household,
            team=team,
            household_role=HouseholdRole.OTHER,
            birth_date=D(2010, 1, 1),
        )
    factories.BenefitFactory(
        applicant=applicant,
        household=household,
        regime=regime,
        start_date=start,
        end_date=end,
        end_reason="11" if end else "",
    )
    return applicant


@pytest.fixture
def history(db):
    """Persons with algemene bijstand on the quarter ends: 13 in 2019, 14 on 30 June and
    30 September 2020, 13 on 31 December 2020 and 31 March 2021, 12 from 30 June 2021."""
    municipality = factories.MunicipalityFactory(name="Amersfoort (test)", cbs_code="GM0307")
    team = factories.TeamFactory(municipality=municipality)
    for i in range(6):  # 6 couples: 12 persons (a child of the first does not count)
        _household(municipality, team, start=D(2018, 6, 1), partner=True, child=i == 0)
    # one from 1 June 2020; not on its end date 30 June 2021
    _household(municipality, team, start=D(2020, 6, 1), end=D(2021, 6, 30))
    # one until 31 December 2020: on 31 December 2019, not on 31 December 2020
    _household(municipality, team, start=D(2018, 1, 1), end=D(2020, 12, 31))
    _household(municipality, team, start=D(2018, 1, 1), regime="ioaw")  # not algemene bijstand
    call_command("import_cbs_series", str(SNAPSHOT), "--no-recompute")
    for year in range(2019, 2024):
        indicator_values_fill(municipality_id=municipality.pk, codes=[CODE], year=year, today=TODAY)
    return municipality


def _stored(municipality) -> dict[tuple[str, dt.date], tuple[Decimal, Decimal, Decimal]]:
    return {
        (v.period_kind, v.period_end): (v.value, v.numerator, v.denominator)
        for v in IndicatorValue.objects.filter(municipality=municipality, code=CODE)
    }


#: 100 x (M(d1)/M(d0) - N(d1)/N(d0)) with the CBS figures of the snapshot, e.g. the first
#: quarter of 2020: 100 x (13/13 - 421,300/431,550) = 2.3752; the numerator is
#: M(d1) - M(d0) x N(d1)/N(d0) = 13 - 13 x 421,300/431,550 = 0.3088 persons
EXPECTED = {
    D(2020, 3, 31): ("2.3752", "0.3088", 13),
    D(2020, 6, 30): ("6.6605", "0.8659", 13),
    D(2020, 9, 30): ("5.7515", "0.7477", 13),
    D(2020, 12, 31): ("-3.2344", "-0.4205", 13),
    D(2021, 3, 31): ("-2.1125", "-0.2746", 13),
    D(2021, 6, 30): ("-12.7270", "-1.7818", 14),
    D(2021, 9, 30): ("-11.3121", "-1.5837", 14),
    D(2021, 12, 31): ("-3.0453", "-0.3959", 13),
    D(2022, 3, 31): ("-2.0345", "-0.2645", 13),
    D(2022, 6, 30): ("5.0668", "0.6080", 12),
    D(2022, 9, 30): ("3.6694", "0.4403", 12),
    D(2022, 12, 31): ("2.7957", "0.3355", 12),
}


def test_exact_values_per_quarter_and_year(history):
    stored = _stored(history)
    want = {}
    for end, (value, numerator, denominator) in EXPECTED.items():
        figures = (Decimal(value), Decimal(numerator), Decimal(denominator))
        want[("quarter", end)] = figures
        if end.month == 12:  # the year's value is that of its fourth quarter
            want[("year", end)] = figures
    assert stored == want


def test_no_value_without_a_national_figure(history):
    stored = _stored(history)
    # 2019: no national figure for 2018 (the base); 2023: none at all. Nothing stored, no 0.
    assert not [key for key in stored if key[1].year in (2019, 2023)]
    # a running quarter has no value either, even with national figures for it
    running = D(2022, 11, 15)
    IndicatorValue.objects.filter(municipality=history, code=CODE).delete()
    indicator_values_fill(municipality_id=history.pk, codes=[CODE], year=2022, today=running)
    assert sorted(end for _kind, end in _stored(history)) == [
        D(2022, 3, 31),
        D(2022, 6, 30),
        D(2022, 9, 30),
    ]


#: what the card says for a year without a value, with the committed snapshot imported
NO_FIGURE = (
    "geen landelijk cijfer (CBS-cijfers ingelezen van 1e kwartaal 2019 tot en met 4e kwartaal "
    "2022, stand 31-12-2022; CBS publiceert met vertraging)"
)


def test_the_dashboard_says_geen_landelijk_cijfer_and_shows_the_value(history):
    manager = factories.UserFactory(manager=True)
    for year in (2019, 2023):
        (card,) = dashboard_overview(
            user=manager, municipality=history, year=year, today=TODAY, codes=[CODE]
        )
        assert card.value is None
        assert card.value_text == NO_FIGURE
    (card,) = dashboard_overview(
        user=manager, municipality=history, year=2021, today=TODAY, codes=[CODE]
    )
    assert card.value == Decimal("-3.0453")
    assert card.value_text == "-3,0%"
    assert card.numerator_text == "-0,40" and card.denominator_text == "13"


def test_a_figure_on_a_small_count_is_hidden_whole_for_aggregate_roles(history):
    # the municipality shrinks to 3 persons; every base from 2022 on is then small
    for benefit in Benefit.objects.filter(
        household__municipality=history, regime="pw", end_date__isnull=True
    )[:5]:
        benefit.end_date, benefit.end_reason = D(2021, 6, 1), "11"
        benefit.save(update_fields=["end_date", "end_reason"])
    for year in (2021, 2022):
        indicator_values_fill(municipality_id=history.pk, codes=[CODE], year=year, today=TODAY)
    assert _stored(history)[("year", D(2022, 12, 31))][2] == 2  # two persons a year earlier
    manager = factories.UserFactory(manager=True)
    (card,) = dashboard_overview(
        user=manager, municipality=history, year=2022, today=TODAY, codes=[CODE]
    )
    assert (card.value_text, card.numerator_text, card.denominator_text) == ("x", "x", "x")
    # a small difference itself is no small count: 2021's base (13 and 14 persons) shows
    (card,) = dashboard_overview(
        user=manager, municipality=history, year=2021, today=TODAY, codes=[CODE]
    )
    assert card.value_text != "x" and "geen landelijk cijfer" not in card.value_text


def test_the_residents_behind_the_figure_are_the_persons_on_the_reference_date(history):
    teamleider = factories.UserFactory(teamleider=True, team=Team.objects.get(municipality=history))
    people = indicator_residents(user=teamleider, municipality=history, code=CODE, year=2021)
    assert people.count() == 12  # the six couples on 31 December 2021


def test_the_region_figure_is_the_development_of_the_regions_caseload(history):
    from caseload.models import Region, Role
    from region import selectors as region_selectors

    region = Region.objects.create(name="Regio Amersfoort (test)")
    history.region = region
    history.save(update_fields=["region"])
    other = factories.MunicipalityFactory(name="Leusden (test)", cbs_code="GM0327", region=region)
    team = factories.TeamFactory(municipality=other)
    for _ in range(8):  # 8 persons on 31 December 2020, 13 on 31 December 2021
        _household(other, team, start=D(2018, 3, 1))
    for _ in range(5):
        _household(other, team, start=D(2021, 3, 1))
    indicator_values_fill(municipality_id=other.pk, codes=[CODE], year=2021, today=TODAY)
    user = factories.UserFactory(role=Role.REGION, team=None)
    table = region_selectors.region_indicators(user=user, region=region, year=2021)
    row = next(r for r in table.rows if r.defn.code == CODE)
    # the region's persons: 12 + 13 = 25 on 31 December 2021, 13 + 8 = 21 a year earlier:
    # 100 x (25/21 - 408,130/428,020) = 23.6946, from the stored numerators (4 decimals):
    # 100 x (-0.3959 + 5.3718) / (13 + 8) = 23.6948; not the mean of -3.0453 and 67.1470
    assert (row.region.numerator, row.region.denominator) == (Decimal("4.9759"), Decimal(21))
    assert abs(row.region.value - Decimal("23.6948")) < Decimal("0.0001")
    assert row.region.text == "23,7%"
    assert [c.value for c in row.municipalities] == [Decimal("-3.0453"), Decimal("67.1470")]


def test_a_year_after_the_snapshot_names_the_last_cbs_figure_and_its_date(history):
    """Walk-through of 3 December 2026: the demo's years (2023-2026) lie after the snapshot's
    last quarter (2022 Q4), and the card said only "geen landelijk cijfer", which read as a
    fault. It says which quarters CBS figures were imported for and the date of the last."""
    manager = factories.UserFactory(manager=True)
    for year in (2025, 2026):
        (card,) = dashboard_overview(
            user=manager, municipality=history, year=year, today=D(2026, 12, 3), codes=[CODE]
        )
        assert card.value is None
        assert card.value_text == NO_FIGURE


def test_the_text_follows_the_imported_series(history):
    manager = factories.UserFactory(manager=True)
    series = NationalSeriesValue.objects.filter(series__code=NATIONAL_SERIES)
    # an older snapshot (up to 2021 Q4) with its last figure provisional: both shown
    series.filter(period_start__year=2022).delete()
    series.filter(period_code="2021KW04").update(provisional=True)
    (card,) = dashboard_overview(
        user=manager, municipality=history, year=2023, today=TODAY, codes=[CODE]
    )
    assert card.value_text == (
        "geen landelijk cijfer (CBS-cijfers ingelezen van 1e kwartaal 2019 tot en met 4e "
        "kwartaal 2021 (voorlopig), stand 31-12-2021; CBS publiceert met vertraging)"
    )
    # no series imported at all
    NationalSeries.objects.filter(code=NATIONAL_SERIES).delete()
    (card,) = dashboard_overview(
        user=manager, municipality=history, year=2023, today=TODAY, codes=[CODE]
    )
    assert card.value_text == "geen landelijk cijfer (de CBS-reeks is niet ingelezen)"


def test_the_cached_card_follows_a_new_import(client, history):
    """The rendered cards are cached under a fingerprint of their stored figures
    (indicators.dashboard_cache); an import that changes only the series' coverage changes no
    stored figure of 2023, so the coverage text is part of the card's key (it was served from
    the cache for up to 15 minutes, noticed on 3 December)."""
    from django.core.cache import cache

    cache.clear()
    client.force_login(factories.UserFactory(manager=True, municipality=history))
    url = "/indicatoren/?jaar=2023"
    assert NO_FIGURE in client.get(url).content.decode()
    NationalSeriesValue.objects.filter(
        series__code=NATIONAL_SERIES, period_start__year=2022
    ).delete()
    body = client.get(url).content.decode()
    assert NO_FIGURE not in body
    assert "tot en met 4e kwartaal 2021, stand 31-12-2021" in body
    cache.clear()
