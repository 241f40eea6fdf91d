"""Issue 17: the trajectory's placement facts (hours per week for the fte count, the
banenafspraak sector) through the API: start, read back, refuse bad input, correct."""

from __future__ import annotations

import pytest

from caseload.models import Correction, Trajectory
from tests import factories

pytestmark = pytest.mark.django_db
BASE = "/api/v1/caseload/trajectories/"


def test_start_with_hours_and_banenafspraak_sector(consulent_client, resident):
    instrument = factories.InstrumentFactory()
    response = consulent_client.post(
        BASE,
        {
            "resident": resident.pk,
            "instrument": instrument.pk,
            "started_on": "2026-01-06",
            "hours_per_week": "24.5",
            "banenafspraak_sector": "overheid",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    t = Trajectory.objects.get(resident=resident)
    assert (str(t.hours_per_week), t.banenafspraak_sector) == ("24.5", "overheid")
    body = consulent_client.get(f"{BASE}{t.pk}/").json()
    assert body["hours_per_week"] == "24.5" and body["banenafspraak_sector"] == "overheid"


@pytest.mark.parametrize(
    ("field", "value"), [("hours_per_week", "81"), ("banenafspraak_sector", "gemeente")]
)
def test_bad_placement_facts_are_structured_errors(consulent_client, resident, field, value):
    instrument = factories.InstrumentFactory()
    payload = {"resident": resident.pk, "instrument": instrument.pk, "started_on": "2026-01-06"}
    response = consulent_client.post(BASE, {**payload, field: value}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field
    assert not Trajectory.objects.exists()


def test_hours_corrected_through_the_api(consulent_client, resident, consulent):
    t = factories.TrajectoryFactory(resident=resident, created_by=consulent)
    url = f"{BASE}{t.pk}/"
    etag = consulent_client.get(url)["ETag"]
    body = {"reason": "Uren vergeten", "changes": {"hours_per_week": "32"}}
    r = consulent_client.post(f"{url}correct/", body, format="json", HTTP_IF_MATCH=etag)
    assert r.status_code == 200, r.content
    assert r.json()["hours_per_week"] == "32.0"
    c = Correction.objects.get(fact_type="traject", fact_id=t.pk)
    assert c.before["hours_per_week"] is None and c.changed_fields == ["hours_per_week"]
