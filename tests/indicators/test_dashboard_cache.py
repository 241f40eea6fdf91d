"""The overview's cards come from Django's cache (Redis), each while its stored figures are
unchanged, and never after a fill or a target change that changes them (issue 17, "Scale";
indicators/dashboard_cache.py)."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.services import target_set
from tests import factories

from .test_views import CASE_TABLES, filled  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _card(body: str, code: str) -> str:
    start = body.index(f'aria-labelledby="h-{code}"')
    return body[start : body.index("</section>", start)]


def _cards(body: str) -> str:
    return body[body.index('<div class="app-indicator-grid">') : body.index("</main>")]


def _figure(body: str, code: str) -> str:
    return re.search(r'class="app-indicator-value">([^<]*)<', _card(body, code)).group(1)


def test_second_request_is_served_from_the_cache(client, filled):  # noqa: F811
    client.force_login(factories.UserFactory(manager=True))
    first = client.get("/indicatoren/?jaar=2025").content.decode()
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/indicatoren/?jaar=2025").content.decode()
    assert _cards(second) == _cards(first)
    assert _figure(second, "outflow.to_work") == "7"
    sql = [q["sql"] for q in queries.captured_queries]
    assert not [s for s in sql if CASE_TABLES.search(s)]
    # the stored rows are not loaded again: only the version of them is read
    assert not [s for s in sql if "indicators_indicatorvalue" in s and "fingerprint" not in s]
    assert not [s for s in sql if '"indicators_target"' in s]


def test_a_fill_is_shown_at_once(client, filled):  # noqa: F811
    client.force_login(factories.UserFactory(manager=True))
    assert _figure(client.get("/indicatoren/?jaar=2025").content.decode(), "outflow.to_work") == "7"
    for _ in range(2):
        r, _ = filled.on_benefit()
        filled.outflow(r, D(2025, 8, 1))
    filled.fill(year=2025)
    body = client.get("/indicatoren/?jaar=2025").content.decode()
    assert _figure(body, "outflow.to_work") == "9"


def test_a_recompute_with_the_same_figures_keeps_the_entry(client, filled):  # noqa: F811
    client.force_login(factories.UserFactory(manager=True))
    first = client.get("/indicatoren/?jaar=2025").content.decode()
    filled.fill(year=2025)  # every value written again, none changed
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/indicatoren/?jaar=2025").content.decode()
    assert _cards(again) == _cards(first)
    assert not [
        q for q in queries.captured_queries if '"indicators_indicatorvalue"."value"' in q["sql"]
    ]


def test_a_target_change_is_shown_at_once(client, filled):  # noqa: F811
    client.force_login(factories.UserFactory(manager=True))
    assert "267" in _card(client.get("/indicatoren/?jaar=2025").content.decode(), "outflow.to_work")
    target_set(
        municipality_id=filled.municipality.pk,
        year=2025,
        code="outflow.to_work",
        baseline=Decimal(214),
        target=Decimal(301),
        note="Hilversum",
    )
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/indicatoren/?jaar=2025").content.decode()
    card = _card(body, "outflow.to_work")
    assert "301" in card and "267" not in card
    # only that card is rendered again: its values are the only ones loaded
    loads = [
        q["sql"]
        for q in queries.captured_queries
        if '"indicators_indicatorvalue"."value"' in q["sql"]
    ]
    assert len(loads) == 1
    assert "IN ('outflow.to_work')" in loads[0]
    assert body.count('class="app-indicator-card"') == _cards(body).count("<section")


def test_suppressed_and_exact_figures_are_cached_apart(client, filled):  # noqa: F811
    """A role that may open dossiers sees a month's 1; the manager, after it, still an x."""
    client.force_login(factories.UserFactory(teamleider=True, team=filled.team))
    exact = _card(client.get("/indicatoren/?jaar=2025").content.decode(), "outflow.to_work")
    client.force_login(factories.UserFactory(manager=True))
    masked = _card(client.get("/indicatoren/?jaar=2025").content.decode(), "outflow.to_work")
    assert '<td class="utrecht-table__cell">1</td>' in exact
    assert '<td class="utrecht-table__cell">1</td>' not in masked
    assert '<td class="utrecht-table__cell">x</td>' in masked


def test_another_year_is_another_entry(client, filled):  # noqa: F811
    client.force_login(factories.UserFactory(manager=True))
    this = client.get("/indicatoren/?jaar=2025").content.decode()
    last = client.get("/indicatoren/?jaar=2024").content.decode()
    assert _figure(this, "outflow.to_work") == "7"
    assert _figure(last, "outflow.to_work") != "7"
