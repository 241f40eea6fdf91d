"""The matching's lists answer in a fixed number of queries, whatever their length (issue 18,
acceptance: query counts fixed on the new worklists)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matching import services as ms
from tests import factories

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _placed(region, n):
    for _ in range(n):
        vacancy = region.vacancy()
        proposal = ms.proposal_create(
            vacancy=vacancy, resident=region.resident(), by=region.accountmanager
        )
        ms.proposal_answer(
            proposal=proposal,
            accepted=True,
            answered_on=dt.date(2026, 11, 22),
            by=region.accountmanager,
        )
        ms.placement_record(
            proposal=proposal,
            by=region.accountmanager,
            start_date=dt.date(2026, 11, 22),
            hours_per_week=Decimal(20),
            outflow_kind="gedeeltelijk",
            contract_type="tijdelijk",
        )


def _incomplete(region, n):
    for _ in range(n):
        r = factories.ResidentFactory(
            team=region.team,
            consulent=region.consulent,
            household__municipality=region.municipality,
        )
        factories.BenefitFactory(applicant=r, start_date=dt.date(2025, 1, 1))


@pytest.mark.parametrize(
    ("url_name", "who", "grow"),
    [
        ("matching:placements", "accountmanager", _placed),
        ("matching:incomplete", "consulent", _incomplete),
    ],
)
def test_list_query_count_does_not_grow(region, client, url_name, who, grow):
    client.force_login(getattr(region, who))
    url = reverse(url_name)
    grow(region, 1)
    few = _count(client, url)
    grow(region, 4)
    assert _count(client, url) == few


def test_candidate_list_query_count_does_not_grow(region, client):
    vacancy = region.vacancy()
    region.resident()
    client.force_login(region.accountmanager)
    url = reverse("matching:candidates", args=[vacancy.pk])
    ms.proposal_create(vacancy=vacancy, resident=region.resident(), by=region.accountmanager)
    few = _count(client, url)
    for _ in range(4):
        ms.proposal_create(vacancy=vacancy, resident=region.resident(), by=region.accountmanager)
    assert _count(client, url) == few
