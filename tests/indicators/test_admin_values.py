"""Beheer's admin forms for targets and manual values refuse impossible figures at the field
(the walk of 4 December: a target of -1 or 250 % answered 500; a year of 1890 showed the raw
constraint; manual values of 150 % and -7 % and a source dated in 2030 were stored and shown on
the dashboards; the saved value was called "ManualValue object (1)")."""

import datetime as dt

import pytest
from django.urls import reverse

from common import clock
from indicators.models import ManualValue, Target
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def beheer_client(client):
    from django.contrib.auth.models import Permission

    municipality = factories.MunicipalityFactory()
    beheer = factories.UserFactory(beheer=True, municipality=municipality)
    # the admin checks the model permissions; the factory's user gets them here
    beheer.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="indicators",
            codename__in=[
                f"{verb}_{model}"
                for verb in ("add", "change", "view")
                for model in ("target", "manualvalue")
            ],
        )
    )
    client.force_login(beheer)
    client.municipality = municipality
    return client


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        ({"target": "-1"}, "target", "Een waarde kan niet negatief zijn."),
        ({"baseline": "-1"}, "baseline", "Een waarde kan niet negatief zijn."),
        ({"target": "250"}, "target", "Een percentage ligt tussen 0 en 100."),
        ({"year": "1890"}, "year", "2000"),
    ],
)
def test_target_admin_refuses_at_the_field(beheer_client, typed, field, message):
    data = {
        "municipality": beheer_client.municipality.pk,
        "year": "2026",
        "code": "contact.in_beeld",
        "baseline": "",
        "target": "80",
        "note": "",
        **typed,
    }
    response = beheer_client.post(reverse("admin:indicators_target_add"), data)
    assert response.status_code == 200  # the form again, not a 500
    errors = response.context["adminform"].form.errors
    assert field in errors and message in " ".join(errors[field])
    assert not Target.objects.exists()


def _manual(client, **typed):
    data = {
        "municipality": client.municipality.pk,
        "code": "bbv.werkloze_jongeren",
        "year": "2025",
        "value": "1.73",
        "source": "Kinderen in Tel",
        "source_date": "2026-03-01",
        **typed,
    }
    return client.post(reverse("admin:indicators_manualvalue_add"), data)


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        ({"value": "150"}, "value", "Een percentage ligt tussen 0 en 100."),
        ({"value": "-7"}, "value", "Een waarde kan niet negatief zijn."),
        (
            {"source_date": (clock.today() + dt.timedelta(days=30)).isoformat()},
            "source_date",
            "De datum van de bron ligt na vandaag.",
        ),
    ],
)
def test_manual_value_admin_refuses_at_the_field(beheer_client, typed, field, message):
    response = _manual(beheer_client, **typed)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert message in " ".join(errors[field])
    assert not ManualValue.objects.exists()


def test_a_saved_manual_value_is_named_by_indicator_and_year(beheer_client):
    response = _manual(beheer_client)
    assert response.status_code == 302, response.context["adminform"].form.errors
    value = ManualValue.objects.get()
    assert str(value) == "bbv.werkloze_jongeren 2025"
    page = beheer_client.get(response["Location"]).content.decode()
    assert "ManualValue object" not in page
