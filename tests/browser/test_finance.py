"""Issue 15, acceptance: in a real browser, financien offers a payments file with bad rows
(rejected with the row report), then the corrected file; the part-time share (after the
recompute, drained synchronously as the worker would) and the BUIG besteding follow; the
reconciliation page shows the difference that remains. axe-core: no violations on the payments
and reconciliation pages."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from budget.models import LedgerImport, PaymentImport, Receipt
from budget.payments_import import payments_import_run
from caseload.models import Regime
from indicators.models import IndicatorValue
from indicators.outbox import outbox_drain
from tests import factories
from tests.browser.conftest import assert_accessible, save_screenshot
from tests.browser.test_workspace import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
TODAY = dt.date.today()
MONTH = (TODAY.replace(day=1) - dt.timedelta(days=1)).replace(day=1)  # last month
HEADER = "bsn;regeling;maand;bruto;verrekende_inkomsten;netto;correctie\n"


@pytest.fixture
def world(transactional_db):
    team = factories.TeamFactory()
    municipality = team.municipality
    factories.MunicipalityYearFactory(municipality=municipality, year=MONTH.year)
    finance = factories.UserFactory(finance=True, username="financien1")
    residents = []
    for name in ("Zwartjes", "Bakker"):
        resident = factories.ResidentFactory(
            team=team, household__municipality=municipality, last_name=name
        )
        factories.BenefitFactory(
            applicant=resident,
            regime=Regime.ALGEMENE_BIJSTAND,
            start_date=MONTH.replace(year=MONTH.year - 1),
        )
        residents.append(resident)
    # the ledger booked 2.000,00 of benefit costs for the month
    ledger = LedgerImport.objects.create(
        municipality=municipality,
        original_name="grootboek.csv",
        checksum="e" * 64,
        created_by=finance,
        status="succeeded",
    )
    Receipt.objects.create(
        municipality=municipality,
        ledger_import=ledger,
        line_number=2,
        reference="U-1",
        regime=Regime.ALGEMENE_BIJSTAND,
        month=MONTH,
        kind=Receipt.Kind.BENEFIT_COSTS,
        amount=Decimal("2000.00"),
    )
    outbox_drain()
    return {"municipality": municipality, "residents": residents}


def _run_queued() -> None:
    """What the worker does with a queued import (its task body), then the recompute."""
    for pk in PaymentImport.objects.filter(status="queued").values_list("pk", flat=True):
        payments_import_run(import_id=pk)
    outbox_drain()


def _parttime_share(municipality) -> Decimal | None:
    return (
        IndicatorValue.objects.filter(
            municipality=municipality,
            code="caseload.parttime_share",
            period_kind="month",
            period_start=MONTH,
            dimension="",
        )
        .values_list("value", flat=True)
        .first()
    )


def _upload(page, base, query, name, content):
    page.goto(f"{base}/budget/betalingen/{query}")
    page.set_input_files(
        "#id_upload-file", {"name": name, "mimeType": "text/csv", "buffer": content.encode()}
    )
    page.get_by_role("button", name="Importeren").click()
    page.wait_for_load_state()


def test_financien_imports_payments_and_reconciles(page, live_server, world):
    base = live_server.url
    municipality = world["municipality"]
    first, second = world["residents"]
    query = f"?jaar={MONTH.year}&gemeente={municipality.pk}"
    login(page, base, "financien1")
    before = _parttime_share(municipality)
    assert before in (None, Decimal("0"))

    # A file with bad rows: nothing is stored, every bad row is reported (no BSN echoed).
    bad = (
        HEADER
        + f"{first.bsn};pw;{MONTH:%Y-%m};1300,00;400,00;900,00;\n"
        + f"{second.bsn};pw;{MONTH:%Y-%m};1200,00;2000,00;1150,00;\n"
        + f"{second.bsn};ww;{MONTH:%Y-%m};1200,00;0;1200,00;\n"
    )
    _upload(page, base, query, "betalingen-fout.csv", bad)
    assert_accessible(page)
    _run_queued()
    page.goto(f"{base}/budget/betalingen/{query}")
    section = page.locator("section.app-budget-job").first
    text = section.inner_text()
    assert "Afgekeurd" in text
    assert re.search(r"\b3\b", text) and re.search(r"\b4\b", text)  # lines 3 and 4
    assert first.bsn not in page.content() and second.bsn not in page.content()
    assert_accessible(page)
    assert _parttime_share(municipality) in (None, Decimal("0"))

    # The corrected file: applied; one of two benefits sets off income from work.
    good = (
        HEADER
        + f"{first.bsn};pw;{MONTH:%Y-%m};1300,00;400,00;900,00;\n"
        + f"{second.bsn};pw;{MONTH:%Y-%m};1150,00;0,00;1150,00;\n"
    )
    _upload(page, base, query, "betalingen-goed.csv", good)
    _run_queued()
    page.goto(f"{base}/budget/betalingen/{query}")
    assert "Verwerkt" in page.locator("section.app-budget-job").first.inner_text()
    assert_accessible(page)
    save_screenshot(page, "budget-payments.png")
    assert _parttime_share(municipality) == Decimal("50.0000") or (
        _parttime_share(municipality) == Decimal("0.5000")
    )

    # The BUIG besteding of the month on the overview: 900 + 1.150.
    page.goto(f"{base}/budget/{query}")
    overview = page.locator("main").inner_text()
    assert "€ 2.050,00" in overview
    assert_accessible(page)  # the overschot/tekort line too
    for path in ("vangnet/", "businesscase/", "rapporten/"):  # pre-filled simulator, SiSa
        page.goto(f"{base}/budget/{path}{query}")
        assert_accessible(page)

    # The reconciliation: paid 2.050,00 against 2.000,00 booked, a difference of 50,00.
    page.goto(f"{base}/budget/aansluiting/{query}")
    main = page.locator("main").inner_text()
    assert "€ 2.050,00" in main and "€ 2.000,00" in main and "€ 50,00" in main
    assert "Verschil, niet afgetekend" in main
    assert_accessible(page)
    save_screenshot(page, "budget-reconciliation.png")
