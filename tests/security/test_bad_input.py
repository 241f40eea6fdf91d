"""Issue 12, finding 10: bad input never ends in a 500.

Every case the assessment listed (``²``, which passes ``str.isdigit()`` but fails ``int()``, in
``gemeente``, ``na`` and filter parameters; ``week`` at the ends of the calendar; ``jaar=abc`` on
the targets form; JSON nested 2,000 deep on every API write; a forged residents cursor; a body
larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE``) is answered with a 4xx in the right format: a Dutch
page for the UI, ``{"errors": [{"code", "message", "field"}]}`` for ``/api/``. On top of that the
query parameters each UI view reads are fuzzed on every UI route (found by walking the URLconf).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from caseload import models as cm
from intake import services as intake_services
from tests import factories
from tests.security.conftest import url_routes

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 20)
SUPERSCRIPT_TWO = "\u00b2"  # "²".isdigit() is True, int("²") raises ValueError
FUZZ_VALUES = [SUPERSCRIPT_TWO, "-1", "0001-01-01", "9999-12-31", "abc", "\x00", "9" * 10_000]
#: the GET parameters each UI module's views read (grep request.GET), fuzzed on its routes
UI_PARAMS = {
    "caseload.views": [
        "na",
        "voor",
        "pagina",
        "sort",
        "q",
        "group",
        "instrument",
        "team",
        "consulent",
        "district",
        "contact_overdue",
        "reassessment_due",
    ],
    "intake.views": [],
    "indicators.views": ["gemeente", "jaar"],
    "budget.views": ["gemeente", "jaar"],
    "privacy.views": ["week", "pagina", "medewerker-medewerker"],
    "apiauth.views": [],
    "common.views": [],
    "common.two_factor": ["next"],
}
#: English default error pages of Django: never shown to a user
ENGLISH_DEFAULTS = ("Bad Request", "Not Found", "Forbidden", "Server Error", "Too Large")
NESTED_JSON = "[" * 2_000 + "]" * 2_000
NESTED_OBJECT = '{"a":' * 2_000 + "1" + "}" * 2_000


# --- format checks ------------------------------------------------------------------------------


def assert_ui_page(response, *, context: str = "") -> None:
    """A Dutch HTML page of the application (not Django's bare English default)."""
    body = response.content.decode("utf-8", "replace")
    assert response["Content-Type"].startswith("text/html"), (context, response["Content-Type"])
    assert '<html lang="nl"' in body, (context, response.status_code, body[:300])
    for english in ENGLISH_DEFAULTS:
        assert english not in body, (context, english)


def assert_api_error(response, *, context: str = "") -> None:
    """The documented API error: ``{"errors": [{"code", "message", "field"}]}``."""
    assert response["Content-Type"].startswith("application/json"), (
        context,
        response.status_code,
        response["Content-Type"],
    )
    data = json.loads(response.content)
    assert set(data) == {"errors"}, (context, data)
    assert data["errors"], context
    for error in data["errors"]:
        assert set(error) == {"code", "message", "field"}, (context, error)


def assert_ui_refused(response, *, status: int | None = None, context: str = "") -> None:
    assert 400 <= response.status_code < 500, (context, response.status_code)
    if status is not None:
        assert response.status_code == status, (context, response.status_code)
    assert_ui_page(response, context=context)


def assert_api_refused(response, *, status: int | None = None, context: str = "") -> None:
    assert 400 <= response.status_code < 500, (context, response.status_code)
    if status is not None:
        assert response.status_code == status, (context, response.status_code)
    assert_api_error(response, context=context)


def handled(response, *, api: bool) -> str | None:
    """None when the answer is fine (no 5xx; an error in the right format), else why not."""
    if response.status_code >= 500:
        return f"{response.status_code}"
    if response.status_code >= 400:
        try:
            (assert_api_error if api else assert_ui_page)(response)
        except AssertionError as exc:
            return f"{response.status_code} in the wrong format: {str(exc)[:200]}"
    return None


# --- the world ----------------------------------------------------------------------------------


@pytest.fixture
def world(team, consulent, resident, open_benefit):
    teamleider = factories.UserFactory(teamleider=True, team=team)
    officer = factories.UserFactory(privacy=True)
    beheer = factories.UserFactory(beheer=True)
    superuser = factories.UserFactory(beheer=True, is_superuser=True)
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
        "instrument": factories.InstrumentFactory(),
        "plan": plan,
    }
    objects["outflow-event"] = cm.OutflowEvent.objects.create(
        resident=resident,
        benefit=open_benefit,
        kind="gedeeltelijk",
        reason="werk",
        occurred_on=TODAY,
        hours_per_week=12,
        contract_type="tijdelijk",
        recorded_by=consulent,
    )
    return {
        "resident": resident,
        "consulent": consulent,
        "teamleider": teamleider,
        "officer": officer,
        "beheer": beheer,
        "superuser": superuser,
        "objects": objects,
    }


def login(user) -> Client:
    client = Client(raise_request_exception=False)  # a 500 is a finding, not a crash
    client.force_login(user)
    return client


def _named_routes() -> list[tuple[str, str, object]]:
    """(name, pattern, callback) of every named URL pattern (the route matrix's walk)."""
    return [(r.name, r.pattern, r.callback) for r in url_routes()]


def api_login(user) -> APIClient:
    client = APIClient(raise_request_exception=False)
    client.force_login(user)
    return client


# --- finding 10, case by case -------------------------------------------------------------------

GEMEENTE_ROUTES = [
    ("indicators:overview", {}, "get"),
    ("indicators:detail", {"code": "outflow.to_work"}, "get"),
    ("indicators:export_csv", {}, "get"),
    ("indicators:export_xlsx", {}, "get"),
    ("indicators:targets", {}, "get"),
    ("indicators:targets", {}, "post"),
    ("budget:overview", {}, "get"),
    ("budget:vangnet", {}, "get"),
    ("budget:business_case", {}, "get"),
    ("budget:reports", {}, "get"),
    ("budget:imports", {}, "get"),
]


@pytest.mark.parametrize(("name", "kwargs", "method"), GEMEENTE_ROUTES)
def test_finding_10_gemeente_superscript_two_is_refused(world, name, kwargs, method):
    """Issue 12, finding 10: ``gemeente=²`` passed ``isdigit()`` and crashed in ``int()``."""
    client = login(world["beheer"])
    url = reverse(name, kwargs=kwargs)
    baseline = client.get(url)
    assert baseline.status_code == 200, (name, baseline.status_code)
    if method == "get":
        response = client.get(url, {"gemeente": SUPERSCRIPT_TWO})
    else:
        response = client.post(url, {"gemeente": SUPERSCRIPT_TWO})
    assert_ui_refused(response, context=name)


def test_finding_10_indicator_residents_gemeente_superscript_two_is_refused(world):
    """Issue 12, finding 10: the drill-down reads ``gemeente`` too."""
    client = login(world["teamleider"])
    url = reverse("indicators:residents", kwargs={"code": "outflow.to_work"})
    assert client.get(url).status_code == 200
    assert_ui_refused(client.get(url, {"gemeente": SUPERSCRIPT_TWO}), context="residents")


def test_finding_10_worklist_anchor_superscript_two_is_refused(world):
    """Issue 12, finding 10: the worklist anchor ``na=²`` crashed in ``int()``."""
    client = login(world["consulent"])
    url = reverse("caseload:worklist")
    assert client.get(url).status_code == 200
    assert_ui_refused(client.get(url, {"na": SUPERSCRIPT_TWO}), context="na")


@pytest.mark.parametrize(
    "param", ["group", "instrument", "team", "consulent", "district", "contact_overdue"]
)
def test_finding_10_worklist_filters_superscript_two(world, param):
    """Issue 12, finding 10: ``²`` in a worklist filter is a form error or a 4xx, never a 500."""
    client = login(world["teamleider"])
    response = client.get(reverse("caseload:worklist"), {param: SUPERSCRIPT_TWO})
    assert handled(response, api=False) is None, (param, response.status_code)


@pytest.mark.parametrize("week", ["0001-01-01", "9999-12-31"])
def test_finding_10_break_glass_review_week_at_the_calendar_ends_is_refused(world, week):
    """Issue 12, finding 10: a week at the first or last day of the calendar overflowed."""
    client = login(world["officer"])
    url = reverse("privacy:break_glass_review")
    assert client.get(url).status_code == 200
    assert_ui_refused(client.get(url, {"week": week}), context=week)


@pytest.mark.parametrize("jaar", ["abc", SUPERSCRIPT_TWO, "99999999999999999999999"])
def test_finding_10_targets_form_bad_year_is_refused(world, jaar):
    """Issue 12, finding 10: the targets form posted ``jaar=abc`` into ``int()``."""
    client = login(world["beheer"])
    url = reverse("indicators:targets")
    assert client.get(url).status_code == 200
    assert_ui_refused(client.post(url, {"jaar": jaar}), context=jaar)


def _cursor(query: dict) -> str:
    return base64.b64encode(urlencode(query).encode()).decode()


@pytest.mark.parametrize(
    "cursor",
    [
        _cursor({"p": "abc"}),
        _cursor({"p": SUPERSCRIPT_TWO}),
        _cursor({"p": "1", "o": "abc"}),
        "!!!not-base64!!!",
    ],
)
def test_finding_10_forged_residents_cursor_is_refused(world, cursor):
    """Issue 12, finding 10: a forged cursor put its position unchecked into the query."""
    client = api_login(world["teamleider"])
    url = reverse("caseload-api:resident-list")
    assert client.get(url).status_code == 200
    assert_api_refused(client.get(url, {"cursor": cursor}), context=cursor)


@pytest.mark.parametrize(
    "cursor",
    [
        _cursor({"p": "99999999999999999999999"}),
        _cursor({"p": "-1"}),
        _cursor({"o": "99999999999999999999999", "p": "1"}),
        _cursor({"r": "2", "p": "1"}),
        _cursor({"p": "\x00"}),
    ],
)
def test_finding_10_odd_residents_cursor_is_handled(world, cursor):
    """Issue 12, finding 10: odd but well-formed cursors are a page or a 4xx, never a 500."""
    client = api_login(world["teamleider"])
    response = client.get(reverse("caseload-api:resident-list"), {"cursor": cursor})
    assert handled(response, api=True) is None, (cursor, response.status_code)


def api_write_routes(world) -> list[tuple[str, str, str]]:
    """(name, method, url) of every API operation that reads a request body."""
    out = []
    for name, _route, callback in _named_routes():
        if not name.startswith(("caseload-api:", "indicators-api:", "budget-api:")):
            continue
        actions = getattr(callback, "actions", None)
        if actions is not None:
            methods = [m for m in actions if m in ("post", "put", "patch")]
        else:
            view = callback.view_class
            methods = [m for m in ("post", "put", "patch") if hasattr(view, m)]
        if not methods:
            continue
        kwargs = {}
        if "(?P<pk>" in _route:
            basename = name.split(":", 1)[1].rsplit("-", 1)[0]
            if name.endswith("-detail"):
                basename = name.split(":", 1)[1].removesuffix("-detail")
            kwargs = {"pk": world["objects"][basename].pk}
        for method in methods:
            out.append((name, method, reverse(name, kwargs=kwargs)))
    return out


@pytest.mark.parametrize("body", [NESTED_JSON, NESTED_OBJECT], ids=["array", "object"])
def test_finding_10_deeply_nested_json_is_refused_on_every_api_write(world, body):
    """Issue 12, finding 10: JSON nested ~2,000 deep raised RecursionError (500) on every POST."""
    client = api_login(world["superuser"])
    routes = api_write_routes(world)
    assert len(routes) >= 14, routes
    failures = []
    for name, method, url in routes:
        headers = {"Idempotency-Key": f"nested-{name}-{method}-{len(body)}"}
        if method in ("put", "patch"):
            etag = client.get(url).headers.get("ETag")
            headers["If-Match"] = etag or "*"
        response = getattr(client, method)(
            url, body, content_type="application/json", headers=headers
        )
        if not 400 <= response.status_code < 500 or handled(response, api=True):
            failures.append(f"{method.upper()} {name}: {response.status_code}")
        elif response.status_code in (404, 412, 428):
            failures.append(f"{method.upper()} {name}: {response.status_code} before the body")
    assert not failures, "\n".join(failures)


def test_finding_10_moderately_nested_json_is_refused_beyond_the_depth_limit(world):
    """Issue 12, finding 10: nesting deeper than the parser allows (but far below Python's
    recursion limit) is a 400 too; normal bodies still work."""
    client = api_login(world["superuser"])
    url = reverse("caseload-api:resident-search")
    body = '{"bsn": ' + "[" * 100 + "]" * 100 + "}"
    assert_api_refused(
        client.post(url, body, content_type="application/json"), status=400, context="depth 100"
    )
    ok = client.post(url, {"bsn": world["resident"].bsn}, format="json")
    assert ok.status_code < 400, ok.status_code


def test_finding_10_too_large_api_body_is_413_json(world, settings):
    """Issue 12, finding 10: a body over DATA_UPLOAD_MAX_MEMORY_SIZE is a 413 with the API error."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client = api_login(world["superuser"])
    body = json.dumps({"bsn": world["resident"].bsn, "pad": "x" * 20_000})
    for name in ("caseload-api:resident-search", "budget-api:vangnet-simulate"):
        response = client.post(reverse(name), body, content_type="application/json")
        assert_api_refused(response, status=413, context=name)


def test_finding_10_too_large_api_body_without_content_length_is_413_json(world, settings):
    """Issue 12, finding 10: the JSON parser reads at most the limit, whatever the headers say."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client = api_login(world["superuser"])
    body = json.dumps({"bsn": world["resident"].bsn, "pad": "x" * 20_000}).encode()
    response = client.generic(
        "POST",
        reverse("caseload-api:resident-search"),
        body,
        content_type="application/json",
        CONTENT_LENGTH="",  # no declared length: the parser counts
    )
    # without a length Django gives the view an empty body: a 4xx either way, never a 500
    assert 400 <= response.status_code < 500, response.status_code
    assert_api_error(response)


@pytest.mark.parametrize("encoding", ["urlencoded", "multipart"])
def test_finding_10_too_large_form_is_413_dutch_page(world, settings, encoding):
    """Issue 12, finding 10: a too-large form post is a Dutch 413 page (with the CSRF check on:
    the CSRF middleware is the first to read the form)."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(world["consulent"])
    url = reverse("caseload:contact_record", kwargs={"resident_id": world["resident"].pk})
    assert client.get(url).status_code == 200  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    data = {"csrfmiddlewaretoken": token, "notes": "x" * 20_000, "channel": "telefoon"}
    if encoding == "urlencoded":
        response = client.post(
            url, urlencode(data), content_type="application/x-www-form-urlencoded"
        )
    else:
        response = client.post(url, data)
    assert_ui_refused(response, status=413, context=encoding)
    assert "te groot" in response.content.decode()


def test_finding_10_csrf_failure_is_a_dutch_page(world):
    """Issue 12, finding 10 (safety net): a form without its CSRF token gets a Dutch 403 page."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(world["consulent"])
    url = reverse("caseload:contact_record", kwargs={"resident_id": world["resident"].pk})
    assert_ui_refused(client.post(url, {"channel": "telefoon"}), status=403)


def test_finding_10_too_large_api_form_is_refused_in_json(world, settings):
    """Issue 12, finding 10: a too-large multipart body on the API is a JSON error (the API
    takes JSON only: 415, or 413 when the size is seen first)."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client = api_login(world["superuser"])
    response = client.post(
        reverse("caseload-api:resident-search"), {"bsn": "1", "pad": "x" * 20_000}
    )
    assert response.status_code in (413, 415), response.status_code
    assert_api_error(response)


def test_finding_10_unknown_api_route_is_json_404(world):
    """Issue 12, finding 10 (safety net): outside DRF's views /api/ still answers in JSON."""
    client = api_login(world["superuser"])
    assert_api_refused(client.get("/api/v1/bestaat-niet/"), status=404)


def test_finding_10_unknown_page_is_dutch_404(world):
    """Issue 12, finding 10 (safety net): a page that does not exist is a Dutch 404 page."""
    client = login(world["consulent"])
    assert_ui_refused(client.get("/bestaat-niet/"), status=404)
    assert_ui_refused(
        client.get(reverse("caseload:dossier", kwargs={"resident_id": 999_999_999})),
        status=404,
    )


# --- fuzzing: every query parameter the UI views read, on every UI route ------------------------


def _ui_routes(world) -> list[tuple[str, str, list[str]]]:
    """(name, url, params) of every UI route (not the admin, not the JSON API)."""
    o = world["objects"]
    rid = world["resident"].pk
    kwargs_for = {
        "resident_id": rid,
        "trajectory_id": o["trajectory"].pk,
        "fact_type": "traject",  # corrections (issue 14)
        "fact_id": o["trajectory"].pk,
        "plan_id": o["plan"].pk,
        "staff_id": world["consulent"].pk,
        "step": 1,
        "code": "outflow.to_work",
        "fmt": "csv",
        "pk": 999_999,  # imports, reports, tokens: none exists, the route answers 404
        # the next page of a non-resident's records (the signed pseudonym a search makes)
        "token": factories.person_log_address_token(world["officer"]),
    }
    out = []
    for name, route, callback in _named_routes():
        module = getattr(callback, "__module__", "")
        if name.startswith("admin:") or module not in UI_PARAMS:
            continue
        params = UI_PARAMS[module]
        if not params:
            continue
        needed = {k: v for k, v in kwargs_for.items() if f"<{k}>" in route or f":{k}>" in route}
        out.append((name, reverse(name, kwargs=needed), params))
    return out


def _client_for(world, url: str) -> Client:
    """The first of these users whom the route serves (else the superuser)."""
    for key in ("teamleider", "beheer", "officer", "consulent", "superuser"):
        client = login(world[key])
        if client.get(url).status_code < 400:
            return client
    return login(world["superuser"])


def test_finding_10_fuzz_every_ui_query_parameter(world):
    """Issue 12, finding 10: ``²``, ``-1``, the calendar's ends, ``abc``, NUL and a 10,000
    character value in every GET parameter each UI view reads: never a 5xx, and every error
    is a Dutch page."""
    routes = _ui_routes(world)
    assert {"caseload:worklist", "indicators:targets", "budget:overview"} <= {
        name for name, _, _ in routes
    }
    failures = []
    for name, url, params in routes:
        client = _client_for(world, url)
        for param in params:
            for value in FUZZ_VALUES:
                response = client.get(url, {param: value})
                problem = handled(response, api=False)
                if problem:
                    failures.append(f"{name} ?{param}={value[:12]!r}: {problem}")
    assert not failures, "\n".join(failures)


def test_finding_10_fuzz_every_api_list_filter(world):
    """Issue 12, finding 10: the same values in every filter and pagination parameter of every
    API list: never a 5xx, every error in the documented JSON format."""
    client = api_login(world["superuser"])
    failures = []
    checked = 0
    for name, _route, callback in _named_routes():
        if not (name.endswith("-list") or name == "indicators-api:values"):
            continue
        view = getattr(callback, "cls", None)
        filterset = getattr(view, "filterset_class", None)
        params = list(filterset.base_filters) if filterset else []
        params += ["cursor", "page_size", "ordering", "municipality", "year", "code"]
        url = reverse(name)
        for param in params:
            for value in FUZZ_VALUES:
                checked += 1
                response = client.get(url, {param: value})
                problem = handled(response, api=True)
                if problem:
                    failures.append(f"{name} ?{param}={value[:12]!r}: {problem}")
    assert checked > 300
    assert not failures, "\n".join(failures)
