"""The region (issue 17): its figures are the sum or the weighted figure of its municipalities'
stored values (exact values), the comparison per 1,000 inwoners, suppression across the region,
the regional BUIG overview as the sum of the municipalities' own figures, and who may see what:
the regional login sees aggregates only, never a dossier or a worklist."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.html import escape

from caseload import models as m
from common import clock
from indicators.models import IndicatorValue
from region import calculations as calc
from region import selectors
from tests import factories

pytestmark = pytest.mark.django_db

D = Decimal
YEAR = 2025


@pytest.fixture
def region():
    region = m.Region.objects.create(name="Regio Test")
    muns = [
        factories.MunicipalityFactory(cbs_code=code, name=name, region=region)
        for code, name in (("GM0001", "Aa"), ("GM0002", "Bb"), ("GM0003", "Cc"))
    ]
    for mun, population in zip(muns, (10_000, 40_000, 25_000), strict=True):
        m.MunicipalityYear.objects.create(
            municipality=mun,
            year=YEAR,
            population=population,
            population_18_plus=round(population * 0.8),
            population_15_64=round(population * 0.6),
            population_15_74=round(population * 0.7),
            average_benefit_cost=D(14_400),
            population_source="CBS StatLine (test)",
        )
    return region, muns


def _store(mun, code: str, numerator, denominator=None, scale: int = 1):
    value = calc.stored_value(
        numerator=D(numerator),
        denominator=None if denominator is None else D(denominator),
        scale=scale,
    )
    IndicatorValue.objects.create(
        municipality=mun,
        code=code,
        period_kind="year",
        period_start=dt.date(YEAR, 1, 1),
        period_end=dt.date(YEAR, 12, 31),
        dimension="",
        dimension_value="",
        value=value,
        numerator=D(numerator),
        denominator=None if denominator is None else D(denominator),
        changed_at=timezone.now(),
        definition_version=1,
    )


def _user(role, **extra):
    return factories.UserFactory(role=role, team=None, **extra)


def _row(table, code):
    return next(r for r in table.rows if r.defn.code == code)


def test_region_figures_are_sums_and_weighted_figures_of_the_municipalities(region):
    reg, (a, b, c) = region
    # counts: summed
    for mun, n in ((a, 30), (b, 120), (c, 55)):
        _store(mun, "outflow.to_work", n)
    # a percentage: sum of numerators over sum of denominators, not the mean of percentages
    for mun, num, den in ((a, 10, 100), (b, 90, 300), (c, 40, 400)):
        _store(mun, "outflow.pct_caseload", num, den, scale=100)
    # per 10,000 inwoners 18+: weighted by the inhabitants
    for mun, num, den in ((a, 310, 8_000), (b, 1_480, 32_000), (c, 515, 20_000)):
        _store(mun, "bbv.bijstand_per_10k", num, den, scale=10_000)
    table = selectors.region_indicators(user=_user(m.Role.REGION), region=reg, year=YEAR)

    count = _row(table, "outflow.to_work")
    assert count.region.value == D(205) and count.region.text == "205"
    assert [cell.value for cell in count.municipalities] == [D(30), D(120), D(55)]

    share = _row(table, "outflow.pct_caseload")
    assert (share.region.numerator, share.region.denominator) == (D(140), D(800))
    assert share.region.value == D("17.5000")  # 140 / 800; the mean of 10%, 30%, 10% is 16.7%
    assert share.region.text == "17,5%"

    per_10k = _row(table, "bbv.bijstand_per_10k")
    # (310 + 1,480 + 515) / (8,000 + 32,000 + 20,000) * 10,000 = 2,305 / 60,000 * 10,000
    assert per_10k.region.value == D("384.1667")
    assert per_10k.region.text == "384,2"
    assert [cell.value for cell in per_10k.municipalities] == [
        D("387.5000"),
        D("462.5000"),
        D("257.5000"),
    ]


def test_a_region_figure_needs_every_municipality(region):
    reg, (a, b, _c) = region
    _store(a, "outflow.to_work", 30)
    _store(b, "outflow.to_work", 120)
    table = selectors.region_indicators(user=_user(m.Role.REGION), region=reg, year=YEAR)
    row = _row(table, "outflow.to_work")
    assert row.with_value == 2 and not row.complete
    assert row.region.value is None


def test_the_comparison_shows_counts_per_1000_inwoners_with_the_source(region):
    reg, (a, b, c) = region
    for mun, n in ((a, 30), (b, 120), (c, 55)):
        _store(mun, "outflow.to_work", n)
    manager = _user(m.Role.MANAGER, municipality=b)
    table = selectors.region_comparison(user=manager, region=reg, year=YEAR)
    row = _row(table, "outflow.to_work")
    assert row.per_inhabitant
    # 30 / 10,000, 120 / 40,000, 55 / 25,000 per 1,000; the region 205 / 75,000 per 1,000
    assert [cell.per_1000 for cell in row.municipalities] == [D("3.0"), D("3.0"), D("2.2")]
    assert row.region.per_1000 == D("2.7")
    assert table.population == 75_000
    assert {i.source for i in table.inhabitants} == {"CBS StatLine (test)"}
    # a share is compared as it is, not per inhabitant
    _store(a, "outflow.pct_caseload", 10, 100, scale=100)
    assert not _row(
        selectors.region_comparison(user=manager, region=reg, year=YEAR), "outflow.pct_caseload"
    ).per_inhabitant


def test_small_counts_are_hidden_and_not_recomputable_from_the_region_total(region):
    reg, (a, b, c) = region
    for mun, n in ((a, 3), (b, 120), (c, 55)):
        _store(mun, "outflow.to_work", n)
    table = selectors.region_comparison(user=_user(m.Role.REGION), region=reg, year=YEAR)
    row = _row(table, "outflow.to_work")
    texts = [cell.text for cell in row.municipalities] + [row.region.text]
    assert texts[0] == "x"  # 3 is small
    # with the total 178 and 120 published, 55 would give 3 away: one more cell is hidden
    assert texts.count("x") >= 2
    assert "178" not in texts or texts[2] == "x"


def test_no_complementary_cell_is_one_the_reader_reads_on_their_own_dashboard(region):
    """The walk of 3 December: for a manager of 's-Hertogenbosch the comparison hid its own
    figure as the complementary cell of Amersfoort's small one, while the manager's dashboard
    shows it; the region's total minus the published ones and the own figure gave Amersfoort's
    4 away. A cell the reader reads elsewhere is no complementary cell."""
    reg, (a, b, c) = region
    for mun, n in ((a, 3), (b, 120), (c, 55)):
        _store(mun, "outflow.to_work", n)

    def published(user) -> dict:
        row = _row(selectors.region_comparison(user=user, region=reg, year=YEAR), "outflow.to_work")
        cells = dict(zip((a.pk, b.pk, c.pk), row.municipalities, strict=True))
        cells["regio"] = row.region
        return {k: cell.numerator for k, cell in cells.items() if cell.text != "x"}

    # a manager of Cc knows Cc's 55 from their own dashboard: Aa's 3 stays hidden
    shown = published(_user(m.Role.MANAGER, municipality=c))
    assert a.pk not in shown
    assert not ({b.pk, "regio"} <= set(shown)), shown  # else 178 - 120 - 55 = 3
    # a manager of every municipality reads Bb and Cc on their dashboards: the total goes
    shown = published(_user(m.Role.MANAGER))
    assert a.pk not in shown and "regio" not in shown, shown
    # the regional login reads no municipality's dashboard: as before, one more municipality
    shown = published(_user(m.Role.REGION))
    assert a.pk not in shown and len(shown) == 2


def test_who_may_see_which_region(region, client):
    reg, (a, _b, _c) = region
    other = m.Region.objects.create(name="Andere regio")
    factories.MunicipalityFactory(cbs_code="GM0009", name="Zz", region=other)
    regio = _user(m.Role.REGION)
    assert selectors.regions_for(user=regio) == [other, reg]
    manager = _user(m.Role.MANAGER, municipality=a)
    assert selectors.regions_for(user=manager) == [reg]
    client.force_login(manager)
    assert client.get(f"/regio/vergelijking/?regio={reg.pk}").status_code == 200
    assert client.get(f"/regio/vergelijking/?regio={other.pk}").status_code == 404
    assert client.get("/regio/vergelijking/?regio=1x").status_code == 404
    assert client.get("/regio/").status_code == 403  # the region's own page is the regio's
    assert client.get("/regio/buig/").status_code == 403


def test_the_regional_login_sees_aggregates_only(region, client):
    reg, (a, _b, _c) = region
    team = factories.TeamFactory(municipality=a)
    resident = factories.ResidentFactory(team=team)
    regio = _user(m.Role.REGION)
    client.force_login(regio)
    assert client.get("/regio/").status_code == 200
    assert client.get("/regio/vergelijking/").status_code == 200
    # no worklist, dossier, drill-down, dashboard, budget page or resident API
    for url in (
        "/caseload/",
        f"/caseload/inwoners/{resident.pk}/",
        "/caseload/export.csv",
        "/indicatoren/",
        "/indicatoren/outflow.to_work/inwoners/",
        "/budget/",
    ):
        assert client.get(url).status_code in (403, 404), url
    api = client.get("/api/v1/caseload/residents/")
    assert api.status_code in (401, 403, 404) or api.json()["results"] == [], api.content
    body = client.get("/regio/vergelijking/").content.decode()
    assert escape(resident.last_name) not in body and resident.bsn not in body


def test_region_figures_of_a_filled_demo_equal_an_independent_sum(client):
    """Two demo municipalities, filled by the indicator engine: every complete region figure is
    the sum of the stored numerators (and denominators) of its municipalities, recomputed here
    in SQL from the stored rows, and the value the engine's own rounding gives."""
    from django.db import connection

    from caseload.demo import generate_region
    from caseload.demo.parameters import AMERSFOORT, HILVERSUM
    from indicators.fill import indicator_values_fill

    today = dt.date(2026, 11, 22)
    generate_region(
        today=today, seed=4, reference_households=120, years=2, profiles=[HILVERSUM, AMERSFOORT]
    )
    codes = ["outflow.to_work", "outflow.pct_caseload", "caseload.size", "bbv.bijstand_per_10k"]
    for mun in m.Municipality.objects.all():
        indicator_values_fill(municipality_id=mun.pk, codes=codes, year=YEAR, today=today)
    reg = m.Region.objects.get()
    table = selectors.region_indicators(user=_user(m.Role.BEHEER), region=reg, year=YEAR)
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT code, sum(numerator), sum(denominator), count(*),
                      -- the engine's own rounding (PostgreSQL round on numeric)
                      round(CASE code WHEN 'outflow.pct_caseload' THEN 100
                                      WHEN 'bbv.bijstand_per_10k' THEN 10000 ELSE 1 END
                            * sum(numerator) / nullif(sum(denominator), 0), 4)
                 FROM indicators_indicatorvalue
                WHERE period_kind = 'year' AND period_start = %s AND dimension = ''
                  AND code = ANY(%s)
                GROUP BY code""",
            [dt.date(YEAR, 1, 1), codes],
        )
        sums = {code: rest for code, *rest in cursor.fetchall()}
    for code in codes:
        row = _row(table, code)
        num, den, n, share = sums[code]
        assert n == 2 and row.complete, code
        assert row.region.numerator == num, code
        assert row.region.denominator == den, code
        assert row.region.value == (num if den is None else share), code


def _store_row(mun, code, kind, start, end, n, dimension="", value=""):
    IndicatorValue.objects.create(
        municipality=mun,
        code=code,
        period_kind=kind,
        period_start=start,
        period_end=end,
        dimension=dimension,
        dimension_value=value,
        value=D(n),
        numerator=D(n),
        denominator=None,
        changed_at=timezone.now(),
        definition_version=1,
    )


def test_a_figure_hidden_on_the_municipalitys_own_pages_is_hidden_in_the_region(region):
    """The walk of 3 December: Hilversum's "Wsw gedetacheerd" read `x` on its dashboard, detail
    page and export (complementary suppression of its own table), and 5 on the comparison page.
    Here Aa's outflow year total of 9 is hidden on its own pages (its months and teams hold
    small counts that the total would give away); the region hides it too, and one more cell,
    so that the region's total does not give it away either."""
    from indicators.registry import indicator_get
    from indicators.selectors import table_masks

    reg, (a, b, c) = region
    code = "outflow.to_work"
    months = [[0, 4, 1], [1, 0, 0], [3, 0, 0]]  # per month, the count per team
    for i, teams in enumerate(months, start=1):
        start, end = dt.date(YEAR, i, 1), dt.date(YEAR, i, 28)
        _store_row(a, code, "month", start, end, sum(teams))
        for t, n in enumerate(teams):
            _store_row(a, code, "month", start, end, n, "team", f"T{t}")
    year = (dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31))
    _store_row(a, code, "year", *year, 9)
    for t in range(3):
        _store_row(a, code, "year", *year, sum(m[t] for m in months), "team", f"T{t}")
    for mun, n in ((b, 120), (c, 55)):
        _store(mun, code, n)
    own = table_masks(
        defn=indicator_get(code),
        rows=list(IndicatorValue.objects.filter(municipality=a)),
        exact=False,
    )
    year_row = IndicatorValue.objects.get(municipality=a, period_kind="year", dimension="")
    assert own.numerator_hidden(year_row)  # the premise: Aa's own pages hide its 9
    table = selectors.region_comparison(user=_user(m.Role.REGION), region=reg, year=YEAR)
    row = _row(table, code)
    texts = [cell.text for cell in row.municipalities] + [row.region.text]
    assert texts[0] == "x", texts
    assert texts.count("x") >= 2, texts  # 184 - 120 - 55 would give the 9 away
    overview = selectors.region_indicators(user=_user(m.Role.REGION), region=reg, year=YEAR)
    assert _row(overview, code).municipalities[0].text == "x"


def test_the_region_pages_read_the_stored_figures_in_a_fixed_number_of_queries(
    region, django_assert_max_num_queries
):
    """Review of the region's masks: the year rows were loaded without the columns a mask looks
    them up by, so each figure cost four more queries (about 2,900 for 16 municipalities)."""
    reg, muns = region
    for code in ("outflow.to_work", "caseload.size", "wsw.detachering", "beschut.quota"):
        for mun, n in zip(muns, (12, 40, 7), strict=True):
            _store(mun, code, n)
    user = _user(m.Role.REGION)
    with django_assert_max_num_queries(8):
        table = selectors.region_comparison(user=user, region=reg, year=YEAR)
    assert _row(table, "outflow.to_work").region.text == "59"


def test_the_published_masks_are_cached_per_state_of_a_municipalitys_figures(
    region, django_assert_num_queries
):
    """The comparison page spent 0.33 of its 0.34 s computing every municipality's masks on each
    request. They are now kept in the cache (Redis) under a fingerprint of the municipality's
    stored rows of the year: the second request reads one aggregate, and a changed figure is
    never answered from the cache."""
    from indicators.selectors import published_masks

    reg, (a, b, c) = region
    code = "outflow.to_work"
    year = (dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31))
    _store_row(a, code, "year", *year, 40)
    _store_row(a, code, "year", *year, 38, "team", "T0")
    _store_row(a, code, "year", *year, 2, "team", "T1")
    first = published_masks(municipalities=[a, b, c], year=YEAR)
    assert ("team", "T1") in {key[-2:] for key in first[(code, a.pk)].numerator}
    with django_assert_num_queries(1):  # the fingerprint; the masks come from the cache
        assert published_masks(municipalities=[a, b, c], year=YEAR) == first
    # T1 becomes 20 (T0 20): nothing small is left to hide, and the cache does not say otherwise
    IndicatorValue.objects.filter(municipality=a, dimension_value="T1").update(
        value=D(20), numerator=D(20)
    )
    IndicatorValue.objects.filter(municipality=a, dimension_value="T0").update(
        value=D(20), numerator=D(20)
    )
    with django_assert_num_queries(2):  # the fingerprint, then Aa's rows only
        again = published_masks(municipalities=[a, b, c], year=YEAR)
    assert not again[(code, a.pk)].numerator


def test_days_to_fill_a_vacancy_are_days_not_a_count_per_inhabitant(region):
    """The walk of 3 December: "Doorlooptijd vervulde vacatures (dagen)" had the unit "aantal",
    so the comparison page showed days per 1,000 inwoners. In days it is an average of the
    region's vacancies, with no figure per inhabitant."""
    reg, muns = region
    for mun, (days, filled) in zip(muns, ((460, 7), (120, 2), (300, 5)), strict=True):
        _store(mun, "matching.time_to_fill", days, filled)
    table = selectors.region_comparison(user=_user(m.Role.REGION), region=reg, year=YEAR)
    row = _row(table, "matching.time_to_fill")
    assert row.defn.unit_label == "dagen"
    assert not row.per_inhabitant
    assert row.region.text == "62,9"  # 880 days over 14 vacancies
    assert [c.text for c in row.municipalities] == ["65,7", "60,0", "60,0"]


def test_the_comparison_does_not_date_its_inhabitants_itself(region, client):
    """The walk of 3 December: the table of inhabitants was headed "Inwoners op 1 januari
    2026" while its sources were populations of 1 January 2018 and 2019; the heading now
    leaves the date to each municipality's source."""
    reg, (a, _b, _c) = region
    client.force_login(_user(m.Role.MANAGER, municipality=a))
    page = client.get(f"/regio/vergelijking/?regio={reg.pk}&jaar={YEAR}").content.decode()
    assert f"Inwoners op 1 januari {YEAR}" not in page
    assert "peildatum: zie de bron" in page and "CBS StatLine (test)" in page


@pytest.mark.parametrize("page", ["/regio/", "/regio/vergelijking/"])
def test_a_year_the_page_cannot_show_is_said_not_swapped_silently(client, region, page):
    """The walk of 4 December: ``?jaar=abc`` or ``1999`` showed this year without a word."""
    client.force_login(_user(m.Role.REGION))
    this_year = clock.today().year
    for asked in ("abc", "1999"):
        html = client.get(page, {"jaar": asked}).content.decode()
        assert f"Het jaar &#x27;{asked}&#x27; kan niet worden getoond" in html, asked
        assert f"u ziet {this_year}" in html
    assert "kan niet worden getoond" not in client.get(page, {"jaar": YEAR}).content.decode()


def test_the_comparison_downloads_as_it_reads_on_the_page(client, region):
    """The walk of 4 December: the region's pages had no export. The CSV and XLSX hold the
    page's texts: a suppressed figure is an x in the file too."""
    import csv
    import io

    from openpyxl import load_workbook

    reg, (a, b, c) = region
    for mun, n in ((a, 3), (b, 120), (c, 55)):
        _store(mun, "outflow.to_work", n)
    client.force_login(_user(m.Role.REGION))
    query = {"jaar": YEAR, "regio": reg.pk}
    page = client.get("/regio/vergelijking/", query).content.decode()
    assert "/regio/vergelijking/export.csv" in page and "/regio/vergelijking/export.xlsx" in page
    response = client.get("/regio/vergelijking/export.csv", query)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Indicator", "Eenheid", "Aa", "Bb", "Cc", "Regio Test"]
    assert rows[1] == ["Inwoners", "aantal", "10000", "40000", "25000", "75000"]
    outflow = next(r for r in rows if r[0] == "Uitstroom naar werk")
    assert outflow[2] == "x" and outflow[2:].count("x") >= 2  # as on the page
    workbook = load_workbook(
        io.BytesIO(client.get("/regio/vergelijking/export.xlsx", query).content)
    )
    sheet_rows = [[c.value for c in r] for r in workbook.active.iter_rows()]
    assert sheet_rows[0][-1] == "Regio Test"
    # a role without the comparison gets no file
    client.force_login(factories.UserFactory(role=m.Role.CONSULENT))
    assert client.get("/regio/vergelijking/export.csv", query).status_code == 403
