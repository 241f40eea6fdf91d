"""The stored besteding per municipality, month and regime (``PaymentMonthTotal``), recomputed
from the payment records; the body of the ``budget.payment_totals_refresh`` task and the first
step of the BUIG report."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

from caseload.models import BenefitPayment, Municipality

from .models import PaymentMonthTotal

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
