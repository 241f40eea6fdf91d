"""The role x endpoint x object matrix (issue #6 acceptance).

Every role (and an API service account) against every page that takes a resident id (found by
walking the URL patterns, so a new page is covered without editing this test), the worklist, the
indicator drill-down, and every caseload API resource (list, detail, BSN search), for a resident
in the user's team and one outside it:

* out of scope gets 403 or 404 (never the data);
* sentinel strings planted in fraud-investigation and health fields never appear in a response
  to a caller without the grant (``caseload.view_fraud`` / ``intake.view_health``), and do appear
  for one with it (so the check can fail);
* the out-of-team resident's name never appears in any response.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from caseload import services as caseload_services
from caseload.models import Role, Team
from intake import services as intake_services
from tests import factories
from tests.security import route_matrix
from tests.security.conftest import url_routes

FRAUD_AMOUNT = Decimal("87654.32")
FRAUD_SENTINELS = ("87654", "87.654", "Handhavingsonderzoek")
HEALTH_SENTINELS = ("SENTINEL-FYSIEK-7Q", "SENTINEL-MENTAAL-7Q", "SENTINEL-DREMPEL-7Q")
OUTSIDER_NAME = "Buitenteamsentinel"


@dataclass
class World:
    municipality: object
    residents: dict  # "in" / "out" -> Resident
    objects: dict  # (resource, "in"/"out") -> object id
    users: dict  # label -> User
    plans: dict  # "in"/"out" -> plan id
    trajectories: dict  # "in"/"out" -> open trajectory id
    #: the object behind a route's ``pk`` (matching's consent and work experience, issue 18):
    #: (route name, "in"/"out") -> id of that resident's object
    route_pks: dict


def _resident_with_everything(*, team, consulent, last_name):
    resident = factories.ResidentFactory(
        team=team,
        consulent=consulent,
        household__municipality=team.municipality,
        last_name=last_name,
    )
    benefit = factories.BenefitFactory(applicant=resident)
    objects = {
        "residents": resident.pk,
        "households": resident.household_id,
        "benefits": benefit.pk,
        "applications": factories.ApplicationFactory(resident=resident).pk,
        "group-assignments": factories.GroupAssignmentFactory(
            resident=resident, decided_by=consulent
        ).pk,
        "trajectories": factories.TrajectoryFactory(resident=resident, created_by=consulent).pk,
        "outflow-events": factories.OutflowEventFactory(
            benefit=benefit, recorded_by=consulent, kind="gedeeltelijk", hours_per_week=16
        ).pk,
        "contact-moments": factories.ContactMomentFactory(resident=resident, by=consulent).pk,
        "ladder-scores": factories.LadderScoreFactory(resident=resident, by=consulent).pk,
        "fraud-investigations": factories.FraudInvestigationFactory(
            resident=resident,
            started_on=dt.date(2025, 2, 1),
            ended_on=dt.date(2025, 3, 1),
            result="aangepast",
            claim_amount=FRAUD_AMOUNT,
        ).pk,
        "debt-cases": factories.DebtCaseFactory(resident=resident).pk,
    }
    intake = intake_services.intake_start(resident=resident, by=consulent)
    notes = {3: HEALTH_SENTINELS[0], 4: HEALTH_SENTINELS[1]}
    for step in (1, 2, 3, 4, 5):
        intake_services.intake_step_save(
            intake=intake,
            step=step,
            data={"score": 3, "notes": notes.get(step, f"stap {step}")},
            by=consulent,
        )
    intake_services.intake_step_save(
        intake=intake,
        step=6,
        data={"has_health_barrier": True, "health_notes": HEALTH_SENTINELS[2]},
        by=consulent,
    )
    plan = intake_services.plan_create(
        resident=resident, by=consulent, goals="Werk vinden", commitments="Solliciteren"
    )
    return resident, objects, plan.pk


@pytest.fixture
def world(db) -> World:
    team_in = factories.TeamFactory(name="Werk A")
    municipality = team_in.municipality
    team_out = factories.TeamFactory(name="Werk B", municipality=municipality)
    team_enforcement = factories.TeamFactory(
        name="Handhaving", municipality=municipality, kind=Team.Kind.ENFORCEMENT
    )
    users = {
        "consulent": factories.UserFactory(team=team_in, username="m.consulent"),
        "teamleider": factories.UserFactory(
            team=team_in, role=Role.TEAMLEIDER, username="m.teamleider"
        ),
        "handhaving": factories.UserFactory(team=team_enforcement, username="m.handhaving"),
        "manager": factories.UserFactory(manager=True, username="m.manager"),
        "financien": factories.UserFactory(finance=True, username="m.financien"),
        "beheer": factories.UserFactory(beheer=True, username="m.beheer"),
        "privacy": factories.UserFactory(privacy=True, username="m.privacy"),
        # the werkgeversservicepunt (issue 18) and the region (issue 17): no dossier at all
        "accountmanager": factories.UserFactory(
            role=Role.ACCOUNT_MANAGER, team=None, username="m.accountmanager"
        ),
        "regio": factories.UserFactory(role=Role.REGION, team=None, username="m.regio"),
    }
    out_consulent = factories.UserFactory(team=team_out, username="m.buiten")
    r_in, objects_in, plan_in = _resident_with_everything(
        team=team_in, consulent=users["consulent"], last_name="Binnenteam"
    )
    r_out, objects_out, plan_out = _resident_with_everything(
        team=team_out, consulent=out_consulent, last_name=OUTSIDER_NAME
    )
    objects = {(k, "in"): v for k, v in objects_in.items()}
    objects |= {(k, "out"): v for k, v in objects_out.items()}
    return World(
        municipality=municipality,
        residents={"in": r_in, "out": r_out},
        objects=objects,
        users=users,
        plans={"in": plan_in, "out": plan_out},
        trajectories={"in": objects_in["trajectories"], "out": objects_out["trajectories"]},
        route_pks=_matching_objects(
            {"in": (r_in, users["consulent"]), "out": (r_out, out_consulent)}
        ),
    )


def _matching_objects(residents: dict) -> dict:
    """A consent and a work experience of each resident, for the matching routes with a pk."""
    from matching import services as matching_services

    pks = {}
    for which, (resident, by) in residents.items():
        consent = matching_services.consent_give(
            resident=resident, by=by, given_on=dt.date(2026, 1, 5)
        )
        experience = matching_services.work_experience_add(
            resident=resident, by=by, occupation_code="9112", years=Decimal(2)
        )
        pks[("matching:consent_withdraw", which)] = consent.pk
        pks[("matching:experience_remove", which)] = experience.pk
    return pks


# --- the routes ---------------------------------------------------------------------------------


def resident_page_routes() -> list[tuple[str, list[str]]]:
    """Every named HTML route with a ``resident_id`` argument (not the API; not the admin, which
    privacy's admin logging tests cover)."""
    return [
        (route.name, list(route.args))
        for route in url_routes()
        if "resident_id" in route.args
        and not route.name.startswith("admin:")
        and not route.name.split(":")[0].endswith("-api")
    ]


def _kwargs(world: World, which: str, converters: list[str], step: int = 3, name: str = "") -> dict:
    values = {
        "pk": world.route_pks.get((name, which), 1),
        "resident_id": world.residents[which].pk,
        "trajectory_id": world.trajectories[which],
        "fact_type": "traject",  # corrections (issue 14): the resident's trajectory
        "fact_id": world.trajectories[which],
        "plan_id": world.plans[which],
        "step": step,
        "fmt": "xlsx",  # the export format every export route accepts
    }
    return {c: values.get(c, 1) for c in converters}


def _page_allowed(user, name: str, which: str, kwargs: dict) -> bool | None:
    """Expected access: True, False, or None (not asserted: e.g. break-the-glass form)."""
    app = "privacy" if ":privacy:" in f":{name}" else name.split(":")[0]
    if name.endswith("privacy:break_glass"):
        return None  # reachable for team roles by design; tested in tests/privacy
    if app == "privacy":
        return user.role == Role.PRIVACY
    in_team = which == "in" and user.role in (Role.CONSULENT, Role.TEAMLEIDER)
    in_team = (
        in_team
        and user.team_id == factories.models.Resident.objects.get(pk=kwargs["resident_id"]).team_id
    )
    if not in_team:
        return False
    if name == "caseload:reassign":
        return user.role == Role.TEAMLEIDER
    if name == "intake:step" and kwargs.get("step") in (3, 4, 6):
        return user.has_perm("intake.view_health")
    return True


def _assert_no_leak(user, body: str, where: str) -> None:
    # a form's random nonce (32 hex digits) may hold the fraud sentinel's digits by chance
    body = re.sub(r'name="form_nonce" value="[0-9a-f]{32}"', 'name="form_nonce"', body)
    assert OUTSIDER_NAME not in body, f"{user.username} {where}: outsider's name leaked"
    if not user.has_perm("caseload.view_fraud"):
        for s in FRAUD_SENTINELS:
            assert s not in body, f"{user.username} {where}: fraud data ({s}) leaked"
    if not user.has_perm("intake.view_health"):
        for s in HEALTH_SENTINELS:
            assert s not in body, f"{user.username} {where}: health data ({s}) leaked"


#: the team roles (a Handhaving consulent too) and every role without dossier access, as the
#: route matrix names them (the account manager and the regional role included)
ROLES = ["consulent", "teamleider", "handhaving", *route_matrix.GROUPS["no-dossier"]]


def test_the_walk_finds_the_resident_pages():
    names = {name for name, _ in resident_page_routes()}
    assert {"caseload:dossier", "caseload:reassign", "intake:step", "intake:plan"} <= names


@pytest.mark.parametrize("role", ROLES)
def test_pages_matrix(world, role):
    user = world.users[role]
    client = Client()
    client.force_login(user)
    checked = 0
    for name, converters in resident_page_routes():
        steps = (1, 3, 4, 6) if "step" in converters else (3,)
        for which in ("in", "out"):
            for step in steps:
                kwargs = _kwargs(world, which, converters, step=step, name=name)
                url = reverse(name, kwargs=kwargs)
                response = client.get(url)
                where = f"GET {name} ({which}, {kwargs})"
                if response.status_code == 405:  # a POST-only action: try it with no data
                    response = client.post(url, {})
                    where = f"POST {name} ({which}, {kwargs})"
                expected = _page_allowed(user, name, which, kwargs)
                if expected is False:
                    assert response.status_code in (403, 404), f"{user.username} {where}"
                elif expected is True:
                    assert response.status_code in (200, 302, 422), f"{user.username} {where}"
                if which == "out" and response.status_code == 200:
                    # only the break-the-glass form may answer; it asks for a reason
                    assert expected is None or user.role == Role.PRIVACY, where
                body = response.content.decode(errors="replace")
                if user.role != Role.PRIVACY or "privacy:" not in name:
                    _assert_no_leak(user, body, where)
                checked += 1
    assert checked >= 20


@pytest.mark.parametrize("role", ROLES)
def test_worklist_and_indicator_drilldown(world, role):
    user = world.users[role]
    client = Client()
    client.force_login(user)
    worklist = client.get(reverse("caseload:worklist"))
    if user.role in (Role.CONSULENT, Role.TEAMLEIDER):
        assert worklist.status_code == 200
    else:
        assert worklist.status_code in (403, 404)
    _assert_no_leak(user, worklist.content.decode(), "worklist")
    search = client.post(reverse("caseload:worklist"), {"bsn-bsn": world.residents["out"].bsn})
    assert search.status_code in (403, 404, 422)
    _assert_no_leak(user, search.content.decode(), "BSN search for the outsider")

    year = 2025
    fraud = client.get(
        reverse("indicators:residents", args=["enforcement.fraud_effect"]), {"jaar": year}
    )
    if user.has_perm("caseload.view_fraud") and user.has_perm("indicators.view_dashboards"):
        assert fraud.status_code == 200
    else:
        assert fraud.status_code in (403, 404), role
    _assert_no_leak(user, fraud.content.decode(), "fraud drill-down")


def test_fraud_and_health_are_shown_to_granted_roles(world):
    """Positive controls: the sentinels are on the pages when the grant is there."""
    teamleider, consulent = Client(), Client()
    teamleider.force_login(world.users["teamleider"])
    consulent.force_login(world.users["consulent"])
    dossier = reverse("caseload:dossier", args=[world.residents["in"].pk])
    assert "Handhavingsonderzoek" in teamleider.get(dossier).content.decode()
    assert "Handhavingsonderzoek" not in consulent.get(dossier).content.decode()
    step3 = reverse("intake:step", args=[world.residents["in"].pk, 3])
    assert HEALTH_SENTINELS[0] in consulent.get(step3).content.decode()
    api = teamleider.get(
        f"/api/v1/caseload/fraud-investigations/{world.objects[('fraud-investigations', 'in')]}/"
    )
    assert api.status_code == 200
    assert api.json()["claim_amount"] == "87654.32"


def test_health_grant_is_configuration(world, settings):
    """Take intake.view_health away from the consulent: the health steps are refused."""
    settings.ROLE_PERMISSIONS = {
        **settings.ROLE_PERMISSIONS,
        "consulent": [
            p for p in settings.ROLE_PERMISSIONS["consulent"] if p != "intake.view_health"
        ],
    }
    client = Client()
    client.force_login(world.users["consulent"])
    resident = world.residents["in"].pk
    for step in (3, 4, 6):
        response = client.get(reverse("intake:step", args=[resident, step]))
        assert response.status_code == 403, step
        _assert_no_leak(world.users["consulent"], response.content.decode(), f"step {step}")
    assert client.get(reverse("intake:step", args=[resident, 1])).status_code == 200
    dossier = client.get(reverse("caseload:dossier", args=[resident]))
    assert dossier.status_code == 200
    _assert_no_leak(world.users["consulent"], dossier.content.decode(), "dossier")


# --- the API --------------------------------------------------------------------------------------

API_RESOURCES = [
    "residents",
    "households",
    "benefits",
    "applications",
    "group-assignments",
    "trajectories",
    "outflow-events",
    "contact-moments",
    "ladder-scores",
    "fraud-investigations",
    "debt-cases",
]


def _api_expected(user, resource: str, which: str) -> bool:
    if resource == "fraud-investigations" and not user.has_perm("caseload.view_fraud"):
        return False
    if getattr(user, "_is_service", False):
        return True  # a connected system sees its municipality (token scope caseload:read)
    return (
        which == "in"
        and user.role in (Role.CONSULENT, Role.TEAMLEIDER)
        and (user.team.name == "Werk A")
    )


def _service_client(world) -> tuple[Client, object]:
    from apiauth import services as api_services

    account = api_services.service_account_create(
        username="koppeling", municipality=world.municipality, description="Koppeling"
    )
    _token, secret = api_services.token_issue(
        user=account, name="matrix", scopes=["caseload:read"], created_by=world.users["beheer"]
    )
    factories.api_token_approve(_token)  # four eyes (issue 12, finding 2)
    account._is_service = True
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}"), account


@pytest.mark.parametrize("role", [*ROLES, "service-account"])
def test_api_matrix(world, role):
    if role == "service-account":
        client, user = _service_client(world)
    else:
        user = world.users[role]
        client = Client()
        client.force_login(user)
    for resource in API_RESOURCES:
        base = f"/api/v1/caseload/{resource}/"
        listing = client.get(base, {"page_size": 500})
        body = listing.content.decode()
        if listing.status_code == 200:
            ids = {row["id"] for row in listing.json()["results"]}
            for which in ("in", "out"):
                oid = world.objects[(resource, which)]
                if resource == "households":
                    oid = world.objects[(resource, which)]
                present = oid in ids
                assert present == _api_expected(user, resource, which), (
                    f"{role} list {resource} {which}"
                )
        else:
            assert listing.status_code in (403, 404), f"{role} list {resource}"
            assert not _api_expected(user, resource, "in")
        if role != "service-account":
            _assert_no_leak(user, body, f"list {resource}")
        for which in ("in", "out"):
            detail = client.get(f"{base}{world.objects[(resource, which)]}/")
            where = f"{role} GET {resource} {which}"
            if _api_expected(user, resource, which):
                assert detail.status_code == 200, where
            else:
                assert detail.status_code in (403, 404), where
            if role != "service-account":
                _assert_no_leak(user, detail.content.decode(), where)
            elif resource != "fraud-investigations":
                for s in FRAUD_SENTINELS:
                    assert s not in detail.content.decode(), where

    for which in ("in", "out"):
        search = client.post(
            "/api/v1/caseload/residents/search/",
            {"bsn": world.residents[which].bsn},
            content_type="application/json",
        )
        found = search.status_code == 200 and bool(search.json()["results"])
        assert found == _api_expected(user, "residents", which), f"{role} search {which}"
        if role != "service-account":
            _assert_no_leak(user, search.content.decode(), f"search {which}")


def test_api_fraud_writes_need_the_grant(world):
    client = Client()
    client.force_login(world.users["consulent"])
    response = client.post(
        "/api/v1/caseload/fraud-investigations/",
        {
            "resident": world.residents["in"].pk,
            "started_on": "2026-01-05",
            "signal_source": "tip",
        },
        content_type="application/json",
    )
    assert response.status_code == 403
    handhaving = Client()
    handhaving.force_login(world.users["handhaving"])
    # Handhaving holds the grant but the resident is not in its team: still out of scope
    response = handhaving.post(
        "/api/v1/caseload/fraud-investigations/",
        {
            "resident": world.residents["in"].pk,
            "started_on": "2026-01-05",
            "signal_source": "tip",
        },
        content_type="application/json",
    )
    assert response.status_code == 400


def test_reassigned_resident_leaves_the_old_team(world):
    """Scoping follows the data: after a reassignment the old team's consulent gets 404."""
    resident = world.residents["in"]
    other_team = Team.objects.get(name="Werk B")
    caseload_services.resident_reassign(
        resident=resident, team=other_team, consulent=None, by=world.users["teamleider"]
    )
    client = Client()
    client.force_login(world.users["consulent"])
    response = client.get(reverse("caseload:dossier", args=[resident.pk]))
    assert response.status_code in (403, 404)
