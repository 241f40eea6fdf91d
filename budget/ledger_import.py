"""The ledger import's task body: validate every row of a stored upload, then apply all rows
in one transaction or none. Queued by ``services.ledger_import_start``; idempotent."""

from __future__ import annotations

import contextlib
import logging

from django.db import transaction

from common.jobs import (
    JobLost,
    job_claim,
    job_finish,
    job_heartbeat,
    job_lease_kept,
    job_upload_delete,
    jobs_expire,
)

from . import ledger
from .models import LedgerImport, Receipt

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 5000
MAX_REPORTED_ERRORS = 10000


def ledger_import_run(*, import_id: int) -> str:
    """Validate every row, then apply all rows in one transaction or none (idempotent). While it
    runs a thread keeps the lease alive; if this worker dies, the sweep ends the import failed
    (``common.jobs.jobs_expire``: "Onderbroken"), deletes the upload and the file may be
    offered again (issue 13, finding 5)."""
    item = job_claim(LedgerImport, import_id)
    if item is None:  # not queued, or another worker is claiming it right now
        item = LedgerImport.objects.get(pk=import_id)
        if item.is_finished:
            job_upload_delete(item)  # ended before uploads were deleted: do it now
        return item.status
    try:
        with job_lease_kept(item):
            return _ledger_import_apply(item)
    except Exception:
        logger.exception("ledger import %s failed", item.pk)
        with contextlib.suppress(JobLost):  # already ended (interrupted): that end stands
            job_finish(
                item,
                LedgerImport.Status.FAILED,
                errors=[{"line": 0, "reason": "Technische fout; er is niets verwerkt."}],
            )
        raise
    finally:
        # every end state (done, rejected, failed, interrupted): the upload holds BSNs and
        # names (issue 12, finding 16); the import keeps its checksum, counts and line errors
        job_upload_delete(item)


def ledger_imports_expire(*, municipality_id: int, import_id: int | None = None) -> list[int]:
    """End the municipality's ledger imports (or the one) whose worker died, failed, upload
    deleted: called when a user looks at them or offers a file, so that a file is never held
    by an import that is no longer running, even before beat's sweep (issue 13, finding 5)."""
    items = LedgerImport.objects.filter(municipality_id=municipality_id)
    if import_id is not None:
        items = items.filter(pk=import_id)
    return jobs_expire(items)


def _ledger_import_apply(item: LedgerImport) -> str:
    try:
        with item.file.open("rb") as handle:
            content = handle.read()
        total, rows = ledger.read_rows(content, item.original_name)
    except ledger.LedgerFileError as exc:
        return _ledger_finish(item, status=LedgerImport.Status.REJECTED, errors=[(0, str(exc))])
    job_heartbeat(item, total=total)

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
            job_heartbeat(item, done=min(processed, total) if total else 0)
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
            status=LedgerImport.Status.SUCCEEDED,
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
    job_finish(
        item,
        status,
        errors=[{"line": line, "reason": reason} for line, reason in errors[:MAX_REPORTED_ERRORS]],
        progress_done=processed,
        progress_total=max(processed, 0),
        accepted_rows=accepted,
        rejected_rows=rejected_lines,
    )
    logger.info("ledger import %s finished: %s (%s bad rows)", item.pk, status, rejected_lines)
    return status
