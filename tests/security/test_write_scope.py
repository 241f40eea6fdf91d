"""Issue 12, findings 3, 4, 5 and 12 (and the caseload part of 10): writes and the worklist
anchor stay inside the caller's scope.

Every write resolves each object it references (household, team, consulent, resident,
application, trajectory, plan, ...) against the caller's scoped querysets, so an object of
another team or municipality answers exactly like a nonexistent id: 400 "bestaat niet" in the
API, a form error or 404 in the UI. The API enforces the UI's permissions per field; the BSN
check on registration is a BSN search (rate limit, processing record, own municipality only).
"""

from __future__ import annotations

import base64
import datetime as dt
import random
import re
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from apiauth import services as apiauth_services
from caseload import models as cm
from common.bsn import generate_fake_bsn
from intake import services as intake_services
from privacy.models import ProcessingRecord, Purpose
from privacy.pseudonym import resident_pseudonym
from tests import factories

pytestmark = pytest.mark.django_db

RESIDENTS = "/api/v1/caseload/residents/"
HOUSEHOLDS = "/api/v1/caseload/households/"
NONEXISTENT = 987_654_321
TODAY = dt.date.today()
_rng = random.Random(12_003)


# --- the world: own team A, another team B, another municipality C -----------------------------


@pytest.fixture
def world(db):
    own_m = factories.MunicipalityFactory()
    other_m = factories.MunicipalityFactory(cbs_code="GM0123", name="Andere gemeente")
    team_a = factories.TeamFactory(municipality=own_m, name="Team A")
    team_b = factories.TeamFactory(municipality=own_m, name="Team B")
    team_c = factories.TeamFactory(municipality=other_m, name="Team C")
    consulent = factories.UserFactory(team=team_a)
    colleague = factories.UserFactory(team=team_a)
    teamleider = factories.UserFactory(teamleider=True, team=team_a)
    consulent_b = factories.UserFactory(team=team_b)
    consulent_c = factories.UserFactory(team=team_c)

    def member(team, consulent, **kw):
        return factories.ResidentFactory(
            team=team, consulent=consulent, household__municipality=team.municipality, **kw
        )

    own = member(team_a, consulent, last_name="Mulder")
    in_b = member(team_b, consulent_b, last_name="Nijhof")
    in_c = member(team_c, consulent_c, last_name="Ouwehand")
    for resident in (own, in_b, in_c):
        factories.BenefitFactory(applicant=resident)
    return {
        "own_m": own_m,
        "other_m": other_m,
        "team_a": team_a,
        "team_b": team_b,
        "team_c": team_c,
        "consulent": consulent,
        "colleague": colleague,
        "teamleider": teamleider,
        "consulent_b": consulent_b,
        "consulent_c": consulent_c,
        "own": own,
        "in_b": in_b,
        "in_c": in_c,
    }


def api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def service_account_client(municipality) -> APIClient:
    """A connected system of ``municipality`` with a caseload read/write key."""
    account = apiauth_services.service_account_create(
        username=f"koppeling-{municipality.cbs_code.lower()}",
        municipality=municipality,
        description="Koppeling",
    )
    token, _secret = apiauth_services.token_issue(
        user=account, name="test", scopes=["caseload:read", "caseload:write"]
    )
    client = APIClient()
    client.force_authenticate(user=account, token=token)
    return client


def ui(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def new_resident(household_id, team_id, **extra) -> dict:
    return {
        "bsn": generate_fake_bsn(_rng),
        "first_name": "Fatima",
        "last_name": "El Amrani",
        "birth_date": "1990-04-01",
        "household": household_id,
        "team": team_id,
        **extra,
    }


def error_of(response, field: str) -> dict:
    """The one error of a 400, with the echoed id replaced, to compare with a nonexistent id."""
    assert response.status_code == 400, response.content
    (error,) = response.json()["errors"]
    assert error["field"] == field, error
    return {**error, "message": re.sub(r"\d+", "<id>", error["message"])}


# --- finding 3: referenced objects are in scope, or answer like nonexistent ones --------------


@pytest.mark.parametrize("where", ["in_b", "in_c"])
def test_finding_3_register_into_another_teams_household_answers_like_a_nonexistent_one(
    world, where
):
    """Issue 12, finding 3: registering a resident into another team's (or municipality's)
    household opened that household's members and benefits in the new resident's dossier."""
    client = api(world["consulent"])
    foreign = world[where].household
    nonexistent = error_of(
        client.post(RESIDENTS, new_resident(NONEXISTENT, world["team_a"].pk), format="json"),
        "household",
    )
    response = client.post(RESIDENTS, new_resident(foreign.pk, world["team_a"].pk), format="json")
    assert error_of(response, "household") == nonexistent
    assert "bestaat niet" in nonexistent["message"]
    assert not cm.Resident.objects.filter(household=foreign, team=world["team_a"]).exists()


def test_write_scope_own_and_new_empty_households_can_be_used(world):
    """Guard, #12-3: the households in scope are those with a member the caller sees,
    and new ones without members (just created through the API)."""
    client = api(world["consulent"])
    own = world["own"].household
    response = client.post(RESIDENTS, new_resident(own.pk, world["team_a"].pk), format="json")
    assert response.status_code == 201, response.json()
    created = client.post(
        HOUSEHOLDS,
        {
            "municipality": world["own_m"].pk,
            "household_type": "alleenstaand",
            "street": "Kerkstraat",
            "house_number": "12a",
            "postcode": "1211 AB",
            "city": "Hilversum",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = new_resident(created.json()["id"], world["team_a"].pk)
    response = client.post(RESIDENTS, body, format="json")
    assert response.status_code == 201, response.json()


def test_finding_3_team_and_consulent_outside_scope_answer_like_nonexistent(world):
    """Issue 12, finding 3: a consulent (who may not reassign) registers residents in their
    own team only, with a consulent of that team; another team's id or its consulent answers
    like a nonexistent id."""
    client = api(world["consulent"])
    household = world["own"].household.pk
    bad_team = error_of(
        client.post(RESIDENTS, new_resident(household, NONEXISTENT), format="json"), "team"
    )
    for team in ("team_b", "team_c"):
        response = client.post(RESIDENTS, new_resident(household, world[team].pk), format="json")
        assert error_of(response, "team") == bad_team, team
    own_team = world["team_a"].pk
    bad_consulent = error_of(
        client.post(
            RESIDENTS, new_resident(household, own_team, consulent=NONEXISTENT), format="json"
        ),
        "consulent",
    )
    for other in ("consulent_b", "consulent_c"):
        body = new_resident(household, own_team, consulent=world[other].pk)
        response = client.post(RESIDENTS, body, format="json")
        assert error_of(response, "consulent") == bad_consulent, other
    body = new_resident(household, own_team, consulent=world["colleague"].pk)
    assert client.post(RESIDENTS, body, format="json").status_code == 201


def test_write_scope_teamleider_registers_in_any_team_of_the_municipality_only(world):
    """Guard, #12-3: a teamleider (who may reassign) picks any team of their own
    municipality; a team or consulent of another municipality answers like a nonexistent id."""
    client = api(world["teamleider"])
    household = world["own"].household.pk
    body = new_resident(household, world["team_b"].pk, consulent=world["consulent_b"].pk)
    assert client.post(RESIDENTS, body, format="json").status_code == 201
    bad_team = error_of(
        client.post(RESIDENTS, new_resident(household, NONEXISTENT), format="json"), "team"
    )
    response = client.post(RESIDENTS, new_resident(household, world["team_c"].pk), format="json")
    assert error_of(response, "team") == bad_team


def test_write_scope_service_account_stays_in_its_municipality(world):
    """Guard, #12-3: a connected system references households and teams of its own
    municipality only."""
    client = service_account_client(world["own_m"])
    body = new_resident(world["in_b"].household.pk, world["team_b"].pk)
    assert client.post(RESIDENTS, body, format="json").status_code == 201
    bad = error_of(
        client.post(RESIDENTS, new_resident(NONEXISTENT, world["team_a"].pk), format="json"),
        "household",
    )
    body = new_resident(world["in_c"].household.pk, world["team_a"].pk)
    assert error_of(client.post(RESIDENTS, body, format="json"), "household") == bad


def _child_writes(resident_id: int, instrument_id: int) -> list[tuple[str, dict]]:
    return [
        ("applications", {"resident": resident_id, "received_on": "2026-01-05"}),
        (
            "group-assignments",
            {"resident": resident_id, "group": 2, "reason": "Intake", "decided_on": "2026-01-05"},
        ),
        (
            "trajectories",
            {"resident": resident_id, "instrument": instrument_id, "started_on": "2026-01-06"},
        ),
        (
            "outflow-events",
            {
                "resident": resident_id,
                "kind": "volledig",
                "reason": "werk",
                "occurred_on": "2026-01-05",
                "hours_per_week": "32.0",
                "contract_type": "vast",
            },
        ),
        (
            "contact-moments",
            {"resident": resident_id, "occurred_on": "2026-01-05", "channel": "telefoon"},
        ),
        ("ladder-scores", {"resident": resident_id, "measured_on": "2026-01-05", "step": 3}),
        ("debt-cases", {"resident": resident_id, "applied_on": "2026-01-05"}),
        (
            "fraud-investigations",
            {"resident": resident_id, "started_on": "2026-01-05", "signal_source": "tip"},
        ),
    ]


@pytest.mark.parametrize("where", ["in_b", "in_c"])
def test_write_scope_every_api_create_refuses_a_resident_outside_scope_like_a_nonexistent_one(
    world, where
):
    """Guard, #12-3: every create that names a resident answers a resident of another
    team or municipality exactly like a nonexistent id, and writes nothing."""
    client = api(world["teamleider"])  # holds every caseload permission, fraud included
    instrument = factories.InstrumentFactory()
    for (path, foreign), (_, missing) in zip(
        _child_writes(world[where].pk, instrument.pk),
        _child_writes(NONEXISTENT, instrument.pk),
        strict=True,
    ):
        url = f"/api/v1/caseload/{path}/"
        expected = error_of(client.post(url, missing, format="json"), "resident")
        assert error_of(client.post(url, foreign, format="json"), "resident") == expected, path
    foreign = world[where]
    assert not foreign.contacts.exists() and not foreign.trajectories.exists()


@pytest.mark.parametrize("where", ["in_b", "in_c"])
def test_write_scope_api_actions_on_objects_outside_scope_answer_404_like_nonexistent(world, where):
    """Guard, #12-3: decide, close and the trajectory PATCH find their object in scope."""
    client = api(world["teamleider"])
    foreign = world[where]
    application = factories.ApplicationFactory(resident=foreign)
    trajectory = factories.TrajectoryFactory(resident=foreign)
    investigation = factories.FraudInvestigationFactory(resident=foreign)
    debt = factories.DebtCaseFactory(resident=foreign)
    cases = [
        ("post", "applications/{}/decide/", application.pk, {"outcome": "afgewezen"}),
        ("patch", "trajectories/{}/", trajectory.pk, {"result": "afgerond"}),
        ("post", "fraud-investigations/{}/close/", investigation.pk, {"result": "ongewijzigd"}),
        ("post", "debt-cases/{}/close/", debt.pk, {"result": "afgerond"}),
    ]
    for method, path, pk, body in cases:
        body = {**body, "decided_on": "2026-01-05", "ended_on": "2026-01-05"}
        call = getattr(client, method)
        missing = call(f"/api/v1/caseload/{path.format(NONEXISTENT)}", body, format="json")
        response = call(f"/api/v1/caseload/{path.format(pk)}", body, format="json")
        assert response.status_code == missing.status_code == 404, path
        assert response.json() == missing.json(), path


def test_write_scope_teamleider_reassign_refuses_targets_outside_scope(world):
    """Guard, #12-3: the API PATCH and the UI form refuse a team or consulent of another
    municipality like a nonexistent one."""
    resident = world["own"]
    client = api(world["teamleider"])
    url = f"{RESIDENTS}{resident.pk}/"

    def patch(body):
        etag = client.get(url)["ETag"]
        return client.patch(url, body, format="json", HTTP_IF_MATCH=etag)

    assert error_of(patch({"team": world["team_c"].pk}), "team") == error_of(
        patch({"team": NONEXISTENT}), "team"
    )
    assert error_of(patch({"consulent": world["consulent_c"].pk}), "consulent") == error_of(
        patch({"consulent": NONEXISTENT}), "consulent"
    )
    page = ui(world["teamleider"])
    reassign = reverse("caseload:reassign", args=[resident.pk])
    for body in ({"team": world["team_c"].pk}, {"team": NONEXISTENT}):
        response = page.post(reassign, body)
        assert response.status_code == 422
        assert "team" in response.context["form"].errors
    response = page.post(
        reassign, {"team": world["team_a"].pk, "consulent": world["consulent_c"].pk}
    )
    assert response.status_code == 422 and "consulent" in response.context["form"].errors
    resident.refresh_from_db()
    assert resident.team == world["team_a"]


def test_write_scope_ui_writes_find_their_objects_in_scope(world):
    """Guard, #12-3: the case forms and the intake plan resolve the trajectory, the
    instrument and the plan in the resident's scope (404 or a form error)."""
    page = ui(world["consulent"])
    own, foreign = world["own"], world["in_b"]
    foreign_trajectory = factories.TrajectoryFactory(resident=foreign)
    url = reverse("caseload:trajectory_close", args=[own.pk, foreign_trajectory.pk])
    assert page.post(url, {"ended_on": "2026-01-05", "result": "afgerond"}).status_code == 404
    inactive = factories.InstrumentFactory(is_active=False)
    response = page.post(
        reverse("caseload:trajectory_start", args=[own.pk]),
        {"instrument": inactive.pk, "started_on": "2026-01-05"},
    )
    assert response.status_code == 422 and "instrument" in response.context["form"].errors
    foreign_plan = intake_services.plan_create(
        resident=foreign,
        by=world["consulent_b"],
        goals="Werk",
        commitments="Solliciteren",
        actions=[],
    )
    body = {"description": "Iets", "due_on": TODAY.isoformat(), "owner": "inwoner"}
    url = reverse("intake:plan_action_add", args=[own.pk, foreign_plan.pk])
    assert page.post(url, body).status_code == 404
    assert not foreign_plan.actions.exists()


def test_finding_3_a_break_the_glass_grant_does_not_let_a_teamleider_move_the_resident(world):
    """Issue 12, finding 3: a grant opened another team's resident's case forms, the reassign
    form included, so a teamleider could move that resident into their own team and keep the
    temporary access for good. The grant still opens the dossier; the reassign form is 404."""
    from privacy import services as privacy_services

    teamleider, foreign = world["teamleider"], world["in_b"]
    privacy_services.break_glass_grant(
        user=teamleider, resident=foreign, reason="Spoedmelding van de huisarts, collega ziek"
    )
    page = ui(teamleider)
    assert page.get(reverse("caseload:dossier", args=[foreign.pk])).status_code == 200
    reassign = reverse("caseload:reassign", args=[foreign.pk])
    assert page.get(reassign).status_code == 404
    response = page.post(reassign, {"team": world["team_a"].pk, "consulent": teamleider.pk})
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.team == world["team_b"]


@pytest.fixture
def wsp(world):
    """Issue 18 with issue 17's binding: a consenting resident with a profile and an open
    vacancy in each municipality, and an account manager bound to the own one
    (``User.municipality``); ``propose(vacancy, profile)`` posts a proposal as that account."""
    from decimal import Decimal

    from matching import services as matching_services

    profiles, vacancies = {}, {}
    for where, by, municipality in (
        ("own", "consulent", "own_m"),
        ("in_c", "consulent_c", "other_m"),
    ):
        profiles[where] = matching_services.profile_save(
            resident=world[where],
            by=world[by],
            sought_codes=["9334"],
            driving_licence=True,
            travel_range_km=25,
            hours_available=Decimal(24),
            no_work_experience=True,
        ).pk
        matching_services.consent_give(resident=world[where], by=world[by], given_on=TODAY)
        vacancies[where] = factories.VacancyFactory(employer__municipality=world[municipality]).pk
    client = api(
        factories.UserFactory(role=cm.Role.ACCOUNT_MANAGER, team=None, municipality=world["own_m"])
    )

    def propose(vacancy: int, profile: int):
        body = {"vacancy": vacancy, "profile": profile}
        return client.post("/api/v1/matching/proposals/", body, format="json")

    return profiles, vacancies, propose


def _refused_like_nonexistent(propose, refs, own_vacancy: int) -> None:
    from matching.models import Proposal

    missing = propose(own_vacancy, NONEXISTENT)
    assert missing.status_code == 404
    for vacancy, profile in refs:
        response = propose(vacancy, profile)
        assert (response.status_code, response.json()) == (404, missing.json())
    assert not Proposal.objects.exists()


def test_write_scope_a_bound_account_manager_proposes_its_municipalitys_residents_only(wsp):
    """A resident of another municipality answers like a nonexistent profile; the own one is
    proposed (the control)."""
    profiles, vacancies, propose = wsp
    refs = [(vacancies["own"], profiles["in_c"]), (NONEXISTENT, profiles["own"])]
    _refused_like_nonexistent(propose, refs, vacancies["own"])
    assert propose(vacancies["own"], profiles["own"]).status_code == 201


def test_write_scope_a_bound_account_manager_proposes_for_its_municipalitys_vacancies_only(wsp):
    """A vacancy of another municipality answers like a nonexistent one: the binding scopes the
    employers and vacancies as ``caseload.selectors.municipality_for`` does."""
    profiles, vacancies, propose = wsp
    _refused_like_nonexistent(propose, [(vacancies["in_c"], profiles["own"])], vacancies["own"])


# --- finding 4: the API enforces the UI's permissions per field ---------------------------------


def _patch(client, resident, body):
    url = f"{RESIDENTS}{resident.pk}/"
    etag = client.get(url)["ETag"]
    return client.patch(url, body, format="json", HTTP_IF_MATCH=etag)


@pytest.mark.parametrize(
    "field,value",
    [
        ("team", lambda w: w["team_b"].pk),
        ("consulent", lambda w: w["colleague"].pk),
        ("consulent", lambda w: None),
        ("team", lambda w: NONEXISTENT),
    ],
)
def test_finding_4_consulent_cannot_reassign_through_the_api(world, field, value):
    """Issue 12, finding 4: a consulent changed team or consulent with a PATCH, which the UI
    forbids (``caseload.reassign_resident``): now 403 naming the field, and nothing changes."""
    resident = world["own"]
    response = _patch(api(world["consulent"]), resident, {field: value(world)})
    assert response.status_code == 403, response.json()
    (error,) = response.json()["errors"]
    assert error["code"] == "permission" and error["field"] == field
    resident.refresh_from_db()
    assert resident.team == world["team_a"] and resident.consulent == world["consulent"]


def test_field_permissions_consulent_keeps_the_fields_the_ui_lets_them_change(world):
    """Guard, #12-4: the other fields stay open to a consulent (``change_dossier``), also
    when the body repeats the unchanged team and consulent (a GET, edit, PATCH round trip)."""
    resident = world["own"]
    body = {"language_level": "b1", "team": world["team_a"].pk, "consulent": world["consulent"].pk}
    response = _patch(api(world["consulent"]), resident, body)
    assert response.status_code == 200, response.json()
    resident.refresh_from_db()
    assert resident.language_level == "b1"


def test_field_permissions_teamleider_reassigns_through_the_api(world):
    """Guard, #12-4: a teamleider holds ``caseload.reassign_resident``."""
    resident = world["own"]
    body = {"team": world["team_b"].pk, "consulent": world["consulent_b"].pk}
    response = _patch(api(world["teamleider"]), resident, body)
    assert response.status_code == 200, response.json()
    resident.refresh_from_db()
    assert resident.team == world["team_b"] and resident.consulent == world["consulent_b"]


def test_finding_4_writes_need_change_dossier(world, settings):
    """Issue 12, finding 4: like the case forms, API writes of a person need
    ``caseload.change_dossier``."""
    settings.ROLE_PERMISSIONS = {
        **settings.ROLE_PERMISSIONS,
        "consulent": [p for p in settings.ROLE_PERMISSIONS["consulent"] if "change" not in p],
    }
    body = {"resident": world["own"].pk, "occurred_on": "2026-01-05", "channel": "telefoon"}
    response = api(world["consulent"]).post(
        "/api/v1/caseload/contact-moments/", body, format="json"
    )
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "permission"
    assert not world["own"].contacts.exists()


# --- finding 5: the BSN check on registration is a BSN search -----------------------------------


def _registration_checks():
    return ProcessingRecord.objects.filter(purpose=Purpose.REGISTRATION_CHECK)


def test_finding_5_existing_bsn_in_own_municipality_is_logged(world):
    """Issue 12, finding 5: answering "bsn_exists" wrote no processing record."""
    existing = world["in_b"]  # another team, same municipality: the answer is still "exists"
    client = api(world["consulent"])
    body = new_resident(world["own"].household.pk, world["team_a"].pk, bsn=existing.bsn)
    response = client.post(RESIDENTS, body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "bsn_exists"
    (record,) = _registration_checks()
    assert record.username == world["consulent"].username
    assert record.subjects == [resident_pseudonym(existing.pk)]
    assert record.route == "caseload-api:resident-list" and record.method == "POST"


def test_finding_5_bsn_of_another_municipality_behaves_as_unregistered(world):
    """Issue 12, finding 5: the check disclosed that a BSN is registered in another
    municipality. Now it behaves as not registered (another field's error comes first, as for
    a new BSN); the unique constraint answers a neutral 409 that names no municipality, and the
    attempt is logged."""
    client = api(world["consulent"])
    elsewhere = world["in_c"]
    household, team = world["own"].household.pk, world["team_a"].pk
    future = (TODAY + dt.timedelta(days=1)).isoformat()
    fresh = client.post(RESIDENTS, new_resident(household, team, birth_date=future), format="json")
    body = new_resident(household, team, birth_date=future, bsn=elsewhere.bsn)
    taken = client.post(RESIDENTS, body, format="json")
    assert taken.status_code == fresh.status_code == 400
    assert taken.json() == fresh.json()
    assert fresh.json()["errors"][0]["code"] == "birth_date"

    response = client.post(
        RESIDENTS, new_resident(household, team, bsn=elsewhere.bsn), format="json"
    )
    assert response.status_code == 409, response.json()
    (error,) = response.json()["errors"]
    assert error["code"] == "registration_conflict" and error["field"] == "bsn"
    text = response.content.decode()
    assert world["other_m"].name not in text and "gemeente" not in error["message"].lower()
    assert elsewhere.bsn not in text
    assert cm.Resident.objects.filter(bsn=elsewhere.bsn).get() == elsewhere
    (record,) = _registration_checks()
    assert record.subjects == [resident_pseudonym(elsewhere.pk)]


def test_finding_5_registration_uses_the_bsn_search_rate_limit(world):
    """Issue 12, finding 5: the BSN check had only the general rate limit; it now shares the
    stricter ``bsn_search`` limit with the BSN search."""
    user = world["consulent"]
    for scope in ("bsn_search", "client"):
        cache.delete(f"throttle_{scope}_user-{user.pk}")
    rest = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"client": "100/minute", "bsn_search": "2/minute"},
    }
    client = api(user)
    body = new_resident(world["own"].household.pk, world["team_a"].pk, bsn=world["in_b"].bsn)
    with override_settings(REST_FRAMEWORK=rest):
        search = client.post(RESIDENTS + "search/", {"bsn": world["own"].bsn}, format="json")
        assert search.status_code == 200
        assert client.post(RESIDENTS, body, format="json").status_code == 400
        throttled = client.post(RESIDENTS, body, format="json")
        assert throttled.status_code == 429
        assert throttled.json()["errors"][0]["code"] == "throttled"
        assert client.get(RESIDENTS).status_code == 200  # only the BSN operations
    cache.delete(f"throttle_bsn_search_user-{user.pk}")


# --- finding 12: the worklist anchor reads the caller's scope only ------------------------------


def _names(response) -> list[str]:
    return [r.last_name for r in response.context["residents"]]


def test_finding_12_worklist_anchor_outside_scope_behaves_like_a_nonexistent_one(world):
    """Issue 12, finding 12: ``?na=<id>`` anchored the page on any resident (position of any
    name, existence of any id). An anchor outside the caller's scope is ignored, as a
    nonexistent one is."""
    for name in ("Aalbers", "Zwart"):
        factories.ResidentFactory(
            team=world["team_a"],
            consulent=world["consulent"],
            household__municipality=world["own_m"],
            last_name=name,
        )
    page = ui(world["consulent"])
    url = reverse("caseload:worklist")
    first = page.get(url)
    assert _names(first) == ["Aalbers", "Mulder", "Zwart"]
    assert _names(page.get(url, {"na": NONEXISTENT})) == _names(first)
    for where in ("in_b", "in_c"):  # "Nijhof", "Ouwehand" sort between Mulder and Zwart
        response = page.get(url, {"na": world[where].pk})
        assert response.status_code == 200
        assert _names(response) == _names(first), where
    assert _names(page.get(url, {"na": world["own"].pk})) == ["Zwart"]


@pytest.mark.parametrize("value", ["\u00b2", "-1", "abc", "9" * 40, "\x00"])
def test_finding_12_worklist_anchor_that_is_no_id_is_a_400_page(world, value):
    """Issue 12, findings 10 and 12: ``na=²`` passed ``isdigit()`` and crashed in ``int()``."""
    page = Client(raise_request_exception=False)
    page.force_login(world["consulent"])
    response = page.get(reverse("caseload:worklist"), {"na": value})
    assert response.status_code == 400
    assert '<html lang="nl"' in response.content.decode()


# --- finding 10 (caseload): a forged residents cursor -------------------------------------------


def _cursor(query: dict) -> str:
    return base64.b64encode(urlencode(query).encode()).decode()


@pytest.mark.parametrize(
    "cursor,ordering",
    [
        (_cursor({"p": "abc"}), "-id"),
        (_cursor({"p": "\x00"}), "last_name"),
        (_cursor({"p": "abc"}), "registered_at"),
        (_cursor({"p": "99999999999999999999999"}), "-id"),
        (_cursor({"o": "99999999999999999999999", "p": "1"}), "-id"),
        (_cursor({"o": "-1"}), "-id"),
        (_cursor({"r": "2", "p": "1"}), "-id"),
        (_cursor({"x": "1"}), "-id"),
        ("!!!not-base64!!!", "-id"),
    ],
)
def test_finding_10_forged_cursor_is_a_json_404(world, cursor, ordering):
    """Issue 12, finding 10: a crafted cursor's position went unchecked into the query (500)."""
    client = APIClient(raise_request_exception=False)
    client.force_login(world["teamleider"])
    response = client.get(RESIDENTS, {"cursor": cursor, "ordering": ordering})
    assert response.status_code == 404, response.content
    (error,) = response.json()["errors"]
    assert error["code"] == "not_found" and error["field"] is None


@pytest.mark.parametrize("ordering", ["-id", "last_name", "registered_at", "-registered_at"])
def test_genuine_cursors_still_walk_every_page(world, ordering):
    """Guard for issue 12, finding 10: the strict decoding accepts every cursor the API wrote."""
    for n in range(4):
        factories.ResidentFactory(
            team=world["team_a"], household__municipality=world["own_m"], last_name=f"Naam{n}"
        )
    client = api(world["teamleider"])
    expected = set(cm.Resident.objects.filter(team=world["team_a"]).values_list("pk", flat=True))
    seen, url = [], f"{RESIDENTS}?page_size=2&ordering={ordering}"
    while url:
        body = client.get(url).json()
        seen += [r["id"] for r in body["results"]]
        url = body["next"]
    assert sorted(seen) == sorted(expected)
    assert client.get(body["previous"]).status_code == 200
