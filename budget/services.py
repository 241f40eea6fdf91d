"""Writes for the budget app: allocations, corrections, ledger imports and BUIG reports.

Keyword-only, typed, atomic; errors are ``DomainError`` with a Dutch message. Tasks are queued
with ``transaction.on_commit``; the task bodies (``ledger_import_run``, ``buig_report_generate``)
are idempotent: a finished row is left alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils import timezone

from caseload.models import BenefitPayment, Municipality, Regime, User
from common import tabular
from common.exceptions import DomainError

from . import ledger, selectors
from .calculations import fmt_eur
from .models import (
    BudgetAllocation,
    BudgetYear,
    BuigReport,
    JournalCorrection,
    LedgerImport,
    PaymentMonthTotal,
    Receipt,
)

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 5000
MAX_REPORTED_ERRORS = 10000


_PAYMENT_TOTALS_SQL = """
INSERT INTO budget_paymentmonthtotal
    (municipality_id, month, regime, amount_paid, payments, households, computed_at)
SELECT h.municipality_id, p.month,
       CASE WHEN GROUPING(b.regime) = 1 THEN '' ELSE b.regime END,
       sum(p.amount_paid), count(*), count(DISTINCT b.household_id), %(now)s
  FROM caseload_benefitpayment p
  JOIN caseload_benefit b ON b.id = p.benefit_id
  JOIN caseload_household h ON h.id = b.household_id
 WHERE h.municipality_id = %(municipality_id)s
   AND p.month >= %(start)s AND p.month < %(end)s
 GROUP BY GROUPING SETS ((h.municipality_id, p.month, b.regime), (h.municipality_id, p.month))
"""


def payment_totals_refresh(*, municipality_id: int, year: int) -> int:
    """Recompute the stored besteding per month and regime of one year from the payment
    records (one set-based statement); returns the number of rows written. Idempotent, and safe
    to run twice at once: a transaction-level advisory lock per municipality serialises runs."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtext('budget.payment_totals'), %s)",
            [municipality_id],
        )
        start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
        PaymentMonthTotal.objects.filter(
            municipality_id=municipality_id, month__gte=start, month__lt=end
        ).delete()
        cursor.execute(
            _PAYMENT_TOTALS_SQL,
            {"municipality_id": municipality_id, "start": start, "end": end, "now": timezone.now()},
        )
        return cursor.rowcount


def payment_totals_refresh_all(*, year: int | None = None) -> int:
    """Refresh every municipality, for ``year`` or for every year that has payment records."""
    written = 0
    for municipality_id in Municipality.objects.values_list("pk", flat=True):
        if year is not None:
            years = [year]
        else:
            years = sorted(
                {
                    d.year
                    for d in BenefitPayment.objects.filter(
                        benefit__household__municipality_id=municipality_id
                    ).dates("month", "year")
                }
            )
        for y in years:
            written += payment_totals_refresh(municipality_id=municipality_id, year=y)
    return written


# Demo budgets: the definitief budget as a share of the year's spending, so the demo shows
# surpluses, small deficits and one vangnet-eligible run (DOMAIN.md section 3). Indexed by year.
_DEMO_BUDGET_SHARE = [
    Decimal("1.02"), Decimal("0.97"), Decimal("0.95"), Decimal("0.91"), Decimal("0.98"),
    Decimal("1.01"), Decimal("0.96"), Decimal("0.93"), Decimal("0.99"), Decimal("0.97"),
]  # fmt: skip


def _thousands(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("1E3")).quantize(Decimal("0.01"))


def demo_budget_allocations_load(*, municipality: Municipality, by: User, today: dt.date) -> int:
    """Demo only: give every year with stored payment totals and no allocation yet the three
    budget moments (voorlopig October T-1, nader voorlopig May T, definitief October T, each
    only once its date has passed), derived from that year's spending. Returns the number of
    allocations written; a second run writes none."""
    totals: dict[int, Decimal] = {}
    months: dict[int, int] = {}
    for row in PaymentMonthTotal.objects.filter(municipality=municipality, regime=""):
        totals[row.month.year] = totals.get(row.month.year, Decimal("0")) + row.amount_paid
        months[row.month.year] = months.get(row.month.year, 0) + 1
    done = set(
        BudgetAllocation.objects.filter(budget_year__municipality=municipality).values_list(
            "budget_year__year", flat=True
        )
    )
    written = 0
    for year, total in sorted(totals.items()):
        if year in done:
            continue
        spending = _thousands(total * 12 / months[year])  # the year's run rate
        final = spending * _DEMO_BUDGET_SHARE[year % len(_DEMO_BUDGET_SHARE)]
        moments = [
            (BudgetAllocation.Moment.VOORLOPIG, dt.date(year - 1, 10, 1), final * Decimal("1.03")),
            (
                BudgetAllocation.Moment.NADER_VOORLOPIG,
                dt.date(year, 5, 15),
                final * Decimal("0.99"),
            ),
            (BudgetAllocation.Moment.DEFINITIEF, dt.date(year, 10, 1), final),
        ]
        for moment, decided_on, amount in moments:
            if decided_on > today:
                continue
            amount = _thousands(amount)
            budget_allocation_record(
                municipality=municipality,
                year=year,
                moment=moment,
                decided_on=decided_on,
                amount=amount,
                loonkostensubsidie=_thousands(amount * Decimal("0.04")),
                by=by,
            )
            written += 1
    return written


def _require_budget_role(by: User) -> None:
    if not selectors.can_view_budget(by):
        raise DomainError("U heeft geen toegang tot het BUIG-budget.", code="forbidden")


@transaction.atomic
def budget_allocation_record(
    *,
    municipality: Municipality,
    year: int,
    moment: str,
    decided_on: dt.date,
    amount: Decimal,
    loonkostensubsidie: Decimal = Decimal("0"),
    by: User,
) -> BudgetAllocation:
    """Record (or correct) the allocation at one moment; the latest by date is current."""
    _require_budget_role(by)
    if moment not in BudgetAllocation.Moment.values:
        raise DomainError("Onbekend budgetmoment.", field="moment")
    if amount <= 0:
        raise DomainError("Het budget moet groter zijn dan 0.", field="amount")
    if loonkostensubsidie < 0 or loonkostensubsidie > amount:
        raise DomainError(
            "Het deel loonkostensubsidie ligt tussen 0 en het budget.", field="loonkostensubsidie"
        )
    if not 2000 <= year <= 2100:
        raise DomainError("Ongeldig jaar.", field="year")
    budget_year, _ = BudgetYear.objects.get_or_create(municipality=municipality, year=year)
    allocation, _ = BudgetAllocation.objects.update_or_create(
        budget_year=budget_year,
        moment=moment,
        defaults={
            "decided_on": decided_on,
            "amount": amount,
            "loonkostensubsidie": loonkostensubsidie,
            "created_by": by,
        },
    )
    return allocation


@transaction.atomic
def journal_correction_record(
    *,
    municipality: Municipality,
    regime: str,
    month: dt.date,
    kind: str,
    amount: Decimal,
    reason: str,
    by: User,
) -> JournalCorrection:
    _require_budget_role(by)
    if regime not in Regime.values:
        raise DomainError("Onbekende regeling.", field="regime")
    if kind not in JournalCorrection.Kind.values:
        raise DomainError("Kies besteding of baten.", field="kind")
    if amount == 0:
        raise DomainError("Een correctie van € 0 heeft geen effect.", field="amount")
    if not reason.strip():
        raise DomainError("Geef de reden van de correctie.", field="reason")
    return JournalCorrection.objects.create(
        municipality=municipality,
        regime=regime,
        month=month.replace(day=1),
        kind=kind,
        amount=amount,
        reason=reason.strip(),
        author=by,
    )


# Ledger import ----------------------------------------------------------------------------------


def ledger_import_start(
    *, municipality: Municipality, filename: str, content: bytes, by: User
) -> tuple[LedgerImport, bool]:
    """Store the file and queue its import; (import, created). The same file (checksum) that is
    queued, running or done is not imported again: that import is returned."""
    _require_budget_role(by)
    if not filename.lower().endswith((".csv", ".xlsx")):
        raise DomainError("Alleen CSV- of XLSX-bestanden.", field="file")
    if not content:
        raise DomainError("Het bestand is leeg.", field="file")
    checksum = hashlib.sha256(content).hexdigest()
    existing = LedgerImport.objects.filter(
        municipality=municipality,
        checksum=checksum,
        status__in=[
            LedgerImport.Status.QUEUED,
            LedgerImport.Status.RUNNING,
            LedgerImport.Status.DONE,
        ],
    ).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            item = LedgerImport(
                municipality=municipality,
                original_name=filename[-200:],
                checksum=checksum,
                created_by=by,
            )
            suffix = ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"
            item.file.save(f"{checksum}{suffix}", ContentFile(content), save=False)
            item.save()
    except IntegrityError:  # a concurrent upload of the same file won
        return LedgerImport.objects.get(
            municipality=municipality, checksum=checksum, status__in=["queued", "running", "done"]
        ), False
    from .tasks import ledger_import_run_task

    transaction.on_commit(lambda: ledger_import_run_task.delay(item.pk))
    return item, True


def ledger_import_run(*, import_id: int) -> str:
    """Validate every row, then apply all rows in one transaction or none (idempotent)."""
    with transaction.atomic():
        item = LedgerImport.objects.select_for_update().get(pk=import_id)
        if item.status != LedgerImport.Status.QUEUED:
            if item.status != LedgerImport.Status.RUNNING:
                _ledger_upload_delete(item)  # ended before uploads were deleted: do it now
            return item.status
        item.status = LedgerImport.Status.RUNNING
        item.save(update_fields=["status"])
    try:
        return _ledger_import_apply(item)
    except Exception:
        logger.exception("ledger import %s failed", item.pk)
        LedgerImport.objects.filter(pk=item.pk).update(
            status=LedgerImport.Status.FAILED,
            errors=[{"line": 0, "reason": "Technische fout; er is niets verwerkt."}],
            finished_at=timezone.now(),
        )
        raise
    finally:
        # every end state (done, rejected, failed): the upload holds BSNs and names
        _ledger_upload_delete(item)


def _ledger_upload_delete(item: LedgerImport) -> None:
    """Delete the uploaded ledger file from storage and forget its name (issue 12, finding 16).
    The import keeps its checksum, counts and line errors (which never repeat a cell)."""
    name = item.file.name
    if not name:
        return
    item.file.storage.delete(name)  # a file that is already gone is fine
    LedgerImport.objects.filter(pk=item.pk).update(file="")


def _ledger_import_apply(item: LedgerImport) -> str:
    try:
        with item.file.open("rb") as handle:
            content = handle.read()
        total, rows = ledger.read_rows(content, item.original_name)
    except ledger.LedgerFileError as exc:
        return _ledger_finish(item, status=LedgerImport.Status.REJECTED, errors=[(0, str(exc))])
    LedgerImport.objects.filter(pk=item.pk).update(total_rows=total)

    valid: list[ledger.LedgerRow] = []
    errors: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    processed = 0
    for line, raw in rows:
        result = ledger.validate_row(line, raw)
        if isinstance(result, list):
            errors.extend((e.line, e.reason) for e in result)
        elif result.reference in seen:
            errors.append(
                (line, f"Boekingskenmerk komt al voor op regel {seen[result.reference]}.")
            )
        else:
            seen[result.reference] = line
            valid.append(result)
        processed += 1
        if processed % PROGRESS_EVERY == 0:
            LedgerImport.objects.filter(pk=item.pk).update(
                processed_rows=min(processed, total) if total else 0
            )
    # References already imported from another file: one query over the valid references.
    if valid:
        known = set()
        refs = [r.reference for r in valid]
        for start in range(0, len(refs), 50000):
            known |= set(
                Receipt.objects.filter(
                    municipality_id=item.municipality_id, reference__in=refs[start : start + 50000]
                ).values_list("reference", flat=True)
            )
        for row in valid:
            if row.reference in known:
                errors.append((row.line, "Boekingskenmerk is al eerder geïmporteerd."))
    if errors:
        errors.sort()
        return _ledger_finish(
            item, status=LedgerImport.Status.REJECTED, errors=errors, processed=processed
        )
    with transaction.atomic():
        Receipt.objects.bulk_create(
            (
                Receipt(
                    municipality_id=item.municipality_id,
                    ledger_import_id=item.pk,
                    line_number=row.line,
                    reference=row.reference,
                    regime=row.regime,
                    month=row.month,
                    kind=row.kind,
                    amount=row.amount,
                )
                for row in valid
            ),
            batch_size=5000,
        )
        status = _ledger_finish(
            item,
            status=LedgerImport.Status.DONE,
            errors=[],
            processed=processed,
            accepted=len(valid),
        )
    logger.info("ledger import %s done: %s rows", item.pk, len(valid))
    return status


def _ledger_finish(
    item: LedgerImport,
    *,
    status: str,
    errors: list[tuple[int, str]],
    processed: int = 0,
    accepted: int = 0,
) -> str:
    rejected_lines = len({line for line, _ in errors if line})
    LedgerImport.objects.filter(pk=item.pk).update(
        status=status,
        processed_rows=processed,
        total_rows=max(processed, 0),
        accepted_rows=accepted,
        rejected_rows=rejected_lines,
        errors=[{"line": line, "reason": reason} for line, reason in errors[:MAX_REPORTED_ERRORS]],
        finished_at=timezone.now(),
    )
    logger.info("ledger import %s finished: %s (%s bad rows)", item.pk, status, rejected_lines)
    return status


# BUIG report ------------------------------------------------------------------------------------


def buig_report_request(*, municipality: Municipality, year: int, by: User) -> BuigReport:
    _require_budget_role(by)
    if not 2000 <= year <= 2100:
        raise DomainError("Ongeldig jaar.", field="year")
    report = BuigReport.objects.create(municipality=municipality, year=year, created_by=by)
    from .tasks import buig_report_generate_task

    transaction.on_commit(lambda: buig_report_generate_task.delay(report.pk))
    return report


def buig_report_generate(*, report_id: int) -> str:
    """Build the XLSX and CSV, store them with their SHA-256. Safe to run twice."""
    with transaction.atomic():
        report = (
            BuigReport.objects.select_for_update()
            .select_related("municipality", "created_by")
            .get(pk=report_id)
        )
        if report.status not in (BuigReport.Status.QUEUED, BuigReport.Status.FAILED):
            return report.status
        report.status = BuigReport.Status.RUNNING
        report.progress = 5
        report.save(update_fields=["status", "progress"])
    try:
        # the report is built from the stored month totals: bring them up to date first (the
        # reconciliation line then compares them with the payment records themselves)
        payment_totals_refresh(municipality_id=report.municipality_id, year=report.year)
        content = buig_report_build(
            municipality=report.municipality, year=report.year, by=report.created_by
        )
        BuigReport.objects.filter(pk=report.pk).update(progress=60)
        xlsx = _report_xlsx(content)
        csv_bytes = _report_csv(content)
        name = f"buig-{report.municipality.cbs_code}-{report.year}-{report.pk}"
        report.xlsx_file.save(f"{name}.xlsx", ContentFile(xlsx), save=False)
        report.csv_file.save(f"{name}.csv", ContentFile(csv_bytes), save=False)
        report.xlsx_sha256 = hashlib.sha256(xlsx).hexdigest()
        report.csv_sha256 = hashlib.sha256(csv_bytes).hexdigest()
        report.payments_total = content["payments_total"]
        report.status = BuigReport.Status.DONE
        report.progress = 100
        report.finished_at = timezone.now()
        report.save(
            update_fields=[
                "xlsx_file",
                "csv_file",
                "xlsx_sha256",
                "csv_sha256",
                "payments_total",
                "status",
                "progress",
                "finished_at",
            ]
        )
    except Exception:
        logger.exception("BUIG report %s failed", report_id)
        BuigReport.objects.filter(pk=report_id).update(
            status=BuigReport.Status.FAILED, error="Het maken van het rapport is mislukt."
        )
        raise
    logger.info(
        "BUIG report %s by user %s sha256 %s", report.pk, report.created_by_id, report.xlsx_sha256
    )
    return report.status


MONTH_NAMES = [
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
]  # fmt: skip


def buig_report_build(*, municipality: Municipality, year: int, by: User) -> dict:
    """The report's content: rows per regime and month, totals, SiSa lines and reconciliation."""
    figures = selectors.year_figures(user=by, municipality=municipality, year=year)
    labels = selectors.sisa_labels()
    payments_total = BenefitPayment.objects.filter(
        benefit__household__municipality=municipality, month__year=year
    ).aggregate(total=Sum("amount_paid"))["total"] or Decimal("0")
    monthly = [
        [r.label, MONTH_NAMES[m.month - 1], m.besteding, m.baten, m.netto]
        for r in figures.regimes
        for m in r.months
    ]
    totals = [
        [
            r.label,
            labels.get((r.regime, "besteding"), ""),
            r.besteding,
            labels.get((r.regime, "baten"), ""),
            r.baten,
            r.netto,
        ]
        for r in figures.regimes
    ]
    from_payments = figures.besteding - figures.besteding_corrections
    reconciles = from_payments == payments_total
    return {
        "municipality": municipality,
        "year": year,
        "monthly": monthly,
        "totals": totals,
        "besteding": figures.besteding,
        "baten": figures.baten,
        "netto": figures.netto,
        "besteding_corrections": figures.besteding_corrections,
        "from_payments": from_payments,
        "payments_total": payments_total,
        "reconciles": reconciles,
        "reconciliation": (
            f"Aansluiting: besteding uit betaalrecords {fmt_eur(from_payments)} = som van de "
            f"betaalrecords {fmt_eur(payments_total)}: "
            + ("klopt." if reconciles else "KLOPT NIET.")
        ),
    }


def _report_xlsx(content: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    money_format = '"€" #,##0.00'
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDDDDD")
    workbook = Workbook()

    def sheet(title: str, header: list[str], rows: list[list], money_cols: set[int], widths):
        ws = workbook.create_sheet(title)
        # text cells through the shared writer: never a formula (issue 12, finding 6)
        tabular.xlsx_append(ws, [f"BUIG {content['municipality'].name} {content['year']}"])
        ws["A1"].font = Font(bold=True, size=14)
        tabular.xlsx_append(ws, header)
        for cell in ws[2]:
            cell.font = bold
            cell.fill = fill
        for row in rows:
            tabular.xlsx_append(ws, row)
        for col in money_cols:
            for cells in ws.iter_rows(min_row=3, min_col=col, max_col=col):
                for cell in cells:
                    cell.number_format = money_format
        for index, width in enumerate(widths, start=1):
            ws.column_dimensions[chr(64 + index)].width = width
        ws.freeze_panes = "A3"
        return ws

    workbook.remove(workbook.active)
    sheet(
        "Per maand",
        ["Regeling", "Maand", "Besteding", "Baten", "Netto lasten"],
        content["monthly"],
        {3, 4, 5},
        [36, 14, 18, 18, 18],
    )
    total_rows = content["totals"] + [
        ["Totaal", "", content["besteding"], "", content["baten"], content["netto"]]
    ]
    ws = sheet(
        "Per regeling (SiSa)",
        ["Regeling", "SiSa-regel besteding", "Besteding", "SiSa-regel baten", "Baten", "Netto"],
        total_rows,
        {3, 5, 6},
        [36, 50, 18, 50, 18, 18],
    )
    for cell in ws[ws.max_row]:
        cell.font = bold
    sheet(
        "Aansluiting",
        ["Omschrijving", "Bedrag"],
        [
            ["Besteding in rapport", content["besteding"]],
            ["waarvan memoriaalcorrecties", content["besteding_corrections"]],
            ["Besteding uit betaalrecords", content["from_payments"]],
            ["Som van de betaalrecords", content["payments_total"]],
            [content["reconciliation"], None],
        ],
        {2},
        [80, 20],
    )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _report_csv(content: dict) -> bytes:
    out = io.StringIO()
    writer = tabular.CsvWriter(out, delimiter=";")  # no formulas (issue 12, finding 6)
    writer.writerow(["sectie", "regeling", "maand_of_sisa", "besteding", "baten", "netto_lasten"])
    for label, month, besteding, baten, netto in content["monthly"]:
        writer.writerow(["maand", label, month, besteding, baten, netto])
    for label, sisa_b, besteding, sisa_t, baten, netto in content["totals"]:
        writer.writerow(["totaal", label, f"{sisa_b} | {sisa_t}", besteding, baten, netto])
    writer.writerow(
        ["totaal", "Alle regelingen", "", content["besteding"], content["baten"], content["netto"]]
    )
    writer.writerow(
        ["aansluiting", content["reconciliation"], "", content["payments_total"], "", ""]
    )
    return out.getvalue().encode("utf-8-sig")
