"""The BRP simulator's people live in the four demo municipalities, and a consulent registers
only the residents of their own municipality (outside tester's walk, 3 December: a new
Hilversum resident got "Wijk —"; a Hilversum address went into Groningen's caseload without a
word)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from caseload.demo.parameters import PROFILES
from caseload.models import Application, Household, HouseholdType, Resident
from common import clock
from common.exceptions import DomainError
from privacy.models import ProcessingRecord
from registers import services
from registers.brp import simulator
from registers.brp.client import BrpClient, BrpMunicipality
from tests import factories

pytestmark = pytest.mark.django_db

START = reverse("registers:start")
REGISTER = reverse("registers:register")
ELSEWHERE = "een aanvraag hoort bij de gemeente waar iemand woont (art. 40 Participatiewet)"

#: the tester's BSNs: a Hilversum resident (Phileinehof 143A) and the one that went into
#: Groningen's caseload (now a Groningen resident of the simulator)
HILVERSUM_BSN = "958813991"
GRONINGEN_BSN = "972940558"


def _district_digits(profile) -> set[str]:
    return {
        str(digits) for _name, _code, numbers, _weight in profile.districts for digits in numbers
    }


def _municipality(profile):
    return factories.MunicipalityFactory(cbs_code=profile.cbs_code, name=profile.name)


def _consulent_client(client, profile):
    team = factories.TeamFactory(municipality=_municipality(profile))
    consulent = factories.UserFactory(team=team)
    client.force_login(consulent)
    return consulent


# --- the simulator --------------------------------------------------------------------------


def test_generated_addresses_lie_in_a_district_of_their_demo_municipality():
    population = simulator.generated_population()
    by_code = {profile.cbs_code.removeprefix("GM"): profile for profile in PROFILES}
    for bsn, person in population.items():
        gemeente = person["gemeenteVanInschrijving"]
        profile = by_code[gemeente["code"]]
        adres = person["verblijfplaats"]["verblijfadres"]
        assert gemeente["omschrijving"] == profile.city, bsn
        assert adres["woonplaats"] == profile.city, bsn
        assert adres["postcode"][:4] in _district_digits(profile), bsn
        assert adres["postcode"][4:].isalpha() and len(adres["postcode"]) == 6


def test_every_demo_municipality_has_generated_applicants_to_try():
    applicants = simulator.unknown_applicants()
    per_municipality = {p.cbs_code: simulator.unknown_applicants(p.cbs_code) for p in PROFILES}
    assert all(len(bsns) >= 8 for bsns in per_municipality.values()), per_municipality
    assert sorted(b for bsns in per_municipality.values() for b in bsns) == sorted(applicants)
    # deterministic per BSN: the tester's BSNs keep their person, now in a demo municipality
    assert HILVERSUM_BSN in per_municipality["GM0402"]
    assert GRONINGEN_BSN in per_municipality["GM0014"]
    hilversum = simulator.generated_population()[HILVERSUM_BSN]["verblijfplaats"]
    assert hilversum["verblijfadres"]["officieleStraatnaam"] == "Phileinehof"
    assert simulator.municipality_of(GRONINGEN_BSN).city == "Groningen"


def test_the_client_reads_the_municipality_of_registration(brp_server):
    person = BrpClient().person(bsn=GRONINGEN_BSN)
    assert person.gemeente_van_inschrijving == BrpMunicipality(
        code="0014", omschrijving="Groningen"
    )
    assert person.gemeente_van_inschrijving.cbs_code == "GM0014"
    assert person.adres is not None and person.adres.woonplaats == "Groningen"


def test_brp_simulator_list_prints_the_municipality_of_each_bsn():
    out = io.StringIO()
    call_command("brp_simulator", "--list", stdout=out)
    lines = out.getvalue().splitlines()
    by_bsn = {line.split()[0]: line for line in lines}
    assert "Hilversum (GM0402)" in by_bsn[HILVERSUM_BSN]
    assert "Groningen (GM0014)" in by_bsn[GRONINGEN_BSN]
    for profile in PROFILES:
        for bsn in simulator.unknown_applicants(profile.cbs_code):
            assert f"{profile.city} ({profile.cbs_code})" in by_bsn[bsn]
    for bsn, outcome in simulator.ERROR_BSNS.items():
        assert by_bsn[bsn].endswith(f"antwoordt: {outcome}")


# --- the registration ----------------------------------------------------------------------


def test_a_person_registered_in_another_municipality_is_refused_and_nothing_is_created(
    client, brp_server
):
    """consulent.groningen and a Hilversum resident: the Dutch message names the municipality
    and the rule; no resident, household or application; no way on to the registration."""
    _consulent_client(client, PROFILES[1])  # Groningen
    response = client.post(START, {"bsn": HILVERSUM_BSN})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Deze persoon staat in de BRP ingeschreven in Hilversum" in html
    assert ELSEWHERE in html
    assert not Resident.objects.exists()
    assert not Household.objects.exists() and not Application.objects.exists()
    consultation = ProcessingRecord.objects.get(object_type="brp_persoon")
    assert "andere gemeente" in consultation.reason
    # the registration step has nothing to register: back to the BSN
    response = client.get(REGISTER)
    assert response.status_code == 302 and response["Location"] == START
    response = client.post(
        REGISTER,
        {
            "household_type": HouseholdType.SINGLE,
            "children_count": "0",
            "received_on": clock.today().isoformat(),
            "regime": "pw",
        },
    )
    assert response.status_code == 302
    assert not Resident.objects.exists()


def test_the_service_refuses_a_person_of_another_municipality_too(consulent):
    """The rule behind the page: a registration from a BRP answer of another municipality."""
    with pytest.raises(DomainError) as exc:
        services.new_application_register(
            team=consulent.team,
            consulent=consulent,
            applicant=services.PersonDetails(
                bsn=GRONINGEN_BSN,
                first_name="Anouk",
                name_prefix="",
                last_name="Elders",
                birth_date=dt.date(1990, 4, 1),
            ),
            partner=None,
            address=services.AddressDetails(
                street="Liekestraat",
                house_number="119A",
                postcode="9742 OH",
                city="Groningen",
                registered_in="GM0014",
                registered_in_name="Groningen",
            ),
            household_type=HouseholdType.SINGLE,
            children_count=0,
            received_on=clock.today(),
            regime="pw",
            source="brp",
            is_fake=True,
        )
    assert exc.value.code == "other_municipality"
    assert "ingeschreven in Groningen" in exc.value.message and ELSEWHERE in exc.value.message
    assert not Resident.objects.exists() and not Household.objects.exists()


def test_a_resident_of_the_own_municipality_is_registered_in_their_demo_district(
    client, brp_server
):
    """consulent (Hilversum) and BSN 958813991 (Phileinehof 143A, 1223 TT): with the demo's
    districts and their households in place, the new household lands in Kerkelanden."""
    hilversum = PROFILES[0]
    consulent = _consulent_client(client, hilversum)
    municipality = consulent.team.municipality
    for name, _code, numbers, _weight in hilversum.districts:
        district = factories.DistrictFactory(municipality=municipality, name=name)
        for digits in numbers:
            factories.HouseholdFactory(
                municipality=municipality, postcode=f"{digits} AA", district=district
            )
    person = simulator.generated_population()[HILVERSUM_BSN]
    response = client.post(START, {"bsn": HILVERSUM_BSN}, follow=True)
    assert response.request["PATH_INFO"] == REGISTER
    assert "ingeschreven in" not in response.content.decode()
    client.post(
        REGISTER,
        {
            "household_type": HouseholdType.COUPLE
            if person.get("partners")
            else (HouseholdType.SINGLE_PARENT if person.get("kinderen") else HouseholdType.SINGLE),
            "children_count": len(person.get("kinderen", [])),
            "register_partner": "on",
            "received_on": clock.today().isoformat(),
            "regime": "pw",
        },
    )
    household = Resident.objects.get(bsn=HILVERSUM_BSN).household
    assert (household.city, household.postcode) == ("Hilversum", "1223 TT")
    assert household.district is not None and household.district.name == "Kerkelanden"


@pytest.mark.parametrize(
    ("registered_in", "name"), [("", ""), ("GM0402", "Hilversum"), ("GM0014", "")]
)
def test_residence_problem(registered_in, name):
    municipality = factories.MunicipalityFactory(cbs_code="GM0402", name="Hilversum (demo)")
    problem = services.residence_problem(
        municipality=municipality, registered_in=registered_in, registered_in_name=name
    )
    if registered_in in ("", "GM0402"):  # not told (by hand), or this municipality
        assert problem is None
    else:
        assert problem is not None and "gemeentecode 0014" in problem.message
