"""The re-review of the night of 3 December (docs/security.md, section 14, rows 7-9): a BRP
look-up names every person it shows, and the officer's search of a person's records names them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from privacy.models import ProcessingRecord
from privacy.pseudonym import person_pseudonym
from registers.brp import simulator
from tests import factories

pytestmark = pytest.mark.django_db

START = reverse("registers:start")


def _unknown_with_partner() -> dict:
    population = simulator.generated_population()
    for bsn in simulator.unknown_applicants("GM0402"):
        person = population[bsn]
        if person.get("partners") and person["partners"][0].get("burgerservicenummer"):
            return person
    raise AssertionError("the simulator has an unknown applicant with a partner")


def test_a_brp_look_up_names_the_partner_it_shows_and_the_officer_finds_it(
    client, consulent, brp_server
):
    """Step 1 shows the BRP's partner (name, birth date) and keeps the partner's BSN for step
    2: the look-up now names the partner too, so the privacy officer's search by the partner's
    BSN finds it after an abandoned registration, and that search names the person."""
    municipality = consulent.team.municipality
    municipality.cbs_code, municipality.name = "GM0402", "Hilversum (demo)"
    municipality.save()
    person = _unknown_with_partner()
    partner = person["partners"][0]["burgerservicenummer"]
    client.force_login(consulent)
    client.post(START, {"bsn": person["burgerservicenummer"]})
    (lookup,) = ProcessingRecord.objects.filter(object_type="brp_persoon")
    assert person_pseudonym(person["burgerservicenummer"]) in lookup.subjects
    assert person_pseudonym(partner) in lookup.subjects
    officer = Client()
    officer.force_login(factories.UserFactory(privacy=True))
    found = officer.post(reverse("privacy:log_search"), {"inwoner-bsn": partner})
    assert found.status_code == 200 and "geen inwoner is" in found.content.decode()
    search = ProcessingRecord.objects.filter(object_type="processing_log_search").latest("id")
    assert search.subjects == [person_pseudonym(partner)]
