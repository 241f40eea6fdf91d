"""Security review of the changes of 3 December (`b650e32..97a42cf`); these tests fail on
`97a42cf`.

1. The BSN guard and the log masking allowed one separator between digits, but the project's BSN
   fields accept any whitespace and dots: a BSN pasted from a letter ("111\\u00a0222\\u00a0333",
   a no-break space) or typed with double spaces still reached the URL and the access log.
2. The region's cached masks were keyed without the suppression rules and the definitions'
   ``small_counts`` and ``manual``: a deploy changing them served the older masks for up to
   15 minutes.
3. The budget services checked ``budget.view_budget`` only; the write permissions were enforced
   by the views and the API alone.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from budget import services as budget_services
from common.bsn import bsns_in, mask_bsns
from common.exceptions import DomainError
from common.logging import BsnMaskingFilter
from indicators import registry
from indicators import selectors as indicator_selectors
from indicators.models import IndicatorValue
from tests import factories

pytestmark = pytest.mark.django_db

PASTED = [
    "111\u00a0222\u00a0333",  # no-break space (a PDF or Word letter)
    "111\u202f222\u202f333",  # narrow no-break space
    "111  222  333",
    "111. 222. 333",
    "111\t222\t333",
]


@pytest.mark.parametrize("typed", PASTED)
def test_a_pasted_bsn_is_refused_in_a_query_string(client, typed):
    client.force_login(factories.UserFactory())
    assert client.get(reverse("caseload:worklist"), {"q": typed}).status_code == 400


@pytest.mark.parametrize(
    "line",
    [
        *(f'"GET /caseload/?q={typed} HTTP/1.1"' for typed in PASTED),
        '"GET /caseload/?q=111%C2%A0222%C2%A0333 HTTP/1.1"',
        '"GET /caseload/?q=111++222++333 HTTP/1.1"',
        '"GET /caseload/?q=111%E2%80%AF222%E2%80%AF333 HTTP/1.1"',
    ],
)
def test_a_pasted_bsn_is_masked_in_a_log_line(line):
    record = logging.LogRecord("django.server", logging.INFO, "", 0, "%s", (line,), None)
    BsnMaskingFilter().filter(record)
    assert "*********" in record.getMessage(), record.getMessage()
    assert "222" not in record.getMessage()


def _table(municipality, code: str) -> None:
    start, end = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
    for dimension, value, n in (("", "", 40), ("team", "T0", 38), ("team", "T1", 2)):
        IndicatorValue.objects.create(
            municipality=municipality,
            code=code,
            period_kind="year",
            period_start=start,
            period_end=end,
            dimension=dimension,
            dimension_value=value,
            value=Decimal(n),
            numerator=Decimal(n),
            changed_at=timezone.now(),
            definition_version=1,
        )


def test_cached_masks_follow_the_suppression_rules_and_the_definitions(monkeypatch):
    municipality = factories.MunicipalityFactory()
    code = "outflow.to_work"
    _table(municipality, code)
    masks = indicator_selectors.published_masks(municipalities=[municipality], year=2025)
    assert masks[(code, municipality.pk)].numerator  # T1 (2) is hidden, and T0 with it
    # a deploy with another threshold: the masks are computed again, not served from the cache
    monkeypatch.setattr(indicator_selectors, "SMALL_COUNT", 2)
    masks = indicator_selectors.published_masks(municipalities=[municipality], year=2025)
    assert not masks[(code, municipality.pk)].numerator
    monkeypatch.undo()
    # a deploy that makes the indicator manual input (not suppressed)
    defn = registry.indicator_get(code)
    monkeypatch.setitem(registry._registry, code, dataclasses.replace(defn, manual=True))
    masks = indicator_selectors.published_masks(municipalities=[municipality], year=2025)
    assert not masks[(code, municipality.pk)].numerator


def test_the_budget_services_check_the_write_permissions(settings):
    settings.ROLE_PERMISSIONS = {
        **settings.ROLE_PERMISSIONS,
        "manager": ["indicators.view_dashboards", "budget.view_budget"],
    }
    municipality = factories.MunicipalityFactory()
    reader = factories.UserFactory(manager=True)
    writes = [
        lambda: budget_services.budget_allocation_record(
            municipality=municipality,
            year=2026,
            moment="definitief",
            decided_on=dt.date(2026, 1, 5),
            amount=Decimal(1000),
            by=reader,
        ),
        lambda: budget_services.ledger_import_start(
            municipality=municipality, filename="g.csv", content=b"x", by=reader
        ),
        lambda: budget_services.buig_report_request(
            municipality=municipality, year=2026, by=reader
        ),
    ]
    for write in writes:
        with pytest.raises(DomainError) as refused:
            write()
        assert refused.value.code == "forbidden"


@pytest.mark.parametrize("text", ["10.20.134.57", "+31 6 12345683", "111 222 333 4"])
def test_a_number_that_only_holds_nine_digits_is_no_bsn(client, text):
    """Code review of the same day: with separators allowed, the digits of an IPv4 address
    (10.20.134.57 passes the 11-test) and the last nine digits of a longer number were read as
    a BSN: masked in the access log and refused in a query string."""
    assert bsns_in(text) == []
    assert mask_bsns(text, every_nine_digit_run=True) == text
    client.force_login(factories.UserFactory())
    assert client.get(reverse("caseload:worklist"), {"q": text}).status_code == 200
