"""The BUIG report (issue 15, finance pages): the budget, the vangnet outcome on the year's own
figures and the reconciliation status are in it, and its CSV opens correctly in a Dutch Excel
(``;``, decimal comma, UTF-8 with a byte order mark, one header row, no prose in a data
column)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from budget import calculations as calc
from budget import selectors, services
from budget.models import BudgetAllocation, BuigReport, LedgerImport, Receipt
from budget.reports import CSV_HEADER
from caseload.models import Regime
from common import clock

pytestmark = pytest.mark.django_db

#: a Dutch number as Excel (nl-NL) reads it: digits, an optional decimal comma, a sign
DUTCH_NUMBER = re.compile(r"-?\d+(,\d+)?")


@pytest.fixture
def report_world(municipality, finance, payments):
    """2026 with payments January-March (conftest), a budget, a ledger with baten and benefit
    costs (one month reconciles, one differs and is signed off, one differs and stays open),
    and definitief budgets of 2024 and 2025 (their tekort feeds the vangnet's T-2 and T-1)."""
    for moment, day, amount in (
        (BudgetAllocation.Moment.VOORLOPIG, dt.date(2025, 10, 1), Decimal("30000.00")),
        (BudgetAllocation.Moment.NADER_VOORLOPIG, dt.date(2026, 5, 15), Decimal("28000.00")),
    ):
        services.budget_allocation_record(
            municipality=municipality,
            year=2026,
            moment=moment,
            decided_on=day,
            amount=amount,
            loonkostensubsidie=Decimal("1000.00"),
            by=finance,
        )
    for year in (2024, 2025):
        services.budget_allocation_record(
            municipality=municipality,
            year=year,
            moment=BudgetAllocation.Moment.DEFINITIEF,
            decided_on=dt.date(year, 10, 1),
            amount=Decimal("1000.00"),
            by=finance,
        )
    ledger = LedgerImport.objects.create(
        municipality=municipality, original_name="gb.csv", checksum="d" * 64, created_by=finance
    )
    # paid per month on bijstand 2,200.50, on IOAW 900.25
    lines = [
        ("U1", Regime.ALGEMENE_BIJSTAND, 1, "uitkering", "2200.50"),  # reconciles
        ("U2", Regime.ALGEMENE_BIJSTAND, 2, "uitkering", "2100.50"),  # 100 short: signed off
        ("U3", Regime.ALGEMENE_BIJSTAND, 3, "uitkering", "2000.50"),  # 200 short: open
        ("U4", Regime.IOAW, 1, "uitkering", "900.25"),
        ("U5", Regime.IOAW, 2, "uitkering", "900.25"),
        ("U6", Regime.IOAW, 3, "uitkering", "900.25"),
        ("T1", Regime.ALGEMENE_BIJSTAND, 2, "terugvordering", "150.00"),
        ("V1", Regime.IOAW, 3, "verhaal", "75.50"),
    ]
    for number, (ref, regime, month, kind, amount) in enumerate(lines, start=2):
        Receipt.objects.create(
            municipality=municipality,
            ledger_import=ledger,
            line_number=number,
            reference=ref,
            regime=regime,
            month=dt.date(2026, month, 1),
            kind=kind,
            amount=Decimal(amount),
        )
    services.reconciliation_sign(
        municipality=municipality,
        month=dt.date(2026, 2, 1),
        regime=Regime.ALGEMENE_BIJSTAND,
        note="Nagekomen betaling, geboekt in maart.",
        by=finance,
    )
    report = services.buig_report_request(municipality=municipality, year=2026, by=finance)
    # made once 2026 is over: the report covers the whole year (a report of the running year
    # covers the months that are over: tests/budget/test_running_month.py)
    with clock.frozen(dt.datetime(2027, 1, 15, 12, 0, tzinfo=dt.UTC)):
        assert services.buig_report_generate(report_id=report.pk) == BuigReport.Status.SUCCEEDED
    report.refresh_from_db()
    return report


def _csv_rows(report) -> tuple[bytes, list[dict[str, str]]]:
    raw = report.csv_file.open("rb").read()
    text = raw.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))
    return raw, rows


def _dutch(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def test_finding_buig_csv_opens_in_a_dutch_excel(report_world):
    """Issue 15, finance pages: the BUIG report's CSV opens correctly in a Dutch Excel: UTF-8
    with a byte order mark, ``;``, one header row, amounts with a decimal comma, and no prose in
    a data column (the old file put a sentence in the 'regeling' column and '1200.00')."""
    raw, rows = _csv_rows(report_world)
    assert raw.startswith(b"\xef\xbb\xbf")
    header = raw.decode("utf-8-sig").splitlines()[0]
    assert header.split(";") == CSV_HEADER
    assert rows and all(len(r) == len(CSV_HEADER) and None not in r for r in rows)
    amounts = [r["bedrag"] for r in rows if r["bedrag"]]
    assert amounts and all(DUTCH_NUMBER.fullmatch(a) for a in amounts), amounts[:5]
    assert "2200,50" in amounts and not [a for a in amounts if "." in a]
    counts = [r["aantal"] for r in rows if r["aantal"]]
    assert counts and all(c.isdigit() for c in counts)
    months = [r["maand"] for r in rows if r["maand"]]
    assert set(months) == {str(m) for m in range(1, 13)}
    # the sentences live in 'toelichting' only; the label columns hold short words
    assert all(len(r["onderdeel"]) <= 60 and "." not in r["onderdeel"] for r in rows)
    assert any("klopt." in r["toelichting"] for r in rows)


def test_buig_report_has_the_budget(report_world):
    """Issue 15: the report includes the budget: every allocation with its date and the
    loonkostensubsidie part."""
    _raw, rows = _csv_rows(report_world)
    budget = {r["onderdeel"]: r for r in rows if r["sectie"] == "budget"}
    assert _dutch(budget["Voorlopig budget"]["bedrag"]) == Decimal("30000.00")
    assert _dutch(budget["Nader voorlopig budget"]["bedrag"]) == Decimal("28000.00")
    assert "15-05-2026" in budget["Nader voorlopig budget"]["toelichting"]
    lks = budget["Nader voorlopig budget: waarvan loonkostensubsidie"]
    assert _dutch(lks["bedrag"]) == Decimal("1000.00")
    workbook = load_workbook(report_world.xlsx_file.path)
    sheet = list(workbook["Budget"].iter_rows(min_row=3, values_only=True))
    assert [(r[0], Decimal(str(r[2]))) for r in sheet] == [
        ("Voorlopig budget", Decimal("30000")),
        ("Nader voorlopig budget", Decimal("28000")),
    ]


def test_buig_report_has_the_vangnet_outcome_on_the_years_figures(
    report_world, municipality, finance
):
    """Issue 15: the vangnet outcome in the report is ``calculations.vangnet_calculate`` on the
    year's own figures: the current budget (no definitief yet), the overview's netto lasten
    forecast (run rate: no average cost here), and the tekort of T-2 and T-1 from their netto lasten and definitief budget."""
    overview = selectors.budget_overview(user=finance, municipality=municipality, year=2026)
    assert overview.forecast is None  # no average cost: the overview's run-rate forecast
    netto = overview.forecast_run_rate
    rule = calc.vangnet_rule_for(selectors.vangnet_rules(), 2026)
    expected = calc.vangnet_calculate(
        rule=rule,
        year=2026,
        budget=Decimal("28000.00"),
        netto_lasten=netto,
        previous_deficits={2024: Decimal("-1000.00"), 2025: Decimal("-1000.00")},
    )
    _raw, rows = _csv_rows(report_world)
    vangnet = {r["onderdeel"]: r for r in rows if r["sectie"] == "vangnet"}
    assert _dutch(vangnet["Budget"]["bedrag"]) == Decimal("28000.00")
    assert "Nog geen definitief budget" in vangnet["Budget"]["toelichting"]
    assert _dutch(vangnet["Netto lasten"]["bedrag"]) == netto
    assert "uitgavenritme" in vangnet["Netto lasten"]["toelichting"]
    assert _dutch(vangnet["Tekort 2024"]["bedrag"]) == Decimal("-1000.00")
    assert _dutch(vangnet["Tekort 2026"]["bedrag"]) == expected.deficit
    assert _dutch(vangnet["Vangnetuitkering"]["bedrag"]) == expected.compensation
    assert _dutch(vangnet["Eigen risico"]["bedrag"]) == expected.own_risk
    assert vangnet["Recht op vangnetuitkering"]["toelichting"] == (
        "ja" if expected.eligible else "nee"
    )
    steps = [r["toelichting"] for r in rows if r["onderdeel"].startswith("Stap ")]
    assert steps == expected.steps
    workbook = load_workbook(report_world.xlsx_file.path)
    sheet = {r[0]: r for r in workbook["Vangnet"].iter_rows(min_row=3, values_only=True)}
    assert Decimal(str(sheet["Vangnetuitkering"][1])) == expected.compensation
    # the share as a percentage, the amounts in euros (the walk of 3 December read "€ 0,03")
    formats = {
        row[0].value: row[1].number_format for row in workbook["Vangnet"].iter_rows(min_row=3)
    }
    assert formats["Tekortpercentage"] == "0.00%"
    assert "€" in formats["Vangnetuitkering"]


def test_buig_report_has_the_reconciliation_status(report_world):
    """Issue 15: the report states the reconciliation with the ledger: how many months and
    regimes reconcile, the open differences (count and amount) and the signed-off ones."""
    _raw, rows = _csv_rows(report_world)
    status = {r["onderdeel"]: r for r in rows if r["sectie"] == "aansluiting grootboek"}
    assert status["Maanden en regelingen vergeleken"]["aantal"] == "6"
    assert status["Sluiten aan"]["aantal"] == "4"
    assert status["Open verschillen"]["aantal"] == "1"
    assert _dutch(status["Open verschillen"]["bedrag"]) == Decimal("200.00")
    assert status["Afgetekende verschillen"]["aantal"] == "1"
    assert _dutch(status["Afgetekende verschillen"]["bedrag"]) == Decimal("100.00")
    workbook = load_workbook(report_world.xlsx_file.path)
    sheet = {r[0]: r for r in workbook["Aansluiting"].iter_rows(min_row=3, values_only=True)}
    assert sheet["Open verschillen"][2] == 1
    assert "Toelichting" in workbook.sheetnames


def test_buig_report_baten_per_regime(report_world):
    """The baten of the ledger (terugvordering, verhaal) reach the report; the benefit costs
    booked for the reconciliation do not."""
    _raw, rows = _csv_rows(report_world)
    total = {r["onderdeel"]: r for r in rows if r["sectie"] == "totaal"}
    assert _dutch(total["baten"]["bedrag"]) == Decimal("225.50")


def test_the_writer_keeps_negative_amounts_numbers_with_a_decimal_comma():
    """A negative amount is a number, not a formula: '-10,00' unquoted and unescaped."""
    from common import tabular

    content = tabular.csv_bytes([[Decimal("-10.00"), 3, "-1+1", Decimal("1E+3")]], bom=True)
    assert content.startswith(b"\xef\xbb\xbf")
    out = io.StringIO(newline="")
    writer = tabular.CsvWriter(out, decimal_comma=True)
    writer.writerow([Decimal("-10.00"), 3, "-1+1", Decimal("1E+3"), None, True])
    assert out.getvalue() == "-10,00;3;'-1+1;1000;;True\r\n"
