"""Writes of the matching: profile, consent, proposal, employer's answer, placement.

Keyword-only, atomic, ``DomainError`` with a Dutch message and the field it is about. The
placement records the outflow through ``caseload.services.outflow_record`` (never the caseload
tables directly) and links it both ways (``Placement.outflow`` / ``OutflowEvent.placement``).
Who read or changed what is logged per request by the views (``privacy.decorators``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from caseload import services as caseload_services
from caseload.models import OutflowEvent, Resident, User
from common import clock
from common.exceptions import DomainError
from employers import services as employers_services
from employers.models import Occupation, Vacancy, VacancyStatus

from .calculations import ProfileFacts, profile_is_complete
from .facts import candidate_facts_refresh
from .models import (
    Consent,
    ConsentScope,
    Placement,
    Profile,
    Proposal,
    ProposalStatus,
    SoughtOccupation,
    WorkExperience,
)

MAX_SOUGHT = 5


def _occupations(codes: Sequence[str], *, field: str) -> list[Occupation]:
    wanted = [c.strip() for c in codes if c and c.strip()]
    found = {o.code: o for o in Occupation.objects.filter(code__in=wanted)}
    unknown = [c for c in wanted if c not in found]
    if unknown:
        raise DomainError(
            f"Onbekende ISCO-08-code: {', '.join(unknown)}.", code="occupation_unknown", field=field
        )
    return [found[c] for c in dict.fromkeys(wanted)]


def _facts(profile: Profile) -> ProfileFacts:
    return ProfileFacts(
        sought_count=profile.sought.count(),
        experience_count=profile.experience.count(),
        no_work_experience=profile.no_work_experience,
        driving_licence=profile.driving_licence,
        travel_range_km=profile.travel_range_km,
        hours_available=profile.hours_available,
    )


def _completion_update(profile: Profile) -> None:
    """Keep ``completed_on`` in step with the rule (``calculations.profile_is_complete``)."""
    complete = profile_is_complete(_facts(profile))
    if complete and profile.completed_on is None:
        profile.completed_on = clock.today()
    elif not complete:
        profile.completed_on = None
    else:
        return
    profile.save(update_fields=["completed_on"])


def _facts_refresh(profile: Profile) -> None:
    """The profile's candidate facts, rewritten inside the change's transaction (one row): they
    commit or roll back with it, so the candidate list never shows an edit that failed."""
    candidate_facts_refresh(resident_ids=[profile.resident_id])


def _profile_locked(resident: Resident, by: User) -> Profile:
    profile, _created = Profile.objects.get_or_create(
        resident=resident, defaults={"updated_by": by}
    )
    return Profile.objects.select_for_update().get(pk=profile.pk)


@transaction.atomic
def profile_save(
    *,
    resident: Resident,
    by: User,
    sought_codes: Sequence[str],
    driving_licence: bool | None,
    travel_range_km: int | None,
    hours_available: Decimal | None,
    no_work_experience: bool = False,
) -> Profile:
    """Create or update the resident's profile (the matching part; the intake part is read)."""
    if len([c for c in sought_codes if c and c.strip()]) > MAX_SOUGHT:
        raise DomainError(
            f"Kies hoogstens {MAX_SOUGHT} gezochte beroepen.", code="sought_many", field="sought"
        )
    occupations = _occupations(sought_codes, field="sought")
    if travel_range_km is not None and not (0 <= travel_range_km <= 200):
        raise DomainError(
            "Vul een reisafstand in van 0 tot en met 200 km.",
            code="travel_range",
            field="travel_range_km",
        )
    if hours_available is not None and not (0 < hours_available <= 40):
        raise DomainError(
            "Vul het aantal uren per week in (meer dan 0, hoogstens 40).",
            code="hours",
            field="hours_available",
        )
    profile = _profile_locked(resident, by)
    profile.driving_licence = driving_licence
    profile.travel_range_km = travel_range_km
    profile.hours_available = hours_available
    profile.no_work_experience = no_work_experience
    profile.updated_by = by
    profile.save(
        update_fields=[
            "driving_licence",
            "travel_range_km",
            "hours_available",
            "no_work_experience",
            "updated_by",
            "updated_at",
        ]
    )
    keep = {o.pk for o in occupations}
    profile.sought.exclude(occupation_id__in=keep).delete()
    have = set(profile.sought.values_list("occupation_id", flat=True))
    SoughtOccupation.objects.bulk_create(
        [SoughtOccupation(profile=profile, occupation=o) for o in occupations if o.pk not in have]
    )
    _completion_update(profile)
    _facts_refresh(profile)
    return profile


@transaction.atomic
def work_experience_add(
    *, resident: Resident, by: User, occupation_code: str, years: Decimal
) -> WorkExperience:
    found = _occupations([occupation_code], field="occupation")
    if not found:
        raise DomainError("Kies een beroep.", code="occupation_missing", field="occupation")
    occupation = found[0]
    if not (0 < years <= 50):
        raise DomainError(
            "Vul het aantal jaren in (meer dan 0, hoogstens 50).", code="years", field="years"
        )
    profile = _profile_locked(resident, by)
    if profile.experience.filter(occupation=occupation).exists():
        raise DomainError(
            "Deze werkervaring staat er al; verwijder die eerst om de jaren te wijzigen.",
            code="experience_exists",
            field="occupation",
        )
    experience = WorkExperience.objects.create(profile=profile, occupation=occupation, years=years)
    _completion_update(profile)
    _facts_refresh(profile)
    return experience


@transaction.atomic
def work_experience_remove(*, experience: WorkExperience, by: User) -> None:
    profile = Profile.objects.select_for_update().get(pk=experience.profile_id)
    experience.delete()
    profile.updated_by = by
    profile.save(update_fields=["updated_by", "updated_at"])
    _completion_update(profile)
    _facts_refresh(profile)


# --------------------------------------------------------------------------------------------
# Consent
# --------------------------------------------------------------------------------------------


@transaction.atomic
def consent_give(
    *, resident: Resident, by: User, given_on: dt.date, scope: str = ConsentScope.PROPOSE
) -> Consent:
    if scope not in ConsentScope.values:
        raise DomainError("Kies waarvoor de toestemming geldt.", code="scope", field="scope")
    if given_on > clock.today():
        raise DomainError(
            "De datum van de toestemming ligt in de toekomst.", code="future", field="given_on"
        )
    # as for every fact about a resident (a contact, a ladder score): a consent of 1-1-1900 was
    # accepted (the walk of 3 December, night)
    problem = caseload_services.before_birth_problem(
        given_on, resident.birth_date, "given_on", "De datum van de toestemming"
    )
    if problem is not None:
        raise problem
    Resident.objects.select_for_update().filter(pk=resident.pk).first()
    if Consent.objects.filter(resident=resident, scope=scope, withdrawn_at__isnull=True).exists():
        raise DomainError(
            "Er is al een geldige toestemming voor dit doel.", code="consent_exists", field="scope"
        )
    # a new consent follows the withdrawal of the one before (the walk of 4 December: consent
    # "given on 1-1-1990" after one withdrawn today read as given long before it)
    last_withdrawn = (
        Consent.objects.filter(resident=resident, scope=scope, withdrawn_at__isnull=False)
        .order_by("-withdrawn_at")
        .values_list("withdrawn_at", flat=True)
        .first()
    )
    if last_withdrawn is not None:
        withdrawn_on = timezone.localdate(last_withdrawn)
        if given_on < withdrawn_on:
            raise DomainError(
                "De toestemming ligt voor de intrekking van de vorige toestemming (op "
                f"{withdrawn_on.day}-{withdrawn_on.month}-{withdrawn_on.year}). Vul de datum "
                "in waarop de inwoner opnieuw toestemming gaf.",
                code="before_withdrawal",
                field="given_on",
            )
    try:
        with transaction.atomic():
            return Consent.objects.create(
                resident=resident, scope=scope, given_on=given_on, recorded_by=by
            )
    except IntegrityError as exc:  # a concurrent consent won the race
        raise DomainError(
            "Er is al een geldige toestemming voor dit doel.", code="consent_exists", field="scope"
        ) from exc


@transaction.atomic
def consent_withdraw(*, consent: Consent, by: User) -> Consent:
    """Withdraw: from this moment the resident is out of every candidate list (the ranking reads
    only consents without ``withdrawn_at``); open proposals stay for the record."""
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_at is not None:
        raise DomainError("Deze toestemming is al ingetrokken.", code="withdrawn", field=None)
    consent.withdrawn_at = clock.now()
    consent.withdrawn_by = by
    consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
    return consent


def has_consent(resident_id: int, scope: str = ConsentScope.PROPOSE) -> bool:
    return Consent.objects.filter(
        resident_id=resident_id, scope=scope, withdrawn_at__isnull=True
    ).exists()


# --------------------------------------------------------------------------------------------
# Proposal, answer, placement
# --------------------------------------------------------------------------------------------


@transaction.atomic
def proposal_create(
    *,
    vacancy: Vacancy,
    resident: Resident,
    by: User,
    motivation: str = "",
    score: Decimal | None = None,
) -> Proposal:
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if vacancy.status != VacancyStatus.OPEN:
        raise DomainError("Deze vacature is niet meer open.", code="vacancy_closed", field=None)
    if not has_consent(resident.pk):
        raise DomainError(
            "Deze inwoner heeft geen toestemming gegeven om voorgesteld te worden aan werkgevers.",
            code="no_consent",
            field=None,
        )
    if Proposal.objects.filter(vacancy=vacancy, resident=resident).exists():
        raise DomainError(
            "Deze inwoner is al voorgedragen voor deze vacature.", code="proposed", field=None
        )
    return Proposal.objects.create(
        vacancy=vacancy,
        resident=resident,
        proposed_by=by,
        proposed_on=clock.today(),
        motivation=(motivation or "").strip(),
        score=score,
    )


def _closed_message(vacancy) -> str:
    if vacancy.status == VacancyStatus.FILLED:
        return "Deze vacature is al vervuld: er staat een plaatsing op."
    return "Deze vacature is ingetrokken."


def answer_blocked(*, proposal: Proposal) -> DomainError | None:
    """Why no answer can be recorded for ``proposal`` at all (the page says so up front)."""
    if proposal.status != ProposalStatus.PROPOSED:
        return DomainError(
            "Het antwoord van de werkgever staat er al.", code="answered", field=None
        )
    return None


def placement_blocked(*, proposal: Proposal) -> DomainError | None:
    """Why no placement can be recorded on ``proposal`` (the page says so up front, the service
    refuses with it): not accepted, placed already, or its vacancy closed. One placement fills
    a vacancy; a withdrawn one has none (the walk of 4 December: two placements on a withdrawn
    vacancy counted as placements, not as a filled vacancy)."""
    if proposal.status != ProposalStatus.ACCEPTED:
        return DomainError(
            "Een plaatsing volgt op een voordracht die de werkgever heeft aangenomen.",
            code="not_accepted",
            field=None,
        )
    if Placement.objects.filter(proposal=proposal).exists():
        return DomainError("Deze plaatsing staat er al.", code="placed", field=None)
    if not proposal.vacancy.is_open:
        return DomainError(_closed_message(proposal.vacancy), code="vacancy_closed", field=None)
    return None


@transaction.atomic
def proposal_answer(
    *, proposal: Proposal, accepted: bool, answered_on: dt.date, by: User, reason: str = ""
) -> Proposal:
    proposal = Proposal.objects.select_for_update().select_related("vacancy").get(pk=proposal.pk)
    blocked = answer_blocked(proposal=proposal)
    if blocked is not None:
        raise blocked
    if accepted and not proposal.vacancy.is_open:
        # the walk of 4 December: a candidate accepted, and placed, on a withdrawn vacancy
        raise DomainError(
            _closed_message(proposal.vacancy) + " Leg alleen een afwijzing vast.",
            code="vacancy_closed",
            field="answer",
        )
    if answered_on < proposal.proposed_on:
        raise DomainError(
            "Het antwoord ligt voor de datum van de voordracht.", code="before", field="answered_on"
        )
    if answered_on > clock.today():
        raise DomainError(
            "De datum van het antwoord ligt in de toekomst.", code="future", field="answered_on"
        )
    reason = (reason or "").strip()
    if not accepted and not reason:
        raise DomainError(
            "Vul de reden van de afwijzing in.", code="reason_required", field="decline_reason"
        )
    proposal.status = ProposalStatus.ACCEPTED if accepted else ProposalStatus.DECLINED
    proposal.answered_on = answered_on
    proposal.decline_reason = "" if accepted else reason
    proposal.save(update_fields=["status", "answered_on", "decline_reason"])
    return proposal


@transaction.atomic
def placement_record(
    *,
    proposal: Proposal,
    by: User,
    start_date: dt.date,
    hours_per_week: Decimal,
    outflow_kind: str,
    contract_type: str,
    loonkostensubsidie: bool = False,
    proefplaatsing: bool = False,
    jobcoach: bool = False,
) -> Placement:
    """Plaatsing: records the outflow event through ``caseload.services.outflow_record`` (reason
    work; subsidised when loonkostensubsidie applies) and closes the vacancy as filled."""
    proposal = (
        Proposal.objects.select_for_update().select_related("vacancy__employer").get(pk=proposal.pk)
    )
    blocked = placement_blocked(proposal=proposal)
    if blocked is not None:
        raise blocked
    if not (0 < hours_per_week <= 40):
        raise DomainError(
            "Vul het aantal uren per week in (meer dan 0, hoogstens 40).",
            code="hours",
            field="hours_per_week",
        )
    if start_date < proposal.proposed_on:
        raise DomainError(
            "De startdatum ligt voor de voordracht.", code="before", field="start_date"
        )
    vacancy = proposal.vacancy
    outflow = caseload_services.outflow_record(
        resident=proposal.resident,
        kind=outflow_kind,
        reason=OutflowEvent.Reason.WORK,
        occurred_on=start_date,
        by=by,
        hours_per_week=hours_per_week,
        employer=vacancy.employer.name[:120],
        sector=f"SBI {vacancy.employer.sbi_code}",
        contract_type=contract_type,
        is_subsidised=loonkostensubsidie,
    )
    placement = Placement.objects.create(
        proposal=proposal,
        start_date=start_date,
        hours_per_week=hours_per_week,
        loonkostensubsidie=loonkostensubsidie,
        proefplaatsing=proefplaatsing,
        jobcoach=jobcoach,
        outflow=outflow,
        recorded_by=by,
    )
    if vacancy.is_open:
        # filled on the day the placement is recorded (a vacancy cannot close in the future)
        employers_services.vacancy_close(
            vacancy=vacancy,
            on=max(min(start_date, clock.today()), vacancy.opened_on),
            result=VacancyStatus.FILLED,
            by=by,
        )
    return placement
