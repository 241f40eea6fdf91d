"""Issue 17: hours per week and the banenafspraak sector of a trajectory in the dossier's forms
(start and correction) and the service's refusals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from caseload import services as cs
from common.exceptions import DomainError
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


@pytest.fixture
def client_c(client, consulent):
    client.force_login(consulent)
    return client


def test_start_form_records_hours_and_sector(client_c, resident):
    inst = factories.InstrumentFactory(name="Garantiebaan")
    url = reverse("caseload:trajectory_start", args=[resident.pk])
    page = client_c.get(url).content.decode()
    assert "Uren per week" in page and "Baan in de banenafspraak" in page
    data = {"instrument": inst.pk, "started_on": TODAY.isoformat(), "provider": "WSP"}
    bad = client_c.post(url, {**data, "hours_per_week": "90", "banenafspraak_sector": "markt"})
    assert bad.status_code == 422
    html = bad.content.decode()
    assert "hoogstens 80" in html and 'value="90"' in html
    ok = client_c.post(url, {**data, "hours_per_week": "24,5", "banenafspraak_sector": "markt"})
    assert ok.status_code == 302
    t = resident.trajectories.get()
    assert (t.hours_per_week, t.banenafspraak_sector) == (Decimal("24.5"), "markt")


def test_correction_form_changes_the_hours(client_c, resident, consulent):
    t = factories.TrajectoryFactory(resident=resident, created_by=consulent)
    url = reverse("caseload:fact_correct", args=[resident.pk, "traject", t.pk])
    page = client_c.get(url)
    assert page.status_code == 200 and "Uren per week" in page.content.decode()


def test_service_refuses_hours_outside_0_80_and_unknown_sector(resident, consulent):
    inst = factories.InstrumentFactory()
    for kw, field in (
        ({"hours_per_week": Decimal(0)}, "hours_per_week"),
        ({"banenafspraak_sector": "gemeente"}, "banenafspraak_sector"),
    ):
        with pytest.raises(DomainError) as err:
            cs.trajectory_start(
                resident=resident, instrument=inst, started_on=TODAY, by=consulent, **kw
            )
        assert err.value.field == field
    t = factories.TrajectoryFactory(resident=resident, created_by=consulent)
    with pytest.raises(DomainError):
        cs.trajectory_correct(
            trajectory=t, by=consulent, reason="typefout", changes={"hours_per_week": Decimal(81)}
        )


def test_dossier_timeline_shows_hours_and_sector(client_c, resident, consulent):
    inst = factories.InstrumentFactory(name="Garantiebaan")
    cs.trajectory_start(
        resident=resident,
        instrument=inst,
        started_on=TODAY,
        by=consulent,
        provider="WSP Gooi",
        hours_per_week=Decimal("24.5"),
        banenafspraak_sector="overheid",
    )
    page = client_c.get(reverse("caseload:dossier", args=[resident.pk])).content.decode()
    assert "WSP Gooi · 24,5 uur per week · banenafspraak: Overheid" in page
