"""Profile, consent, proposal and placement services (issue 18, matching)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from caseload.models import OutflowEvent
from common.exceptions import DomainError
from employers.models import VacancyStatus
from matching import services as ms
from matching.calculations import ProfileFacts, occupation_credit, profile_missing
from matching.models import Placement, Profile, ProposalStatus

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("facts", "missing"),
    [
        (ProfileFacts(1, 0, True, False, 10, Decimal(20)), []),
        (ProfileFacts(1, 2, False, True, 0, Decimal(20)), []),
        (
            ProfileFacts(0, 0, False, None, None, None),
            ["gezocht beroep", "werkervaring", "rijbewijs", "reisafstand", "beschikbare uren"],
        ),
        (ProfileFacts(2, 0, False, True, 5, Decimal(8)), ["werkervaring"]),
    ],
)
def test_profile_complete_rule(facts, missing):
    assert profile_missing(facts) == missing


@pytest.mark.parametrize(
    ("vacancy", "sought", "experience", "credit"),
    [
        ("5322", ["5322"], [], 1.0),
        ("5322", ["5321"], [], 0.75),  # same minor group 532
        ("5322", ["5311"], [], 0.5),  # same sub-major group 53
        ("5322", ["9112"], [], 0.0),
        ("5322", [], ["5322"], 0.9),  # experience: 0.9 of the credit
        ("5322", ["5311"], ["5321"], 0.675),
    ],
)
def test_occupation_credit_table(vacancy, sought, experience, credit):
    assert occupation_credit(vacancy, sought, experience) == pytest.approx(credit)


def test_profile_becomes_complete_and_incomplete_again(region):
    resident = region.resident(consent=False)
    profile = Profile.objects.get(resident=resident)
    assert profile.completed_on == dt.date(2026, 11, 22)
    ms.profile_save(
        resident=resident,
        by=region.consulent,
        sought_codes=[],
        driving_licence=True,
        travel_range_km=10,
        hours_available=Decimal(24),
        no_work_experience=True,
    )
    profile.refresh_from_db()
    assert profile.completed_on is None


def test_profile_refuses_unknown_code_and_bad_hours(region):
    resident = region.resident(consent=False)
    with pytest.raises(DomainError) as exc:
        ms.profile_save(
            resident=resident,
            by=region.consulent,
            sought_codes=["0000"],
            driving_licence=None,
            travel_range_km=None,
            hours_available=None,
        )
    assert exc.value.field == "sought"
    with pytest.raises(DomainError) as exc:
        ms.profile_save(
            resident=resident,
            by=region.consulent,
            sought_codes=["5322"],
            driving_licence=None,
            travel_range_km=None,
            hours_available=Decimal(41),
        )
    assert exc.value.field == "hours_available"


def test_consent_once_and_withdraw(region):
    resident = region.resident()
    with pytest.raises(DomainError):
        ms.consent_give(resident=resident, by=region.consulent, given_on=dt.date(2026, 11, 2))
    consent = resident.matching_consents.get()
    ms.consent_withdraw(consent=consent, by=region.consulent)
    assert not ms.has_consent(resident.pk)
    with pytest.raises(DomainError):
        ms.consent_withdraw(consent=consent, by=region.consulent)


def test_proposal_needs_consent_and_open_vacancy(region):
    vacancy = region.vacancy()
    without = region.resident(consent=False)
    with pytest.raises(DomainError) as exc:
        ms.proposal_create(vacancy=vacancy, resident=without, by=region.accountmanager)
    assert exc.value.code == "no_consent"
    resident = region.resident()
    ms.proposal_create(vacancy=vacancy, resident=resident, by=region.accountmanager)
    with pytest.raises(DomainError) as exc:
        ms.proposal_create(vacancy=vacancy, resident=resident, by=region.accountmanager)
    assert exc.value.code == "proposed"


def test_decline_needs_reason(region):
    vacancy = region.vacancy()
    proposal = ms.proposal_create(
        vacancy=vacancy, resident=region.resident(), by=region.accountmanager
    )
    with pytest.raises(DomainError) as exc:
        ms.proposal_answer(
            proposal=proposal,
            accepted=False,
            answered_on=dt.date(2026, 11, 22),
            by=region.accountmanager,
        )
    assert exc.value.field == "decline_reason"
    ms.proposal_answer(
        proposal=proposal,
        accepted=False,
        answered_on=dt.date(2026, 11, 22),
        by=region.accountmanager,
        reason="Geen ervaring met tillen",
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DECLINED


def test_placement_records_outflow_through_caseload_and_fills_vacancy(region):
    vacancy = region.vacancy(loonkostensubsidie=True)
    resident = region.resident()
    proposal = ms.proposal_create(vacancy=vacancy, resident=resident, by=region.accountmanager)
    with pytest.raises(DomainError) as exc:
        ms.placement_record(
            proposal=proposal,
            by=region.accountmanager,
            start_date=dt.date(2026, 11, 22),
            hours_per_week=Decimal(24),
            outflow_kind="volledig",
            contract_type="tijdelijk",
        )
    assert exc.value.code == "not_accepted"
    ms.proposal_answer(
        proposal=proposal,
        accepted=True,
        answered_on=dt.date(2026, 11, 22),
        by=region.accountmanager,
    )
    placement = ms.placement_record(
        proposal=proposal,
        by=region.accountmanager,
        start_date=dt.date(2026, 11, 22),
        hours_per_week=Decimal(24),
        outflow_kind="volledig",
        contract_type="tijdelijk",
        loonkostensubsidie=True,
        jobcoach=True,
    )
    outflow = OutflowEvent.objects.get(resident=resident)
    assert placement.outflow == outflow and outflow.placement == placement  # both ways
    assert outflow.reason == "werk" and outflow.is_subsidised
    assert outflow.employer == "Zorggroep Gooi"
    assert outflow.benefit.end_date == dt.date(2026, 11, 22)  # the caseload service ended it
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.FILLED and vacancy.closed_on == dt.date(2026, 11, 22)


def _accepted(region, vacancy):
    proposal = ms.proposal_create(
        vacancy=vacancy, resident=region.resident(), by=region.accountmanager
    )
    return ms.proposal_answer(
        proposal=proposal,
        accepted=True,
        answered_on=dt.date(2026, 11, 22),
        by=region.accountmanager,
    )


def _place(region, proposal):
    return ms.placement_record(
        proposal=proposal,
        by=region.accountmanager,
        start_date=dt.date(2026, 11, 22),
        hours_per_week=Decimal(24),
        outflow_kind="volledig",
        contract_type="tijdelijk",
    )


def test_a_closed_vacancy_takes_no_placement_and_no_acceptance(region):
    """The walk of 4 December: on a vacancy closed as withdrawn two accepted candidates were
    placed (placements 99 -> 101, filled vacancies 99, outflow to work +2). One placement fills
    a vacancy; a withdrawn vacancy takes none; an acceptance on a closed vacancy is refused
    (a decline may still be recorded)."""
    from employers import services as es

    filled = region.vacancy()
    first, second = _accepted(region, filled), _accepted(region, filled)
    _place(region, first)
    with pytest.raises(DomainError) as exc:
        _place(region, second)
    assert exc.value.code == "vacancy_closed" and "al vervuld" in exc.value.message
    fresh = type(second).objects.get(pk=second.pk)
    assert ms.placement_blocked(proposal=fresh).code == "vacancy_closed"

    withdrawn = region.vacancy()
    accepted = _accepted(region, withdrawn)
    waiting = ms.proposal_create(
        vacancy=withdrawn, resident=region.resident(), by=region.accountmanager
    )
    es.vacancy_close(
        vacancy=withdrawn, on=dt.date(2026, 11, 22), result="ingetrokken", by=region.accountmanager
    )
    with pytest.raises(DomainError) as exc:
        _place(region, accepted)
    assert exc.value.message == "Deze vacature is ingetrokken."
    with pytest.raises(DomainError) as exc:
        ms.proposal_answer(
            proposal=waiting,
            accepted=True,
            answered_on=dt.date(2026, 11, 22),
            by=region.accountmanager,
        )
    assert exc.value.code == "vacancy_closed" and exc.value.field == "answer"
    declined = ms.proposal_answer(
        proposal=waiting,
        accepted=False,
        answered_on=dt.date(2026, 11, 22),
        by=region.accountmanager,
        reason="Vacature ingetrokken",
    )
    assert declined.status == "afgewezen"
    assert Placement.objects.count() == 1 and OutflowEvent.objects.count() == 1


def test_a_new_consent_follows_the_withdrawal_of_the_one_before(region):
    """The walk of 4 December: after a withdrawal today, a new consent "given on 1-1-1990" was
    accepted and the history read as given long before the withdrawal."""
    from common import clock
    from matching.models import Consent

    resident = region.resident()  # with a consent to be proposed
    consent = Consent.objects.get(resident=resident, withdrawn_at__isnull=True)
    ms.consent_withdraw(consent=consent, by=region.consulent)
    with pytest.raises(DomainError) as exc:
        ms.consent_give(
            resident=consent.resident, by=region.consulent, given_on=dt.date(1990, 1, 1)
        )
    assert exc.value.code == "before_withdrawal" and exc.value.field == "given_on"
    again = ms.consent_give(resident=consent.resident, by=region.consulent, given_on=clock.today())
    assert again.withdrawn_at is None
