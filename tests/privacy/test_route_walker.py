"""Walk every URL pattern (pages, API routes, admin) and call each route that touches resident
data with an authorised user and a real object: each call must write a processing record
naming the resident. A route that is neither called here nor on the allow-list fails the test,
so a new resident route cannot ship without logging."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from apiauth import services as apiauth_services
from caseload import models as cm
from intake import services as intake_services
from matching import services as matching_services
from privacy import services as privacy_services
from privacy.admin_logging import holds_resident_data
from privacy.models import ProcessingRecord
from privacy.pseudonym import resident_pseudonym
from tests import factories
from tests.security.conftest import url_routes

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 20)

#: Routes that do not show or change one resident's data, each with the reason. Keep it small.
ALLOWED = {
    "home": "start page, menu only",
    "matching:occupations": "the ISCO-08 occupation list, searched by name or code",
    "health": "health check",
    "login": "login",
    "logout": "logout",
    "two_factor_verify": "login step",
    "two_factor_setup": "login step",
    "api-schema": "OpenAPI schema",
    "api-docs": "API reference",
    "indicators-api:values": "stored indicator values (aggregates)",
    "budget-api:vangnet-simulate": "budget arithmetic",
    "indicators:overview": "dashboard of stored aggregates",
    "indicators:export_csv": "stored aggregates",
    "indicators:export_xlsx": "stored aggregates",
    "indicators:targets": "targets (configuration)",
    "indicators:detail": "stored aggregates of one indicator",
    "budget:overview": "budget aggregates",
    "budget:vangnet": "budget aggregates",
    "budget:business_case": "budget arithmetic",
    "budget:imports": "ledger import (municipal ledger, no residents)",
    "budget:import_status": "ledger import status",
    "budget:reports": "BUIG reports (aggregates)",
    "budget:report_status": "BUIG report status",
    "budget:report_download": "BUIG report (aggregates)",
    "budget:payments": "payments feed: mapping, upload, counts and line errors without a cell "
    "value; the import itself writes one record naming the applicants (test_payments_import)",
    "budget:payment_import_status": "payments import status: counts and line errors",
    "budget:reconciliation": "payments against the ledger per month and regime (aggregates)",
    "budget-api:payment-import-create": "offers a payments file; the import writes its own "
    "record (test_payments_import)",
    "budget-api:payment-import-detail": "payments import status: counts and line errors",
    "caseload-api:instrument-list": "instrument catalogue",
    "caseload-api:instrument-detail": "instrument catalogue",
    "apiauth:token-list": "API tokens",
    "apiauth:token-revoke": "API tokens",
    "apiauth:token-approvals": "API tokens (the privacy officer's approval)",
    "privacy:access_approvals": (
        "staff accounts (the privacy officer's approval; a decision is logged as a staff change)"
    ),
    "privacy:break_glass": "asks for a reason, shows nothing of the resident; the "
    "grant writes its own record (test_break_glass)",
    "privacy:log_search": "search form; results are on log_resident / log_user",
    "admin:index": "admin menu",
    "admin:login": "admin login",
    "admin:logout": "admin logout",
    "admin:password_change": "own password",
    "admin:password_change_done": "own password",
    "admin:jsi18n": "translations",
    "admin:autocomplete": "autocomplete of admin fields (none on resident models)",
    "admin:view_on_site": "redirect to an object's public URL (residents have none)",
    "admin:app_list": "admin menu of one app",
    "admin:auth_user_password_change": "set a staff member's password",
    "password_reset_confirm": "password reset link (own account, no resident data)",
    "registers:register": "step 2 of a new application: shows what the BRP look-up of "
    "registers:start returned (logged there); its registration names the residents it creates "
    "(tests/registers/test_views.py)",
    # the region (issue 17): aggregates of stored indicator and budget figures only, small
    # counts suppressed across the region; no resident's data (tests/region/test_region.py)
    **{
        f"region:{n}": "regional aggregates (no resident data)"
        for n in ("overview", "comparison", "comparison_csv", "comparison_xlsx", "budget")
    },
    # werkgeversservicepunt (issue 18): employers, their contact persons and vacancies; no
    # resident's data (matching and proposals, which will show residents, are not built yet)
    **{
        f"employers:{n}": "employers and vacancies (no resident data)"
        for n in (
            "employer_list",
            "employer_create",
            "employer_detail",
            "employer_edit",
            "location_add",
            "contact_add",
            "commitment_set",
            "vacancy_create",
            "worklist",
            "vacancy_detail",
            "vacancy_edit",
            "vacancy_close",
            "vacancy_import",
        )
    },
    **{
        f"employers-api:{n}": "employers and vacancies API (no resident data)"
        for n in (
            "employer-list",
            "employer-detail",
            "vacancy-list",
            "vacancy-detail",
            "vacancy-close",
        )
    },
}
#: Admin views refused even to a superuser on resident models (read-only admins): no data.
ADMIN_REFUSED = {"add", "delete"}


def admin_resident_routes() -> dict[str, tuple]:
    """admin:<app>_<model>_<view> for every registered model holding resident data."""
    routes = {}
    for model in admin.site._registry:
        if holds_resident_data(model):
            meta = model._meta
            for view in ("changelist", "change", "history", "add", "delete"):
                routes[f"admin:{meta.app_label}_{meta.model_name}_{view}"] = (model, view)
    return routes


def admin_other_routes(names) -> set[str]:
    """Admin routes of models without resident data (configuration, catalogues)."""
    other = set()
    for model in admin.site._registry:
        if not holds_resident_data(model):
            meta = model._meta
            prefix = f"admin:{meta.app_label}_{meta.model_name}_"
            other |= {n for n in names if n.startswith(prefix)}
    return other


@dataclass
class World:
    resident: cm.Resident
    consulent: cm.User
    teamleider: cm.User
    officer: cm.User
    superuser: cm.User
    beheer: cm.User
    objects: dict


@pytest.fixture
def world(resident, consulent, team, open_benefit):
    teamleider = factories.UserFactory(teamleider=True, team=team)
    officer = factories.UserFactory(privacy=True)
    superuser = factories.UserFactory(beheer=True, is_superuser=True)
    beheer = factories.UserFactory(beheer=True)
    draft = intake_services.intake_start(resident=resident, by=consulent)
    plan = intake_services.plan_create(
        resident=resident,
        by=consulent,
        goals="Werk vinden",
        commitments="Elke week solliciteren",
        actions=[{"description": "CV maken", "due_on": TODAY + dt.timedelta(days=30)}],
    )
    objects = {
        "resident": resident,
        "household": resident.household,
        "benefit": open_benefit,
        "application": cm.Application.objects.create(resident=resident, received_on=TODAY),
        "group-assignment": factories.GroupAssignmentFactory(
            resident=resident, decided_by=consulent
        ),
        "trajectory": factories.TrajectoryFactory(resident=resident, created_by=consulent),
        "outflow-event": cm.OutflowEvent.objects.create(
            resident=resident,
            benefit=open_benefit,
            kind="gedeeltelijk",
            reason="werk",
            occurred_on=TODAY,
            hours_per_week=12,
            contract_type="tijdelijk",
            recorded_by=consulent,
        ),
        "contact-moment": cm.ContactMoment.objects.create(
            resident=resident, occurred_on=TODAY, channel="telefoon", by=consulent
        ),
        "ladder-score": cm.LadderScore.objects.create(
            resident=resident, measured_on=TODAY, step=3, by=consulent
        ),
        "fraud-investigation": cm.FraudInvestigation.objects.create(
            resident=resident, started_on=TODAY, signal_source="tip"
        ),
        "debt-case": cm.DebtCase.objects.create(resident=resident, applied_on=TODAY),
        "intake": draft,
        "plan": plan,
        "import": apiauth_services.import_job_create(
            municipality=team.municipality, filename="inwoners.csv", content=b"bsn\n", by=beheer
        ),
    }
    objects.update(_matching_objects(resident, consulent))
    outsider = factories.UserFactory(team=factories.TeamFactory(municipality=team.municipality))
    privacy_services.break_glass_grant(
        user=outsider, resident=resident, reason="Vervanging tijdens ziekte van de consulent"
    )
    return World(resident, consulent, teamleider, officer, superuser, beheer, objects)


def _matching_objects(resident, consulent) -> dict:
    """Issue 18: an (incomplete) profile with experience and consent, two vacancies: on the
    first the resident was proposed, accepted and placed (partial outflow: the benefit runs
    on), on the second proposed and not yet answered."""
    from decimal import Decimal

    from common import clock
    from employers.models import Employer, Occupation, Vacancy

    am = factories.UserFactory(role=cm.Role.ACCOUNT_MANAGER, team=None)
    matching_services.profile_save(
        resident=resident,
        by=consulent,
        sought_codes=["5322"],
        driving_licence=None,
        travel_range_km=10,
        hours_available=Decimal(24),
    )
    experience = matching_services.work_experience_add(
        resident=resident, by=consulent, occupation_code="9112", years=Decimal(2)
    )
    matching_services.consent_give(resident=resident, by=consulent, given_on=TODAY)
    employer = Employer.objects.create(
        municipality=resident.municipality,
        kvk_number="12345678",
        name="Zorggroep",
        sbi_code="8710",
    )
    vacancies = [
        Vacancy.objects.create(
            employer=employer,
            occupation=Occupation.objects.get(code="5322"),
            title=title,
            hours_per_week=Decimal(24),
            postcode="1211AB",
            start_date=TODAY,
            opened_on=TODAY,
        )
        for title in ("Verzorgende", "Helpende")
    ]
    placed = matching_services.proposal_create(vacancy=vacancies[0], resident=resident, by=am)
    matching_services.proposal_answer(
        proposal=placed, accepted=True, answered_on=clock.today(), by=am
    )
    matching_services.placement_record(
        proposal=placed,
        by=am,
        start_date=clock.today(),
        hours_per_week=Decimal(12),
        outflow_kind="gedeeltelijk",
        contract_type="tijdelijk",
    )
    proposal = matching_services.proposal_create(vacancy=vacancies[1], resident=resident, by=am)
    return {
        "accountmanager": am,
        "experience": experience,
        "vacancy": vacancies[1],
        "proposal": proposal,
    }


API_POSTS = {
    "resident-search": lambda w: {"bsn": w.resident.bsn},
    "application-decide": lambda w: {"outcome": "afgewezen", "decided_on": TODAY.isoformat()},
    "fraud-investigation-close": lambda w: {"ended_on": TODAY.isoformat(), "result": "ongewijzigd"},
    "debt-case-close": lambda w: {"closed_on": TODAY.isoformat(), "result": "ingetrokken"},
}


#: corrections (issue 14): a change each fact accepts, and a fresh fact to withdraw (the world's
#: own facts are used by the routes called after these)
API_CORRECTIONS = {
    "trajectory": {"provider": "Werkbedrijf Zuid"},
    "outflow-event": {"employer": "Bakkerij De Korenschoof"},
    "contact-moment": {"summary": "Gesprek over de werkervaringsplaats"},
    "ladder-score": {"step": 4},
    "group-assignment": {"reason": "Na gesprek heroverwogen"},
}


def _fresh_fact(basename: str, w: World):
    r, by, o = w.resident, w.consulent, w.objects
    if basename == "trajectory":
        return factories.TrajectoryFactory(resident=r, created_by=by)
    if basename == "outflow-event":
        event = o["outflow-event"]
        event.pk = None
        event.save()
        return event
    if basename == "contact-moment":
        return factories.ContactMomentFactory(resident=r, by=by)
    if basename == "ladder-score":
        return factories.LadderScoreFactory(resident=r, by=by, measured_on=dt.date(2020, 1, 1))
    return factories.GroupAssignmentFactory(
        resident=r,
        decided_by=by,
        decided_on=dt.date(2020, 1, 1),
        ended_on=dt.date(2020, 6, 1),
        reassess_on=dt.date(2021, 1, 1),
    )


def _api_correction(api, name: str, basename: str, kind: str, w: World):
    obj = w.objects[basename] if kind == "correct" else _fresh_fact(basename, w)
    from apiauth.idempotency import etag_for
    from caseload.api_urls import router

    # the ETag a GET would give, without a request of its own (one record per call)
    viewset = {base: cls for _prefix, cls, base in router.registry}[basename]
    etag = etag_for(viewset.serializers["default"](obj).data)
    body = {"reason": "Per vergissing vastgelegd"}
    if kind == "correct":
        body["changes"] = API_CORRECTIONS[basename]
    url = reverse(name, kwargs={"pk": obj.pk})
    return api.post(url, body, format="json", HTTP_IF_MATCH=etag)


def _matching_api(name: str, w: World):
    """Issue 18: the matching API, as the consulent (the resident's side) or the account
    manager (candidates, proposals, placements); withdrawing the consent gives it again
    afterwards (service), so the pages called later find the world as it was."""
    r, o = w.resident, w.objects
    api = APIClient()
    route = name.split(":", 1)[1]
    if route.startswith("resident-"):
        api.force_login(w.consulent)
        url = reverse(name, kwargs={"pk": r.pk})
        if route == "resident-consent-withdraw":
            response = api.post(url, format="json")
            matching_services.consent_give(
                resident=r, by=w.consulent, given_on=timezone.localdate()
            )
            return response
        return api.get(url)
    api.force_login(o["accountmanager"])
    if route == "vacancy-candidates":
        return api.get(reverse(name, kwargs={"pk": o["vacancy"].pk}))
    if route == "proposal-answer":
        answered_on = o["proposal"].proposed_on.isoformat()
        body = {"answer": "afgewezen", "answered_on": answered_on, "decline_reason": "Vol"}
        return api.post(reverse(name, kwargs={"pk": o["proposal"].pk}), body, format="json")
    return api.get(reverse(name))


def call(name: str, w: World, client_for):
    """(response, expects_resident) for one route, called as an authorised user."""
    r = w.resident
    o = w.objects
    rid = {"resident_id": r.pk}
    if name.startswith("matching-api:"):
        return _matching_api(name, w), True
    if name.startswith("caseload-api:"):
        basename, _, kind = name.split(":", 1)[1].rpartition("-")
        api = APIClient()
        # fraud investigations need the field grant (Handhaving); a superuser holds every grant
        api.force_login(w.superuser if basename == "fraud-investigation" else w.consulent)
        if kind == "list":
            return api.get(reverse(name)), True
        if kind == "search":
            return api.post(reverse(name), API_POSTS["resident-search"](w), format="json"), True
        if kind in ("correct", "withdraw"):  # issue 14: with If-Match from a GET
            return _api_correction(api, name, basename, kind, w), True
        url = reverse(name, kwargs={"pk": o[basename].pk})
        if kind == "detail":
            return api.get(url), True
        return api.post(url, API_POSTS[f"{basename}-{kind}"](w), format="json"), True
    if name.startswith("admin:"):
        model, view = admin_resident_routes()[name]
        obj = {
            cm.Resident: r,
            apps.get_model("intake", "Intake"): o["intake"],
            apps.get_model("intake", "PlanVanAanpak"): o["plan"],
        }.get(model)
        args = [obj.pk] if view in ("change", "history", "delete") else []
        return client_for(w.superuser).get(reverse(name, args=args)), True
    table = {
        "caseload:worklist": (w.consulent, "get", {}, None),
        "caseload:dossier": (w.consulent, "get", rid, None),
        "caseload:trajectory_start": (w.consulent, "get", rid, None),
        "caseload:trajectory_close": (
            w.consulent,
            "get",
            {**rid, "trajectory_id": o["trajectory"].pk},
            None,
        ),
        "caseload:outflow_record": (w.consulent, "get", rid, None),
        "caseload:contact_record": (w.consulent, "get", rid, None),
        "caseload:ladder_record": (w.consulent, "get", rid, None),
        "caseload:group_change": (w.consulent, "get", rid, None),
        "caseload:ww_prevention": (w.consulent, "get", rid, None),
        "caseload:contact_details": (w.consulent, "get", rid, None),
        "caseload:reassign": (w.teamleider, "get", rid, None),
        # corrections (issue 14): the forms, for the world's trajectory
        "caseload:fact_correct": (
            w.consulent,
            "get",
            {**rid, "fact_type": "traject", "fact_id": o["trajectory"].pk},
            None,
        ),
        "caseload:fact_withdraw": (
            w.consulent,
            "get",
            {**rid, "fact_type": "traject", "fact_id": o["trajectory"].pk},
            None,
        ),
        "intake:intake": (w.consulent, "get", rid, None),
        "intake:step": (w.consulent, "get", {**rid, "step": 1}, None),
        "intake:plan": (w.consulent, "get", rid, None),
        "intake:plan_action_add": (
            w.consulent,
            "post",
            {**rid, "plan_id": o["plan"].pk},
            {"description": "Bellen", "due_on": "2026-12-24", "owner": "inwoner"},
        ),
        # issue 14: the worklist export, an action done, the signed date, print, PDF, summary
        "caseload:worklist_export": (w.teamleider, "get", {}, None),
        "intake:plan_action_done": (
            w.consulent,
            "post",
            {**rid, "plan_id": o["plan"].pk},
            {"actie": o["plan"].actions.values_list("pk", flat=True).first() or 0},
        ),
        "intake:plan_sign": (
            w.consulent,
            "post",
            {**rid, "plan_id": o["plan"].pk},
            {"sign-signed_on": o["plan"].created_at.date().isoformat()},
        ),
        "intake:plan_print": (w.consulent, "get", {**rid, "plan_id": o["plan"].pk}, None),
        "intake:plan_pdf": (w.consulent, "get", {**rid, "plan_id": o["plan"].pk}, None),
        "intake:summary": (w.consulent, "get", rid, None),
        "indicators:residents": (w.teamleider, "get", {"code": "outflow.to_work"}, None),
        "apiauth:import-create": (
            w.beheer,
            "post",
            {},
            {
                "municipality": r.municipality_id,
                "file": SimpleUploadedFile("inwoners.csv", b"bsn\n"),
            },
        ),
        "apiauth:import-detail": (w.beheer, "get", {"pk": o["import"].pk}, None),
        # the BSN of a resident in the consulent's scope: the dossier, logged as a search
        "registers:start": (w.consulent, "post", {}, {"bsn": r.bsn}),
        # the decision form of the world's application in behandeling
        "registers:application_decide": (w.consulent, "get", rid, None),
        "registers:application_new": (w.consulent, "get", rid, None),
        # issue 18: profile, consent, passende vacatures, candidates, proposal, placement
        "matching:profile": (w.consulent, "get", rid, None),
        "matching:experience_add": (w.consulent, "post", rid, {"occupation": "5223", "years": "1"}),
        "matching:experience_remove": (
            w.consulent,
            "post",
            {**rid, "pk": o["experience"].pk},
            None,
        ),
        "matching:consent_give": (w.consulent, "post", rid, {"given_on": TODAY.isoformat()}),
        "matching:consent_withdraw": (
            w.consulent,
            "post",
            {
                **rid,
                "pk": r.matching_consents.filter(withdrawn_at__isnull=True)
                .values_list("pk", flat=True)
                .first()
                or 0,
            },
            None,
        ),
        "matching:resident_vacancies": (w.consulent, "get", rid, None),
        "matching:incomplete": (w.consulent, "get", {}, None),
        "matching:candidates": (o["accountmanager"], "get", {"pk": o["vacancy"].pk}, None),
        # the consulent: the account manager gets a 404 for a resident without consent (the
        # consent was withdrawn above; security review of 4 December, finding 4)
        "matching:propose": (
            w.consulent,
            "post",
            {"pk": o["vacancy"].pk},
            {"profile": r.matching_profile.pk, "terug": "inwoner"},
        ),
        "matching:answer": (o["accountmanager"], "get", {"pk": o["proposal"].pk}, None),
        "matching:placement": (o["accountmanager"], "get", {"pk": o["proposal"].pk}, None),
        "matching:placements": (o["accountmanager"], "get", {}, None),
        "privacy:break_glass_review": (w.officer, "get", {}, None),
        "privacy:log_resident": (w.officer, "get", rid, None),
        "privacy:log_resident_export": (w.officer, "get", {**rid, "fmt": "csv"}, None),
        "privacy:log_user": (w.officer, "get", {"staff_id": w.consulent.pk}, None),
        # the next page of a non-resident's records: names the person's pseudonym, no resident
        "privacy:log_person": (
            w.officer,
            "get",
            {"token": getattr(w, "person_token", "")},
            None,
        ),
        "privacy:subject_access": (w.officer, "get", rid, None),
        "privacy:subject_access_export": (w.officer, "get", {**rid, "fmt": "json"}, None),
    }
    if name not in table:
        raise KeyError(name)
    user, method, kwargs, data = table[name]
    client = client_for(user)
    url = reverse(name, kwargs=kwargs)
    response = client.get(url) if method == "get" else client.post(url, data)
    expects_resident = name not in {
        "privacy:log_user",
        "privacy:log_person",
        "apiauth:import-create",
        "apiauth:import-detail",
    }
    if name == "indicators:residents":
        expects_resident = False  # the drill-down lists who is in the numerator (none here)
    return response, expects_resident


def logged_routes(names) -> list[str]:
    admin_routes = set(admin_resident_routes())
    return sorted(n for n in names if n not in ALLOWED and n not in admin_other_routes(names)) + [
        n for n in sorted(admin_routes) if n not in names
    ]


def test_every_route_is_logged_or_allowed(world, client, django_user_model):
    names = {route.name for route in url_routes()}
    assert len(names) > 60
    stale = set(ALLOWED) - names
    assert not stale, f"allow-list names routes that no longer exist: {sorted(stale)}"

    def client_for(user):
        client.logout()
        client.force_login(user)
        return client

    pseudonym = resident_pseudonym(world.resident.pk)
    # the officer's search record behind the address of privacy:log_person, before the walk
    world.person_token = factories.person_log_address_token(world.officer)
    failures, checked = [], 0
    for name in logged_routes(names):
        before = ProcessingRecord.objects.order_by("-id").values_list("id", flat=True).first() or 0
        try:
            response, expects_resident = call(name, world, client_for)
        except KeyError:
            failures.append(f"{name}: new route; call it in this test or allow-list it")
            continue
        new = list(ProcessingRecord.objects.filter(id__gt=before))
        view = name.rsplit("_", 1)[-1]
        if name.startswith("admin:") and view in ADMIN_REFUSED:
            if response.status_code != 403 and not new:
                failures.append(f"{name}: served ({response.status_code}) without a record")
            continue
        checked += 1
        if response.status_code >= 400 and response.status_code != 422:
            failures.append(f"{name}: authorised call got {response.status_code}")
        elif len(new) != 1:
            failures.append(f"{name}: wrote {len(new)} records, expected 1")
        elif expects_resident and pseudonym not in new[0].subjects:
            failures.append(f"{name}: the record does not name the resident")
        elif new[0].route != name:
            # a selector read outside a request context is logged on the spot, without the
            # route: the view lacks @processing_logged (or the API mixin)
            failures.append(f"{name}: logged outside the request ({new[0].route!r})")
        elif new[0].route_label == name:
            # the officer, the exports and a subject access name the page in Dutch
            failures.append(f"{name}: no Dutch label in privacy.routes")
    assert not failures, "\n".join(failures)
    assert checked >= 45


def test_an_unlisted_route_with_a_resident_id_fails_the_walk(world, client):
    """The walker's own guard: a route it does not know is reported, not skipped."""
    with pytest.raises(KeyError):
        call("caseload:new_resident_page", world, lambda user: client)


def test_allow_list_has_no_resident_ids():
    """No allowed route takes a resident's id, except the break-the-glass form (which shows
    nothing of the resident)."""
    patterns = {route.name: route.args for route in url_routes()}
    offenders = [
        n
        for n in ALLOWED
        if n in patterns and "resident_id" in patterns[n] and n != "privacy:break_glass"
    ]
    assert offenders == []
