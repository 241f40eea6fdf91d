"""Issue 14, "register and look up": a consulent finds a resident by postcode and house number,
within the team's scope; the address travels in a POST body, never in a URL."""

import pytest
from django.urls import reverse

from privacy.models import ProcessingRecord
from tests import factories

pytestmark = pytest.mark.django_db
URL = reverse("caseload:worklist")


def _household(team, *, postcode="3511 AB", house_number="12"):
    return factories.HouseholdFactory(
        municipality=team.municipality, postcode=postcode, house_number=house_number
    )


def _resident(team, household, **kw):
    return factories.ResidentFactory(
        team=team, household=household, household__municipality=team.municipality, **kw
    )


def _search(client, postcode, house_number, **kw):
    return client.post(URL, {"adres-postcode": postcode, "adres-house_number": house_number}, **kw)


@pytest.fixture
def client_c(client, consulent):
    client.force_login(consulent)
    return client


def test_one_resident_at_the_address_opens_the_dossier(client_c, team):
    resident = _resident(team, _household(team, house_number="12a"), last_name="Adreszoek")
    _resident(team, _household(team, house_number="14"))
    response = _search(client_c, "3511ab", "12 A", follow=True)
    assert response.redirect_chain[-1][0] == reverse("caseload:dossier", args=[resident.pk])
    for url, _status in response.redirect_chain:
        assert "3511" not in url  # the address is not in a URL
    record = ProcessingRecord.objects.filter(object_type="resident_list").latest("pk")
    assert len(record.subjects) == 1  # the search names the resident found


def test_a_household_at_the_address_is_listed(client_c, team):
    """A bare house number finds every addition; a couple's household is shown as a list."""
    household = _household(team, postcode="3511AB", house_number="12-2")
    applicant = _resident(team, household, last_name="Aanvraagster", household_role="aanvrager")
    partner = _resident(team, household, last_name="Partnerman", household_role="partner")
    response = _search(client_c, "3511 AB", "12")
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 inwoners op dit adres" in html
    for r in (applicant, partner):
        assert reverse("caseload:dossier", args=[r.pk]) in html
    assert "Partner" in html


def test_outside_the_team_is_not_found(client_c, team):
    other_team = factories.TeamFactory()
    _resident(other_team, _household(other_team), last_name="Elderszen")
    response = _search(client_c, "3511 AB", "12")
    assert response.status_code == 422
    html = response.content.decode()
    assert "Geen inwoner van uw team op dit adres." in html and "Elderszen" not in html
    assert 'id="id_adres-house_number_error"' in html


def test_an_addition_finds_only_that_address(client_c, team):
    _resident(team, _household(team, house_number="12"))
    response = _search(client_c, "3511 AB", "12b")
    assert response.status_code == 422


@pytest.mark.parametrize(
    ("postcode", "number", "message"),
    [
        ("35 AB", "12", "Vul een postcode in als 1234 AB."),
        ("3511 AB", "twaalf", "Vul een huisnummer in, zoals 12 of 12a."),
        ("", "", "Dit veld is vereist."),
    ],
)
def test_bad_input_is_said_at_the_field_and_kept(client_c, postcode, number, message):
    response = _search(client_c, postcode, number)
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html
    if postcode:
        assert f'value="{postcode}"' in html


def test_roles_without_dossiers_cannot_search(client):
    client.force_login(factories.UserFactory(role="manager", team=None))
    assert _search(client, "3511 AB", "12").status_code == 403
