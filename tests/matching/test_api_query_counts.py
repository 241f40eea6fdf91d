"""Issue 18: the matching API's lists (proposals, placements, a vacancy's candidates) answer in
a fixed number of queries, whatever their length."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from .test_query_counts import _placed

pytestmark = pytest.mark.django_db


def _count(user, url) -> int:
    client = APIClient()
    client.force_login(user)
    client.get(url)  # warm the session and permission caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("path", ["/api/v1/matching/proposals/", "/api/v1/matching/placements/"])
def test_lists_query_count_fixed(region, path):
    _placed(region, 1)
    few = _count(region.accountmanager, path)
    _placed(region, 4)
    assert _count(region.accountmanager, path) == few


def test_candidates_query_count_fixed(region):
    vacancy = region.vacancy()
    region.resident()
    url = f"/api/v1/matching/vacancies/{vacancy.pk}/candidates/"
    few = _count(region.accountmanager, url)
    for _ in range(5):
        region.resident()
    assert _count(region.accountmanager, url) == few
