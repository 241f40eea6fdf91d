"""The candidate facts table and the candidate list read from it (issue 18).

The oracle is the live statement ``ranking.rank(CANDIDATE_PAIRS_CONSENTED, ...)``, which reads
the case tables directly (it stays for the resident's side and the point-in-time evaluation):
on generated data the list from the facts gives, for every vacancy, the same residents, scores,
ranks, credits and reasons. After a change through a service the list follows; a withdrawn
consent acts at once (consent is joined live, not a fact)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.db import connection

from caseload import services as cs
from caseload.models import Role
from common import clock
from employers.models import Employer, Occupation, Vacancy
from intake.models import Intake
from matching import ranking, selectors
from matching import services as ms
from matching.facts import (
    candidate_facts_refresh,
    facts_select_sql,
    stored_matches_refresh,
)
from matching.models import CandidateFacts, StoredMatch, VacancyMatchSummary
from tests import factories

pytestmark = pytest.mark.django_db

CODES = ["5322", "5321", "5311", "9112", "2221", "4110", "7411", "8322"]
POSTCODES = {
    "GM0402": ["1211 AB", "1214 CD", "1222 XX", "1401 AA", "9999 ZZ"],
    "GM0014": ["9711 AA", "9712 BB", "9741 CC", "1011 AB"],
    "GM0307": ["3811 AA", "3813 BB", "3822 CC"],
}
LEVELS = ["", "geen", "vmbo", "mbo1", "mbo2", "buitenlands", "mbo34", "havo_vwo", "hbo_wo"]


class Generated:
    """Three municipalities, about 60 residents with varied facts, 12 vacancies."""

    def __init__(self, seed: int = 18) -> None:
        rnd = random.Random(seed)
        self.rnd = rnd
        self.accountmanager = factories.UserFactory(
            username="am18", role=Role.ACCOUNT_MANAGER, team=None
        )
        self.municipalities = []
        self.residents = []
        self.consulents = {}
        for code, postcodes in POSTCODES.items():
            municipality = factories.MunicipalityFactory(cbs_code=code, name=f"Gemeente {code}")
            team = factories.TeamFactory(municipality=municipality)
            consulent = factories.UserFactory(team=team)
            self.municipalities.append(municipality)
            self.consulents[municipality.pk] = consulent
            for _ in range(20):
                self.residents.append(self._resident(municipality, team, consulent, postcodes))
        self.vacancies = []
        for municipality in self.municipalities:
            employer = Employer.objects.create(
                municipality=municipality,
                kvk_number=f"{rnd.randrange(10**7, 10**8)}",
                name=f"Werkgever {municipality.cbs_code}",
                sbi_code="8710",
                account_manager=self.accountmanager,
            )
            for _ in range(4):
                self.vacancies.append(
                    Vacancy.objects.create(
                        employer=employer,
                        occupation=Occupation.objects.get(code=rnd.choice(CODES)),
                        title="Vacature",
                        hours_per_week=Decimal(rnd.choice(["8", "16", "24", "32", "36"])),
                        postcode=rnd.choice(POSTCODES[municipality.cbs_code]).replace(" ", ""),
                        education_level=rnd.choice(["", "", "vmbo", "mbo2", "mbo34", "hbo_wo"]),
                        banenafspraak=rnd.random() < 0.3,
                        start_date=dt.date(2026, 12, 1),
                        opened_on=dt.date(2026, 10, 1),
                    )
                )
        # written past the services (intakes by the ORM): the nightly refresh's situation
        candidate_facts_refresh()

    def _resident(self, municipality, team, consulent, postcodes):
        rnd = self.rnd
        household = factories.HouseholdFactory(
            municipality=municipality, postcode=rnd.choice(postcodes)
        )
        level = rnd.choice(LEVELS)
        resident = factories.ResidentFactory(
            household=household,
            team=team,
            consulent=consulent,
            education_level=level,
            has_startkwalificatie=level in ("mbo2", "mbo34", "havo_vwo", "hbo_wo"),
            in_doelgroepregister=rnd.random() < 0.3,
        )
        benefit = cs.benefit_open(
            household=household, applicant=resident, regime="pw", start_date=dt.date(2024, 1, 1)
        )
        group = rnd.choice([None, 1, 1, 2, 2, 3])
        if group:
            cs.group_assign(
                resident=resident,
                group=group,
                reason="Brede intake",
                by=consulent,
                decided_on=dt.date(2025, 1, 10),
            )
        for days, status in ((200, "afgerond"), (20, "afgerond"), (5, "concept")):
            if rnd.random() < 0.5:
                completed = status == "afgerond"
                Intake.objects.create(
                    resident=resident,
                    started_by=consulent,
                    status=status,
                    current_step=8 if completed else 1,
                    completed_at=(
                        dt.datetime(2026, 11, 22, tzinfo=dt.UTC) - dt.timedelta(days=days)
                        if completed
                        else None
                    ),
                    completed_by=consulent if completed else None,
                    has_debts=rnd.random() < 0.5,
                    has_language_barrier=rnd.random() < 0.4,
                    has_health_barrier=rnd.random() < 0.3,
                    has_housing_barrier=rnd.random() < 0.2,
                    has_childcare_barrier=rnd.random() < 0.2,
                    barriers_saved=True,
                    education_saved=True,
                    proposed_group=1,
                    confirmed_group=1 if completed else None,
                )
        experience = {}
        if rnd.random() < 0.6:
            for code in rnd.sample(CODES, rnd.choice([1, 2])):
                experience[code] = Decimal(rnd.choice(["0.5", "2", "3", "7.5"]))
        ms.profile_save(
            resident=resident,
            by=consulent,
            sought_codes=rnd.sample(CODES, rnd.choice([0, 1, 2, 3])),
            driving_licence=rnd.choice([True, False, None]),
            travel_range_km=rnd.choice([None, 5, 10, 25, 60]),
            hours_available=rnd.choice([None, Decimal("12"), Decimal("24"), Decimal("36.5")]),
            no_work_experience=not experience,
        )
        for code, years in experience.items():
            ms.work_experience_add(
                resident=resident, by=consulent, occupation_code=code, years=years
            )
        roll = rnd.random()
        if roll < 0.75:
            consent = ms.consent_give(resident=resident, by=consulent, given_on=dt.date(2026, 1, 1))
            if roll < 0.12:
                ms.consent_withdraw(consent=consent, by=consulent)
        if rnd.random() < 0.12:  # the benefit ended (the household is no candidate any more)
            cs.benefit_close(benefit=benefit, on=dt.date(2026, 10, 31), result="98", by=consulent)
        return resident


def _live(vacancy_id, municipality_ids=None, **filters):
    return ranking.rank(
        ranking.CANDIDATE_PAIRS_CONSENTED,
        {"vacancy_id": vacancy_id, "municipality_ids": municipality_ids},
        require_consent=True,
        limit=None,
        **filters,
    )


def _key(matches):
    return [
        (m.resident_id, m.profile_id, m.score, m.rank, m.credits, ranking.reasons(m), m.proposed)
        for m in matches
    ]


@pytest.fixture
def generated(db):
    with clock.frozen(dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC)):
        yield Generated()


def test_generated_data_covers_the_cases(generated):
    facts = list(CandidateFacts.objects.all())
    assert len(facts) == 60
    assert {f.running for f in facts} == {True, False}
    assert {f.grp for f in facts} >= {None, 1, 2, 3}
    assert {f.barriers for f in facts} - {None}  # intakes with barriers
    assert any(f.barriers is None for f in facts)
    assert any(f.experience for f in facts) and any(not f.sought for f in facts)
    assert any(f.x_km is None for f in facts) and any(f.x_km is not None for f in facts)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FILTER (WHERE withdrawn_at IS NOT NULL), count(*) "
            "FROM matching_consent"
        )
        withdrawn, consents = cursor.fetchone()
    assert 0 < withdrawn < consents


def test_the_table_holds_what_the_refresh_would_write_now(generated):
    columns = [f.column for f in CandidateFacts._meta.concrete_fields if f.column != "refreshed_at"]
    select = ", ".join(columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {select} FROM ({facts_select_sql()}) n "  # noqa: S608 - constant SQL
            f"EXCEPT SELECT {select} FROM matching_candidatefacts"
        )
        assert cursor.fetchall() == []
        cursor.execute(f"SELECT count(*) FROM ({facts_select_sql()}) n")  # noqa: S608
        assert cursor.fetchone()[0] == CandidateFacts.objects.count()
    # a second refresh writes nothing: unchanged rows are skipped
    assert candidate_facts_refresh().written == 0


def test_list_from_facts_equals_the_live_statement_for_every_vacancy(generated):
    proposer = generated.vacancies[0]
    candidate = _live(proposer.pk)[3]
    ms.proposal_create(
        vacancy=proposer,
        resident=generated.residents[0].__class__.objects.get(pk=candidate.resident_id),
        by=generated.accountmanager,
    )
    scopes = [None, [generated.municipalities[0].pk], [m.pk for m in generated.municipalities[1:]]]
    compared = 0
    for vacancy in generated.vacancies:
        for ids in scopes:
            for filters in (
                {},
                {"only_group_12": True},
                {"only_banenafspraak": True},
                {"only_within_range": True},
            ):
                live = _live(vacancy.pk, ids, **filters)
                from_facts = ranking.rank_from_facts(
                    vacancy_id=vacancy.pk, municipality_ids=ids, limit=1000, **filters
                )
                assert _key(from_facts) == _key(live), (vacancy.pk, ids, filters)
                compared += len(live)
        # the page's first 50 (and a short list) are the live list's first ones
        assert _key(ranking.rank_from_facts(vacancy_id=vacancy.pk, municipality_ids=None, limit=5))
        assert _key(
            ranking.rank_from_facts(vacancy_id=vacancy.pk, municipality_ids=None, limit=5)
        ) == _key(_live(vacancy.pk)[:5])
    assert compared > 500
    assert any(
        m.proposed
        for m in ranking.rank_from_facts(vacancy_id=proposer.pk, municipality_ids=None, limit=1000)
    )


def _ids(generated, vacancy):
    return [
        m.resident_id
        for m in selectors.candidates_for_vacancy(
            user=generated.accountmanager, vacancy=vacancy, limit=1000
        )
    ]


def _candidate(generated, vacancy):
    """A consented candidate with a running benefit, group 1 or 2, and their consulent."""
    for match in selectors.candidates_for_vacancy(
        user=generated.accountmanager, vacancy=vacancy, limit=1000
    ):
        if match.facts["grp"] in (1, 2):
            resident = generated.residents[0].__class__.objects.get(pk=match.resident_id)
            return resident, generated.consulents[resident.municipality_id]
    raise AssertionError("no candidate")


def test_consent_withdrawn_acts_at_once_without_a_refresh(generated):
    vacancy = generated.vacancies[1]
    resident, consulent = _candidate(generated, vacancy)
    refreshed = CandidateFacts.objects.get(resident=resident).refreshed_at
    ms.consent_withdraw(
        consent=resident.matching_consents.get(withdrawn_at__isnull=True), by=consulent
    )
    assert resident.pk not in _ids(generated, vacancy)
    assert CandidateFacts.objects.get(resident=resident).refreshed_at == refreshed
    assert _key(
        selectors.candidates_for_vacancy(user=generated.accountmanager, vacancy=vacancy, limit=1000)
    ) == _key(_live(vacancy.pk))


def test_the_list_follows_changes_through_the_services(generated, facts_follow):
    vacancy = generated.vacancies[2]

    def same_as_live():
        return _key(
            selectors.candidates_for_vacancy(
                user=generated.accountmanager, vacancy=vacancy, limit=1000
            )
        ) == _key(_live(vacancy.pk))

    # group change (caseload service -> listener -> refresh of the municipality after commit)
    resident, consulent = _candidate(generated, vacancy)
    with facts_follow():
        cs.group_assign(
            resident=resident,
            group=3,
            reason="Herbeoordeling",
            by=consulent,
            decided_on=dt.date(2026, 11, 20),
        )
    assert CandidateFacts.objects.get(resident=resident).grp == 3
    assert same_as_live()
    # benefit ended
    with facts_follow():
        cs.benefit_close(
            benefit=resident.household.benefits.get(end_date__isnull=True),
            on=dt.date(2026, 11, 21),
            result="98",
            by=consulent,
        )
    assert resident.pk not in _ids(generated, vacancy)
    assert same_as_live()
    # profile edited (matching service: the resident's row inside the same transaction)
    other, consulent = _candidate(generated, vacancy)
    ms.profile_save(
        resident=other,
        by=consulent,
        sought_codes=[vacancy.occupation.code],
        driving_licence=True,
        travel_range_km=200,
        hours_available=vacancy.hours_per_week,
    )
    facts = CandidateFacts.objects.get(resident=other)
    assert facts.sought == [vacancy.occupation.code]
    assert facts.hours_available == vacancy.hours_per_week
    assert same_as_live()
    ms.work_experience_add(resident=other, by=consulent, occupation_code="2221", years=Decimal("4"))
    assert "2221" in CandidateFacts.objects.get(resident=other).experience
    assert same_as_live()


def test_a_failed_profile_edit_leaves_the_facts_as_they_were(generated):
    resident = generated.residents[5]
    before = CandidateFacts.objects.get(resident=resident).sought
    with pytest.raises(Exception):  # noqa: B017, PT011 - any refusal
        ms.profile_save(
            resident=resident,
            by=generated.consulents[resident.municipality_id],
            sought_codes=["0000"],
            driving_licence=True,
            travel_range_km=10,
            hours_available=Decimal("20"),
        )
    assert CandidateFacts.objects.get(resident=resident).sought == before


def test_a_resident_moved_to_another_municipality_leaves_the_old_ones_facts(generated):
    resident = generated.residents[0]
    old = resident.municipality_id
    new = generated.municipalities[2]
    Resident = resident.__class__
    # the household moves with its members (the database refuses a resident of another
    # municipality than their household, migration caseload 0024)
    Household = resident.household.__class__
    Household.objects.filter(pk=resident.household_id).update(municipality=new)
    Resident.objects.filter(household_id=resident.household_id).update(municipality=new)
    candidate_facts_refresh(municipality_id=old)
    assert not CandidateFacts.objects.filter(resident=resident).exists()
    candidate_facts_refresh(municipality_id=new.pk)
    assert CandidateFacts.objects.get(resident=resident).municipality_id == new.pk


def test_stored_matches_keep_each_open_vacancys_top_and_count_the_new_ones(generated):
    assert stored_matches_refresh(top=20) == len(generated.vacancies)
    for vacancy in generated.vacancies:
        stored = list(
            StoredMatch.objects.filter(vacancy=vacancy)
            .order_by("rank")
            .values_list("resident_id", "score", "rank")
        )
        assert stored == [(m.resident_id, m.score, m.rank) for m in _live(vacancy.pk)[:20]]
        summary = VacancyMatchSummary.objects.get(vacancy=vacancy)
        assert summary.new_in_top10 is None  # the first refresh
        live = _live(vacancy.pk)
        assert summary.candidates == sum(1 for m in live if m.credits["occupation"] > 0)
    # one of vacancy 0's top residents withdraws: the next refresh has one new in its top 10
    vacancy = generated.vacancies[0]
    top = _live(vacancy.pk)
    assert len(top) > 10
    resident = top[0].resident_id
    consent = (
        generated.residents[0]
        .__class__.objects.get(pk=resident)
        .matching_consents.get(withdrawn_at__isnull=True)
    )
    ms.consent_withdraw(consent=consent, by=generated.accountmanager)
    stored_matches_refresh(top=20)
    assert VacancyMatchSummary.objects.get(vacancy=vacancy).new_in_top10 == 1
    assert not StoredMatch.objects.filter(vacancy=vacancy, resident_id=resident).exists()
    assert StoredMatch.objects.filter(vacancy=vacancy).count() == 20
    # a vacancy that closes leaves the stored matches and the summary
    Vacancy.objects.filter(pk=vacancy.pk).update(
        status="ingetrokken", closed_on=dt.date(2026, 11, 22)
    )
    stored_matches_refresh()
    assert not StoredMatch.objects.filter(vacancy=vacancy).exists()
    assert not VacancyMatchSummary.objects.filter(vacancy=vacancy).exists()


def test_the_vacancy_worklist_shows_the_nightly_counts(generated, client):
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client.force_login(generated.accountmanager)
    html = client.get(reverse("employers:worklist")).content.decode()
    assert html.count("nog niet berekend") == len(generated.vacancies)
    stored_matches_refresh()
    with CaptureQueriesContext(connection) as first:
        html = client.get(reverse("employers:worklist")).content.decode()
    vacancy = generated.vacancies[0]
    summary = VacancyMatchSummary.objects.get(vacancy=vacancy)
    assert f"{summary.candidates} met verwant beroep" in html
    assert "nieuw in de top 10" not in html  # the first refresh: nothing to compare with
    top = _live(vacancy.pk)
    resident = generated.residents[0].__class__.objects.get(pk=top[0].resident_id)
    ms.consent_withdraw(
        consent=resident.matching_consents.get(withdrawn_at__isnull=True),
        by=generated.accountmanager,
    )
    stored_matches_refresh()
    with CaptureQueriesContext(connection) as second:
        html = client.get(reverse("employers:worklist")).content.decode()
    assert "1 nieuw in de top 10" in html
    assert len(second.captured_queries) == len(first.captured_queries)


@pytest.fixture
def generated_under_policies(db):
    from common import rls

    rls.policies_apply()  # before any row: idempotent, and a reused database may lack them
    with clock.frozen(dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC)):
        yield Generated()


def test_row_level_security_keeps_each_municipalitys_facts_and_the_service_refresh_works(
    generated_under_policies,
):
    """As the application role scoped to one municipality (a request's session): only that
    municipality's facts and stored matches are visible, and a profile edit refreshes its
    resident's row inside the policies."""
    from common import rls

    generated = generated_under_policies
    stored_matches_refresh()
    own = generated.municipalities[0]
    resident = next(r for r in generated.residents if r.municipality_id == own.pk)
    with rls.acting_for([own.pk]):
        assert set(CandidateFacts.objects.values_list("municipality_id", flat=True)) == {own.pk}
        assert set(StoredMatch.objects.values_list("municipality_id", flat=True)) <= {own.pk}
        ms.profile_save(
            resident=resident,
            by=generated.consulents[own.pk],
            sought_codes=["4110"],
            driving_licence=True,
            travel_range_km=15,
            hours_available=Decimal("20"),
        )
        assert CandidateFacts.objects.get(resident=resident).sought == ["4110"]
    assert CandidateFacts.objects.exclude(municipality=own).exists()  # the owner sees all
