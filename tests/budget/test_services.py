"""Services and selectors against the real database."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook

from budget import selectors, services
from budget.models import BudgetAllocation, BuigReport, LedgerImport, Receipt
from caseload.models import BenefitPayment, Regime
from common.exceptions import DomainError
from tests import factories

pytestmark = pytest.mark.django_db

GOOD_CSV = (
    b"boekingskenmerk;regeling;maand;soort;bedrag;bsn\n"
    b"R-1;pw;2026-01;terugvordering;100,50;123456782\n"
    b"R-2;ioaw;02-2026;verhaal;1.000,00;\n"
    b"R-3;Participatiewet algemene bijstand;2026-02-14;overig;25.25;\n"
)

BAD_CSV = (
    b"boekingskenmerk;regeling;maand;soort;bedrag\n"
    b"R-10;pw;2026-01;terugvordering;100,00\n"
    b"R-11;ww;2026-01;terugvordering;100,00\n"
    b"R-12;pw;2026-13;terugvordering;100,00\n"
    b"R-13;pw;2026-01;boete;123456782\n"
    b"R-10;pw;2026-02;verhaal;5\n"
    b"R-15;pw\n"
    b"R-16;pw;2026-02;verhaal;-5\n"
)


def _import(municipality, user, content, name="grootboek.csv"):
    item, created = services.ledger_import_start(
        municipality=municipality, filename=name, content=content, by=user
    )
    if created:
        services.ledger_import_run(import_id=item.pk)
    item.refresh_from_db()
    return item, created


def test_spending_baten_netto_per_regime_and_month(municipality, finance, payments):
    _import(municipality, finance, GOOD_CSV)
    services.journal_correction_record(
        municipality=municipality,
        regime=Regime.IOAW,
        month=dt.date(2026, 3, 9),
        kind="besteding",
        amount=Decimal("-0.25"),
        reason="Dubbele betaling teruggedraaid",
        by=finance,
    )
    figures = selectors.year_figures(user=finance, municipality=municipality, year=2026)
    pw = next(r for r in figures.regimes if r.regime == Regime.ALGEMENE_BIJSTAND)
    ioaw = next(r for r in figures.regimes if r.regime == Regime.IOAW)
    assert pw.months[0].besteding == Decimal("2200.50")
    assert pw.months[0].baten == Decimal("100.50")
    assert pw.months[1].baten == Decimal("25.25")
    assert ioaw.months[1].baten == Decimal("1000.00")
    assert ioaw.months[2].besteding == Decimal("900.00")
    assert figures.payments_total == Decimal("9302.25")
    assert figures.besteding == Decimal("9302.00")
    assert figures.netto == Decimal("9302.00") - Decimal("1125.75")
    assert figures.households_per_month[:4] == [3, 3, 3, 0]
    assert figures.last_month == 3


def test_year_figures_query_count_and_no_payment_table(municipality, finance, payments):
    with CaptureQueriesContext(connection) as queries:
        selectors.year_figures(user=finance, municipality=municipality, year=2026)
    # stored month totals, receipts, corrections: the payment table is not aggregated
    assert len(queries) == 3
    assert not [q for q in queries if "caseload_benefitpayment" in q["sql"]]


def test_payment_totals_follow_the_payment_records_and_refresh_is_idempotent(
    municipality, finance, payments
):
    benefit = payments[0].benefit
    BenefitPayment.objects.create(
        benefit=benefit, month=dt.date(2026, 4, 1), amount_paid=Decimal("10.00")
    )
    before = selectors.year_figures(user=finance, municipality=municipality, year=2026)
    assert before.last_month == 3  # stored totals until the next refresh

    rows = services.payment_totals_refresh(municipality_id=municipality.pk, year=2026)
    again = services.payment_totals_refresh(municipality_id=municipality.pk, year=2026)
    after = selectors.year_figures(user=finance, municipality=municipality, year=2026)
    # 4 months x (one row per regime paid + the month total), the same on a second run
    assert rows == again == 3 * 3 + 2
    assert after.last_month == 4
    assert after.payments_total == before.payments_total + Decimal("10.00")
    assert after.households_per_month[:5] == [3, 3, 3, 1, 0]
    assert after.computed_at >= before.computed_at
    assert services.payment_totals_refresh(municipality_id=municipality.pk, year=2031) == 0


def test_import_with_bad_rows_changes_nothing_and_reports_every_line(municipality, finance):
    item, _ = _import(municipality, finance, BAD_CSV)
    assert item.status == LedgerImport.Status.REJECTED
    assert Receipt.objects.count() == 0
    lines = [e["line"] for e in item.errors]
    assert lines == [3, 4, 5, 6, 7, 8]
    reasons = " ".join(e["reason"] for e in item.errors)
    assert "Onbekende regeling" in reasons
    assert "Ongeldige maand" in reasons
    assert "Onbekende soort" in reasons
    assert "regel 2" in reasons  # duplicate reference points at its first line
    assert "Te weinig kolommen" in reasons
    assert "123456782" not in reasons  # never echo a cell (could be a BSN)
    assert item.rejected_rows == 6
    assert "groter zijn dan 0" in reasons


def test_same_file_twice_gives_same_totals(municipality, finance):
    first, created = _import(municipality, finance, GOOD_CSV)
    assert created and first.status == LedgerImport.Status.SUCCEEDED and first.accepted_rows == 3
    total = selectors.year_figures(user=finance, municipality=municipality, year=2026).baten
    second, created = _import(municipality, finance, GOOD_CSV)
    assert not created and second.pk == first.pk
    assert selectors.year_figures(user=finance, municipality=municipality, year=2026).baten == total
    assert total == Decimal("1125.75")
    # Running the task again is a no-op.
    assert services.ledger_import_run(import_id=first.pk) == LedgerImport.Status.SUCCEEDED
    assert Receipt.objects.count() == 3


def test_reference_already_imported_from_another_file_is_rejected(municipality, finance):
    _import(municipality, finance, GOOD_CSV)
    other = GOOD_CSV.replace(b"R-3;", b"R-4;")
    item, _ = _import(municipality, finance, other)
    assert item.status == LedgerImport.Status.REJECTED
    assert [e["line"] for e in item.errors] == [2, 3]
    assert Receipt.objects.count() == 3


def test_xlsx_import(municipality, finance):
    wb = Workbook()
    ws = wb.active
    ws.append(["Boekingskenmerk", "Regeling", "Maand", "Soort", "Bedrag"])
    ws.append(["X-1", "lks", dt.date(2026, 4, 1), "verhaal", 12.5])
    ws.append(["X-2", "bbz_starter", "2026-05", "terugvordering", "7,00"])
    out = io.BytesIO()
    wb.save(out)
    item, _ = _import(municipality, finance, out.getvalue(), name="grootboek.xlsx")
    assert item.status == LedgerImport.Status.SUCCEEDED, item.errors
    assert sorted(Receipt.objects.values_list("amount", flat=True)) == [
        Decimal("7.00"),
        Decimal("12.50"),
    ]


def test_missing_header_is_reported(municipality, finance):
    item, _ = _import(municipality, finance, b"regeling;maand\npw;2026-01\n")
    assert item.status == LedgerImport.Status.REJECTED
    assert item.errors[0]["line"] == 0
    assert "boekingskenmerk" in item.errors[0]["reason"]


def test_import_refused_for_other_roles(municipality):
    manager = factories.UserFactory(manager=True)
    with pytest.raises(DomainError):
        services.ledger_import_start(
            municipality=municipality, filename="a.csv", content=GOOD_CSV, by=manager
        )


def test_allocations_latest_is_current_and_lks_within_amount(municipality, finance):
    for moment, day, amount in (
        ("voorlopig", dt.date(2025, 10, 1), Decimal("29600000")),
        ("nader_voorlopig", dt.date(2026, 5, 1), Decimal("28600000")),
    ):
        services.budget_allocation_record(
            municipality=municipality,
            year=2026,
            moment=moment,
            decided_on=day,
            amount=amount,
            loonkostensubsidie=Decimal("1000000"),
            by=finance,
        )
    items = selectors.allocations(user=finance, municipality=municipality, year=2026)
    assert selectors.current_allocation(items).amount == Decimal("28600000")
    with pytest.raises(DomainError) as exc:
        services.budget_allocation_record(
            municipality=municipality,
            year=2026,
            moment="definitief",
            decided_on=dt.date(2026, 10, 1),
            amount=Decimal("10"),
            loonkostensubsidie=Decimal("11"),
            by=finance,
        )
    assert exc.value.field == "loonkostensubsidie"
    assert BudgetAllocation.objects.count() == 2


def test_overview_forecast_and_gap(municipality, finance, payments):
    factories.MunicipalityYearFactory(
        municipality=municipality, year=2026, average_benefit_cost=12000
    )
    services.budget_allocation_record(
        municipality=municipality,
        year=2026,
        moment="definitief",
        decided_on=dt.date(2026, 10, 1),
        amount=Decimal("24000"),
        by=finance,
    )
    overview = selectors.budget_overview(user=finance, municipality=municipality, year=2026)
    realised = Decimal("9302.25")
    assert overview.forecast_run_rate == Decimal("37209.00")
    assert overview.forecast_caseload == realised + Decimal("27000")
    assert overview.budget_households == Decimal("2.0")
    assert [g["households"] for g in overview.gap[:4]] == [3, 3, 3, None]
    result, _ = selectors.vangnet_for_forecast(
        user=finance, municipality=municipality, overview=overview
    )
    assert result is not None
    assert result.deficit == overview.forecast_caseload - Decimal("24000")
    assert result.steps


def test_buig_report_reconciles_to_payment_records(municipality, finance, payments):
    _import(municipality, finance, GOOD_CSV)
    services.journal_correction_record(
        municipality=municipality,
        regime=Regime.ALGEMENE_BIJSTAND,
        month=dt.date(2026, 2, 1),
        kind="besteding",
        amount=Decimal("10.00"),
        reason="Nagekomen betaling",
        by=finance,
    )
    report = services.buig_report_request(municipality=municipality, year=2026, by=finance)
    assert services.buig_report_generate(report_id=report.pk) == BuigReport.Status.SUCCEEDED
    report.refresh_from_db()
    payments_sum = sum(p.amount_paid for p in BenefitPayment.objects.all())
    assert report.payments_total == payments_sum
    assert len(report.xlsx_sha256) == 64 and report.progress == 100

    workbook = load_workbook(report.xlsx_file.path)
    assert workbook.sheetnames == [
        "Per maand",
        "Per regeling (SiSa)",
        "Budget",
        "Vangnet",
        "Aansluiting",
        "Toelichting",
    ]
    totals = list(workbook["Per regeling (SiSa)"].iter_rows(min_row=3, values_only=True))
    assert totals[-1][0] == "Totaal"
    assert Decimal(str(totals[-1][3])) == payments_sum + Decimal("10.00")
    recon = list(workbook["Aansluiting"].iter_rows(values_only=True))
    assert any(
        r[0] == "Som van de betaalrecords" and Decimal(str(r[1])) == payments_sum for r in recon
    )
    assert any(str(r[3]).startswith("Aansluiting") and "klopt." in str(r[3]) for r in recon)
    csv_text = report.csv_file.open("rb").read().decode("utf-8-sig")
    assert "aansluiting" in csv_text and "klopt." in csv_text
    assert ";sisa;" in csv_text or "\nsisa;" in csv_text
    # Idempotent: a finished report is left alone.
    assert services.buig_report_generate(report_id=report.pk) == BuigReport.Status.SUCCEEDED


def test_vangnet_rules_preloaded_and_overlap_refused():
    from django.core.exceptions import ValidationError

    from budget.models import VangnetRule

    rules = list(VangnetRule.objects.order_by("year_from").values_list("year_from", "year_to"))
    assert rules[:2] == [(2016, 2018), (2019, 2024)]
    rule = VangnetRule.objects.get(year_from=2019)
    rule.pk = None
    rule.year_from, rule.year_to = 2020, 2021
    with pytest.raises(ValidationError):
        rule.full_clean()


def test_import_with_a_technical_error_is_marked_failed(municipality, finance):
    import os

    item, _ = services.ledger_import_start(
        municipality=municipality, filename="g.csv", content=GOOD_CSV, by=finance
    )
    os.remove(item.file.path)
    with pytest.raises(FileNotFoundError):
        services.ledger_import_run(import_id=item.pk)
    item.refresh_from_db()
    assert item.status == LedgerImport.Status.FAILED
    assert Receipt.objects.count() == 0
    # A failed import does not block a new upload of the same file.
    again, created = services.ledger_import_start(
        municipality=municipality, filename="g.csv", content=GOOD_CSV, by=finance
    )
    assert created and again.pk != item.pk


# Issue 12, finding 16: the uploaded ledger file (BSNs, names) is deleted in every end state ------


@pytest.mark.parametrize(
    ("content", "status"),
    [
        (GOOD_CSV, LedgerImport.Status.SUCCEEDED),
        (BAD_CSV, LedgerImport.Status.REJECTED),
        (b"geen;kopregel\n1;2\n", LedgerImport.Status.REJECTED),  # the file as a whole refused
    ],
)
def test_finding_16_ledger_upload_is_deleted_after_processing(
    municipality, finance, content, status
):
    """Issue 12, finding 16: after a done or rejected import no upload stays on disk."""
    import os

    item, created = services.ledger_import_start(
        municipality=municipality, filename="grootboek.csv", content=content, by=finance
    )
    path = item.file.path
    assert created and os.path.exists(path)
    assert services.ledger_import_run(import_id=item.pk) == status
    item.refresh_from_db()
    assert not os.path.exists(path)
    assert not item.file
    assert not os.listdir(os.path.dirname(path))


def test_finding_16_ledger_upload_is_deleted_after_a_crash(municipality, finance, monkeypatch):
    """Issue 12, finding 16: a technical error (crash while applying) deletes the upload too."""
    import os

    item, _ = services.ledger_import_start(
        municipality=municipality, filename="g.csv", content=GOOD_CSV, by=finance
    )
    path = item.file.path

    def crash(*args, **kwargs):
        raise RuntimeError("schijf vol")

    monkeypatch.setattr(services.Receipt.objects, "bulk_create", crash)
    with pytest.raises(RuntimeError):
        services.ledger_import_run(import_id=item.pk)
    item.refresh_from_db()
    assert item.status == LedgerImport.Status.FAILED
    assert not os.path.exists(path)
    assert not item.file


def test_point_7_ledger_reads_windows_1252_and_tab_separated(municipality, finance):
    """Issue 16, point 7: the ledger import reads through the shared reader: a Windows-1252,
    tab-separated export (refused as "geen UTF-8" before) imports."""
    content = (
        "boekingskenmerk\tregeling\tmaand\tsoort\tbedrag\tnaam\r\n"
        "W-1\tpw\t2026-01\tverhaal\t10,00\tZoë Ĳssel\r\n".replace("Ĳ", "IJ")
    ).encode("cp1252")
    item, _ = _import(municipality, finance, content)
    assert item.status == LedgerImport.Status.SUCCEEDED, item.errors
    assert Receipt.objects.get().amount == Decimal("10.00")
