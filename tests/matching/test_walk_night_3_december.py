"""The new user's walk of 3 December (night): a consent dated 1-1-1900 was accepted (S4: no fact
about a resident before the resident's birth), and the placement form chose "volledige
uitstroom" and the first contract for the accountmanager (S2: both start empty)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from common.exceptions import DomainError
from matching import services as ms
from matching.forms import PlacementForm
from matching.models import Consent

pytestmark = pytest.mark.django_db


def test_a_consent_before_the_residents_birth_is_refused(region, client):
    resident = region.resident(consent=False)
    with pytest.raises(DomainError) as refused:
        ms.consent_give(resident=resident, by=region.consulent, given_on=dt.date(1900, 1, 1))
    assert (refused.value.code, refused.value.field) == ("before_birth", "given_on")
    client.force_login(region.consulent)
    r = client.post(
        reverse("matching:consent_give", args=[resident.pk]), {"given_on": "1900-01-01"}
    )
    assert r.status_code == 422
    assert "De datum van de toestemming ligt vóór de geboortedatum van de inwoner." in (
        r.content.decode()
    )
    assert not Consent.objects.filter(resident=resident).exists()
    # the day of birth itself is a possible date
    ms.consent_give(resident=resident, by=region.consulent, given_on=resident.birth_date)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("outflow_kind", "Kies volledige of gedeeltelijke uitstroom."),
        ("contract_type", "Kies het soort contract."),
    ],
)
def test_the_placement_form_chooses_no_outflow_kind_or_contract(name, message):
    assert PlacementForm.base_fields[name].choices[0][0] == ""
    form = PlacementForm({"start_date": "2026-11-22", "hours_per_week": "24"})
    assert not form.is_valid()
    assert form.errors[name] == [message]
