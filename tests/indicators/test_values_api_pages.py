"""Issue 13, finding 8: the indicator values API honours ``page_size`` (it was ignored: 906 kB
for ``page_size=2``), with a documented maximum, ``next``/``previous`` links and a count."""

from __future__ import annotations

import datetime as dt

import pytest

from indicators.api import VALUES_MAX_PAGE_SIZE, VALUES_PAGE_SIZE
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/indicators/values/"


@pytest.fixture
def filled(world):
    for i in range(3):
        resident, _ = world.on_benefit(start=dt.date(2024, 1, 1))
        world.outflow(resident, dt.date(2025, 1 + i, 10))
    world.fill(year=2025)
    return world


@pytest.fixture
def manager_client(client):
    client.force_login(factories.UserFactory(manager=True))
    return client


def test_finding_8_page_size_is_honoured_with_next_links(manager_client, filled):
    """Issue 13, finding 8: ``page_size=2`` answers two values and a link to the next page;
    walking the links gives every value of the year once, in the order of the whole list."""
    everything = manager_client.get(URL, {"year": 2025}).json()
    total = everything["count"]
    assert total > 4 and len(everything["results"]) == min(total, VALUES_PAGE_SIZE)

    response = manager_client.get(URL, {"year": 2025, "page_size": 2})
    assert response.status_code == 200
    page = response.json()
    assert len(page["results"]) == 2 and page["count"] == total
    assert page["previous"] is None and "page=2" in page["next"] and "page_size=2" in page["next"]
    assert len(response.content) < 2000

    walked = list(page["results"])
    second = None
    while page["next"]:
        page = manager_client.get(page["next"]).json()
        assert len(page["results"]) <= 2
        second = second or page
        walked.extend(page["results"])
    assert walked == everything["results"]
    assert "page=" not in second["previous"]  # back to the first page
    assert page["next"] is None


def test_finding_8_page_size_has_a_documented_maximum(manager_client, filled):
    """Issue 13, finding 8: a page size above the maximum, zero or text is a structured 400;
    a page past the end is a 404."""
    for bad in (VALUES_MAX_PAGE_SIZE + 1, 0, "veel"):
        response = manager_client.get(URL, {"year": 2025, "page_size": bad})
        assert response.status_code == 400, bad
        assert response.json()["errors"][0]["field"] == "page_size"
    assert (
        manager_client.get(URL, {"year": 2025, "page_size": VALUES_MAX_PAGE_SIZE}).status_code
        == 200
    )
    assert manager_client.get(URL, {"year": 2025, "page": 999}).status_code == 404
