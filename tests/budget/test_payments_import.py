"""The payments feed (issue 15): the benefits administration's monthly payments, from a file with
the municipality's column mapping, applied wholly or not at all, idempotent on re-import, a
correction replacing the month it corrects, the upload deleted afterwards; the part-time share
and the BUIG besteding follow."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from budget import services
from budget.models import PaymentImport, PaymentMonthTotal, PaymentRecord
from budget.payments_import import payments_import_run
from caseload.models import BenefitPayment, Regime
from common.exceptions import DomainError
from indicators.models import RecomputeRequest
from privacy.models import ProcessingRecord
from tests import factories

pytestmark = pytest.mark.django_db

HEADER = "bsn;regeling;maand;bruto;verrekende_inkomsten;netto;correctie\n"


@pytest.fixture
def benefits(municipality):
    """Two residents on bijstand since 2025 and one on IOAW; their BSNs pass the 11-test."""
    out = []
    for regime in (Regime.ALGEMENE_BIJSTAND, Regime.ALGEMENE_BIJSTAND, Regime.IOAW):
        out.append(
            factories.BenefitFactory(
                regime=regime,
                start_date=dt.date(2025, 1, 1),
                applicant__household__municipality=municipality,
            )
        )
    return out


def _run(municipality, user, text: str, name: str = "betalingen.csv") -> PaymentImport:
    item, created = services.payments_import_start(
        municipality=municipality, filename=name, content=text.encode(), by=user
    )
    if created:
        payments_import_run(import_id=item.pk)
    item.refresh_from_db()
    return item


def _line(benefit, month="2026-03", bruto="1300,00", offset="0", netto="1300,00", corr=""):
    return f"{benefit.applicant.bsn};{benefit.regime};{month};{bruto};{offset};{netto};{corr}\n"


def test_a_good_file_is_applied_and_its_upload_deleted(municipality, finance, benefits):
    a, b, c = benefits
    text = HEADER + _line(a) + _line(b, offset="400,00", netto="900,00") + _line(c, netto="950,5")
    item = _run(municipality, finance, text)
    assert item.status == PaymentImport.Status.SUCCEEDED, item.errors
    assert (item.accepted_rows, item.rejected_rows) == (3, 0)
    assert not item.file  # the upload (with BSNs) is gone
    paid = BenefitPayment.objects.get(benefit=b, month=dt.date(2026, 3, 1))
    assert (paid.amount_paid, paid.income_offset) == (Decimal("900.00"), Decimal("400.00"))
    record = PaymentRecord.objects.get(benefit_id=b.pk)
    assert record.gross == Decimal("1300.00") and not record.is_correction
    # the BUIG besteding follows: the month's totals are summed again
    total = PaymentMonthTotal.objects.get(
        municipality=municipality, month=dt.date(2026, 3, 1), regime=""
    )
    assert total.amount_paid == Decimal("3150.50")
    # the processing is logged once, naming the three applicants and who offered the file
    record = ProcessingRecord.objects.get(object_type="benefitpayment")
    assert record.username == finance.username and len(record.subjects) == 3
    assert record.reason == f"betalingenimport {item.pk}"
    # and the indicators are told, in the same transaction, from the earliest month
    assert RecomputeRequest.objects.filter(
        municipality=municipality, affected_from=dt.date(2026, 3, 1)
    ).exists()


def test_bad_rows_are_all_reported_and_nothing_is_applied(municipality, finance, benefits):
    a, b, c = benefits
    stranger = factories.ResidentFactory(household__municipality=municipality)
    text = (
        HEADER
        + _line(a)
        + "123456789;pw;2026-03;1300;0;1300;\n"  # fails the 11-test
        + _line(b, month="maart")
        + _line(c, bruto="veel", offset="-1")
        + f"{stranger.bsn};pw;2026-03;1;0;1;\n"  # no benefit
        + _line(a)  # the same benefit and month twice
        + _line(b, corr="ja")  # a correction of a month never recorded
        + _line(c, corr="misschien")
    )
    item = _run(municipality, finance, text)
    assert item.status == PaymentImport.Status.REJECTED
    reasons = {e["line"]: e["reason"] for e in item.errors}
    assert set(reasons) == {3, 4, 5, 6, 7, 8, 9}
    assert "elfproef" in reasons[3]
    assert "maand" in reasons[4].lower()
    assert "Bruto bedrag" in reasons[5] and "Verrekende inkomsten" in reasons[5]
    assert "Geen uitkering" in reasons[6]
    assert "regel 2" in reasons[7]
    assert "nog geen betaling" in reasons[8]
    assert "ja of nee" in reasons[9]
    assert not any(stranger.bsn in r or a.applicant.bsn in r for r in reasons.values())
    assert not BenefitPayment.objects.exists() and not PaymentRecord.objects.exists()
    assert not item.file


def test_re_import_changes_nothing_and_a_correction_replaces_the_month(
    municipality, finance, benefits
):
    a, b, _ = benefits
    first = _run(municipality, finance, HEADER + _line(a) + _line(b))
    assert first.status == PaymentImport.Status.SUCCEEDED
    # the same file again: the earlier import is returned, nothing runs twice
    again, created = services.payments_import_start(
        municipality=municipality,
        filename="kopie.csv",
        content=(HEADER + _line(a) + _line(b)).encode(),
        by=finance,
    )
    assert not created and again.pk == first.pk
    # another file that repeats March for a and adds April: March unchanged, April added
    second = _run(municipality, finance, HEADER + _line(a) + _line(a, month="2026-04"))
    assert second.status == PaymentImport.Status.SUCCEEDED
    assert (second.accepted_rows, second.unchanged_rows) == (1, 1)
    # other amounts for March without the correction flag: refused, with the way out named
    refused = _run(municipality, finance, HEADER + _line(a, netto="800,00"))
    assert refused.status == PaymentImport.Status.REJECTED
    assert "correctie" in refused.errors[0]["reason"]
    # as a correction: it replaces March, and the replaced amount is kept
    fixed = _run(
        municipality, finance, HEADER + _line(a, offset="500,00", netto="800,00", corr="ja")
    )
    assert fixed.status == PaymentImport.Status.SUCCEEDED and fixed.corrected_rows == 1
    paid = BenefitPayment.objects.get(benefit=a, month=dt.date(2026, 3, 1))
    assert (paid.amount_paid, paid.income_offset) == (Decimal("800.00"), Decimal("500.00"))
    record = PaymentRecord.objects.get(payment_import=fixed)
    assert record.is_correction and record.replaced_net == Decimal("1300.00")


def test_the_column_mapping_reads_the_municipality_export(municipality, finance, benefits):
    a = benefits[0]
    services.payment_column_mapping_set(
        municipality=municipality,
        columns={"bsn": "Burgerservicenummer", "maand": "Periode", "netto": "Uitbetaald"},
        by=finance,
    )
    text = (
        "Burgerservicenummer;Regeling;Periode;Bruto;Verrekende inkomsten;Uitbetaald;Naam\n"
        f"{a.applicant.bsn};pw;03-2026;1300;0;1250;Jansen\n"
    )
    item = _run(municipality, finance, text)
    assert item.status == PaymentImport.Status.SUCCEEDED, item.errors
    assert BenefitPayment.objects.get(benefit=a).amount_paid == Decimal("1250")
    missing = _run(municipality, finance, HEADER + _line(a, month="2026-05"), name="oud.csv")
    assert missing.status == PaymentImport.Status.REJECTED
    assert "burgerservicenummer" in missing.errors[0]["reason"].lower()


def test_two_columns_cannot_share_a_header(municipality, finance):
    with pytest.raises(DomainError) as exc:
        services.payment_column_mapping_set(
            municipality=municipality, columns={"bruto": "Bedrag", "netto": "bedrag"}, by=finance
        )
    assert exc.value.code == "duplicate_column"


def test_only_budget_roles_may_import(municipality, benefits):
    with pytest.raises(DomainError):
        services.payments_import_start(
            municipality=municipality,
            filename="b.csv",
            content=(HEADER + _line(benefits[0])).encode(),
            by=factories.UserFactory(manager=True),
        )
