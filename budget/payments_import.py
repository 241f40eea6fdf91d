"""The payments import's task body (``budget.payments_import_run``): read the stored upload with the
municipality's column mapping, validate every row, then apply all rows in one transaction or
none. Queued by ``services.payments_import_start``; safe to run twice.

Per benefit and month (the benefit is found by the applicant's BSN, the regime and the month it
ran in, within the municipality):

* a month not yet recorded is added;
* a month recorded with the same amounts is left alone (re-importing a file changes nothing);
* a month recorded with other amounts is refused, unless the row is a correction, which replaces
  what it corrects (the replaced amounts stay in ``PaymentRecord``);
* a correction of a month that was never recorded is refused.

After the apply the indicators are told (the part-time share reads the income set off) and the
payment totals of the affected years are summed again (the BUIG besteding).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from decimal import Decimal

from django.db import connection, transaction

from caseload.services import PaymentWrite, benefit_payments_apply, benefits_looked_up
from common.jobs import (
    JobLost,
    job_claim,
    job_finish,
    job_heartbeat,
    job_lease_kept,
    job_upload_delete,
)

from . import payments
from .models import PaymentImport, PaymentRecord
from .totals import payment_totals_refresh

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 2000
MAX_REPORTED_ERRORS = 10000


def payments_import_run(*, import_id: int) -> str:
    """Validate every row, then apply all rows in one transaction or none (idempotent). While it
    runs a thread keeps the lease alive; if this worker dies, the sweep ends the import failed
    ("Onderbroken"), deletes the upload and the file may be offered again (``common.jobs``)."""
    item = job_claim(PaymentImport, import_id)
    if item is None:  # not queued, or another worker is claiming it right now
        item = PaymentImport.objects.get(pk=import_id)
        if item.is_finished:
            job_upload_delete(item)
        return item.status
    try:
        with job_lease_kept(item):
            return _apply(item)
    except Exception:
        logger.exception("payments import %s failed", item.pk)
        with contextlib.suppress(JobLost):  # already ended (interrupted): that end stands
            job_finish(
                item,
                PaymentImport.Status.FAILED,
                errors=[PaymentImport.job_error("Technische fout; er is niets verwerkt.")],
            )
        raise
    finally:
        job_upload_delete(item)  # every end state: the upload holds BSNs


def _apply(item: PaymentImport) -> str:
    try:
        with item.file.open("rb") as handle:
            content = handle.read()
        total, rows = payments.read_rows(content, item.original_name, item.mapping)
    except payments.PaymentFileError as exc:
        return _finish(item, status=PaymentImport.Status.REJECTED, errors=[(0, str(exc))])
    job_heartbeat(item, total=total)

    valid: list[payments.PaymentRow] = []
    errors: list[tuple[int, str]] = []
    processed = 0
    for line, raw in rows:
        result = payments.validate_row(line, raw)
        if isinstance(result, list):
            errors.extend((e.line, e.reason) for e in result)
        else:
            valid.append(result)
        processed += 1
        if processed % PROGRESS_EVERY == 0:
            job_heartbeat(item, done=min(processed, total) if total else 0)

    benefits = _benefits_for(item.municipality_id, valid)
    seen: dict[tuple[int, dt.date], int] = {}
    resolved: list[tuple[payments.PaymentRow, int]] = []
    for row in valid:
        benefit_id = benefits.get(row.line)
        if benefit_id is None:
            errors.append(
                (
                    row.line,
                    "Geen uitkering van deze inwoner met deze regeling die in die maand liep.",
                )
            )
        elif (benefit_id, row.month) in seen:
            errors.append(
                (
                    row.line,
                    f"Dezelfde uitkering en maand staan al op regel {seen[(benefit_id, row.month)]}.",
                )
            )
        else:
            seen[(benefit_id, row.month)] = row.line
            resolved.append((row, benefit_id))

    existing = _existing(list(seen))
    writes: list[tuple[payments.PaymentRow, int, tuple[Decimal, Decimal] | None]] = []
    unchanged = 0
    for row, benefit_id in resolved:
        before = existing.get((benefit_id, row.month))
        if before is None:
            if row.correction:
                errors.append(
                    (
                        row.line,
                        "Correctie van een maand waarvoor nog geen betaling is geïmporteerd.",
                    )
                )
                continue
            writes.append((row, benefit_id, None))
        elif before == (row.net, row.income_offset):
            unchanged += 1
        elif row.correction:
            writes.append((row, benefit_id, before))
        else:
            errors.append(
                (
                    row.line,
                    "Voor deze uitkering en maand is al een betaling met andere bedragen "
                    "geïmporteerd; lever deze regel aan als correctie (correctie = ja).",
                )
            )
    # every benefit a line's BSN resolved to was read (and its payments compared), whether the
    # file is applied or not: a rejected file's report tells per line whether the resident has a
    # benefit and what was paid (security review of 3 December, finding 2). Those written are
    # logged by the write itself.
    written = {benefit_id for _row, benefit_id, _before in writes} if not errors else set()
    looked_up = set(benefits.values()) - written
    if looked_up:
        benefits_looked_up(
            benefit_ids=looked_up,
            by=item.created_by,
            object_type="benefitpayment",
            reason=f"betalingenimport {item.pk}: "
            + ("afgewezen" if errors else "ongewijzigde regels"),
        )
    if errors:
        errors.sort()
        return _finish(
            item, status=PaymentImport.Status.REJECTED, errors=errors, processed=processed
        )

    with transaction.atomic():
        benefit_payments_apply(
            municipality_id=item.municipality_id,
            by=item.created_by,
            reason=f"betalingenimport {item.pk}",
            payments=[
                PaymentWrite(
                    benefit_id=benefit_id,
                    month=row.month,
                    amount_paid=row.net,
                    income_offset=row.income_offset,
                )
                for row, benefit_id, _ in writes
            ],
        )
        PaymentRecord.objects.bulk_create(
            (
                PaymentRecord(
                    payment_import_id=item.pk,
                    line_number=row.line,
                    benefit_id=benefit_id,
                    regime=row.regime,
                    month=row.month,
                    gross=row.gross,
                    income_offset=row.income_offset,
                    net=row.net,
                    is_correction=row.correction,
                    replaced_net=before[0] if before else None,
                    replaced_income_offset=before[1] if before else None,
                )
                for row, benefit_id, before in writes
            ),
            batch_size=5000,
        )
        status = _finish(
            item,
            status=PaymentImport.Status.SUCCEEDED,
            errors=[],
            processed=processed,
            accepted=len(writes),
            unchanged=unchanged,
            corrected=sum(1 for *_, before in writes if before is not None),
        )
    for year in sorted({row.month.year for row, _, _ in writes}):
        payment_totals_refresh(municipality_id=item.municipality_id, year=year)
    logger.info("payments import %s done: %s rows written", item.pk, len(writes))
    return status


def _benefits_for(municipality_id: int, rows: list[payments.PaymentRow]) -> dict[int, int]:
    """line -> the benefit of the row's applicant (BSN), regime and month, in the municipality
    (one query; the latest-started benefit when two of one regime ran in the month)."""
    if not rows:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT DISTINCT ON (x.line) x.line, b.id
              FROM unnest(%s::int[], %s::text[], %s::text[], %s::date[])
                   AS x(line, bsn, regime, month)
              JOIN caseload_resident r ON r.bsn = x.bsn
              JOIN caseload_benefit b ON b.applicant_id = r.id AND b.regime = x.regime
              JOIN caseload_household h ON h.id = b.household_id
             WHERE h.municipality_id = %s
               AND b.start_date < (x.month + interval '1 month')::date
               AND (b.end_date IS NULL OR b.end_date >= x.month)
             ORDER BY x.line, b.start_date DESC
            """,
            [
                [r.line for r in rows],
                [r.bsn for r in rows],
                [r.regime for r in rows],
                [r.month for r in rows],
                municipality_id,
            ],
        )
        return dict(cursor.fetchall())


def _existing(
    keys: list[tuple[int, dt.date]],
) -> dict[tuple[int, dt.date], tuple[Decimal, Decimal]]:
    """(benefit, month) -> (amount paid, income set off) as recorded now."""
    if not keys:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT p.benefit_id, p.month, p.amount_paid, p.income_offset
              FROM caseload_benefitpayment p
              JOIN unnest(%s::bigint[], %s::date[]) AS k(benefit_id, month)
                ON k.benefit_id = p.benefit_id AND k.month = p.month
            """,
            [[k[0] for k in keys], [k[1] for k in keys]],
        )
        return {(b, m): (paid, offset) for b, m, paid, offset in cursor.fetchall()}


def _finish(
    item: PaymentImport,
    *,
    status: str,
    errors: list[tuple[int, str]],
    processed: int = 0,
    accepted: int = 0,
    unchanged: int = 0,
    corrected: int = 0,
) -> str:
    job_finish(
        item,
        status,
        errors=[{"line": line, "reason": reason} for line, reason in errors[:MAX_REPORTED_ERRORS]],
        progress_done=processed,
        progress_total=max(processed, 0),
        accepted_rows=accepted,
        unchanged_rows=unchanged,
        corrected_rows=corrected,
        rejected_rows=len({line for line, _ in errors if line}),
    )
    logger.info("payments import %s finished: %s", item.pk, status)
    return status
