"""Property-based API fuzzing with Schemathesis against the served OpenAPI schema.

Every operation under /api/v1/ (caseload, indicators, budget) gets generated requests, sent
in-process to the WSGI application with a service-account token (caseload read+write,
indicators and budget read). Checks: no 5xx, status codes, content types, headers and bodies as
documented in the schema. ``API_FUZZ_PATHS`` (a regex) narrows it.

The examples go where they find things (issue 16, point 11): every operation that takes a body
or query parameters (writes, filters, pagination) gets at least ``MAX_EXAMPLES``
(``API_FUZZ_EXAMPLES``, 100); an operation whose only input is the object id in its path
(``GET .../{id}/``) gets ``ID_ONLY_EXAMPLES`` (a fifth): its one integer is answered 200 or 404,
and the route matrix calls each of them with an own, another team's, another municipality's
and a nonexistent id.
"""

import datetime as dt
import json
import os

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test.utils import override_settings
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from apiauth import services as apiauth_services
from apiauth.docs import openapi_schema
from config.wsgi import application
from tests import factories

MAX_EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "100"))
ID_ONLY_EXAMPLES = max(1, MAX_EXAMPLES // 5)
PATHS = os.environ.get("API_FUZZ_PATHS", r"^/api/v1/")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def fuzz_token(db):
    """A service account with some data in its municipality; returns the token's secret."""
    team = factories.TeamFactory()
    consulent = factories.UserFactory(team=team)
    for _ in range(3):
        resident = factories.ResidentFactory(
            team=team, consulent=consulent, household__municipality=team.municipality
        )
        factories.BenefitFactory(applicant=resident, start_date=dt.date(2024, 1, 1))
        factories.GroupAssignmentFactory(resident=resident, decided_by=consulent)
        factories.TrajectoryFactory(resident=resident, created_by=consulent)
    user = apiauth_services.service_account_create(
        username="fuzzer", municipality=team.municipality
    )
    token, secret = apiauth_services.token_issue(
        user=user,
        name="schemathesis",
        scopes=["caseload:read", "caseload:write", "indicators:read", "budget:read"],
    )
    factories.api_token_approve(token)
    return secret


@pytest.fixture
def in_process_wsgi():
    """Keep the test's database connection (and its transaction) across WSGI requests, as
    Django's test client does: the handler would otherwise close it after each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _load_schema():
    # The same generator that serves /api/v1/schema/ (test_schema.py asserts they are equal);
    # loaded at import time so that every operation is its own parametrized test.
    loaded = schemathesis.openapi.from_dict(json.loads(json.dumps(openapi_schema(), default=str)))
    loaded.app = application
    return loaded.include(path_regex=PATHS)


def _id_only_operations() -> set[str]:
    """``GET <path>`` of the reads whose only input is the id in the path."""
    return {
        f"GET {path}"
        for path, item in openapi_schema()["paths"].items()
        for method, op in item.items()
        if method == "get"
        and "{id}" in path
        and "requestBody" not in op
        and not [p for p in op.get("parameters", []) if p["in"] != "path"]
    }


schema = _load_schema()
ID_ONLY_LABELS = _id_only_operations()
NO_THROTTLE = {
    **django_settings.REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"client": None, "bsn_search": None},
}


#: examples each test function must generate per operation
REQUIRED_EXAMPLES = {
    "test_api_conforms_to_schema": MAX_EXAMPLES,
    "test_api_reads_by_id_conform_to_schema": ID_ONLY_EXAMPLES,
}


@pytest.fixture
def generated_cases(request):
    """Counts the cases Hypothesis generates for one operation; reports fewer than required."""
    calls: list[str] = []
    yield calls
    required = REQUIRED_EXAMPLES[request.node.originalname]
    if len(calls) < required:
        pytest.fail(f"only {len(calls)} of {required} generated cases for {request.node.name}")


def _call_and_validate(case, token: str, generated: list[str]) -> None:
    generated.append(case.method)
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)


def _fuzz_settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=os.environ.get("API_FUZZ_RANDOM") != "1",
    )


@pytest.mark.django_db
@schema.exclude(lambda ctx: ctx.operation.label in ID_ONLY_LABELS).parametrize()
@_fuzz_settings(MAX_EXAMPLES)
@override_settings(REST_FRAMEWORK=NO_THROTTLE)
def test_api_conforms_to_schema(case, fuzz_token, in_process_wsgi, generated_cases):
    """Writes, lists and every operation with a body or query parameters."""
    _call_and_validate(case, fuzz_token, generated_cases)


@pytest.mark.django_db
@schema.exclude(lambda ctx: ctx.operation.label not in ID_ONLY_LABELS).parametrize()
@_fuzz_settings(ID_ONLY_EXAMPLES)
@override_settings(REST_FRAMEWORK=NO_THROTTLE)
def test_api_reads_by_id_conform_to_schema(case, fuzz_token, in_process_wsgi, generated_cases):
    """``GET .../{id}/``: the id is the only input."""
    _call_and_validate(case, fuzz_token, generated_cases)
