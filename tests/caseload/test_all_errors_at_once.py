"""Forms report every error at once (outside tester's walk, finding 1): the outflow form with
reason werk and neither hours nor contract, and closing a trajectory without a result and with an
end date before its start, named every problem on the first submit, not one per submit. The
services keep checking the same rules (the API's guard) and still refuse with the first one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from caseload import services
from common import clock
from common.exceptions import DomainError
from tests import factories

pytestmark = pytest.mark.django_db

HOURS = "Vul het aantal uren per week in (meer dan 0, hoogstens 80)."
CONTRACT = "Kies het soort contract."
BEFORE_START = "De einddatum ligt voor de startdatum."


@pytest.fixture
def client_c(client, consulent):
    client.force_login(consulent)
    return client


def test_outflow_to_work_names_hours_and_contract_together(client_c, resident, open_benefit):
    url = reverse("caseload:outflow_record", args=[resident.pk])
    r = client_c.post(
        url,
        {
            "kind": "volledig",
            "reason": "werk",
            "occurred_on": clock.today().isoformat(),
            "hours_per_week": "",
            "employer": "Bakkerij De Korf",
            "contract_type": "",
        },
    )
    assert r.status_code == 422
    html = r.content.decode()
    assert HOURS in html and CONTRACT in html
    assert "id_hours_per_week_error" in html
    assert "id_contract_type_error" in html
    assert 'value="Bakkerij De Korf"' in html  # what was typed comes back
    assert not resident.outflows.exists()


def test_outflow_form_does_not_repeat_a_field_error(client_c, resident, open_benefit):
    """A field with its own error (hours that are not a number) gets no second message."""
    url = reverse("caseload:outflow_record", args=[resident.pk])
    r = client_c.post(
        url,
        {
            "kind": "volledig",
            "reason": "werk",
            "occurred_on": clock.today().isoformat(),
            "hours_per_week": "veel",
            "contract_type": "",
        },
    )
    html = r.content.decode()
    assert r.status_code == 422
    assert "Vul een getal in" in html and HOURS not in html and CONTRACT in html


def test_outflow_service_still_refuses_with_the_first_problem(resident, open_benefit, consulent):
    """The API's behaviour is unchanged: one error, the first rule broken."""
    with pytest.raises(DomainError) as exc:
        services.outflow_record(
            resident=resident,
            kind="volledig",
            reason="werk",
            occurred_on=clock.today(),
            by=consulent,
        )
    assert (exc.value.code, exc.value.field) == ("hours", "hours_per_week")
    with pytest.raises(DomainError) as exc:
        services.outflow_record(
            resident=resident,
            kind="volledig",
            reason="werk",
            occurred_on=clock.today(),
            hours_per_week=20,
            by=consulent,
        )
    assert (exc.value.code, exc.value.field) == ("contract_type", "contract_type")


def test_trajectory_close_names_result_and_end_date_together(client_c, resident, consulent):
    started = clock.today() - dt.timedelta(days=30)
    t = factories.TrajectoryFactory(resident=resident, created_by=consulent, started_on=started)
    url = reverse("caseload:trajectory_close", args=[resident.pk, t.pk])
    ended = started - dt.timedelta(days=5)
    r = client_c.post(url, {"ended_on": ended.isoformat(), "result": ""})
    assert r.status_code == 422
    html = r.content.decode()
    assert "id_result_error" in html and "id_ended_on_error" in html
    assert BEFORE_START in html
    assert f'value="{ended.isoformat()}"' in html
    t.refresh_from_db()
    assert t.ended_on is None


def test_trajectory_close_end_date_alone_still_refused(client_c, resident, consulent):
    started = clock.today() - dt.timedelta(days=30)
    t = factories.TrajectoryFactory(resident=resident, created_by=consulent, started_on=started)
    url = reverse("caseload:trajectory_close", args=[resident.pk, t.pk])
    future = clock.today() + dt.timedelta(days=3)
    r = client_c.post(url, {"ended_on": future.isoformat(), "result": "afgerond"})
    assert r.status_code == 422
    assert "De einddatum mag niet in de toekomst liggen." in r.content.decode()
    with pytest.raises(DomainError) as exc:  # the service: the result first, as before
        services.trajectory_close(
            trajectory=t, on=started - dt.timedelta(days=1), result="", by=consulent
        )
    assert exc.value.field == "result"
