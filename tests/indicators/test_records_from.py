"""A municipality's ``records_from`` (the first day this system holds all its dossiers, e.g.
the conversion from the former system): figures from the dossiers start there. The independent
recomputation of 3 December found the demo's years before its history stored as real zeros
(Hilversum 2018: 0 outflows to work, where the plan counts 205; 0,0 % in beeld)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from indicators.models import FillState, IndicatorValue
from indicators.services import indicator_values_fill, manual_value_set

from .conftest import TODAY

pytestmark = pytest.mark.django_db
D = dt.date
MANUAL = "bbv.netto_arbeidsparticipatie"


def _years(world, code):
    return sorted(
        IndicatorValue.objects.filter(
            municipality=world.municipality, code=code, period_kind="year", dimension=""
        ).values_list("period_start__year", flat=True)
    )


def test_no_values_before_records_from_and_old_ones_go(world):
    r, _ = world.on_benefit(start=D(2021, 3, 1))
    world.outflow(r, D(2025, 4, 1))
    manual_value_set(
        municipality_id=world.municipality.pk,
        code=MANUAL,
        year=2022,
        value=Decimal("66.1"),
        source="CBS StatLine",
        source_date=D(2023, 6, 1),
    )
    indicator_values_fill(municipality_id=world.municipality.pk, today=TODAY)
    assert _years(world, "caseload.size") == [2021, 2022, 2023, 2024, 2025, 2026]
    # the conversion was on 1 July 2023: the figures before it are no data, not zeros
    world.municipality.records_from = D(2023, 7, 1)
    world.municipality.save()
    indicator_values_fill(municipality_id=world.municipality.pk, today=TODAY)
    assert _years(world, "caseload.size") == [2024, 2025, 2026]
    months = IndicatorValue.objects.filter(
        municipality=world.municipality, code="caseload.size", period_kind="month", dimension=""
    )
    assert min(months.values_list("period_start", flat=True)) == D(2023, 7, 1)
    assert not FillState.objects.filter(code="caseload.size", period_start__lt=D(2023, 7, 1))
    assert world.value("caseload.size", "2023-07").value == 1
    # the hand-entered CBS figure of 2022 is not from the dossiers: it stays
    assert _years(world, MANUAL) == [2022]


def test_the_dashboard_says_no_data_before_records_from(world, client):
    from tests import factories

    world.on_benefit(start=D(2021, 3, 1))
    world.municipality.records_from = D(2023, 7, 1)
    world.municipality.save()
    indicator_values_fill(municipality_id=world.municipality.pk, today=TODAY)
    client.force_login(factories.UserFactory(manager=True, municipality=world.municipality))
    before = client.get("/indicatoren/", {"jaar": 2022}).content.decode()
    assert "Geen gegevens over 2022" in before and "vanaf 1-7-2023" in before
    partly = client.get("/indicatoren/", {"jaar": 2023}).content.decode()
    assert "de jaarwaarde van 2023 hebben geen cijfers uit de dossiers" in partly
    after = client.get("/indicatoren/", {"jaar": 2024}).content.decode()
    assert "Geen gegevens" not in after and "vanaf 1-7-2023" not in after
    detail = client.get("/indicatoren/caseload.size/", {"jaar": 2022}).content.decode()
    assert "Geen gegevens over 2022" in detail


def test_a_records_from_to_come_is_refused(world):
    """A date after today would take every figure from the dossiers away: the admin refuses
    it with the reason at the field."""
    from django.core.exceptions import ValidationError

    from common import clock

    world.municipality.records_from = clock.today() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        world.municipality.full_clean()
    assert refused.value.message_dict == {
        "records_from": ["Deze datum kan niet in de toekomst liggen."]
    }
    world.municipality.records_from = clock.today()
    world.municipality.full_clean()
