"""The running month is not realised (finding of 3 December 2026): the demo had all of
December's payments and a full month of December recoveries and verhaal on 3 December, so the
overview took 2026 for a completed year (last month 12, three identical figures, the vangnet on
'Gerealiseerde netto lasten 2026 (... 12 maanden)'). Realised are the months that are over on
the municipality's today (``common.clock``); the running month is forecast."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from budget import calculations as calc
from budget import demo, reports, selectors, services
from budget.models import BudgetAllocation, BuigReport, LedgerImport, Receipt
from budget.services import payment_totals_refresh
from caseload.models import BenefitPayment, Regime
from common import clock
from tests import factories

pytestmark = pytest.mark.django_db

DEC_3 = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)
JAN_4 = dt.datetime(2027, 1, 4, 12, 0, tzinfo=dt.UTC)
PER_MONTH = Decimal("3100.75")  # the conftest's three households: 1200 + 1000,50 + 900,25


@pytest.fixture
def whole_year(municipality, finance, payments):
    """The conftest's households paid every month of 2026, December included (bijstand is
    paid per month, often at its start); an average cost and a definitief budget; a ledger
    with 100 recovered in November and 500 in December."""
    for payment in payments[::3]:
        for month in range(4, 13):
            BenefitPayment.objects.create(
                benefit=payment.benefit,
                month=dt.date(2026, month, 1),
                amount_paid=payment.amount_paid,
            )
    payment_totals_refresh(municipality_id=municipality.pk, year=2026)
    factories.MunicipalityYearFactory(
        municipality=municipality, year=2026, average_benefit_cost=12000
    )
    services.budget_allocation_record(
        municipality=municipality,
        year=2026,
        moment=BudgetAllocation.Moment.DEFINITIEF,
        decided_on=dt.date(2026, 10, 1),
        amount=Decimal("36000.00"),
        by=finance,
    )
    ledger = LedgerImport.objects.create(
        municipality=municipality, original_name="gb.csv", checksum="e" * 64, created_by=finance
    )
    for number, (month, amount) in enumerate(((11, "100.00"), (12, "500.00")), start=2):
        Receipt.objects.create(
            municipality=municipality,
            ledger_import=ledger,
            line_number=number,
            reference=f"T{month}",
            regime=Regime.ALGEMENE_BIJSTAND,
            month=dt.date(2026, month, 1),
            kind=Receipt.Kind.RECOVERY,
            amount=Decimal(amount),
        )
    return payments


def test_months_over():
    assert calc.months_over(year=2026, today=dt.date(2026, 12, 3)) == 11
    assert calc.months_over(year=2026, today=dt.date(2026, 12, 31)) == 11
    assert calc.months_over(year=2026, today=dt.date(2026, 1, 31)) == 0
    assert calc.months_over(year=2026, today=dt.date(2027, 1, 1)) == 12
    assert calc.months_over(year=2027, today=dt.date(2026, 12, 3)) == 0


def test_finding_on_3_december_eleven_months_are_realised(municipality, finance, whole_year):
    """On 3 December with December paid and December recoveries booked: 11 months realised,
    the forecasts project December and differ from the realised sum."""
    with clock.frozen(DEC_3):
        overview = selectors.budget_overview(user=finance, municipality=municipality, year=2026)
        inputs = selectors.vangnet_inputs(
            user=finance, municipality=municipality, year=2026, overview=overview
        )
    assert overview.figures.last_month == 12  # December's payments are there ...
    assert overview.months_realised == 11  # ... but December is not over
    assert not overview.year_complete
    realised = PER_MONTH * 11 - Decimal("100.00")  # December's 500 recovered is not counted
    assert overview.realised_netto == realised
    assert overview.not_yet_realised_netto == PER_MONTH - Decimal("500.00")
    assert overview.forecast_run_rate == calc.money(realised / 11 * 12)
    # December forecast: the current caseload (3 households) × 12.000 / 12
    assert overview.forecast_caseload == realised + Decimal("3000.00")
    assert overview.forecast_run_rate != realised and overview.forecast_caseload != realised
    assert overview.balance_realised.months == 11
    assert overview.balance_realised.budget == Decimal("33000.00")
    # the vangnet runs on the forecast, not on '12 maanden' realised
    assert inputs.netto_lasten == overview.forecast_caseload
    assert inputs.netto_lasten_source.startswith("Prognose van het overzicht")
    assert "tot en met maand 11" in inputs.netto_lasten_source
    assert "12 maanden" not in inputs.netto_lasten_source


def test_once_the_year_is_over_all_twelve_months_are_realised(municipality, finance, whole_year):
    with clock.frozen(JAN_4):
        overview = selectors.budget_overview(user=finance, municipality=municipality, year=2026)
        inputs = selectors.vangnet_inputs(
            user=finance, municipality=municipality, year=2026, overview=overview
        )
    assert overview.months_realised == 12 and overview.year_complete
    netto = PER_MONTH * 12 - Decimal("600.00")
    assert overview.realised_netto == overview.figures.netto == netto
    assert overview.not_yet_realised_netto == 0
    assert inputs.netto_lasten == netto
    assert inputs.netto_lasten_source.startswith("Gerealiseerde netto lasten 2026")


def test_finding_overview_page_on_3_december(client, municipality, finance, whole_year):
    client.force_login(finance)
    with clock.frozen(DEC_3):
        page = client.get(
            reverse("budget:overview"), {"jaar": 2026, "gemeente": municipality.pk}
        ).content.decode()
        vangnet = client.get(
            reverse("budget:vangnet"), {"jaar": 2026, "gemeente": municipality.pk}
        ).content.decode()
    assert "Netto lasten tot en met november (11 maanden gerealiseerd)" in page
    assert "€ 34.008,25" in page  # 11 × 3.100,75 - 100
    assert "Al geboekt voor maanden die nog niet voorbij zijn" in page
    assert "budget naar rato van 11 maanden" in page
    assert "12 maanden)" not in vangnet
    assert "Prognose van het overzicht" in vangnet


def test_a_report_leaves_out_a_month_that_is_over_but_not_paid(municipality, finance, whole_year):
    """Code review of 3 December: with November's and December's payments not yet in the feed,
    the overview counted 10 realised months (a tekort) and the report 11, November as a month
    without spending (an overschot of about a month's spending). The report now covers the
    months the overview counts as realised."""
    BenefitPayment.objects.filter(month__gte=dt.date(2026, 11, 1)).delete()
    payment_totals_refresh(municipality_id=municipality.pk, year=2026)
    with clock.frozen(DEC_3):
        overview = selectors.budget_overview(user=finance, municipality=municipality, year=2026)
        content = reports.buig_report_build(municipality=municipality, year=2026, by=finance)
    assert overview.months_realised == 10
    assert content["through"] == 10
    assert "januari tot en met oktober 2026" in content["period"]
    assert {row[1] for row in content["monthly"]} == set(range(1, 11))
    assert content["surplus"] == overview.balance_realised.amount


def test_finding_the_report_of_the_running_year_covers_the_months_that_are_over(
    municipality, finance, whole_year
):
    """A report made on 3 December for 2026 is a report 'tot en met november': no December
    rows, totals and payment records of January-November, the vangnet on the forecast."""
    report = services.buig_report_request(municipality=municipality, year=2026, by=finance)
    with clock.frozen(DEC_3):
        assert services.buig_report_generate(report_id=report.pk) == BuigReport.Status.SUCCEEDED
        overview = selectors.budget_overview(user=finance, municipality=municipality, year=2026)
    report.refresh_from_db()
    text = report.csv_file.open("rb").read().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))
    (period,) = [r for r in rows if r["sectie"] == "periode"]
    assert period["aantal"] == "11"
    assert "januari tot en met november 2026" in period["toelichting"]
    assert {r["maand"] for r in rows if r["maand"]} == {str(m) for m in range(1, 12)}
    total = {r["onderdeel"]: r["bedrag"] for r in rows if r["sectie"] == "totaal"}
    assert total["netto_lasten"] == "34008,25"
    assert total["baten"] == "100,00"
    assert report.payments_total == PER_MONTH * 11
    vangnet = {r["onderdeel"]: r for r in rows if r["sectie"] == "vangnet"}
    assert vangnet["Netto lasten"]["bedrag"] == str(overview.forecast_caseload).replace(".", ",")
    assert vangnet["Netto lasten"]["toelichting"].startswith("Prognose")
    assert any("klopt." in r["toelichting"] for r in rows)  # payments and report agree


def test_reconciliation_of_the_running_month_is_not_an_open_difference(
    municipality, finance, whole_year
):
    with clock.frozen(DEC_3):
        rows = selectors.reconciliation(user=finance, municipality=municipality, year=2026)
    december = [r for r in rows if r.month == dt.date(2026, 12, 1)]
    assert december and {r.status for r in december} == {"lopend"}
    assert {r.status for r in rows if r.month < dt.date(2026, 12, 1)} == {"verschil"}
    summary = selectors.reconciliation_summary(rows)
    assert summary.open == len(rows) - len(december)


def test_finding_demo_writes_no_receipt_for_a_month_not_over(municipality, finance, whole_year):
    """On 3 December the demo's ledger holds November's recoveries and verhaal, none of
    December (not over) and none after today."""
    Receipt.objects.all().delete()
    today = dt.date(2026, 12, 3)
    assert demo.demo_ledger_load(municipality=municipality, by=finance, today=today) > 0
    months = set(Receipt.objects.values_list("month", flat=True))
    assert dt.date(2026, 11, 1) in months
    assert max(months) < today.replace(day=1)


def test_seed_demo_budget_writes_no_receipt_after_today(
    settings, municipality, finance, whole_year
):
    settings.DEMO_MODE = True
    Receipt.objects.all().delete()
    with clock.frozen(DEC_3):
        call_command("seed_demo_budget", stdout=io.StringIO())
    assert Receipt.objects.filter(kind="verhaal").exists()
    assert not Receipt.objects.filter(month__gte=dt.date(2026, 12, 1)).exists()


# The per-regime tables and the gap chart (finding of 3 December 2026, second part): the
# tables showed December like a realised month and their 'Totaal' included it, unlike the
# '11 maanden gerealiseerd' headline; the gap chart drew December's households as realised.


def _overview_page(client, municipality, finance) -> str:
    client.force_login(finance)
    with clock.frozen(DEC_3):
        return client.get(
            reverse("budget:overview"), {"jaar": 2026, "gemeente": municipality.pk}
        ).content.decode()


def test_finding_regime_tables_mark_the_running_month(municipality, finance, whole_year):
    with clock.frozen(DEC_3):
        overview = selectors.budget_overview(user=finance, municipality=municipality, year=2026)
    assert overview.months_over == 11 and overview.running_month == 12
    assert [overview.month_status(m) for m in (1, 11, 12)] == [
        selectors.MONTH_REALISED,
        selectors.MONTH_REALISED,
        selectors.MONTH_RUNNING,
    ]
    tables = {t.regime: t for t in overview.regime_tables}
    bijstand = tables[Regime.ALGEMENE_BIJSTAND]
    assert [row.status for row in bijstand.rows][-2:] == ["gerealiseerd", "lopend"]
    assert not bijstand.rows[-1].realised and bijstand.rows[-2].realised
    per_month = Decimal("2200.50")  # the two bijstand households
    assert bijstand.realised.besteding == per_month * 11
    assert bijstand.realised.baten == Decimal("100.00")
    assert bijstand.realised.netto == per_month * 11 - Decimal("100.00")
    assert bijstand.not_realised.besteding == per_month
    assert bijstand.not_realised.netto == per_month - Decimal("500.00")
    # the tables add up to the headline
    assert sum((t.realised.netto for t in tables.values()), Decimal(0)) == overview.realised_netto
    assert overview.realised_totals.netto == overview.realised_netto
    assert overview.not_realised_totals.netto == overview.not_yet_realised_netto


def test_finding_overview_page_regime_tables_on_3_december(
    client, municipality, finance, whole_year
):
    page = _overview_page(client, municipality, finance)
    assert 'class="utrecht-table__row app-budget-month--lopend"' in page
    assert "december (lopend, nog niet gerealiseerd)" in page
    # the bijstand table: realised total January-November, December booked separately
    assert "Totaal gerealiseerd, januari tot en met november (11 maanden)" in page
    assert "€ 24.205,50" in page  # 11 × 2.200,50 besteding bijstand
    assert "€ 24.105,50" in page  # minus 100 recovered in November
    assert "Al geboekt, nog niet gerealiseerd" in page
    assert "€ 26.406,00" not in page  # 12 × 2.200,50: the old 'Totaal' with December
    assert "€ 25.806,00" not in page  # 12 × 2.200,50 - 600: the old netto 'Totaal'
    # the page total is the headline's; December's booked amounts apart
    assert (
        "Totaal gerealiseerd (11 maanden): besteding € 34.108,25, baten € 100,00, "
        "netto lasten € 34.008,25." in page
    )
    assert "€ 37.209,00" not in page and "€ 36.609,00" not in page  # the old page total
    assert "11 maanden gerealiseerd" in page.split("utrecht-table__caption")[-1]  # caption


def test_finding_gap_chart_does_not_draw_the_running_month_as_realised(
    client, municipality, finance, whole_year
):
    with clock.frozen(DEC_3):
        overview = selectors.budget_overview(user=finance, municipality=municipality, year=2026)
    december = overview.gap[11]
    assert december["households"] is None  # the chart's line: realised months only
    assert december["households_booked"] == 3 and december["status"] == "lopend"
    assert [g["households"] for g in overview.gap[:11]] == [3] * 11
    assert overview.households_now == 3  # the current caseload still counts December
    page = _overview_page(client, municipality, finance)
    gap_table = page.split("Huishoudens per maand")[1].split("</table>")[0]
    assert "december (lopend, nog niet gerealiseerd)" in gap_table


def test_after_the_year_the_tables_have_no_running_month(client, municipality, finance, whole_year):
    client.force_login(finance)
    with clock.frozen(JAN_4):
        overview = selectors.budget_overview(user=finance, municipality=municipality, year=2026)
        page = client.get(
            reverse("budget:overview"), {"jaar": 2026, "gemeente": municipality.pk}
        ).content.decode()
    assert {row.status for t in overview.regime_tables for row in t.rows} == {"gerealiseerd"}
    assert overview.gap[11]["households"] == 3
    assert "app-budget-month--" not in page and "nog niet gerealiseerd" not in page
    assert "Totaal: besteding" not in page and "Totaal gerealiseerd" not in page
    assert "Totaal (12 maanden gerealiseerd)" in page


def test_a_future_year_has_no_realised_month(client, municipality, finance, whole_year):
    with clock.frozen(DEC_3):
        overview = selectors.budget_overview(user=finance, municipality=municipality, year=2027)
    assert overview.running_month == 0
    assert {overview.month_status(m) for m in range(1, 13)} == {selectors.MONTH_FUTURE}
