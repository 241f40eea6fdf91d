import datetime as dt
from decimal import Decimal

import pytest

from budget.services import payment_totals_refresh
from caseload.models import BenefitPayment, Regime
from tests import factories


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def municipality(db):
    return factories.MunicipalityFactory()


@pytest.fixture
def finance(db):
    return factories.UserFactory(finance=True)


@pytest.fixture
def beheer(db):
    return factories.UserFactory(beheer=True)


@pytest.fixture
def payments(municipality):
    """Three households: two on bijstand, one on IOAW, paid January-March 2026."""
    rows = []
    for regime, amount in (
        (Regime.ALGEMENE_BIJSTAND, Decimal("1200.00")),
        (Regime.ALGEMENE_BIJSTAND, Decimal("1000.50")),
        (Regime.IOAW, Decimal("900.25")),
    ):
        benefit = factories.BenefitFactory(
            regime=regime,
            start_date=dt.date(2025, 1, 1),
            applicant__household__municipality=municipality,
        )
        for month in (1, 2, 3):
            rows.append(
                BenefitPayment.objects.create(
                    benefit=benefit, month=dt.date(2026, month, 1), amount_paid=amount
                )
            )
    # what beat does every few minutes: the pages read the stored month totals
    payment_totals_refresh(municipality_id=municipality.pk, year=2026)
    return rows
