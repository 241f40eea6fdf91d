"""The BUIG report's task body: bring the month totals up to date, build the content and store
it as XLSX and CSV (through the shared writer) with their SHA-256. Queued by
``services.buig_report_request``; safe to run twice."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import logging
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db.models import Sum

from caseload.models import BenefitPayment, Municipality, User
from common import clock, tabular
from common.dates import MONTHS_NL
from common.jobs import (
    JobLost,
    job_claim,
    job_finish,
    job_heartbeat,
    job_lease_kept,
    jobs_expire,
)

from . import selectors
from .calculations import fmt_eur, money, months_over
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


MONTH_NAMES = MONTHS_NL


def report_period(*, year: int, through: int, today: dt.date) -> str:
    """The months a report covers, in Dutch: the whole year once it is over; for the running
    year the months that are over and paid on ``today`` (on 3 December: 'januari tot en met
    november')."""
    if through >= 12:
        return f"januari tot en met december {year}"
    if through <= 0:
        return f"nog geen maand van {year} voorbij op {today:%d-%m-%Y}"
    return (
        f"januari tot en met {MONTH_NAMES[through - 1]} {year} (de maanden die op "
        f"{today:%d-%m-%Y} voorbij en betaald zijn; de lopende maand is nog niet verantwoord)"
    )


def buig_report_build(
    *, municipality: Municipality, year: int, by: User, today: dt.date | None = None
) -> dict:
    """The report's content: rows per regime and month, totals with their SiSa indicators, the
    budget (every allocation), the vangnet outcome on the year's own figures
    (``selectors.vangnet_inputs`` and ``calculations.vangnet_calculate``, as on the vangnet
    page) and the reconciliation of the payments with the ledger (``selectors.reconciliation``)
    as well as with the payment records themselves.

    A report of the running year covers the months that are over on ``today`` (default the
    municipality's today): on 3 December January to November, as the overview counts them;
    the vangnet is then computed on the overview's forecast, as on the vangnet page."""
    today = today or clock.today()
    overview = selectors.budget_overview(user=by, municipality=municipality, year=year, today=today)
    # the running year: the months the overview counts as realised (over and paid: a month
    # that is over but not yet in the payments feed is not reported as a month without
    # spending, code review of 3 December); a closed year is reported whole
    over = months_over(year=year, today=today)
    through = 12 if over >= 12 else overview.months_realised
    figures = (
        overview.figures
        if through >= 12
        else selectors.year_figures(user=by, municipality=municipality, year=year, through=through)
    )
    sisa = selectors.sisa_lines(year=year)
    none = selectors.SisaLine(code="", label="")
    payment_records = BenefitPayment.objects.filter(
        benefit__household__municipality=municipality, month__year=year
    )
    if through < 12:
        payment_records = payment_records.filter(month__lt=dt.date(year, max(through, 0) + 1, 1))
    payments_total = payment_records.aggregate(total=Sum("amount_paid"))["total"] or Decimal("0")
    monthly = [
        [r.label, m.month, MONTH_NAMES[m.month - 1], m.besteding, m.baten, m.netto]
        for r in figures.regimes
        for m in r.months
        if m.month <= through
    ]
    totals = [
        [
            r.label,
            sisa.get((r.regime, "besteding"), none),
            r.besteding,
            sisa.get((r.regime, "baten"), none),
            r.baten,
            r.netto,
        ]
        for r in figures.regimes
    ]
    allocations = [
        [a.get_moment_display(), a.decided_on, a.amount, a.loonkostensubsidie]
        for a in overview.allocations
    ]
    current = overview.current
    inputs = selectors.vangnet_inputs(
        user=by, municipality=municipality, year=year, overview=overview
    )
    vangnet, vangnet_reason = selectors.vangnet_for_inputs(inputs)
    rows = [
        row
        for row in selectors.reconciliation(
            user=by, municipality=municipality, year=year, today=today
        )
        if row.month.month <= through
    ]
    ledger_status = selectors.reconciliation_summary(rows)
    from_payments = figures.besteding - figures.besteding_corrections
    reconciles = from_payments == payments_total
    surplus = None
    if current is not None and through > 0:
        surplus = money(current.amount * through / 12) - figures.netto
    return {
        "municipality": municipality,
        "year": year,
        "through": through,
        "period": report_period(year=year, through=through, today=today),
        "monthly": monthly,
        "totals": totals,
        "besteding": figures.besteding,
        "baten": figures.baten,
        "netto": figures.netto,
        "allocations": allocations,
        "current_budget": current.amount if current is not None else None,
        "current_moment": current.get_moment_display() if current is not None else "",
        "surplus": surplus,
        "vangnet_inputs": inputs,
        "vangnet": vangnet,
        "vangnet_reason": vangnet_reason,
        "ledger_rows": rows,
        "ledger_status": ledger_status,
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


SISA_NOT_SET = "SiSa-code nog in te stellen door functioneel beheer"


def _sisa_text(line: selectors.SisaLine) -> str:
    """The indicator's wording, saying so when beheer has not set its code for the year."""
    if line.is_set:
        return line.label
    return f"{line.label} ({SISA_NOT_SET})" if line.label else SISA_NOT_SET


#: rows of the report whose figure is a share (shown as a percentage in the XLSX)
PERCENT_ITEMS = frozenset({"Tekortpercentage"})


def _vangnet_rows(content: dict) -> list[list]:
    """(item, amount, note) rows of the vangnet outcome: inputs with their source, result."""
    inputs = content["vangnet_inputs"]
    year = content["year"]
    rows: list[list] = [
        ["Budget", inputs.budget, inputs.budget_source],
        ["Netto lasten", inputs.netto_lasten, inputs.netto_lasten_source],
        [f"Tekort {year - 2}", inputs.deficit_t_minus_2, inputs.deficit_t_minus_2_source],
        [f"Tekort {year - 1}", inputs.deficit_t_minus_1, inputs.deficit_t_minus_1_source],
    ]
    result = content["vangnet"]
    if result is None:
        rows.append(["Vangnetuitkering", None, content["vangnet_reason"]])
        return rows
    rows += [
        [f"Tekort {year}", result.deficit, "Netto lasten min budget; een overschot is negatief."],
        ["Tekortpercentage", result.share.quantize(Decimal("0.0001")), "Tekort / budget."],
        [
            "Instapdrempel gehaald",
            None,
            "ja" if result.entry_met else "nee",
        ],
        ["Meerjarige toets gehaald", None, "ja" if result.multi_year_met else "nee"],
        ["Recht op vangnetuitkering", None, "ja" if result.eligible else "nee"],
        ["Vangnetuitkering", result.compensation, ""],
        ["Eigen risico", result.own_risk, ""],
    ]
    rows += [[f"Stap {n}", None, step] for n, step in enumerate(result.steps, start=1)]
    return rows


def _ledger_rows(content: dict) -> list[list]:
    """(item, amount, count, note) rows of the reconciliation status."""
    status = content["ledger_status"]
    return [
        ["Maanden en regelingen vergeleken", None, status.months_regimes, ""],
        ["Sluiten aan", None, status.reconciled, ""],
        [
            "Open verschillen",
            status.open_difference,
            status.open,
            "Niet afgetekend of gewijzigd na aftekening; bedrag = betalingen min grootboek.",
        ],
        ["waarvan gewijzigd na aftekening", None, status.changed_after_signoff, ""],
        ["Afgetekende verschillen", status.signed_off_difference, status.signed_off, ""],
    ]


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
        tabular.xlsx_append(ws, [_title(content)])
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
                    # a share in an amounts column is a percentage, not euros (the walk of
                    # 3 December: the tekortpercentage 0,0269 read "€ 0,03")
                    percent = ws.cell(row=cell.row, column=1).value in PERCENT_ITEMS
                    cell.number_format = "0.00%" if percent else money_format
        for index, width in enumerate(widths, start=1):
            ws.column_dimensions[chr(64 + index)].width = width
        ws.freeze_panes = "A3"
        return ws

    workbook.remove(workbook.active)
    sheet(
        "Per maand",
        ["Regeling", "Maand", "Besteding", "Baten", "Netto lasten"],
        [[label, name, b, t, n] for label, _m, name, b, t, n in content["monthly"]],
        {3, 4, 5},
        [36, 14, 18, 18, 18],
    )
    total_rows = [
        [
            label,
            sisa_b.code,
            _sisa_text(sisa_b),
            besteding,
            sisa_t.code,
            _sisa_text(sisa_t),
            baten,
            netto,
        ]
        for label, sisa_b, besteding, sisa_t, baten, netto in content["totals"]
    ] + [["Totaal", "", "", content["besteding"], "", "", content["baten"], content["netto"]]]
    ws = sheet(
        "Per regeling (SiSa)",
        [
            "Regeling",
            "SiSa-code besteding",
            "SiSa-indicator besteding",
            "Besteding",
            "SiSa-code baten",
            "SiSa-indicator baten",
            "Baten",
            "Netto",
        ],
        total_rows,
        {4, 7, 8},
        [36, 14, 50, 18, 14, 50, 18, 18],
    )
    for cell in ws[ws.max_row]:
        cell.font = bold
    budget_rows: list[list] = [[m, d, a, lks] for m, d, a, lks in content["allocations"]]
    ws = sheet(
        "Budget",
        ["Moment", "Datum", "Budget", "Waarvan loonkostensubsidie"],
        budget_rows,
        {3, 4},
        [30, 14, 18, 28],
    )
    for cells in ws.iter_rows(min_row=3, min_col=2, max_col=2):
        for cell in cells:
            cell.number_format = "DD-MM-YYYY"
    sheet(
        "Vangnet",
        ["Onderdeel", "Bedrag", "Toelichting"],
        _vangnet_rows(content),
        {2},
        [30, 18, 100],
    )
    sheet(
        "Aansluiting",
        ["Omschrijving", "Bedrag", "Aantal", "Toelichting"],
        [
            ["Besteding in rapport", content["besteding"], None, ""],
            ["waarvan memoriaalcorrecties", content["besteding_corrections"], None, ""],
            ["Besteding uit betaalrecords", content["from_payments"], None, ""],
            ["Som van de betaalrecords", content["payments_total"], None, ""],
            ["Betaalrecords en rapport", None, None, content["reconciliation"]],
        ]
        + _ledger_rows(content),
        {2},
        [40, 18, 10, 80],
    )
    notes = workbook.create_sheet("Toelichting")
    for line in _notes(content):
        tabular.xlsx_append(notes, [line])
    notes.column_dimensions["A"].width = 120
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _title(content: dict) -> str:
    """Row 1 of every sheet: the year, and for a running year the months it covers."""
    title = f"BUIG {content['municipality'].name} {content['year']}"
    if content["through"] < 12:
        title += f", {content['period']}"
    return title


def _notes(content: dict) -> list[str]:
    """The report's prose, kept out of the data columns."""
    lines = [
        f"BUIG-verantwoording {content['municipality'].name} {content['year']}.",
        f"Periode: {content['period']}.",
        "Besteding: de betaalrecords uit de uitkeringsadministratie plus memoriaalboekingen; "
        "baten: terugvordering, verhaal en overige baten uit het grootboek plus "
        "memoriaalboekingen; netto lasten = besteding min baten.",
        "Tekort = netto lasten min budget (positief: tekort; negatief: overschot).",
        content["reconciliation"],
    ]
    status = content["ledger_status"]
    lines.append(
        f"Aansluiting betalingen en grootboek: {status.open} open verschil(len), "
        f"{status.signed_off} afgetekend, {status.reconciled} sluiten aan."
    )
    if content["vangnet"] is None:
        lines.append(f"Vangnet: niet te berekenen. {content['vangnet_reason']}")
    return lines


#: the CSV's one header row; every amount is in ``bedrag``, prose only in ``toelichting``
CSV_HEADER = [
    "sectie",
    "regeling",
    "maand",
    "onderdeel",
    "sisa_code",
    "bedrag",
    "aantal",
    "toelichting",
]


def _report_csv(content: dict) -> bytes:
    """A CSV for a Dutch Excel: ``;``, decimal comma, UTF-8 with a byte order mark, one header
    row (``CSV_HEADER``), one amount per row in ``bedrag`` (no prose in a data column: notes are
    in ``toelichting``), written through the shared writer (no formulas, issue 12 finding 6)."""
    out = io.StringIO(newline="")
    writer = tabular.CsvWriter(out, delimiter=";", decimal_comma=True)
    writer.writerow(CSV_HEADER)
    writer.writerow(
        ["periode", "", None, "maanden", "", None, max(content["through"], 0), content["period"]]
    )
    for label, month, _name, besteding, baten, netto in content["monthly"]:
        writer.writerow(["maand", label, month, "besteding", "", besteding, None, ""])
        writer.writerow(["maand", label, month, "baten", "", baten, None, ""])
        writer.writerow(["maand", label, month, "netto_lasten", "", netto, None, ""])
    for label, sisa_b, besteding, sisa_t, baten, netto in content["totals"]:
        writer.writerow(
            ["sisa", label, None, "besteding", sisa_b.code, besteding, None, _sisa_text(sisa_b)]
        )
        writer.writerow(
            ["sisa", label, None, "baten", sisa_t.code, baten, None, _sisa_text(sisa_t)]
        )
        writer.writerow(["sisa", label, None, "netto_lasten", "", netto, None, ""])
    for item, value in (
        ("besteding", content["besteding"]),
        ("baten", content["baten"]),
        ("netto_lasten", content["netto"]),
    ):
        writer.writerow(["totaal", "Alle regelingen", None, item, "", value, None, ""])
    for moment, decided_on, amount, lks in content["allocations"]:
        writer.writerow(
            ["budget", "", None, moment, "", amount, None, f"Besloten op {decided_on:%d-%m-%Y}"]
        )
        writer.writerow(
            ["budget", "", None, f"{moment}: waarvan loonkostensubsidie", "", lks, None, ""]
        )
    if content["surplus"] is not None:
        writer.writerow(
            [
                "budget",
                "",
                None,
                "overschot",
                "",
                content["surplus"],
                None,
                f"{content['current_moment']}"
                + (
                    f" naar rato van {content['through']} maanden"
                    if content["through"] < 12
                    else ""
                )
                + " min netto lasten; negatief is een tekort.",
            ]
        )
    for item, amount, note in _vangnet_rows(content):
        writer.writerow(["vangnet", "", None, item, "", amount, None, note])
    writer.writerow(
        [
            "aansluiting",
            "",
            None,
            "besteding uit betaalrecords",
            "",
            content["from_payments"],
            None,
            "",
        ]
    )
    writer.writerow(
        [
            "aansluiting",
            "",
            None,
            "som van de betaalrecords",
            "",
            content["payments_total"],
            None,
            content["reconciliation"],
        ]
    )
    for item, amount, count, note in _ledger_rows(content):
        writer.writerow(["aansluiting grootboek", "", None, item, "", amount, count, note])
    return out.getvalue().encode("utf-8-sig")
