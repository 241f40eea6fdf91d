"""Reconciliation between the payments feed and the ledger (issue 15): the differences per month
and regime, and a status the controller can sign off."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from budget import selectors, services
from budget.models import LedgerImport, Receipt, ReconciliationSignoff
from budget.services import payment_totals_refresh
from caseload.models import BenefitPayment, Regime
from common.exceptions import DomainError
from tests import factories

pytestmark = pytest.mark.django_db

MARCH = dt.date(2026, 3, 1)


@pytest.fixture
def booked(municipality, finance):
    """March 2026: 2,100 paid on bijstand; the ledger booked 2,000 of benefit costs and 50 of
    recovery (baten, which the reconciliation leaves alone)."""
    for amount in (Decimal("1200.00"), Decimal("900.00")):
        benefit = factories.BenefitFactory(
            regime=Regime.ALGEMENE_BIJSTAND,
            start_date=dt.date(2025, 1, 1),
            applicant__household__municipality=municipality,
        )
        BenefitPayment.objects.create(benefit=benefit, month=MARCH, amount_paid=amount)
    payment_totals_refresh(municipality_id=municipality.pk, year=2026)
    ledger = LedgerImport.objects.create(
        municipality=municipality, original_name="gb.csv", checksum="c" * 64, created_by=finance
    )
    for ref, kind, amount in (("U1", "uitkering", "2000.00"), ("T1", "terugvordering", "50.00")):
        Receipt.objects.create(
            municipality=municipality,
            ledger_import=ledger,
            line_number=2,
            reference=ref,
            regime=Regime.ALGEMENE_BIJSTAND,
            month=MARCH,
            kind=kind,
            amount=Decimal(amount),
        )
    return ledger


def test_differences_per_month_and_regime(municipality, finance, booked):
    (row,) = selectors.reconciliation(user=finance, municipality=municipality, year=2026)
    assert (row.payments, row.ledger, row.difference) == (
        Decimal("2100.00"),
        Decimal("2000.00"),
        Decimal("100.00"),
    )
    assert row.status == "verschil"
    # the benefit costs booked are no baten: the overview's baten hold only the recovery
    overview = selectors.budget_overview(user=finance, municipality=municipality, year=2026)
    assert overview.figures.baten == Decimal("50.00")


def test_sign_off_needs_a_note_and_asks_again_when_the_difference_changes(
    municipality, finance, booked
):
    with pytest.raises(DomainError) as exc:
        services.reconciliation_sign(
            municipality=municipality, month=MARCH, regime="pw", note=" ", by=finance
        )
    assert exc.value.code == "note_required"
    services.reconciliation_sign(
        municipality=municipality,
        month=MARCH,
        regime="pw",
        note="Betaling 31 maart, geboekt in april.",
        by=finance,
    )
    (row,) = selectors.reconciliation(user=finance, municipality=municipality, year=2026)
    assert row.status == "afgetekend" and row.signoff.difference == Decimal("100.00")
    BenefitPayment.objects.filter(amount_paid=Decimal("900.00")).update(amount_paid=950)
    payment_totals_refresh(municipality_id=municipality.pk, year=2026)
    (row,) = selectors.reconciliation(user=finance, municipality=municipality, year=2026)
    assert row.status == "herbeoordelen"


def test_a_month_that_reconciles_needs_no_sign_off(municipality, finance, booked):
    Receipt.objects.filter(reference="U1").update(amount=Decimal("2100.00"))
    (row,) = selectors.reconciliation(user=finance, municipality=municipality, year=2026)
    assert row.status == "aangesloten"
    with pytest.raises(DomainError) as exc:
        services.reconciliation_sign(
            municipality=municipality, month=MARCH, regime="pw", note="x", by=finance
        )
    assert exc.value.code == "no_difference"


def test_page_lists_the_difference_and_signs_it_off(client, municipality, finance, booked):
    client.force_login(finance)
    url = reverse("budget:reconciliation") + f"?jaar=2026&gemeente={municipality.pk}"
    page = client.get(url).content.decode()
    assert "€ 100,00" in page and "Verschil, niet afgetekend" in page
    bad = client.post(url, {"month": "2026-03-01", "regime": "pw", "note": ""})
    assert bad.status_code == 422
    assert not ReconciliationSignoff.objects.exists()
    done = client.post(url, {"month": "2026-03-01", "regime": "pw", "note": "Boekdatum april"})
    assert done.status_code == 302
    assert "Verschil afgetekend" in client.get(url).content.decode()


def test_the_ledger_import_takes_benefit_cost_lines(municipality, finance):
    from budget.ledger_import import ledger_import_run

    item, _ = services.ledger_import_start(
        municipality=municipality,
        filename="gb.csv",
        content=b"boekingskenmerk;regeling;maand;soort;bedrag\nA;pw;2026-03;uitkering;2000,00\n",
        by=finance,
    )
    ledger_import_run(import_id=item.pk)
    assert Receipt.objects.get(reference="A").kind == Receipt.Kind.BENEFIT_COSTS


def test_every_row_form_has_ids_of_its_own(client, municipality, finance, booked):
    """The walk of 3 December: each difference row has a sign-off form with a note field, and
    every field's wrapper was ``id="field-note"``, so a page with two open differences had the
    same id twice (invalid HTML; a label or error link could point at the wrong row)."""
    Receipt.objects.create(
        municipality=municipality,
        ledger_import=booked,
        line_number=3,
        reference="U2",
        regime=Regime.ALGEMENE_BIJSTAND,
        month=dt.date(2026, 4, 1),
        kind=Receipt.Kind.BENEFIT_COSTS,
        amount=Decimal("75.00"),
    )
    client.force_login(finance)
    url = reverse("budget:reconciliation") + f"?jaar=2026&gemeente={municipality.pk}"
    page = client.get(url).content.decode()
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert page.count('name="note"') == 2
    assert [i for i in set(ids) if ids.count(i) > 1] == []
