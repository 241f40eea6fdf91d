"""Writes for the budget app: allocations, corrections, ledger imports and BUIG reports.

Keyword-only, typed, atomic; errors are ``DomainError`` with a Dutch message. Tasks are queued
after commit (``common.jobs.job_send_after_commit``: with the broker down the job stays queued
for beat's sweep); the task bodies live one layer down, so ``tasks`` never imports
the services: ``ledger_import.ledger_import_run``, ``reports.buig_report_generate`` (idempotent:
a finished row is left alone) and ``totals.payment_totals_refresh_all``. They stay importable
from here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from caseload.models import BenefitPayment, Municipality, MunicipalityYear, Regime, User
from caseload.permissions import CaseloadPermission
from common import clock
from common.exceptions import DomainError
from common.jobs import job_send_after_commit
from common.tabular_read import header_name

from . import payments as payment_columns
from . import selectors as budget_selectors
from . import tasks
from .ledger_import import (
    ledger_import_run,  # noqa: F401 (importable from the services)
    ledger_imports_expire,
)
from .models import (
    BudgetAllocation,
    BudgetYear,
    BuigReport,
    JournalCorrection,
    LedgerImport,
    PaymentColumnMapping,
    PaymentImport,
    PaymentMonthTotal,
    Receipt,
    ReconciliationSignoff,
)
from .permissions import BudgetPermission
from .reports import MONTH_NAMES, buig_report_build, buig_report_generate  # noqa: F401
from .totals import payment_totals_refresh, payment_totals_refresh_all  # noqa: F401

logger = logging.getLogger(__name__)

NO_BUDGET_ACCESS = "U heeft geen toegang tot het BUIG-budget."


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
    if not by.has_perm(BudgetPermission.CHANGE_BUDGET):
        raise DomainError(NO_BUDGET_ACCESS, code="forbidden")
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
    if not by.has_perm(BudgetPermission.CHANGE_BUDGET):
        raise DomainError(NO_BUDGET_ACCESS, code="forbidden")
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
    if not by.has_perm(BudgetPermission.IMPORT_LEDGER):
        raise DomainError(NO_BUDGET_ACCESS, code="forbidden")
    if not filename.lower().endswith((".csv", ".xlsx")):
        raise DomainError("Alleen CSV- of XLSX-bestanden.", field="file")
    if not content:
        raise DomainError("Het bestand is leeg.", field="file")
    checksum = hashlib.sha256(content).hexdigest()
    # an import whose worker died holds the file no longer (issue 13, finding 5)
    ledger_imports_expire(municipality_id=municipality.pk)
    existing = LedgerImport.objects.filter(
        municipality=municipality,
        checksum=checksum,
        status__in=[
            LedgerImport.Status.QUEUED,
            LedgerImport.Status.RUNNING,
            LedgerImport.Status.SUCCEEDED,
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
            municipality=municipality,
            checksum=checksum,
            status__in=["queued", "running", "succeeded"],
        ), False
    job_send_after_commit(tasks.ledger_import_run_task, item.pk)
    return item, True


# BUIG report ------------------------------------------------------------------------------------


def buig_report_request(*, municipality: Municipality, year: int, by: User) -> BuigReport:
    if not by.has_perm(BudgetPermission.EXPORT_REPORTS):
        raise DomainError(NO_BUDGET_ACCESS, code="forbidden")
    if not 2000 <= year <= 2100:
        raise DomainError("Ongeldig jaar.", field="year")
    # an empty report of a year without figures read as a finished verantwoording of € 0,00
    # (the walk of 3 December: 2099 and 2001)
    if year > clock.today().year:
        raise DomainError(
            "Een BUIG-verantwoording gaat over dit jaar of een eerder jaar.",
            code="future_year",
            field="year",
        )
    first, after = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    months = {"month__gte": first, "month__lt": after}
    if not (
        BudgetYear.objects.filter(municipality=municipality, year=year).exists()
        or PaymentMonthTotal.objects.filter(municipality=municipality, **months).exists()
        or BenefitPayment.objects.filter(
            benefit__household__municipality=municipality, **months
        ).exists()
        or Receipt.objects.filter(municipality=municipality, **months).exists()
        or JournalCorrection.objects.filter(municipality=municipality, **months).exists()
    ):
        raise DomainError(
            f"Voor {year} zijn er van deze gemeente geen BUIG-gegevens: geen budget, geen "
            "betalingen, geen grootboekregels en geen correcties.",
            code="no_figures",
            field="year",
        )
    report = BuigReport.objects.create(municipality=municipality, year=year, created_by=by)
    job_send_after_commit(tasks.buig_report_generate_task, report.pk)
    return report


# Payments feed ----------------------------------------------------------------------------------


@transaction.atomic
def payment_column_mapping_set(
    *, municipality: Municipality, columns: dict[str, str], by: User
) -> PaymentColumnMapping:
    """Record the header names of the municipality's payments export (blank: the documented
    name). Two columns may not share one header."""
    if not by.has_perm(BudgetPermission.IMPORT_LEDGER):
        raise DomainError(NO_BUDGET_ACCESS, code="forbidden")
    cleaned = {c: (columns.get(c) or "").strip() for c in payment_columns.COLUMNS}
    effective: dict[str, str] = {}
    for column, header in cleaned.items():
        name = header_name(header or column)
        if name in effective:
            raise DomainError(
                f"De kolommen {effective[name]} en {column} hebben dezelfde naam.",
                code="duplicate_column",
                field=column,
            )
        effective[name] = column
    mapping, _ = PaymentColumnMapping.objects.update_or_create(
        municipality=municipality, defaults=cleaned | {"updated_by": by}
    )
    return mapping


def payments_import_start(
    *, municipality: Municipality, filename: str, content: bytes, by: User
) -> tuple[PaymentImport, bool]:
    """Store the file and queue its import with the municipality's current column mapping;
    (import, created). The same file (checksum) that is queued, running or done is not imported
    again: that import is returned. A failed or rejected file may be offered again."""
    if not by.has_perm(BudgetPermission.IMPORT_LEDGER):
        raise DomainError(NO_BUDGET_ACCESS, code="forbidden")
    if not filename.lower().endswith((".csv", ".xlsx")):
        raise DomainError("Alleen CSV- of XLSX-bestanden.", field="file")
    if not content:
        raise DomainError("Het bestand is leeg.", field="file")
    checksum = hashlib.sha256(content).hexdigest()
    active = ["queued", "running", "succeeded"]
    existing = PaymentImport.objects.filter(
        municipality=municipality, checksum=checksum, status__in=active
    ).first()
    if existing is not None:
        return existing, False
    saved = PaymentColumnMapping.objects.filter(municipality=municipality).first()
    mapping = saved.as_mapping() if saved else {}
    try:
        with transaction.atomic():
            item = PaymentImport(
                municipality=municipality,
                original_name=filename[-200:],
                checksum=checksum,
                mapping=mapping,
                created_by=by,
            )
            suffix = ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"
            item.file.save(f"{checksum}{suffix}", ContentFile(content), save=False)
            item.save()
    except IntegrityError:  # a concurrent upload of the same file won
        return PaymentImport.objects.get(
            municipality=municipality, checksum=checksum, status__in=active
        ), False
    job_send_after_commit(tasks.payments_import_run_task, item.pk)
    return item, True


@transaction.atomic
def reconciliation_sign(
    *, municipality: Municipality, month: dt.date, regime: str, note: str, by: User
) -> ReconciliationSignoff:
    """The controller accepts the current difference between the payments feed and the ledger
    for one month and regime (``selectors.reconciliation``), with a note; signing again replaces
    the earlier sign-off. A difference needs a note; a month that reconciles needs no sign-off."""
    if not by.has_perm(BudgetPermission.CHANGE_BUDGET):
        raise DomainError(NO_BUDGET_ACCESS, code="forbidden")
    if regime not in Regime.values:
        raise DomainError("Onbekende regeling.", code="regime", field="regime")
    month = month.replace(day=1)
    rows = {
        (row.month, row.regime): row
        for row in budget_selectors.reconciliation(
            user=by, municipality=municipality, year=month.year
        )
    }
    row = rows.get((month, regime))
    if row is None or row.difference == 0:
        raise DomainError(
            "Deze maand en regeling sluiten aan; er is niets af te tekenen.", code="no_difference"
        )
    note = (note or "").strip()
    if not note:
        raise DomainError(
            "Licht het verschil toe voordat u aftekent.", code="note_required", field="note"
        )
    signoff, _ = ReconciliationSignoff.objects.update_or_create(
        municipality=municipality,
        month=month,
        regime=regime,
        defaults={
            "difference": row.difference,
            "note": note[:2000],
            "signed_by": by,
            "signed_at": timezone.now(),
        },
    )
    return signoff


# Average cost per benefit (business case) ---------------------------------------------------------


@transaction.atomic
def average_cost_set(
    *, municipality: Municipality, year: int, amount: Decimal, source: str, by: User
) -> MunicipalityYear:
    """Functioneel beheer sets the average yearly cost of one benefit in ``year`` (the business
    case and the budget in households use it) with its source, e.g. the plan van aanpak. The
    year's figures (``caseload.MunicipalityYear``, with the population) must exist."""
    if not by.has_perm(CaseloadPermission.CONFIGURE):
        raise DomainError(
            "Alleen functioneel beheer stelt de gemiddelde kosten in.", code="forbidden"
        )
    if amount <= 0:
        raise DomainError(
            "De gemiddelde kosten moeten groter zijn dan € 0.", code="amount", field="average_cost"
        )
    source = (source or "").strip()
    if not source:
        raise DomainError(
            "Noem de bron van het bedrag, bijvoorbeeld het plan van aanpak.",
            code="source_required",
            field="source",
        )
    row = (
        MunicipalityYear.objects.select_for_update()
        .filter(municipality=municipality, year=year)
        .first()
    )
    if row is None:
        raise DomainError(
            f"Voor {year} zijn nog geen gemeentecijfers (inwonertallen) vastgelegd; leg die "
            "eerst vast in het beheer.",
            code="no_year",
        )
    row.average_benefit_cost = amount
    row.average_benefit_cost_source = source[:200]
    row.save(update_fields=["average_benefit_cost", "average_benefit_cost_source"])
    return row
