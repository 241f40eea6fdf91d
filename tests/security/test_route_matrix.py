"""Issue 12, "prove it for every route": the generated least-privilege matrix.

Every named URL pattern (walked from the URLconf, the admin included) and every operation of
the OpenAPI schema, called as every identity of ``route_matrix.IDENTITIES`` on every kind of
object (own team, other team, other municipality, nonexistent id), must answer what
``tests/security/route_matrix.py`` states. A route or operation missing from the table fails
``test_every_route_is_in_the_table``. One test per route or operation
(``test_route[<route>]``) calls each of its cells (every identity on every kind of object) in
its own savepoint and names every failing cell (``<route> as <identity> on <object>: got
(status), want ...``); a cell of ``route_matrix.XFAIL`` fails it once the cell passes.

Reads are GETs. Routes that offer no GET (``route_matrix.POST_ONLY``) and the API's writes are
called with an empty body: whoever may write reaches validation (``invalid``). What a write may
reference is proven by ``test_write_*`` below: a payload that names an object of another team,
another municipality or a nonexistent id is refused (4xx, the same answer as for a nonexistent
id) and writes no row.

The data is built once per module (``world``) inside a transaction that is rolled back at the
end; each cell runs in its own savepoint, so a write in one cell is gone before the next (one
test per cell cost a third of the module's time in pytest's own per-test work; issue 16,
point 11).
"""

from __future__ import annotations

import datetime as dt
import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlparse

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils.html import escape

from apiauth import services as api_services
from apiauth.docs import openapi_schema
from apiauth.models import ApiToken
from budget.models import BuigReport, LedgerImport, PaymentImport
from caseload import models as cm
from caseload.demo import BEHEER_APPS, BEHEER_MODELS
from privacy import services as privacy_services
from tests import factories
from tests.security import route_matrix as matrix
from tests.security.conftest import Route, url_routes
from tests.security.test_access_matrix import _resident_with_everything

MISSING = 987_654_321
CASELOAD_API = "/api/v1/caseload/"
#: API resources that belong to a resident (objects of all four kinds).
RESIDENT_RESOURCES = {
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
}
#: Pages whose ``pk`` is a municipal object (own municipality, another one, nonexistent).
MUNICIPAL_PK = {
    "budget:import_status": "ledger",
    "budget:payment_import_status": "payments",
    "budget:report_status": "report",
    "budget:report_download": "report",
    "apiauth:import-detail": "job",
    "apiauth:token-revoke": "token",
    # werkgeversservicepunt (issue 18): employers and vacancies of a municipality
    "employers:employer_detail": "employer",
    "employers:employer_edit": "employer",
    "employers:location_add": "employer",
    "employers:contact_add": "employer",
    "employers:commitment_set": "employer",
    "employers:vacancy_create": "employer",
    "employers:vacancy_import": "employer",
    "employers:vacancy_detail": "vacancy",
    "employers:vacancy_edit": "vacancy",
    "employers:vacancy_close": "vacancy",
    # matching (issue 18): a vacancy's candidates, proposing for it
    "matching:candidates": "vacancy",
    "matching:propose": "vacancy",
}
FORMATS = {
    "privacy:log_resident_export": "csv",
    "privacy:subject_access_export": "json",
    "budget:report_download": "csv",
}
PASSWORD_RESET_LINK = "admin:caseload_user_password_reset_link"
TWO_FACTOR_RESET = "admin:caseload_user_two_factor_reset"
#: Identities tried on pages and the admin: every person, and one key. A key is not a session:
#: pages never read the Authorization header, so every key answers alike there (``login``).
PAGE_IDENTITIES = tuple(i for i in matrix.IDENTITIES if not i.startswith("token:")) + (
    "token:bound",
)


# --- What is in the URLconf and the schema ------------------------------------------------------


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    path: str

    @property
    def resource(self) -> str | None:
        if not self.path.startswith(CASELOAD_API):
            return None
        return self.path.removeprefix(CASELOAD_API).split("/", 1)[0]


def api_operations() -> dict[str, Operation]:
    ops = {}
    for path, item in openapi_schema()["paths"].items():
        for method, op in item.items():
            ops[op["operationId"]] = Operation(op["operationId"], method.upper(), path)
    return ops


def _schema_path(route: Route) -> str:
    """``api/v1/caseload/^residents/(?P<pk>[^/]+)/$`` -> ``/api/v1/caseload/residents/{id}/``."""
    text = route.pattern.replace("(?P<pk>[^/]+)", "{id}").replace("(?P<pk>[^/.]+)", "{id}")
    text = text.replace("<int:pk>", "{id}")
    text = text.replace("^", "").replace("$", "")
    return "/" + text


def page_routes() -> dict[str, Route]:
    """Every named route that is not a REST framework operation (those are in the schema)."""
    return {r.name: r for r in url_routes() if not (r.is_drf and r.name != "api-schema")}


def admin_rule(name: str) -> dict | None:
    if name in matrix.ADMIN_PAGES:
        return matrix.ADMIN_PAGES[name]
    model, _, view = name.removeprefix("admin:").rpartition("_")
    return matrix.admin_model_rule(model, view)


def page_rule(name: str) -> dict | None:
    if name == "api-schema":
        return API_SCHEMA
    if name.startswith("admin:"):
        return admin_rule(name)
    return matrix.PAGES.get(name)


#: The schema itself (any signed-in person or key; it documents, it holds no data).
API_SCHEMA = {"anonymous": matrix.LOGIN, "*": matrix.OK}


def route_kinds(route: Route) -> tuple[str, ...]:
    if {"resident_id", "staff_id"} & set(route.args):
        return matrix.KINDS
    if route.name in MUNICIPAL_PK:
        return ("own", "foreign", "missing")
    if route.name.startswith("admin:") and {"object_id", "id", "pk"} & set(route.args):
        return ("own", "missing")
    return ("-",)


#: API operations whose ``{id}`` is a municipal object, like :data:`MUNICIPAL_PK`.
MUNICIPAL_OPERATIONS = {
    "budget_betalingen_imports_retrieve": "payments",
    # werkgeversservicepunt (issue 18)
    "employers_employers_retrieve": "employer",
    "employers_employers_partial_update": "employer",
    "employers_vacancies_retrieve": "vacancy",
    "employers_vacancies_partial_update": "vacancy",
    "employers_vacancies_close_create": "vacancy",
    "matching_vacancies_candidates_list": "vacancy",
}
#: The matching API's operations whose ``{id}`` is a resident (issue 18).
MATCHING_RESIDENT_API = "/api/v1/matching/residents/"


def operation_kinds(op: Operation) -> tuple[str, ...]:
    if op.operation_id == "indicators_values_retrieve" or op.operation_id in MUNICIPAL_OPERATIONS:
        return ("own", "foreign", "missing")
    if "{id}" not in op.path:
        return ("-",)
    if op.resource in RESIDENT_RESOURCES or op.path.startswith(MATCHING_RESIDENT_API):
        return matrix.KINDS
    return ("own", "missing")


def _cells() -> list[tuple[str, str, str]]:
    """(route or operation id, identity, object kind) for every cell of the matrix."""
    cells = []
    for name, route in sorted(page_routes().items()):
        if page_rule(name) is None:
            continue  # reported by test_every_route_is_in_the_table
        rule = page_rule(name)
        for identity in PAGE_IDENTITIES:
            kinds = route_kinds(route)
            if name.startswith("admin:") and matrix.expected(rule, identity, "-") == matrix.LOGIN:
                # the admin sends non-staff to its login before it looks at any object
                kinds = kinds[:1]
            cells += [(name, identity, kind) for kind in kinds]
    for op_id, op in sorted(api_operations().items()):
        if op_id not in matrix.API:
            continue
        for identity in matrix.IDENTITIES:
            cells += [(op_id, identity, kind) for kind in operation_kinds(op)]
    return cells


def _route_params() -> list:
    """One test per route or operation, holding its cells (identity, object kind)."""
    by_key: dict[str, list[tuple[str, str]]] = {}
    for key, identity, kind in _cells():
        by_key.setdefault(key, []).append((identity, kind))
    return [pytest.param(key, tuple(cells), id=key) for key, cells in by_key.items()]


# --- The world ------------------------------------------------------------------------------------


@dataclass
class World:
    municipalities: dict  # "own"/"foreign" -> Municipality
    residents: dict  # kind -> Resident
    objects: dict  # (resource, kind) -> id (API resources)
    plans: dict  # kind -> plan id
    trajectories: dict  # kind -> open trajectory id
    staff: dict  # kind -> staff member id (log_user, the admin's user pages)
    municipal: dict  # (what, kind) -> id: ledger imports, reports, import jobs, tokens
    admin_objects: dict  # "<app>_<model>" -> pk of an existing row
    users: dict  # identity -> User (people)
    districts: dict  # "own"/"foreign" -> district id
    instrument: int  # an instrument of the catalogue
    clients: dict = field(default_factory=dict)  # identity -> Client


def _build_world(media_root) -> World:
    own_m = factories.MunicipalityFactory(name="Eigengemeente", cbs_code="GM9901")
    foreign_m = factories.MunicipalityFactory(name="Buurgemeente", cbs_code="GM9902")
    team_a = factories.TeamFactory(name="Werk A", municipality=own_m)
    team_b = factories.TeamFactory(name="Werk B", municipality=own_m)
    team_c = factories.TeamFactory(name="Werk C", municipality=own_m)
    team_f = factories.TeamFactory(name="Werk F", municipality=foreign_m)
    beheer = factories.UserFactory(beheer=True, username="x.beheer")
    # functioneel beheer's admin permissions, as the demo and the deployment give them
    beheer.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="caseload", content_type__model__in=BEHEER_MODELS
        )
        | Permission.objects.filter(content_type__app_label__in=BEHEER_APPS)
    )
    users = {
        "consulent": factories.UserFactory(team=team_a, username="x.consulent"),
        "teamleider": factories.UserFactory(
            team=team_a, role=cm.Role.TEAMLEIDER, username="x.teamleider"
        ),
        "manager": factories.UserFactory(manager=True, username="x.manager"),
        "financien": factories.UserFactory(finance=True, username="x.financien"),
        "beheer": beheer,
        "privacy": factories.UserFactory(privacy=True, username="x.privacy"),
        "accountmanager": factories.UserFactory(
            role=cm.Role.ACCOUNT_MANAGER, team=None, username="x.accountmanager"
        ),
        # the regional login (issue 17): aggregates of the region only
        "regio": factories.UserFactory(role=cm.Role.REGION, team=None, username="x.regio"),
        "superuser": factories.UserFactory(beheer=True, is_superuser=True, username="x.superuser"),
        "glass": factories.UserFactory(team=team_c, username="x.doorbraak"),
    }
    other_consulent = factories.UserFactory(team=team_b, username="x.werkb")
    foreign_consulent = factories.UserFactory(team=team_f, username="x.buurgemeente")
    residents, objects, plans, trajectories = {}, {}, {}, {}
    for kind, team, consulent, name in (
        ("own", team_a, users["consulent"], "Eigenteam"),
        ("other", team_b, other_consulent, "Anderteam"),
        ("foreign", team_f, foreign_consulent, "Buurgemeente"),
    ):
        resident, objs, plan = _resident_with_everything(
            team=team, consulent=consulent, last_name=name
        )
        residents[kind] = resident
        # an open investigation, so that closing it is a write the owner may make
        objs["fraud-investigations"] = factories.FraudInvestigationFactory(resident=resident).pk
        objects |= {(resource, kind): pk for resource, pk in objs.items()}
        plans[kind] = plan
        trajectories[kind] = objs["trajectories"]
    privacy_services.break_glass_grant(
        user=users["glass"],
        resident=residents["own"],
        reason="Vervanging tijdens ziekte van de consulent",
    )

    # keys: one service account of the own municipality, one key per scope, one bound key
    account = api_services.service_account_create(
        username="x.koppeling", municipality=own_m, description="Koppeling"
    )
    secrets = {}

    def issue(**kwargs) -> tuple[ApiToken, str]:
        token, secret = api_services.token_issue(created_by=beheer, **kwargs)
        approve = getattr(api_services, "token_approve", None)  # four eyes (finding 2)
        pending = getattr(getattr(ApiToken, "Approval", None), "PENDING", None)
        if approve is not None and pending is not None and token.approval == pending:
            token = approve(token=token, by=users["privacy"])
        return token, secret

    for scope in matrix.TOKEN_SCOPES:
        _token, secrets[f"token:{scope}"] = issue(user=account, name=scope, scopes=[scope])
    _token, secrets["token:bound"] = issue(
        user=account, name="gebonden", scopes=list(matrix.TOKEN_SCOPES), municipality=own_m
    )
    # personal keys (issue 18): a person's own key, that person's permissions and scope
    for identity, (owner, scopes, bound) in matrix.PERSONAL_KEYS.items():
        _token, secrets[identity] = issue(
            user=users[owner],
            name=identity,
            scopes=list(scopes),
            municipality=foreign_m if bound else None,
        )
    foreign_account = api_services.service_account_create(
        username="x.buurkoppeling", municipality=foreign_m, description="Koppeling"
    )

    municipal = {}
    for kind, municipality, acc in (
        ("own", own_m, account),
        ("foreign", foreign_m, foreign_account),
    ):
        ledger = LedgerImport(
            municipality=municipality,
            original_name="grootboek.csv",
            checksum=f"{municipality.pk:064d}",
            status=LedgerImport.Status.SUCCEEDED,
            created_by=beheer,
        )
        ledger.file.save("grootboek.csv", ContentFile(b"rekening;bedrag\n"), save=False)
        ledger.save()
        payments = PaymentImport(
            municipality=municipality,
            original_name="betalingen.csv",
            checksum=f"{municipality.pk:064d}",
            status=PaymentImport.Status.SUCCEEDED,
            created_by=beheer,
        )
        payments.save()
        report = BuigReport(
            municipality=municipality, year=2025, created_by=beheer, xlsx_sha256="x" * 64
        )
        report.csv_file.save("buig.csv", ContentFile(b"regel;bedrag\n"), save=False)
        report.xlsx_file.save("buig.xlsx", ContentFile(b"PK"), save=False)
        report.status = BuigReport.Status.SUCCEEDED
        report.save()
        job = api_services.import_job_create(
            municipality=municipality, filename="inwoners.csv", content=b"bsn\n", by=beheer
        )
        token, _secret = issue(user=acc, name="intrekbaar", scopes=["caseload:read"])
        municipal |= {
            ("ledger", kind): ledger.pk,
            ("payments", kind): payments.pk,
            ("report", kind): report.pk,
            ("job", kind): job.pk,
            ("token", kind): token.pk,
        }
        vacancy = factories.VacancyFactory(employer__municipality=municipality)
        municipal |= {("employer", kind): vacancy.employer_id, ("vacancy", kind): vacancy.pk}

    _admin_rows(users)
    admin_objects = {}
    for model in admin.site._registry:
        key = f"{model._meta.app_label}_{model._meta.model_name}"
        row = model.objects.order_by("pk").first()
        if row is not None:
            admin_objects[key] = row.pk
    admin_objects["caseload_resident"] = residents["own"].pk
    admin_objects["caseload_user"] = users["consulent"].pk

    world = World(
        municipalities={"own": own_m, "foreign": foreign_m},
        residents=residents,
        objects=objects,
        plans=plans,
        trajectories=trajectories,
        staff={
            "own": users["consulent"].pk,
            "other": other_consulent.pk,
            "foreign": foreign_consulent.pk,
        },
        municipal=municipal,
        admin_objects=admin_objects,
        users=users,
        districts={
            "own": factories.DistrictFactory(municipality=own_m).pk,
            "foreign": factories.DistrictFactory(municipality=foreign_m).pk,
        },
        instrument=cm.Instrument.objects.filter(is_active=True).order_by("pk").first().pk,
    )
    # a 500 is an outcome ("error 500") that fails its cell, not an exception
    world.clients["anonymous"] = Client(raise_request_exception=False)
    for identity, user in users.items():
        client = Client(raise_request_exception=False)
        client.force_login(user)
        world.clients[identity] = client
    for identity, secret in secrets.items():
        world.clients[identity] = Client(
            raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {secret}"
        )
    return world


def _admin_rows(users: dict) -> None:
    """One row in each technical table, so that the admin's object views see a real id."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_celery_beat import models as beat
    from django_otp.plugins.otp_totp.models import TOTPDevice

    Group.objects.get_or_create(name="Matrix")
    interval = beat.IntervalSchedule.objects.create(every=1, period=beat.IntervalSchedule.DAYS)
    beat.CrontabSchedule.objects.create(minute="0", hour="3")
    beat.SolarSchedule.objects.create(event="sunrise", latitude=52.2, longitude=5.2)
    beat.ClockedSchedule.objects.create(clocked_time=dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    beat.PeriodicTask.objects.create(name="matrix", task="matrix.noop", interval=interval)
    TOTPDevice.objects.create(user=users["consulent"], name="telefoon", confirmed=True)
    where = {"ip_address": "192.0.2.1", "user_agent": "matrix", "username": "x.consulent"}
    AccessAttempt.objects.create(failures_since_start=1, **where)
    AccessLog.objects.create(**where)
    AccessFailureLog.objects.create(**where)


@pytest.fixture(autouse=True)
def _health_at_ease(monkeypatch):
    """``/health/`` answers 503 when its own new database connection takes more than 0.6 s,
    which a loaded 2-core machine now and then does (a cell failed so once): the matrix asks who
    may call it, not how fast it answers (tests/faults and tests/common check the deadline)."""
    monkeypatch.setattr("common.views.HEALTH_DEADLINE", 5)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module, rolled back at its end."""
    media = tmp_path_factory.mktemp("matrix-media")
    rates = {"client": "100000/minute", "bsn_search": "100000/minute"}
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media)):
        from django.conf import settings

        rest = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
        with override_settings(REST_FRAMEWORK=rest):
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                yield _build_world(media)
            finally:
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)


# --- Calling one cell -----------------------------------------------------------------------------


def _page_kwargs(world: World, route: Route, kind: str) -> dict:
    values = {}
    for arg in route.args:
        if arg == "resident_id":
            values[arg] = world.residents[kind].pk if kind in world.residents else MISSING
        elif arg == "trajectory_id":
            values[arg] = world.trajectories.get(kind, MISSING)
        elif arg == "fact_type":  # corrections (issue 14): the trajectory of the resident
            values[arg] = "traject"
        elif arg == "fact_id":
            values[arg] = world.trajectories.get(kind, MISSING)
        elif arg == "plan_id":
            values[arg] = world.plans.get(kind, MISSING)
        elif arg == "staff_id":
            values[arg] = world.staff.get(kind, MISSING)
        elif arg == "step":
            values[arg] = 1
        elif arg == "fmt":
            values[arg] = FORMATS[route.name]
        elif arg == "code":
            values[arg] = "outflow.to_work"
        elif arg == "uidb64":
            values[arg] = "MQ"
        elif arg == "token" and route.name == "privacy:log_person":
            # the address a search for a non-resident's records makes (signed pseudonym)
            values[arg] = factories.person_log_address_token(world.users["privacy"])
        elif arg == "token":
            values[arg] = "verlopen-link"
        elif arg == "app_label":
            values[arg] = "caseload"
        elif arg == "content_type_id":
            values[arg] = ContentType.objects.get_for_model(cm.Team).pk
        elif route.name == "admin:view_on_site" and arg == "object_id":
            values[arg] = cm.Team.objects.order_by("pk").first().pk
        elif arg == "pk" and route.name in MUNICIPAL_PK:
            values[arg] = world.municipal.get((MUNICIPAL_PK[route.name], kind), MISSING)
        elif arg in ("object_id", "id", "pk"):
            model = route.name.removeprefix("admin:").rpartition("_")[0]
            if route.name in (
                "admin:auth_user_password_change",
                PASSWORD_RESET_LINK,
                TWO_FACTOR_RESET,
            ):
                model = "caseload_user"
            if model.startswith("otp_totp_totpdevice"):
                model = "otp_totp_totpdevice"
            values[arg] = world.admin_objects.get(model, MISSING) if kind == "own" else MISSING
        else:
            raise AssertionError(f"{route.name}: no value for the path argument {arg!r}")
    return values


def _operation_url(world: World, op: Operation, kind: str) -> tuple[str, dict]:
    path, query = op.path, {}
    if op.operation_id == "indicators_values_retrieve":
        municipality = world.municipalities.get(kind)
        query["municipality"] = municipality.pk if municipality else MISSING
    if "{id}" in path:
        if op.resource in RESIDENT_RESOURCES:
            pk = world.objects.get((op.resource, kind), MISSING)
        elif op.path.startswith(MATCHING_RESIDENT_API):
            pk = world.residents[kind].pk if kind in world.residents else MISSING
        elif op.operation_id in MUNICIPAL_OPERATIONS:
            pk = world.municipal.get((MUNICIPAL_OPERATIONS[op.operation_id], kind), MISSING)
        else:  # the instrument catalogue
            pk = cm.Instrument.objects.order_by("pk").first().pk if kind == "own" else MISSING
        path = path.replace("{id}", str(pk))
    return path, query


def classify(response) -> str:
    code = response.status_code
    if code == 401:
        return matrix.LOGIN
    if 300 <= code < 400:
        location = urlparse(response.get("Location", "")).path
        to_login = location in (reverse("login"), reverse("admin:login"))
        return matrix.LOGIN if to_login else matrix.OK
    if code == 403:
        templates = {t.name for t in getattr(response, "templates", []) or []}
        return matrix.GLASS if "privacy/break_glass.html" in templates else matrix.DENIED
    if code == 404:
        return matrix.HIDDEN
    if code == 405:
        return matrix.NA
    if code in (400, 412, 422, 428):
        return matrix.INVALID
    if code < 300:
        return matrix.OK
    return f"error {code}"


def call(world: World, key: str, identity: str, kind: str):
    client = world.clients[identity]
    ops = _OPERATIONS
    if key in ops:
        op = ops[key]
        path, query = _operation_url(world, op, kind)
        if op.method == "GET":
            return client.get(path, query)
        send = client.patch if op.method == "PATCH" else client.post
        return send(path, data="{}", content_type="application/json")
    route = _PAGES[key]
    url = reverse(route.name, kwargs=_page_kwargs(world, route, kind))
    if key in matrix.POST_ONLY:
        return client.post(url, {})
    return client.get(url)


_PAGES = page_routes()
_OPERATIONS = api_operations()


# --- The tests ------------------------------------------------------------------------------------


def test_every_route_is_in_the_table():
    """A new page, admin view or API operation fails here until the table names it."""
    missing = [n for n in _PAGES if page_rule(n) is None]
    missing += [f"API operation {o}" for o in _OPERATIONS if o not in matrix.API]
    assert not missing, "add these to tests/security/route_matrix.py:\n" + "\n".join(missing)
    stale = [n for n in matrix.PAGES if n not in _PAGES]
    stale += [n for n in matrix.ADMIN_PAGES if n not in _PAGES]
    stale += [o for o in matrix.API if o not in _OPERATIONS]
    registered = {f"{m._meta.app_label}_{m._meta.model_name}" for m in admin.site._registry}
    stale += [f"admin model {m}" for m in matrix.ADMIN_MODELS if m not in registered]
    assert not stale, "the table names routes that no longer exist: " + ", ".join(stale)


def test_every_api_route_is_in_the_schema():
    """REST framework routes are tabled by operation id: each must be in the schema."""
    paths = {op.path for op in _OPERATIONS.values()}
    drf = [r for r in url_routes() if r.is_drf and r.name != "api-schema"]
    assert drf
    assert [r.name for r in drf if _schema_path(r) not in paths] == []


def test_every_rule_covers_every_identity():
    for key, rule in [*matrix.PAGES.items(), *matrix.API.items(), *matrix.ADMIN_PAGES.items()]:
        for identity in matrix.IDENTITIES:
            for kind in (*matrix.KINDS, "-"):
                assert matrix.expected(rule, identity, kind) in matrix.OUTCOMES, (key, identity)


def test_xfail_entries_name_real_cells():
    known = set(_PAGES) | set(_OPERATIONS) | {"*"}
    assert [k for k in matrix.XFAIL if k[0] not in known] == []


@contextmanager
def _rolled_back():
    """One cell's own savepoint: whatever its request wrote is gone before the next cell."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _known_gap(failure: str | None, reason: str | None) -> str | None:
    """What a cell reports: its failure, unless ``route_matrix.XFAIL`` names it as a known gap;
    a known gap that passes now is reported (strict, like ``xfail(strict=True)``)."""
    if reason is None:
        return failure
    if failure is None:
        return f"passes now, remove its XFAIL entry ({reason})"
    return None


@pytest.mark.parametrize(("key", "cells"), _route_params())
def test_route(world, db, key, cells):
    """Every cell of one route or operation (each identity on each kind of object) answers
    what the table states. Each cell runs in its own savepoint; the failure message names
    every failing cell (``<route> as <identity> on <object>: got (status), want``)."""
    rule = matrix.API[key] if key in _OPERATIONS else page_rule(key)
    failures = []
    for identity, kind in cells:
        want = matrix.expected(rule, identity, kind)
        where = f"{key} as {identity} on {kind}"
        try:
            with _rolled_back():
                response = call(world, key, identity, kind)
        except Exception as exc:  # noqa: BLE001 - the cell fails, the other cells still run
            failure = f"raised {exc!r}, want {want}"
        else:
            got = classify(response)
            failure = None if got == want else f"{got} ({response.status_code}), want {want}"
        failure = _known_gap(failure, matrix.xfail_reason(key, identity, kind))
        if failure is not None:
            failures.append(f"{where}: {failure}")
    assert not failures, f"{len(failures)} of {len(cells)} cells:\n" + "\n".join(failures)


# --- The write matrix -----------------------------------------------------------------------------

TODAY = "2026-01-05"
#: Valid requests of the writes in ``route_matrix.WRITES`` (own objects everywhere); the test
#: then points one reference at an object of another kind.
API_BODIES = {
    # IOAW: the world's resident has an application of algemene bijstand in behandeling, and
    # a second one in the same regeling is refused (the walk of 3 December)
    "caseload_applications_create": {"received_on": TODAY, "regime": "ioaw"},
    "caseload_group_assignments_create": {"group": 2, "reason": "Intake", "decided_on": TODAY},
    "caseload_trajectories_create": {"started_on": TODAY},
    "caseload_outflow_events_create": {
        "kind": "gedeeltelijk",
        "reason": "werk",
        "occurred_on": TODAY,
        "hours_per_week": 16,
        "contract_type": "tijdelijk",
    },
    "caseload_contact_moments_create": {"occurred_on": TODAY, "channel": "telefoon"},
    "caseload_ladder_scores_create": {"measured_on": TODAY, "step": 3},
    "caseload_debt_cases_create": {"applied_on": TODAY},
    "caseload_fraud_investigations_create": {"started_on": TODAY, "signal_source": "tip"},
    "caseload_households_create": {
        "household_type": "alleenstaand",
        "street": "Kerkstraat",
        "house_number": "1",
        "postcode": "1211 AB",
        "city": "Hilversum",
    },
    "caseload_residents_create": {
        "first_name": "Fatima",
        "last_name": "Schrijfproef",
        "birth_date": "1990-04-01",
        "education_level": "mbo2",
        "has_startkwalificatie": True,
    },
    "caseload_residents_partial_update": {"language_level": "b1"},
    "caseload_trajectories_partial_update": {"ended_on": TODAY, "result": "afgerond"},
    "caseload_applications_decide_create": {"outcome": "afgewezen", "decided_on": TODAY},
    "caseload_debt_cases_close_create": {"closed_on": TODAY, "result": "ingetrokken"},
    "caseload_fraud_investigations_close_create": {"ended_on": TODAY, "result": "ongewijzigd"},
}
PAGE_BODIES = {
    "caseload:dossier": {"toon_bsn": "1"},
    "caseload:trajectory_start": {"started_on": TODAY},
    "caseload:trajectory_close": {"ended_on": TODAY, "result": "afgerond"},
    "caseload:outflow_record": {
        "kind": "gedeeltelijk",
        "reason": "werk",
        "occurred_on": TODAY,
        "hours_per_week": "16",
        "contract_type": "tijdelijk",
    },
    "caseload:contact_record": {"occurred_on": TODAY, "channel": "telefoon", "summary": "x"},
    "caseload:ladder_record": {"measured_on": TODAY, "step": "3"},
    "caseload:group_change": {"group": "2", "reason": "Heroverweging"},
    "caseload:ww_prevention": {
        "actie": "melding",
        "melding-received_on": TODAY,
        "melding-risk_profile": "normaal",
    },
    "caseload:fact_correct": {"started_on": TODAY, "cost": "0", "correction_reason": "Datum"},
    "caseload:fact_withdraw": {"correction_reason": "Per vergissing vastgelegd"},
    "caseload:reassign": {},
    "intake:intake": {},
    "intake:step": {"score": "3", "notes": "Proef"},
    "intake:plan": {
        "goals": "Werk vinden",
        "commitments": "Solliciteren",
        "expected_outflow": "geen",
        **{f"action_{n}_owner": "inwoner" for n in (1, 2, 3)},
    },
    "intake:plan_action_add": {"description": "Bellen", "due_on": "2026-12-24", "owner": "inwoner"},
    "registers:application_decide": {"outcome": "afgewezen", "decided_on": TODAY},
    # IOAW: the world's application in behandeling is one of algemene bijstand
    "registers:application_new": {"received_on": TODAY, "regime": "ioaw"},
    "caseload:worklist": {},
    "privacy:break_glass": {"reason": "Vervanging tijdens ziekte van de consulent"},
    "apiauth:import-create": {},
    "apiauth:token-list": {
        "name": "Proefsleutel",
        "new_service_account": "x.proefkoppeling",
        "scopes": ["indicators:read"],
    },
}
#: the model rows a refused write must leave alone (every table a write of the system touches)
WATCHED_APPS = ("caseload", "intake", "budget")
WATCHED_MODELS = ("apiauth.ServiceAccount", "apiauth.ImportJob", "privacy.BreakGlassGrant")


def _fingerprint() -> dict:
    """A digest of every row (every column, ``row::text``) of each watched table, computed by
    PostgreSQL in one query; API keys by id and revocation only (their ``last_used_at`` moves
    on every authenticated call). Two fingerprints differ exactly where a row was added,
    removed or changed, and name those tables."""
    from django.apps import apps as django_apps

    models = [m for a in WATCHED_APPS for m in django_apps.get_app_config(a).get_models()]
    models += [django_apps.get_model(label) for label in WATCHED_MODELS]
    qn = connection.ops.quote_name

    def digest(rows: str, table: str, order: str) -> str:
        # table and column names from the models' _meta, quoted; no value is interpolated
        agg = f"md5(coalesce(string_agg({rows}, '|' ORDER BY {order}), ''))"
        return f"(SELECT {agg} FROM {table} r)"  # noqa: S608

    columns = [digest("r::text", qn(m._meta.db_table), "r::text") for m in models]
    key_rows = f"concat_ws(',', r.{qn(ApiToken._meta.pk.column)}, r.{qn('revoked_at')})"
    columns.append(digest(key_rows, qn(ApiToken._meta.db_table), key_rows))
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(columns))
        digests = cursor.fetchone()
    labels = [m._meta.label for m in models] + ["apiauth.ApiToken"]
    return dict(zip(labels, digests, strict=True))


def _reference(world: World, field: str, kind: str):
    """The id of an object of ``kind`` for a payload field."""
    if kind == "missing":
        return MISSING
    own, other, foreign = (world.residents[k] for k in ("own", "other", "foreign"))
    by_kind = {"own": own, "other": other, "foreign": foreign}
    resident = by_kind[kind]
    if field == "resident":
        return resident.pk
    if field == "household":
        return resident.household_id
    if field == "team":
        return resident.team_id
    if field == "consulent":
        return world.staff[kind]
    if field == "municipality":
        return world.municipalities[kind].pk
    if field == "district":
        return world.districts[kind]
    if field == "instrument":
        return world.instrument
    if field == "plan":
        return world.plans[kind]
    if field == "application":
        return world.objects[("applications", kind)]
    raise AssertionError(field)


def _unused_bsn() -> str:
    import random

    from common.bsn import generate_fake_bsn

    rng = random.Random(12)
    while True:
        bsn = generate_fake_bsn(rng)
        if not cm.Resident.objects.filter(bsn=bsn).exists():
            return bsn


def _api_write(world: World, client: Client, write: str, field: str, kind: str):
    op = _OPERATIONS[write]
    body = dict(API_BODIES[write])
    target = "own"
    if write == "caseload_residents_create":
        body |= {"bsn": _unused_bsn(), "household": _reference(world, "household", "own")}
        body |= {"team": _reference(world, "team", "own")}
    elif write == "caseload_households_create":
        body |= {"municipality": world.municipalities["own"].pk}
    elif op.method == "POST" and "{id}" not in op.path:
        body["resident"] = world.residents["own"].pk
        if write == "caseload_trajectories_create":
            body["instrument"] = world.instrument
    if field == "url":
        target = kind
    else:
        body[field] = _reference(world, field, kind)
    path, _query = _operation_url(world, op, target)
    headers = {}
    if op.method == "PATCH":
        # the current ETag (read as the superuser: a write-only key cannot read it)
        etag = world.clients["superuser"].get(path).get("ETag") if target == "own" else None
        headers["HTTP_IF_MATCH"] = etag or '"onbekend"'
    send = client.patch if op.method == "PATCH" else client.post
    return send(path, data=json.dumps(body), content_type="application/json", **headers)


def _page_write(world: World, client: Client, write: str, field: str, kind: str):
    route = _PAGES[write]
    data = dict(PAGE_BODIES[write])
    target = kind if field == "url" else "own"
    kwargs = _page_kwargs(world, route, target)
    if write in ("caseload:trajectory_start", "caseload:fact_correct"):
        data["instrument"] = world.instrument
    if write == "registers:application_decide":  # the application of the resident in the URL
        data["application"] = world.objects.get(("applications", target), MISSING)
    if write == "caseload:reassign":
        data |= {"team": world.residents["other"].team_id, "consulent": world.staff["other"]}
    if write == "apiauth:import-create":
        from django.core.files.uploadedfile import SimpleUploadedFile

        data["file"] = SimpleUploadedFile("inwoners.csv", b"bsn\n")
        data["municipality"] = world.municipalities["own"].pk
    if write == "apiauth:token-list":
        data["municipality"] = world.municipalities["own"].pk
    if field == "plan":
        kwargs["plan_id"] = _reference(world, "plan", kind)
    elif field == "bsn":
        data["bsn-bsn"] = world.residents[kind].bsn if kind in world.residents else _unused_bsn()
    elif field != "url":
        data[field] = _reference(world, field, kind)
    return client.post(reverse(route.name, kwargs=kwargs), data)


def _write(world: World, write: str, identity: str, field: str, kind: str):
    client = world.clients[identity]
    if write in _OPERATIONS:
        return _api_write(world, client, write, field, kind)
    return _page_write(world, client, write, field, kind)


def _error_fields(response) -> set:
    try:
        return {e.get("field") for e in response.json().get("errors", [])}
    except (ValueError, AttributeError):
        return set()


def _write_params() -> list:
    """One test per write and identity, holding the references (field, object kind) it may not
    make; the nonexistent id first (the others are compared with its answer)."""
    by_write: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for write, identity, name, kind in matrix.write_cells():
        by_write.setdefault((write, identity), []).append((name, kind))
    return [
        pytest.param(w, i, tuple(sorted(refs, key=lambda r: r[1] != "missing")), id=f"{w}|{i}")
        for (w, i), refs in by_write.items()
    ]


def _refused_write(world, write, identity, field, kind, before, missing) -> str | None:
    """What is wrong with one refused reference (None: refused like a nonexistent id, nothing
    written, nothing of the object shown). ``missing`` caches the nonexistent id's answer per
    field (the same request, in the same state: every cell is rolled back)."""
    with _rolled_back():
        response = _write(world, write, identity, field, kind)
        after = _fingerprint()
    changed = [label for label in before if before[label] != after.get(label)]
    code = response.status_code
    where = f"{code}"
    if changed:
        return f"{where}, wrote to {changed}"
    glass = classify(response) == matrix.GLASS
    if not (code in (400, 404, 422) or (glass and write == "caseload:dossier")):
        return f"{where}, want 400, 404 or 422"
    api_field_error = write in _OPERATIONS and code == 400 and field != "url"
    if api_field_error and field not in _error_fields(response):
        return f"{where}: the error does not name {field}"
    body = response.content.decode(errors="replace")
    resident = world.residents.get(kind)
    if resident is not None and kind != "own":
        if field != "bsn" and resident.bsn in body:  # the BSN form shows back what was typed
            return f"{where}: the BSN is in the answer"
        if resident.last_name in body or escape(resident.last_name) in body:  # JSON or HTML
            return f"{where}: the name is in the answer"
    answer = (code, _error_fields(response))
    if kind == "missing":
        missing.setdefault(field, answer)
    elif not glass:
        # the same answer as for a nonexistent id (no existence oracle)
        if field not in missing:
            with _rolled_back():
                other = _write(world, write, identity, field, "missing")
            missing[field] = (other.status_code, _error_fields(other))
        if missing[field] != answer:
            return f"{where}: differs from a nonexistent id ({missing[field][0]})"
    return None


@pytest.mark.parametrize(("write", "identity", "refs"), _write_params())
def test_write(world, db, write, identity, refs):
    """A write referencing an object out of the caller's reach is refused like a nonexistent id
    and changes nothing. Each reference runs in its own savepoint; the failure message names
    every failing one (``<write> as <identity> with <field>=<object>: ...``)."""
    before = _fingerprint()
    missing: dict[str, tuple] = {}
    failures = []
    for name, kind in refs:
        try:
            failure = _refused_write(world, write, identity, name, kind, before, missing)
        except Exception as exc:  # noqa: BLE001 - the reference fails, the others still run
            failure = f"raised {exc!r}"
        reason = matrix.xfail_reason(f"write:{write}", identity, f"{name}={kind}")
        failure = _known_gap(failure, reason)
        if failure is not None:
            failures.append(f"{write} as {identity} with {name}={kind}: {failure}")
    assert not failures, f"{len(failures)} of {len(refs)} references:\n" + "\n".join(failures)


#: Writes that change nothing when they succeed: they only read, or (intake:intake) resume the
#: open draft the world already has.
READING_WRITES = {"caseload:dossier", "caseload:worklist", "intake:intake"}
#: The object a control may reference where "own" is not the point (break-the-glass is for
#: another team's resident).
CONTROL_KIND = {"privacy:break_glass": "other"}


def _benefits_ended(world: World) -> None:
    """A WW-prevention melding is refused beside a running benefit of its regeling (the walk of
    3 December): the control's resident is one whose benefit has ended."""
    from caseload.models import Benefit

    Benefit.objects.filter(
        household=world.residents["own"].household, end_date__isnull=True
    ).update(end_date=dt.date(2025, 12, 31), end_reason="11")


#: What the positive control needs set up first (inside the test's own savepoint).
CONTROL_SETUP = {"caseload:ww_prevention": _benefits_ended}


@pytest.mark.parametrize(
    ("write", "identity"), [pytest.param(w, i, id=f"{w}|{i}") for w, i in sorted(matrix.WRITES)]
)
def test_write_control(world, db, write, identity):
    """The positive control of ``test_write``: the same request with references the caller may
    make is accepted (and writes), so each refusal above is about the reference alone."""
    fields = matrix.WRITES[(write, identity)]
    kind = CONTROL_KIND.get(write, "own")
    if write in CONTROL_SETUP:
        CONTROL_SETUP[write](world)
    before = _fingerprint()
    response = _write(world, write, identity, fields[0], kind)
    where = f"{write} as {identity} ({fields[0]}={kind}): {response.status_code}"
    assert classify(response) == matrix.OK, where
    after = _fingerprint()
    changed = [label for label in before if before[label] != after.get(label)]
    assert bool(changed) == (write not in READING_WRITES), f"{where}: changed {changed}"
