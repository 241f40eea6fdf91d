"""Scheduled caseload jobs: thin adapters around one service each."""

from celery import shared_task

from . import services


@shared_task(name="caseload.outflow_durability_refresh")
def outflow_durability_refresh_task() -> dict[str, int]:
    """Fill in the 6- and 12-month durability of past outflows from the benefit records."""
    return services.outflow_durability_refresh()
