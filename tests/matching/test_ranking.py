"""The match score in PostgreSQL (issue 18): one statement per direction, per-factor credits
and reasons, the filters, consent required, withdrawal removes the resident at once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caseload import services as cs
from caseload.models import Group
from intake.models import Intake
from matching import ranking, selectors
from matching import services as ms
from matching.calculations import WEIGHTS
from matching.facts import candidate_facts_refresh
from matching.models import Profile

pytestmark = pytest.mark.django_db


def test_candidates_ranked_with_credits_and_one_query(region):
    vacancy = region.vacancy(code="5322", hours="24", postcode="1211AB", education="mbo2")
    exact = region.resident(sought=("5322",))  # same PC4: 0 km
    minor = region.resident(sought=("5321",), postcode="1222 XX")  # 2.6 km
    submajor = region.resident(sought=("5311",), hours="12")
    other = region.resident(sought=("9112",), group=2)
    with CaptureQueriesContext(connection) as ctx:
        matches = selectors.candidates_for_vacancy(user=region.accountmanager, vacancy=vacancy)
    assert len(ctx.captured_queries) == 1
    assert [m.resident_id for m in matches] == [exact.pk, minor.pk, submajor.pk, other.pk]
    by = {m.resident_id: m for m in matches}
    assert by[exact.pk].credits == {
        "occupation": 1.0,
        "hours": 1.0,
        "distance": 1.0,
        "education": 1.0,
        "group": 1.0,
        "barriers": 0.5,
    }
    assert by[exact.pk].score == sum(WEIGHTS.values()) - WEIGHTS["barriers"] / 2
    assert by[minor.pk].credits["occupation"] == 0.75
    assert by[minor.pk].credits["distance"] < 1.0
    assert by[submajor.pk].credits["occupation"] == 0.5
    assert by[submajor.pk].credits["hours"] == 0.5
    assert by[other.pk].credits["occupation"] == 0.0
    assert by[other.pk].credits["group"] == 0.6
    reasons = ranking.reasons(by[minor.pk])
    assert reasons["occupation"] == "verwant beroep (zelfde ISCO-subgroep)"
    assert reasons["distance"].startswith("2,") and "wil tot 10 km" in reasons["distance"]
    assert reasons["group"] == "groep 1"


def test_travel_range_and_unknown_position(region):
    vacancy = region.vacancy(postcode="1011AB")  # Amsterdam, ~26 km
    near_range = region.resident(range_km=40)
    short_range = region.resident(range_km=5)
    unknown = region.resident(postcode="9999 ZZ")
    by = {
        m.resident_id: m
        for m in selectors.candidates_for_vacancy(user=region.accountmanager, vacancy=vacancy)
    }
    assert 0.0 < by[near_range.pk].credits["distance"] < 0.5  # 1 - 26 km / 40 km
    assert by[short_range.pk].credits["distance"] == 0.0
    assert by[unknown.pk].credits["distance"] == 0.5
    assert ranking.reasons(by[unknown.pk])["distance"] == "afstand onbekend"
    assert ranking.reasons(by[short_range.pk])["distance"].endswith(
        "(wil tot 5 km reizen): buiten de reisafstand"
    )
    assert "buiten" not in ranking.reasons(by[near_range.pk])["distance"]


def test_only_within_the_travel_range_keeps_unknowns_in_both_directions(region):
    """The walk of 3 December: a candidate 26 km away who wants to travel 5 km stood on the
    list with only the 3 points of the distance lost. The filter keeps those within their own
    range, and those whose distance or range nobody recorded."""
    vacancy = region.vacancy(postcode="1011AB")  # Amsterdam, ~26 km
    near_range = region.resident(range_km=40)
    short_range = region.resident(range_km=5)
    unknown = region.resident(postcode="9999 ZZ")
    no_range = region.resident(range_km=None)
    listed = selectors.candidates_for_vacancy(
        user=region.accountmanager, vacancy=vacancy, only_within_range=True
    )
    assert {m.resident_id for m in listed} == {near_range.pk, unknown.pk, no_range.pk}
    everyone = selectors.candidates_for_vacancy(user=region.accountmanager, vacancy=vacancy)
    assert short_range.pk in {m.resident_id for m in everyone}
    # the resident's side: the vacancy beyond the short range drops out, a near one stays
    near = region.vacancy(postcode="1211AB")
    own = selectors.vacancies_for_resident(
        user=region.consulent, resident=short_range, only_within_range=True
    )
    assert [m.vacancy_id for m in own] == [near.pk]
    assert {
        m.vacancy_id
        for m in selectors.vacancies_for_resident(user=region.consulent, resident=short_range)
    } == {near.pk, vacancy.pk}


def test_experience_barriers_and_education_below(region):
    vacancy = region.vacancy(code="5322", education="mbo34")
    resident = region.resident(sought=("9112",), experience=(("5322", "3"),))
    Intake.objects.create(
        resident=resident,
        started_by=region.consulent,
        status=Intake.Status.COMPLETED,
        current_step=8,
        completed_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC),
        completed_by=region.consulent,
        has_debts=True,
        has_health_barrier=True,
        barriers_saved=True,
        education_saved=True,
        proposed_group=1,
        confirmed_group=1,
    )
    # written past the services: the candidate facts follow at their next refresh (nightly)
    candidate_facts_refresh(municipality_id=region.municipality.pk)
    (match,) = selectors.candidates_for_vacancy(user=region.accountmanager, vacancy=vacancy)
    assert match.credits["occupation"] == pytest.approx(0.9)
    assert match.credits["barriers"] == 0.4
    assert match.credits["education"] == 0.5  # mbo 2 against mbo 3/4: one level below
    reasons = ranking.reasons(match)
    assert reasons["occupation"] == "3 jaar ervaring in dit beroep"
    assert reasons["barriers"] == "2 drempel(s) uit de intake"
    assert reasons["education"] == "één niveau onder de eis"


def test_filters_consent_group_and_banenafspraak(region):
    vacancy = region.vacancy(banenafspraak=True)
    group1 = region.resident(group=1)
    group3 = region.resident(group=3, in_doelgroepregister=True)
    no_consent = region.resident(consent=False)
    ids = lambda **kw: {  # noqa: E731
        m.resident_id
        for m in selectors.candidates_for_vacancy(user=region.accountmanager, vacancy=vacancy, **kw)
    }
    assert ids() == {group1.pk, group3.pk}  # never without consent
    assert no_consent.pk not in ids()
    assert ids(only_group_12=True) == {group1.pk}
    assert ids(only_banenafspraak=True) == {group3.pk}
    # withdrawal: gone at once
    ms.consent_withdraw(consent=group1.matching_consents.get(), by=region.consulent)
    assert ids() == {group3.pk}


def test_resident_without_running_benefit_is_no_candidate(region, facts_follow):
    vacancy = region.vacancy()
    resident = region.resident()
    with facts_follow():
        cs.outflow_record(
            resident=resident,
            kind="volledig",
            reason="overig",
            occurred_on=dt.date(2026, 11, 1),
            by=region.consulent,
            end_reason="98",
        )
    assert selectors.candidates_for_vacancy(user=region.accountmanager, vacancy=vacancy) == []


def test_vacancies_for_resident_ranked_in_one_query(region):
    fits = region.vacancy(code="5322", title="Verzorgende")
    related = region.vacancy(code="5321", title="Helpende")
    other = region.vacancy(code="9112", title="Schoonmaker", banenafspraak=True)
    resident = region.resident(sought=("5322",))
    with CaptureQueriesContext(connection) as ctx:
        matches = selectors.vacancies_for_resident(user=region.consulent, resident=resident)
    assert len(ctx.captured_queries) == 1
    assert [m.vacancy_id for m in matches] == [fits.pk, related.pk, other.pk]
    only = selectors.vacancies_for_resident(
        user=region.consulent, resident=resident, only_banenafspraak=True
    )
    assert [m.vacancy_id for m in only] == [other.pk]


def test_team_staff_see_only_their_municipality(region):
    from tests import factories

    vacancy = region.vacancy()
    region.resident()
    elsewhere_team = factories.TeamFactory()  # another municipality
    teamleider = factories.UserFactory(team=elsewhere_team, teamleider=True)
    assert selectors.candidates_for_vacancy(user=teamleider, vacancy=vacancy) == []
    assert Profile.objects.count() == 1
    assert Group.READY == 1
