"""The BUIG report's task body: bring the month totals up to date, build the content and store
it as XLSX and CSV (through the shared writer) with their SHA-256. Queued by
``services.buig_report_request``; safe to run twice."""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db.models import Sum

from caseload.models import BenefitPayment, Municipality, User
from common import tabular
from common.jobs import (
    JobLost,
    job_claim,
    job_finish,
    job_heartbeat,
    job_lease_kept,
    jobs_expire,
)

from . import selectors
from .calculations import fmt_eur
from .models import BuigReport
from .totals import payment_totals_refresh

logger = logging.getLogger(__name__)


def buig_report_generate(*, report_id: int) -> str:
    """Build the XLSX and CSV, store them with their SHA-256. Safe to run twice."""
    claimed = job_claim(
        BuigReport, report_id, from_statuses=(BuigReport.Status.QUEUED, BuigReport.Status.FAILED)
    )
    if claimed is None:  # running, done, or another worker is claiming it right now
        return BuigReport.objects.get(pk=report_id).status
    report = BuigReport.objects.select_related("municipality", "created_by").get(pk=report_id)
    job_heartbeat(report, done=5, total=100)
    try:
        with job_lease_kept(report):  # a dead worker's report ends failed (issue 13, finding 5)
            _buig_report_store(report)
    except Exception:
        logger.exception("BUIG report %s failed", report_id)
        with contextlib.suppress(JobLost):  # already ended (interrupted): that end stands
            job_finish(
                report,
                BuigReport.Status.FAILED,
                errors=[{"line": 0, "reason": "Het maken van het rapport is mislukt."}],
            )
        raise
    logger.info(
        "BUIG report %s by user %s sha256 %s", report.pk, report.created_by_id, report.xlsx_sha256
    )
    return report.status


def buig_reports_expire(*, municipality_id: int) -> list[int]:
    """End the municipality's reports whose worker died, failed (issue 13, finding 5); a
    failed report may be requested again."""
    return jobs_expire(BuigReport.objects.filter(municipality_id=municipality_id))


def _buig_report_store(report: BuigReport) -> None:
    """Build the content and store both files; the job ends succeeded."""
    # the report is built from the stored month totals: bring them up to date first (the
    # reconciliation line then compares them with the payment records themselves)
    payment_totals_refresh(municipality_id=report.municipality_id, year=report.year)
    content = buig_report_build(
        municipality=report.municipality, year=report.year, by=report.created_by
    )
    job_heartbeat(report, done=60)
    xlsx = _report_xlsx(content)
    csv_bytes = _report_csv(content)
    name = f"buig-{report.municipality.cbs_code}-{report.year}-{report.pk}"
    report.xlsx_file.save(f"{name}.xlsx", ContentFile(xlsx), save=False)
    report.csv_file.save(f"{name}.csv", ContentFile(csv_bytes), save=False)
    job_finish(
        report,
        BuigReport.Status.SUCCEEDED,
        errors=[],
        xlsx_file=report.xlsx_file.name,
        csv_file=report.csv_file.name,
        xlsx_sha256=hashlib.sha256(xlsx).hexdigest(),
        csv_sha256=hashlib.sha256(csv_bytes).hexdigest(),
        payments_total=content["payments_total"],
        progress_done=100,
    )


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
