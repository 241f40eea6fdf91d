"""The new-application flow with the Django test client; the BRP is the simulator over real HTTP
(issue 14, "Register and look up")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from caseload.models import Application, HouseholdType, Resident, ResidentSource
from common import clock
from privacy.models import ProcessingRecord, Purpose
from registers.brp import simulator
from tests import factories

pytestmark = pytest.mark.django_db

START = reverse("registers:start")
REGISTER = reverse("registers:register")


@pytest.fixture
def hilversum(consulent):
    """The consulent's municipality as Hilversum (GM0402): the municipality the simulator
    registers a quarter of its generated people in (a BRP-found registration is theirs)."""
    municipality = consulent.team.municipality
    municipality.cbs_code, municipality.name = "GM0402", "Hilversum (demo)"
    municipality.save()
    return municipality


@pytest.fixture
def consulent_client(client, consulent):
    client.force_login(consulent)
    return client


def _unknown(*, with_partner: bool, cbs_code: str = "GM0402") -> dict:
    population = simulator.generated_population()
    for bsn in simulator.unknown_applicants(cbs_code):
        person = population[bsn]
        if bool(person.get("partners")) == with_partner:
            return person
    raise AssertionError


def _assert_no_bsn_in_urls(response, bsn: str) -> None:
    for url, _status in response.redirect_chain:
        assert bsn not in url
    assert bsn not in response.request["PATH_INFO"]
    assert bsn not in response.request.get("QUERY_STRING", "")


def test_bsn_failing_the_11_test_says_ongeldig_and_keeps_the_input(consulent_client):
    response = consulent_client.post(START, {"bsn": "123456789"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Ongeldig BSN" in html
    assert "Niet gevonden" not in html
    assert 'value="123456789"' in html
    assert 'aria-invalid="true"' in html


def test_not_nine_digits_is_a_format_error(consulent_client):
    response = consulent_client.post(START, {"bsn": "12345"})
    assert response.status_code == 422
    assert "Vul 9 cijfers in." in response.content.decode()


def test_known_resident_in_scope_goes_to_the_dossier(consulent_client, resident, brp_server):
    response = consulent_client.post(START, {"bsn": resident.bsn})
    assert response.status_code == 302
    assert response["Location"] == reverse("caseload:dossier", args=[resident.pk])
    assert Resident.objects.count() == 1


@pytest.mark.parametrize("where", ["other_team", "other_municipality"])
def test_resident_outside_scope_cannot_be_registered_and_does_not_leak(
    consulent_client, consulent, brp_server, where
):
    if where == "other_team":
        team = factories.TeamFactory(municipality=consulent.team.municipality)
    else:
        # a municipality of its own (MunicipalityFactory reuses GM9999 by its code)
        elsewhere = factories.MunicipalityFactory(cbs_code="GM9998", name="Elders")
        team = factories.TeamFactory(municipality=elsewhere, name="Team elders")
    assert (team.municipality_id == consulent.team.municipality_id) == (where == "other_team")
    other = factories.ResidentFactory(
        team=team, household__municipality=team.municipality, last_name="Geheimnaam"
    )
    residents = Resident.objects.count()
    response = consulent_client.post(START, {"bsn": other.bsn}, follow=True)
    html = response.content.decode()
    assert "Geheimnaam" not in html and team.name not in html
    assert Resident.objects.count() == residents
    if where == "other_team":
        assert response.status_code == 422
        assert "kan hier niet worden geregistreerd" in html
        check = ProcessingRecord.objects.filter(purpose=Purpose.REGISTRATION_CHECK).get()
        assert check.action == "search"
        assert len(check.subjects) == 1
        assert not ProcessingRecord.objects.filter(object_type="brp_persoon").exists()


def test_unknown_bsn_found_in_brp_registers_resident_household_and_application(
    consulent_client, consulent, hilversum, brp_server
):
    person = _unknown(with_partner=True)
    bsn = person["burgerservicenummer"]
    response = consulent_client.post(START, {"bsn": bsn}, follow=True)
    _assert_no_bsn_in_urls(response, bsn)
    html = response.content.decode()
    assert response.request["PATH_INFO"] == REGISTER
    assert "Gevonden in de BRP" in html
    assert person["naam"]["geslachtsnaam"] in html
    partner = person["partners"][0]
    assert partner["naam"]["geslachtsnaam"] in html  # the household for confirmation
    born = dt.date.fromisoformat(partner["geboorte"]["datum"]["datum"])
    assert f"geboren {born.day}-{born.month}-{born.year}" in html  # one date format
    consultation = ProcessingRecord.objects.get(object_type="brp_persoon")
    assert consultation.purpose == Purpose.SERVICE and "gevonden" in consultation.reason

    received = clock.today() - dt.timedelta(days=2)
    response = consulent_client.post(
        REGISTER,
        {
            # the BRP's details are locked: what the browser sends for them is ignored
            "first_name": "Vervalst",
            "household_type": HouseholdType.COUPLE,
            "children_count": len(person.get("kinderen", [])),
            "register_partner": "on",
            "received_on": received.isoformat(),
            "regime": "ioaw",
        },
        follow=True,
    )
    _assert_no_bsn_in_urls(response, bsn)
    applicant = Resident.objects.get(bsn=bsn)
    assert response.request["PATH_INFO"] == reverse("caseload:dossier", args=[applicant.pk])
    assert applicant.first_name == person["naam"]["voornamen"]
    assert applicant.last_name == person["naam"]["geslachtsnaam"]
    assert applicant.birth_date.isoformat() == person["geboorte"]["datum"]["datum"]
    assert applicant.source == ResidentSource.BRP
    assert applicant.team == consulent.team and applicant.consulent == consulent
    household = applicant.household
    adres = person["verblijfplaats"]["verblijfadres"]
    assert household.street == adres["officieleStraatnaam"]
    assert household.postcode.replace(" ", "") == adres["postcode"]
    assert household.household_type == HouseholdType.COUPLE
    members = {m.bsn: m for m in household.members.all()}
    assert set(members) == {bsn, partner["burgerservicenummer"]}
    assert members[partner["burgerservicenummer"]].household_role == "partner"
    application = Application.objects.get(resident=applicant)
    assert (application.received_on, application.regime) == (received, "ioaw")
    assert "Uit BRP" in response.content.decode()
    created = ProcessingRecord.objects.get(action="create")
    assert len(created.subjects) == 2


def test_not_found_in_brp_is_distinct_and_offers_hand_registration(consulent_client, brp_server):
    response = consulent_client.post(START, {"bsn": "999900055"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Niet gevonden" in html and "Ongeldig BSN" not in html
    assert REGISTER in html
    page = consulent_client.get(REGISTER)
    assert "Niet gevonden in de BRP" in page.content.decode()


@pytest.mark.parametrize("bsn", ["999900018", "999900006", "999900031"])
def test_brp_unavailable_or_slow_then_register_by_hand_and_dossier_says_niet_uit_brp(
    consulent_client, brp_server, settings, bsn
):
    settings.BRP_TIMEOUT = 0.5  # the simulator's timeout BSN waits 3 s
    response = consulent_client.post(START, {"bsn": bsn}, follow=True)
    _assert_no_bsn_in_urls(response, bsn)
    html = response.content.decode()
    assert response.request["PATH_INFO"] == REGISTER
    assert "De BRP is nu niet bereikbaar" in html
    assert f'value="{bsn}"' in html  # the form comes with the BSN
    assert ProcessingRecord.objects.get(object_type="brp_persoon").reason.endswith(
        "niet bereikbaar"
    )
    data = {
        "first_name": "Anouk",
        "name_prefix": "de",
        "last_name": "Handwerk",
        "birth_date": "1990-04-01",
        "street": "Stationsstraat",
        "house_number": "3a",
        "postcode": "1211ab",
        "city": "Hilversum",
        "household_type": HouseholdType.SINGLE,
        "children_count": "0",
        "received_on": clock.today().isoformat(),
        "regime": "pw",
    }
    response = consulent_client.post(REGISTER, data, follow=True)
    resident = Resident.objects.get(bsn=bsn)
    assert resident.source == ResidentSource.MANUAL
    assert resident.household.postcode == "1211 AB"
    assert "Niet uit BRP" in response.content.decode()


def test_register_bad_input_keeps_what_was_typed(consulent_client, brp_server):
    consulent_client.post(START, {"bsn": "999900018"})
    future = (clock.today() + dt.timedelta(days=3)).isoformat()
    response = consulent_client.post(
        REGISTER,
        {
            "first_name": "Getypt",
            "last_name": "Achternaam",
            "birth_date": "1990-04-01",
            "street": "Getypte straat",
            "house_number": "7",
            "postcode": "12AB",
            "city": "Hilversum",
            "household_type": HouseholdType.SINGLE,
            "children_count": "0",
            "received_on": future,
            "regime": "pw",
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    for typed in ("Getypt", "Getypte straat", "12AB", future):
        assert f'value="{typed}"' in html
    assert "Vul een postcode in als 1234 AB." in html
    assert "mag niet in de toekomst liggen" in html
    assert not Resident.objects.exists()


def test_register_without_a_lookup_goes_back_to_the_bsn(consulent_client):
    response = consulent_client.get(REGISTER)
    assert response.status_code == 302 and response["Location"] == START


@pytest.mark.parametrize("trait", ["manager", "finance", "beheer", "privacy"])
def test_roles_without_dossier_work_are_refused(client, trait):
    client.force_login(factories.UserFactory(**{trait: True}))
    assert client.get(START).status_code == 403
    assert client.post(START, {"bsn": "999900018"}).status_code == 403


def test_anonymous_goes_to_login(client):
    response = client.get(START)
    assert response.status_code == 302 and "/inloggen/" in response["Location"]


def test_navigation_offers_nieuwe_aanvraag(consulent_client):
    assert START in consulent_client.get(reverse("caseload:worklist")).content.decode()


def _by_hand(**extra) -> dict:
    data = {
        "first_name": "Anouk",
        "name_prefix": "",
        "last_name": "Handwerk",
        "birth_date": "1990-04-01",
        "street": "Stationsstraat",
        "house_number": "3a",
        "postcode": "1211ab",
        "city": "Hilversum",
        "household_type": HouseholdType.COUPLE,
        "children_count": "1",
        "received_on": clock.today().isoformat(),
        "regime": "pw",
    }
    data.update(extra)
    return data


PARTNER_BSN = "111222333"  # passes the 11-test


def test_by_hand_registers_a_couple_with_the_partner(consulent_client, brp_server):
    """Issue 14: when the BRP does not know the person (or is down), the consulent registers a
    couple by hand, the partner (BSN, names, birth date) included, like from a BRP answer."""
    consulent_client.post(START, {"bsn": "999900055"})  # not found in the BRP
    page = consulent_client.get(REGISTER).content.decode()
    assert 'id="id_partner_bsn"' in page and "Geboortedatum partner" in page
    response = consulent_client.post(
        REGISTER,
        _by_hand(
            partner_bsn="111 222 333",
            partner_first_name="Bram",
            partner_name_prefix="van",
            partner_last_name="Handwerk",
            partner_birth_date="1988-11-30",
        ),
        follow=True,
    )
    _assert_no_bsn_in_urls(response, PARTNER_BSN)
    applicant = Resident.objects.get(bsn="999900055")
    partner = Resident.objects.get(bsn=PARTNER_BSN)
    assert partner.household_id == applicant.household_id
    assert partner.household_role == "partner" and applicant.household_role == "aanvrager"
    assert (partner.first_name, partner.name_prefix, partner.last_name) == (
        "Bram",
        "van",
        "Handwerk",
    )
    assert partner.birth_date == dt.date(1988, 11, 30)
    assert partner.source == ResidentSource.MANUAL == applicant.source
    assert applicant.household.household_type == HouseholdType.COUPLE
    assert len(ProcessingRecord.objects.get(action="create").subjects) == 2


def test_by_hand_without_partner_registers_one_resident(consulent_client, brp_server):
    consulent_client.post(START, {"bsn": "999900055"})
    # no children: "Alleenstaand" with a child is refused now (a single parent, finding 2)
    consulent_client.post(
        REGISTER, _by_hand(household_type=HouseholdType.SINGLE, children_count="0")
    )
    assert Resident.objects.count() == 1


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"partner_bsn": "111222334"}, "partner_bsn", "Ongeldig BSN"),
        ({"partner_bsn": "999900055"}, "partner_bsn", "hetzelfde als dat van de aanvrager"),
        ({"partner_first_name": "Bram"}, "partner_bsn", "Verplicht als u een partner invult"),
        ({"partner_birth_date": "2999-01-01"}, "partner_birth_date", "in het verleden"),
    ],
)
def test_by_hand_partner_errors_keep_what_was_typed(
    consulent_client, brp_server, extra, field, message
):
    consulent_client.post(START, {"bsn": "999900055"})
    data = _by_hand(
        partner_bsn=PARTNER_BSN,
        partner_first_name="Bram",
        partner_last_name="Handwerk",
        partner_birth_date="1988-11-30",
    )
    if "partner_bsn" not in extra and field == "partner_bsn":
        data["partner_bsn"] = ""
    data.update(extra)
    response = consulent_client.post(REGISTER, data)
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html
    assert f'id="id_{field}_error"' in html
    assert 'value="Bram"' in html  # what was typed stays
    assert not Resident.objects.exists()


def test_by_hand_partner_needs_a_couple_household(consulent_client, brp_server):
    consulent_client.post(START, {"bsn": "999900055"})
    data = _by_hand(
        household_type=HouseholdType.SINGLE,
        partner_bsn=PARTNER_BSN,
        partner_first_name="Bram",
        partner_last_name="Handwerk",
        partner_birth_date="1988-11-30",
    )
    response = consulent_client.post(REGISTER, data)
    assert response.status_code == 422
    assert "Met een partner is de leefvorm" in response.content.decode()
    assert not Resident.objects.exists()


def test_by_hand_partner_already_registered_is_refused_and_logged(
    consulent_client, consulent, brp_server
):
    """The partner's BSN is checked like the applicant's: refused at the partner's BSN, nothing
    registered, and the check is in the processing log (a BSN search)."""
    other = factories.ResidentFactory(bsn=PARTNER_BSN)
    consulent_client.post(START, {"bsn": "999900055"})
    data = _by_hand(
        partner_bsn=PARTNER_BSN,
        partner_first_name="Bram",
        partner_last_name="Handwerk",
        partner_birth_date="1988-11-30",
    )
    response = consulent_client.post(REGISTER, data)
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_partner_bsn_error"' in html and "al als inwoner geregistreerd" in html
    assert Resident.objects.count() == 1  # only the other one
    check = ProcessingRecord.objects.get(purpose=Purpose.REGISTRATION_CHECK)
    assert len(check.subjects) == 1 and other.pk
    assert PARTNER_BSN not in html.replace('value="111222333"', "")


def test_brp_found_form_has_no_partner_fields_to_type(consulent_client, hilversum, brp_server):
    person = _unknown(with_partner=True)
    consulent_client.post(START, {"bsn": person["burgerservicenummer"]})
    assert 'id="id_partner_bsn"' not in consulent_client.get(REGISTER).content.decode()


@pytest.mark.parametrize(
    ("household_type", "children", "field", "message"),
    [
        (HouseholdType.SINGLE, "2", "household_type", "is een alleenstaande ouder"),
        (HouseholdType.SINGLE_PARENT, "0", "children_count", "minstens één minderjarig kind"),
    ],
)
def test_household_type_must_fit_the_children(
    consulent_client, brp_server, household_type, children, field, message
):
    """Outside tester's walk, finding 2: "Alleenstaand" with two minor children was accepted.
    A single person with children is a single parent, and a single parent has a child."""
    consulent_client.post(START, {"bsn": "999900055"})
    response = consulent_client.post(
        REGISTER, _by_hand(household_type=household_type, children_count=children)
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html and f"id_{field}_error" in html
    assert 'value="Stationsstraat"' in html  # what was typed comes back
    assert not Resident.objects.exists()


def test_the_registration_service_refuses_an_inconsistent_household(consulent):
    """The guard behind the form: the service refuses it too, at the field."""
    from common.exceptions import DomainError
    from registers import services

    with pytest.raises(DomainError) as exc:
        services.new_application_register(
            team=consulent.team,
            consulent=consulent,
            applicant=services.PersonDetails(
                bsn="999900055",
                first_name="Anouk",
                name_prefix="",
                last_name="Handwerk",
                birth_date=dt.date(1990, 4, 1),
            ),
            partner=None,
            address=services.AddressDetails(
                street="Stationsstraat", house_number="3", postcode="1211 OH", city="Hilversum"
            ),
            household_type=HouseholdType.SINGLE,
            children_count=2,
            received_on=clock.today(),
            regime="pw",
            source="handmatig",
            is_fake=True,
        )
    assert exc.value.field == "household_type"
    assert not Resident.objects.exists()


def test_registration_places_the_household_in_the_district_of_its_postcode(
    consulent_client, consulent, brp_server
):
    """Outside tester's walk, finding 2: a Hilversum postcode (1211 OH) registered showed
    "Wijk —". The district follows from the four digits where the municipality's households
    place them in one district."""
    municipality = consulent.team.municipality
    centrum = factories.DistrictFactory(municipality=municipality, name="Centrum")
    noord = factories.DistrictFactory(municipality=municipality, name="Noord")
    factories.HouseholdFactory(municipality=municipality, postcode="1211 AB", district=centrum)
    factories.HouseholdFactory(municipality=municipality, postcode="1213 CD", district=noord)
    consulent_client.post(START, {"bsn": "999900055"})
    response = consulent_client.post(
        REGISTER,
        _by_hand(household_type=HouseholdType.SINGLE, children_count="0", postcode="1211 OH"),
        follow=True,
    )
    household = Resident.objects.get(bsn="999900055").household
    assert household.district == centrum
    assert "Centrum" in response.content.decode()


def test_registration_leaves_the_district_open_when_the_postcode_does_not_tell(
    consulent_client, consulent, brp_server
):
    """Digits split over two districts, or new ones: no guess, the district stays empty."""
    municipality = consulent.team.municipality
    for name in ("Centrum", "Noord"):
        district = factories.DistrictFactory(municipality=municipality, name=name)
        factories.HouseholdFactory(municipality=municipality, postcode="1211 AB", district=district)
    consulent_client.post(START, {"bsn": "999900055"})
    consulent_client.post(
        REGISTER,
        _by_hand(household_type=HouseholdType.SINGLE, children_count="0", postcode="1211 OH"),
    )
    assert Resident.objects.get(bsn="999900055").household.district is None


def test_a_new_start_drops_an_unfinished_registration_from_the_session(
    consulent_client, hilversum, brp_server
):
    """Security review of 3 December (MEDIUM): an abandoned registration kept its BSN and BRP
    answer in the session row until it was deleted, which nothing did; a new start drops it
    (and beat deletes expired sessions: tests/security/test_review_evening_3_december.py)."""
    person = _unknown(with_partner=False)
    consulent_client.post(START, {"bsn": person["burgerservicenummer"]})
    assert "registers.new_application" in consulent_client.session
    assert consulent_client.get(START).status_code == 200
    assert "registers.new_application" not in consulent_client.session


def test_a_melding_decades_ago_or_before_the_18th_birthday_is_refused(
    consulent_client, hilversum, brp_server, consulent
):
    """The walk of 3 December: a melding of 1 March 2001 for someone born in 1998 was
    accepted, granted from 2001, and rewrote 's-Hertogenbosch's figures of those years."""
    consulent_client.post(START, {"bsn": "999900055"})  # not found: by hand
    old = consulent_client.post(
        REGISTER, _by_hand(household_type=HouseholdType.SINGLE, received_on="2001-03-01")
    )
    assert old.status_code == 422
    assert "meer dan een jaar terug" in old.content.decode()
    assert not Resident.objects.exists()
    # the service refuses a melding before the 18th birthday whoever calls it (API, import)
    from caseload import services as cs
    from common.exceptions import DomainError

    resident = factories.ResidentFactory(
        team=consulent.team,
        household__municipality=consulent.team.municipality,
        birth_date=dt.date(2008, 5, 1),
    )
    with pytest.raises(DomainError) as refused:
        cs.application_register(resident=resident, received_on=dt.date(2026, 4, 30))
    assert refused.value.code == "received_before_18"
    assert cs.application_register(resident=resident, received_on=dt.date(2026, 5, 1)).pk


def test_a_returning_resident_gets_a_new_application_from_the_dossier(consulent_client, resident):
    """The walk of 3 December (M4): a resident whose benefit had ended could not apply again:
    the BSN led to the dossier, and the dossier offered no new application."""
    factories.BenefitFactory(
        applicant=resident,
        start_date=dt.date(2024, 1, 1),
        end_date=clock.today() - dt.timedelta(1),
        end_reason="11",
    )
    dossier = reverse("caseload:dossier", args=[resident.pk])
    new = reverse("registers:application_new", args=[resident.pk])
    assert new in consulent_client.get(dossier).content.decode()
    form = consulent_client.get(new)
    assert form.status_code == 200 and clock.today().isoformat() in form.content.decode()
    bad = consulent_client.post(new, {"received_on": "2001-03-01", "regime": "pw"})
    assert bad.status_code == 422 and "meer dan een jaar terug" in bad.content.decode()
    response = consulent_client.post(
        new, {"received_on": clock.today().isoformat(), "regime": "pw"}
    )
    assert response.status_code == 302 and response["Location"] == dossier
    application = Application.objects.get(resident=resident)
    assert application.outcome == Application.Outcome.PENDING
    page = consulent_client.get(dossier).content.decode()
    assert reverse("registers:application_decide", args=[resident.pk]) in page
    assert new not in page  # one application in behandeling at a time
    again = consulent_client.post(new, {"received_on": clock.today().isoformat(), "regime": "pw"})
    assert again.status_code == 422
    assert "al een aanvraag in deze regeling in behandeling" in again.content.decode()


def test_no_new_application_while_a_benefit_runs(consulent_client, resident):
    factories.BenefitFactory(applicant=resident, start_date=dt.date(2024, 1, 1))
    page = consulent_client.get(reverse("caseload:dossier", args=[resident.pk])).content.decode()
    assert reverse("registers:application_new", args=[resident.pk]) not in page


def test_no_new_application_beside_a_running_benefit_in_the_regeling(consulent_client, resident):
    """The second walk of 3 December: the URL of "Nieuwe aanvraag" registered one beside a
    running benefit, which no decision could then grant."""
    factories.BenefitFactory(applicant=resident, start_date=dt.date(2024, 1, 1))
    new = reverse("registers:application_new", args=[resident.pk])
    response = consulent_client.post(
        new, {"received_on": clock.today().isoformat(), "regime": "pw"}
    )
    assert response.status_code == 422
    assert "al een lopende uitkering in deze regeling" in response.content.decode()
    assert not Application.objects.filter(resident=resident).exists()


def test_the_new_application_form_reports_every_broken_rule_at_once(consulent_client, consulent):
    """A melding before the 18th birthday and a second application in behandeling in the same
    regeling come back on one submit (caseload.services.application_register_problems)."""
    young = factories.ResidentFactory(
        team=consulent.team,
        consulent=consulent,
        household__municipality=consulent.team.municipality,
        birth_date=clock.today() - dt.timedelta(days=16 * 366),
    )
    Application.objects.create(resident=young, received_on=clock.today(), regime="pw")
    response = consulent_client.post(
        reverse("registers:application_new", args=[young.pk]),
        {"received_on": clock.today().isoformat(), "regime": "pw"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "vóór de 18e verjaardag" in html
    assert "al een aanvraag in deze regeling in behandeling" in html
    assert Application.objects.filter(resident=young).count() == 1


@pytest.mark.parametrize(
    ("typed", "accepted"),
    [
        ("abc", False),
        ("0", False),
        ("12 3 4", False),
        ("12", True),
        ("3a", True),
        ("12A-2", True),
        ("12 bis", True),
    ],
)
def test_a_house_number_is_a_number_with_letter_and_addition(typed, accepted):
    """The walk of 4 December: "abc" was accepted as a house number in a registration by hand.
    Now the number comes first, with the huisletter and toevoeging as the BRP writes them."""
    from registers.forms import ApplicationRegisterForm

    form = ApplicationRegisterForm(data={"house_number": typed})
    form.is_valid()
    assert ("house_number" not in form.errors) is accepted, form.errors.get("house_number")
    if not accepted:
        assert form.errors["house_number"] == ["Vul een huisnummer in, zoals 12, 12a of 12a-2."]
