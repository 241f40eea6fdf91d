"""429 per client, cursor pagination and query counts independent of page size."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from rest_framework.test import APIClient

from caseload.models import Instrument
from tests import factories

pytestmark = pytest.mark.django_db

RESIDENTS = "/api/v1/caseload/residents/"


def low_rate(rate: str):
    rest = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"client": rate}}
    return override_settings(REST_FRAMEWORK=rest)


def test_throttled_client_gets_structured_429(make_token):
    _, secret = make_token(scopes=["caseload:read"])
    _, other_secret = make_token(scopes=["caseload:read"])
    client, other = APIClient(), APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    other.credentials(HTTP_AUTHORIZATION=f"Bearer {other_secret}")
    with low_rate("3/minute"):
        assert [client.get(RESIDENTS).status_code for _ in range(3)] == [200, 200, 200]
        response = client.get(RESIDENTS)
        assert response.status_code == 429
        (error,) = response.json()["errors"]
        assert error["code"] == "throttled" and error["field"] is None
        assert int(response["Retry-After"]) > 0
        # per client: another token still gets through
        assert other.get(RESIDENTS).status_code == 200


def test_bsn_search_has_its_own_stricter_limit(token_client, resident):
    rest = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"client": "100/minute", "bsn_search": "2/minute"},
    }
    with override_settings(REST_FRAMEWORK=rest):
        codes = [
            token_client.post(
                RESIDENTS + "search/", {"bsn": resident.bsn}, format="json"
            ).status_code
            for _ in range(3)
        ]
        assert codes == [200, 200, 429]
        assert token_client.get(RESIDENTS).status_code == 200


def test_cursor_pagination_walks_all_pages_without_count(token_client, team):
    residents = factories.ResidentFactory.create_batch(
        7, team=team, household__municipality=team.municipality
    )
    seen, url = [], RESIDENTS + "?page_size=3"
    with CaptureQueriesContext(connection) as ctx:
        while url:
            body = token_client.get(url).json()
            assert "count" not in body
            seen += [r["id"] for r in body["results"]]
            url = body["next"]
    assert sorted(seen) == sorted(r.pk for r in residents)
    assert not any("COUNT(" in q["sql"].upper() for q in ctx.captured_queries)


LISTS = [
    ("residents", lambda r: None),
    ("households", lambda r: None),
    ("benefits", lambda r: factories.BenefitFactory(applicant=r)),
    ("group-assignments", lambda r: factories.GroupAssignmentFactory(resident=r)),
    ("trajectories", lambda r: factories.TrajectoryFactory(resident=r)),
    ("contact-moments", None),
    ("instruments", lambda r: factories.InstrumentFactory()),
]


@pytest.mark.parametrize(("path", "make"), LISTS, ids=[p for p, _ in LISTS])
def test_list_query_count_does_not_depend_on_page_size(token_client, team, path, make):
    from caseload import services

    for _ in range(30):
        resident = factories.ResidentFactory(team=team, household__municipality=team.municipality)
        if make is not None:
            make(resident)
        else:
            services.contact_record(
                resident=resident,
                occurred_on=resident.birth_date.replace(year=2025),
                channel="telefoon",
                by=factories.UserFactory(team=team),
            )
    token_client.get("/api/v1/caseload/instruments/")  # warm up: the token's last_used_at write
    counts = {}
    for size in (2, 25):
        with CaptureQueriesContext(connection) as ctx:
            response = token_client.get(f"/api/v1/caseload/{path}/?page_size={size}")
        assert response.status_code == 200
        available = Instrument.objects.count() if path == "instruments" else 30
        assert len(response.json()["results"]) == min(size, available)
        counts[size] = len(ctx.captured_queries)
    assert counts[2] == counts[25], counts
