"""Celery tasks: take ids, call one job body, safe to run twice. The bodies live one layer below
the services (``ledger_import``, ``reports``, ``totals``), so the services queue these tasks
without an import cycle."""

from celery import shared_task

from common import clock

from .ledger_import import ledger_import_run
from .payments_import import payments_import_run
from .reports import buig_report_generate
from .totals import payment_totals_refresh_all


@shared_task(name="budget.ledger_import_run")
def ledger_import_run_task(import_id: int) -> str:
    return ledger_import_run(import_id=import_id)


@shared_task(name="budget.payments_import_run")
def payments_import_run_task(import_id: int) -> str:
    return payments_import_run(import_id=import_id)


@shared_task(name="budget.buig_report_generate")
def buig_report_generate_task(report_id: int) -> str:
    return buig_report_generate(report_id=report_id)


@shared_task(name="budget.payment_totals_refresh")
def payment_totals_refresh_task(current_year_only: bool = False) -> int:
    """Beat: the current year every few minutes, every year with payments nightly."""
    year = clock.today().year if current_year_only else None
    return payment_totals_refresh_all(year=year)
