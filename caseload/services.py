"""Writes to the caseload. Every state change goes through one of these functions.

Each service is keyword-only and typed, checks the business rules first and raises
:class:`common.exceptions.DomainError` with a Dutch message (never containing a BSN), and runs in
a transaction. Database constraints back up the same rules.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, transaction

from common import clock, rls
from common.bsn import is_valid_bsn
from common.exceptions import DomainError

from .models import (
    WORK_END_REASONS,
    Application,
    BanenafspraakSector,
    Benefit,
    BenefitPayment,
    CbsEndReason,
    ContactMoment,
    DebtCase,
    EducationLevel,
    FraudInvestigation,
    Group,
    GroupAssignment,
    Household,
    HouseholdType,
    Instrument,
    LadderScore,
    Municipality,
    OutflowEvent,
    Regime,
    Resident,
    Team,
    Trajectory,
    User,
)
from .outflow_rule import BIJSTAND_REGIMES_SQL

#: Callbacks told whenever case data changes, e.g. the indicator engine recording a recompute of
#: the periods an edit touches. Registered by other apps in ``AppConfig.ready``; called with the
#: municipality id and the earliest date the change affects, inside the change's transaction
#: (issue 13, finding 1): what a listener writes commits or rolls back with the change, and a
#: listener that acts after commit registers its own ``transaction.on_commit``.
_case_change_listeners: list[Callable[[int, dt.date], None]] = []

DURABILITY_FIELDS = ((6, "still_off_benefit_6m"), (12, "still_off_benefit_12m"))

NO_STARTKWALIFICATIE_LEVELS = {
    EducationLevel.NONE,
    EducationLevel.VSO_PRO,
    EducationLevel.VMBO,
    EducationLevel.MBO1,
}


def case_change_listener_register(listener: Callable[[int, dt.date], None]) -> None:
    if listener not in _case_change_listeners:
        _case_change_listeners.append(listener)


def _case_changed(*, municipality_id: int, affected_from: dt.date) -> None:
    """Tell the listeners now, inside the caller's transaction (every service that changes case
    data is atomic); an error of a listener rolls the change back."""
    for listener in list(_case_change_listeners):
        listener(municipality_id, affected_from)


def _future_problem(value: dt.date, field: str, label: str) -> DomainError | None:
    if value > clock.today():
        return DomainError(
            f"{label} mag niet in de toekomst liggen.", code="future_date", field=field
        )
    return None


def _not_in_future(value: dt.date, field: str, label: str) -> None:
    problem = _future_problem(value, field, label)
    if problem is not None:
        raise problem


def before_birth_problem(
    value: dt.date | None, born: dt.date | None, field: str, label: str
) -> DomainError | None:
    """A fact about a resident (a contact, a ladder score, a trajectory, a group decision, an
    outflow) is not dated before the resident's birth: a date of 1-1-1900 put a trajectory in
    every historical period (the walk of 3 December, night). Not checked when a date is None."""
    if value is not None and born is not None and value < born:
        return DomainError(
            f"{label} ligt vóór de geboortedatum van de inwoner.",
            code="before_birth",
            field=field,
        )
    return None


def fact_date_problems(
    value: dt.date | None, *, born: dt.date | None, field: str, label: str
) -> list[DomainError | None]:
    """The date of a fact about a resident: not in the future and not before the resident's
    birth (``born``). Nothing is checked for a date not given (None)."""
    if value is None:
        return []
    return [_future_problem(value, field, label), before_birth_problem(value, born, field, label)]


def _fact_date_check(value: dt.date, *, born: dt.date | None, field: str, label: str) -> None:
    """:func:`fact_date_problems`, refusing with the first."""
    _raise_first(fact_date_problems(value, born=born, field=field, label=label))


#: the oldest age a birth date typed at a registration may give (the oldest Dutch residents are
#: about 115; 1-1-1800, an age of 226, was accepted: the walk of 3 December, night)
MAX_AGE = 120


def birth_date_problems(
    *, birth_date: dt.date | None, field: str = "birth_date"
) -> list[DomainError | None]:
    """Every rule a birth date typed for a resident breaks: in the past, and an age of at most
    ``MAX_AGE`` today. A date not given (None) is not checked."""
    if birth_date is None:
        return []
    if birth_date >= clock.today():
        return [
            DomainError(
                "De geboortedatum moet in het verleden liggen.", code="birth_date", field=field
            )
        ]
    if relativedelta(clock.today(), birth_date).years > MAX_AGE:
        return [
            DomainError(
                f"Met deze geboortedatum is de inwoner ouder dan {MAX_AGE} jaar: controleer de "
                "datum.",
                code="birth_date_too_old",
                field=field,
            )
        ]
    return []


def _raise_first(problems: Sequence[DomainError | None]) -> None:
    """A service refuses with the first of its rule checks' problems (the API's one error);
    a form shows them all at once (``common.forms`` ``add_problems``)."""
    for problem in problems:
        if problem is not None:
            raise problem


# --------------------------------------------------------------------------------------------
# Residents and households
# --------------------------------------------------------------------------------------------


def _create_once(model: type[Any], constraint: str, error: DomainError, **values: Any) -> Any:
    """Insert one row in a savepoint; a concurrent create that passed the same pre-check and
    committed first violates ``constraint``: that is the pre-check's ``error``, not a 500
    (issue 13, finding 6). Any other integrity error goes up unchanged."""
    try:
        with transaction.atomic():
            return model._default_manager.create(**values)
    except IntegrityError as exc:
        diag = getattr(exc.__cause__, "diag", None)
        if getattr(diag, "constraint_name", None) != constraint:
            raise
        raise error from None


def household_composition_problems(
    *, household_type: str | None, children_count: int | None
) -> list[DomainError | None]:
    """The leefvorm against the number of minor children: a single person with children is a
    single parent, and a single parent has at least one child. Checked at registration (the
    form and ``registers.services.new_application_register``)."""
    if children_count is None:
        return []
    if household_type == HouseholdType.SINGLE and children_count > 0:
        return [
            DomainError(
                "Een alleenstaande met minderjarige kinderen is een alleenstaande ouder: kies "
                "de leefvorm 'Alleenstaande ouder', of vul 0 kinderen in.",
                code="household_children",
                field="household_type",
            )
        ]
    if household_type == HouseholdType.SINGLE_PARENT and children_count == 0:
        return [
            DomainError(
                "Een alleenstaande ouder heeft minstens één minderjarig kind: vul het aantal "
                "kinderen in, of kies de leefvorm 'Alleenstaand'.",
                code="household_children",
                field="children_count",
            )
        ]
    return []


@transaction.atomic
def household_create(
    *,
    municipality_id: int,
    household_type: str,
    street: str,
    house_number: str,
    postcode: str,
    city: str,
    district_id: int | None = None,
    children_count: int = 0,
) -> Household:
    household = Household(
        municipality_id=municipality_id,
        household_type=household_type,
        street=street,
        house_number=house_number,
        postcode=postcode.strip().upper(),
        city=city,
        district_id=district_id,
        children_count=children_count,
    )
    household.full_clean()
    household.save()
    return household


class BsnCheckRefused(DomainError):
    """The registration's BSN check refused the BSN. ``resident_id`` names the resident who
    holds it, for the processing log (the check is a BSN search); never shown to the caller."""

    def __init__(self, message: str, *, code: str, resident_id: int) -> None:
        super().__init__(message, code=code, field="bsn")
        self.resident_id = resident_id


class BsnRegistered(BsnCheckRefused):
    """The BSN is registered in the household's municipality."""

    def __init__(self, *, resident_id: int) -> None:
        super().__init__(
            "Er is al een inwoner met dit BSN geregistreerd.",
            code="bsn_exists",
            resident_id=resident_id,
        )


class RegistrationConflict(BsnCheckRefused):
    """The BSN is registered in another municipality: a neutral answer that names none."""

    def __init__(self, *, resident_id: int) -> None:
        super().__init__(
            "Deze inwoner kan hier niet worden geregistreerd. Neem contact op met functioneel "
            "beheer.",
            code="registration_conflict",
            resident_id=resident_id,
        )


@transaction.atomic
def resident_register(
    *,
    household: Household,
    team: Team,
    bsn: str,
    first_name: str,
    last_name: str,
    birth_date: dt.date,
    name_prefix: str = "",
    household_role: str = "aanvrager",
    education_level: str = "",
    has_startkwalificatie: bool = False,
    is_status_holder: bool = False,
    in_doelgroepregister: bool = False,
    language_level: str = "",
    consulent: User | None = None,
    is_fake: bool = False,
    source: str = "",
) -> Resident:
    """Register a resident. The BSN must pass the 11-test and be new to the system.

    The BSN check looks in the household's municipality only (``BsnRegistered``); a BSN held in
    another municipality fails on the unique constraint as ``RegistrationConflict``, which names
    no municipality. Callers log either refusal as a BSN search (purpose registratiecontrole)."""
    bsn = (bsn or "").strip()
    if not is_valid_bsn(bsn):
        raise DomainError("Dit is geen geldig BSN (elfproef).", code="bsn_invalid", field="bsn")
    # the birth date before any BSN is looked up (a registration refused anyway answers nothing)
    _raise_first(birth_date_problems(birth_date=birth_date))
    # Only the household's municipality is asked: a BSN registered elsewhere behaves as new here
    # until the unique constraint refuses it (a neutral conflict below).
    holder = (
        Resident.objects.filter(bsn=bsn, municipality_id=household.municipality_id)
        .values_list("pk", flat=True)
        .first()
    )
    if holder is not None:
        raise BsnRegistered(resident_id=holder)
    if has_startkwalificatie and education_level in NO_STARTKWALIFICATIE_LEVELS:
        raise DomainError(
            "Met dit opleidingsniveau is er geen startkwalificatie.",
            code="startkwalificatie",
            field="has_startkwalificatie",
        )
    if team.municipality_id != household.municipality_id:
        raise DomainError("Het team hoort bij een andere gemeente.", code="team", field="team")
    if consulent is not None and consulent.team_id != team.id:
        raise DomainError(
            "De consulent hoort niet bij dit team.", code="consulent_team", field="consulent"
        )
    resident = Resident(
        municipality_id=household.municipality_id,
        household=household,
        team=team,
        consulent=consulent,
        bsn=bsn,
        is_fake=is_fake,
        source=source,
        first_name=first_name.strip(),
        name_prefix=name_prefix.strip(),
        last_name=last_name.strip(),
        birth_date=birth_date,
        household_role=household_role,
        education_level=education_level,
        has_startkwalificatie=has_startkwalificatie,
        is_status_holder=is_status_holder,
        in_doelgroepregister=in_doelgroepregister,
        language_level=language_level,
    )
    resident.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            resident.save()
    except IntegrityError as exc:  # registered in another municipality, or concurrently here
        # the holder may be in another municipality, which row-level security hides from this
        # session: the one look-up across municipalities (id and municipality only)
        holder = rls.bsn_holder(bsn)
        if holder is None:
            raise
        if holder["municipality_id"] == household.municipality_id:
            raise BsnRegistered(resident_id=holder["pk"]) from exc
        raise RegistrationConflict(resident_id=holder["pk"]) from exc
    return resident


@transaction.atomic
def resident_reassign(
    *, resident: Resident, team: Team, consulent: User | None, by: User
) -> Resident:
    """Move a resident to another team and/or consulent (teamleider's action)."""
    if consulent is not None and consulent.team_id != team.id:
        raise DomainError(
            "De consulent hoort niet bij het gekozen team.",
            code="consulent_team",
            field="consulent",
        )
    if team.municipality_id != resident.municipality_id:
        raise DomainError("Het team hoort bij een andere gemeente.", code="team", field="team")
    resident.team = team
    resident.consulent = consulent
    resident.save(update_fields=["team", "consulent"])
    # Team figures are split by the resident's current team: refresh this year's periods now;
    # earlier years follow in the nightly full recompute.
    _case_changed(
        municipality_id=resident.municipality_id,
        affected_from=clock.today().replace(month=1, day=1),
    )
    return resident


# --------------------------------------------------------------------------------------------
# Applications and benefits
# --------------------------------------------------------------------------------------------


def _benefit_open_exists() -> DomainError:
    """A household has one running benefit per regeling (``benefit_open`` and the
    application that could never be granted beside one)."""
    return DomainError(
        "Dit huishouden heeft al een lopende uitkering in deze regeling.",
        code="benefit_open_exists",
        field="regime",
    )


def application_register_problems(
    *,
    resident: Resident,
    received_on: dt.date | None,
    regime: str | None,
    prevention_route: str = Application.PreventionRoute.NONE,
) -> list[DomainError | None]:
    """Every rule a new application of ``resident`` breaks, in the order
    ``application_register`` checks them (a form shows them all at once); a value not given
    (None) is not checked."""
    problems: list[DomainError | None] = []
    if received_on is not None:
        problems.append(_future_problem(received_on, "received_on", "De datum van de melding"))
        if resident.birth_date is not None and received_on < resident.birth_date + relativedelta(
            years=18
        ):
            # bijstand is for people of 18 and older (art. 11 Participatiewet); a melding before
            # that is a typing error that would rewrite past figures (the walk of 3 December: a
            # melding of 2001 for someone born in 1998)
            problems.append(
                DomainError(
                    "De datum van de melding ligt vóór de 18e verjaardag van de aanvrager: "
                    "bijstand is er vanaf 18 jaar.",
                    code="received_before_18",
                    field="received_on",
                )
            )
    # prevention is guidance before any application for bijstand: beside a running benefit it
    # prevents nothing, and it counted in prevention.ww_no_application (the walk of 3 December,
    # night)
    if (
        regime is not None
        and prevention_route != Application.PreventionRoute.NONE
        and Benefit.objects.filter(
            household_id=resident.household_id, regime=regime, end_date__isnull=True
        ).exists()
    ):
        problems.append(
            DomainError(
                "Deze inwoner heeft al een lopende uitkering in deze regeling. Preventie aan "
                "het einde van de WW is begeleiding vóór een bijstandsaanvraag en past niet "
                "naast een lopende uitkering.",
                code="prevention_benefit_open",
                field="regime",
            )
        )
    # a melding guided at the end of the WW (a prevention route) is no application of its own
    # and may run beside one; otherwise one in behandeling per regeling, and none beside a
    # running benefit that its grant could never open (the second walk of 3 December)
    if regime is not None and prevention_route == Application.PreventionRoute.NONE:
        if Application.objects.filter(
            resident=resident,
            regime=regime,
            outcome=Application.Outcome.PENDING,
            prevention_route=Application.PreventionRoute.NONE,
        ).exists():
            problems.append(
                DomainError(
                    "Deze inwoner heeft al een aanvraag in deze regeling in behandeling: beslis "
                    "die eerst.",
                    code="application_pending",
                    field="regime",
                )
            )
        elif Benefit.objects.filter(
            household_id=resident.household_id, regime=regime, end_date__isnull=True
        ).exists():
            problems.append(_benefit_open_exists())
    return problems


@transaction.atomic
def application_register(
    *,
    resident: Resident,
    received_on: dt.date,
    regime: str = Regime.ALGEMENE_BIJSTAND,
    risk_profile: str = Application.RiskProfile.NORMAL,
    prevention_route: str = Application.PreventionRoute.NONE,
) -> Application:
    _raise_first(
        application_register_problems(
            resident=resident,
            received_on=received_on,
            regime=regime,
            prevention_route=prevention_route,
        )
    )
    application = Application(
        resident=resident,
        received_on=received_on,
        regime=regime,
        risk_profile=risk_profile,
        prevention_route=prevention_route,
    )
    application.full_clean()
    application.save()
    _case_changed(municipality_id=resident.municipality_id, affected_from=received_on)
    return application


def application_decision_problems(
    *,
    received_on: dt.date,
    outcome: str | None,
    decided_on: dt.date | None,
    benefit_start: dt.date | None,
) -> list[DomainError | None]:
    """Every rule the decision on an application (melding of ``received_on``) breaks, in the
    order ``application_decide`` checks them; a date not given (None) is not checked."""
    granted = outcome == Application.Outcome.GRANTED
    problems: list[DomainError | None] = []
    if outcome not in Application.Outcome.values or outcome == Application.Outcome.PENDING:
        problems.append(DomainError("Kies een geldige uitkomst.", code="outcome", field="outcome"))
    if decided_on is not None:
        if decided_on < received_on:
            problems.append(
                DomainError(
                    "De besluitdatum ligt voor de datum van de melding.",
                    code="decided_on",
                    field="decided_on",
                )
            )
        problems.append(_future_problem(decided_on, "decided_on", "De besluitdatum"))
    if granted and benefit_start is not None and benefit_start < received_on:
        # bijstand is granted from the day of the melding at the earliest (art. 44 lid 1
        # Participatiewet)
        problems.append(
            DomainError(
                "De ingangsdatum van de uitkering ligt vóór de datum van de melding; bijstand "
                "gaat op zijn vroegst in op de dag van de melding.",
                code="benefit_start",
                field="benefit_start",
            )
        )
    if (
        granted
        and benefit_start is not None
        and decided_on is not None
        and benefit_start > decided_on + dt.timedelta(days=366)
    ):
        # a typing error (9999-12-31 was accepted): a benefit decided now starts within a year
        problems.append(
            DomainError(
                "De ingangsdatum ligt meer dan een jaar na het besluit; controleer de datum.",
                code="benefit_start",
                field="benefit_start",
            )
        )
    return problems


@transaction.atomic
def application_decide(
    *,
    application: Application,
    outcome: str,
    decided_on: dt.date,
    benefit_start: dt.date | None = None,
) -> Application:
    """Decide an application. A grant opens the benefit for the applicant's household."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.outcome != Application.Outcome.PENDING:
        raise DomainError("Op deze aanvraag is al besloten.", code="already_decided")
    _raise_first(
        application_decision_problems(
            received_on=application.received_on,
            outcome=outcome,
            decided_on=decided_on,
            benefit_start=benefit_start,
        )
    )
    application.outcome = outcome
    application.decided_on = decided_on
    if outcome == Application.Outcome.GRANTED:
        resident = application.resident
        application.benefit = benefit_open(
            household=resident.household,
            applicant=resident,
            regime=application.regime,
            start_date=benefit_start or application.received_on,
        )
    application.save(update_fields=["outcome", "decided_on", "benefit"])
    _case_changed(
        municipality_id=application.resident.municipality_id, affected_from=application.received_on
    )
    return application


@transaction.atomic
def benefit_open(
    *, household: Household, applicant: Resident, regime: str, start_date: dt.date
) -> Benefit:
    if applicant.household_id != household.id:
        raise DomainError("De aanvrager hoort niet bij dit huishouden.", code="applicant")
    if regime not in Regime.values:
        raise DomainError("Onbekende regeling.", code="regime", field="regime")
    open_exists = _benefit_open_exists()
    if Benefit.objects.filter(household=household, regime=regime, end_date__isnull=True).exists():
        raise open_exists
    benefit = _create_once(
        Benefit,
        "benefit_one_open_per_household_regime",
        open_exists,
        household=household,
        applicant=applicant,
        regime=regime,
        start_date=start_date,
    )
    _case_changed(municipality_id=household.municipality_id, affected_from=start_date)
    return benefit


# One close shape (issue 16, point 12): ``benefit_close``, ``trajectory_close``,
# ``fraud_investigation_close`` and ``debt_case_close`` take ``(*, <record>, on, result, by)``:
# the record, the end date, how it ended (for a benefit the CBS reason of ending, otherwise the
# result) and who closes it (None: the system), then optional values of their own. They lock the
# row and check in one order with ``_close_check``: already closed, result, ``on`` before the
# start, ``on`` in the future (not for a benefit, whose end may be known ahead); a refusal is a
# ``DomainError`` naming the record's own field. ``_close_save`` stores the close, tells the close
# listeners who closed what (the processing log, registered by ``privacy``; inside the
# transaction, so a close whose log record cannot be written is rolled back) and the case-change
# listeners.

#: ``listener(*, record, resident_id, by)``, called inside the transaction after a close
_close_listeners: list[Callable[..., None]] = []


def close_listener_register(listener: Callable[..., None]) -> None:
    if listener not in _close_listeners:
        _close_listeners.append(listener)


_bulk_write_listeners: list[Callable[..., None]] = []


def bulk_write_listener_register(listener: Callable[..., None]) -> None:
    """``listener(object_type=, resident_ids=, by=, reason=, looked_up=)`` after a bulk write of
    residents' data (the payments import) inside its transaction, or a bulk look-up that wrote
    nothing (``looked_up=True``: a rejected payments file): privacy logs the processing, so the
    core does not import privacy."""
    if listener not in _bulk_write_listeners:
        _bulk_write_listeners.append(listener)


def residents_processed(
    *,
    resident_ids: Iterable[int],
    by: User | None,
    object_type: str,
    reason: str,
    looked_up: bool = False,
) -> None:
    """Tell the bulk-write listeners (the processing log) that a file processed these
    residents' data: written, or with ``looked_up`` only read (a rejected file resolved their
    BSNs). Inside the write's transaction, so the record commits with it."""
    ids = sorted(set(resident_ids))
    for listener in list(_bulk_write_listeners):
        listener(
            object_type=object_type, resident_ids=ids, by=by, reason=reason, looked_up=looked_up
        )


def benefits_looked_up(
    *, benefit_ids: Iterable[int], by: User | None, object_type: str, reason: str
) -> None:
    """Log that the applicants of ``benefit_ids`` were looked up in bulk without a write (a
    payments file resolved their BSNs to these benefits and compared their payments, then was
    rejected or left them unchanged): the same listeners as a bulk write, as a look-up."""
    residents_processed(
        resident_ids=Benefit.objects.filter(pk__in=set(benefit_ids)).values_list(
            "applicant_id", flat=True
        ),
        by=by,
        object_type=object_type,
        reason=reason,
        looked_up=True,
    )


def _close_problems(
    *,
    on: dt.date | None,
    result: str | None,
    results: Sequence[str],
    start: dt.date,
    end_field: str,
    result_field: str,
    no_result: str,
    before_start: str,
    future_label: str | None,
) -> list[DomainError | None]:
    """The rules of closing a record that runs from ``start``, in the order they are checked;
    an end date not given (None) is not checked."""
    problems: list[DomainError | None] = []
    if result not in results:
        problems.append(DomainError(no_result, code=result_field, field=result_field))
    if on is not None:
        if on < start:
            problems.append(DomainError(before_start, code="end_before_start", field=end_field))
        if future_label is not None:
            problems.append(_future_problem(on, end_field, future_label))
    return problems


def _close_check(
    *,
    record: Any,
    on: dt.date,
    result: str,
    results: Sequence[str],
    start: dt.date,
    end_field: str,
    result_field: str,
    closed: DomainError,
    no_result: str,
    before_start: str,
    future_label: str | None,
) -> None:
    if getattr(record, end_field) is not None:
        raise closed
    _raise_first(
        _close_problems(
            on=on,
            result=result,
            results=results,
            start=start,
            end_field=end_field,
            result_field=result_field,
            no_result=no_result,
            before_start=before_start,
            future_label=future_label,
        )
    )


def _close_save(
    *,
    record: Any,
    on: dt.date,
    result: str,
    by: User | None,
    end_field: str,
    result_field: str,
    resident_id: int,
    municipality_id: int,
    also: Mapping[str, Any] | None = None,
) -> None:
    values = {end_field: on, result_field: result, **(also or {})}
    for name, value in values.items():
        setattr(record, name, value)
    record.save(update_fields=list(values))
    for listener in list(_close_listeners):
        listener(record=record, resident_id=resident_id, by=by)
    _case_changed(municipality_id=municipality_id, affected_from=on)


@transaction.atomic
def benefit_close(*, benefit: Benefit, on: dt.date, result: str, by: User | None) -> Benefit:
    """End a benefit on ``on`` with the CBS reason ``result`` (stored as ``end_reason``)."""
    benefit = Benefit.objects.select_for_update().select_related("household").get(pk=benefit.pk)
    _close_check(
        record=benefit,
        on=on,
        result=result,
        results=CbsEndReason.values,
        start=benefit.start_date,
        end_field="end_date",
        result_field="end_reason",
        closed=DomainError("Deze uitkering is al beëindigd.", code="benefit_ended"),
        no_result="Kies een reden van beëindiging.",
        before_start="De einddatum ligt voor de ingangsdatum.",
        future_label=None,
    )
    _close_save(
        record=benefit,
        on=on,
        result=result,
        by=by,
        end_field="end_date",
        result_field="end_reason",
        resident_id=benefit.applicant_id,
        municipality_id=benefit.household.municipality_id,
    )
    return benefit


@transaction.atomic
def benefit_payment_record(
    *, benefit: Benefit, month: dt.date, amount_paid: Decimal, income_offset: Decimal = Decimal(0)
) -> BenefitPayment:
    """Record (or correct) the payment of one month; idempotent per benefit and month."""
    month = month.replace(day=1)
    if month < benefit.start_date.replace(day=1) or (
        benefit.end_date is not None and month > benefit.end_date
    ):
        raise DomainError(
            "Deze maand valt buiten de looptijd van de uitkering.", code="month", field="month"
        )
    if income_offset < 0:
        raise DomainError(
            "Verrekende inkomsten kunnen niet negatief zijn.", code="offset", field="income_offset"
        )
    payment, _ = BenefitPayment.objects.update_or_create(
        benefit=benefit,
        month=month,
        defaults={"amount_paid": amount_paid, "income_offset": income_offset},
    )
    _case_changed(municipality_id=benefit.household.municipality_id, affected_from=month)
    return payment


@dataclass(frozen=True)
class PaymentWrite:
    """One benefit's payment of one month, as the benefits administration reports it."""

    benefit_id: int
    month: dt.date
    amount_paid: Decimal
    income_offset: Decimal


@transaction.atomic
def benefit_payments_apply(
    *, municipality_id: int, payments: Sequence[PaymentWrite], by: User | None, reason: str = ""
) -> int:
    """Write many months' payments at once (the payments import, ``budget.payments_import``):
    one set-based upsert per benefit and month (a later correction replaces the month it
    corrects), all or nothing, the indicators told once, from the earliest month, and the
    processing logged once for every applicant written (``by``: who offered the file). The caller
    has validated that each benefit belongs to ``municipality_id`` and runs in the month."""
    if not payments:
        return 0
    rows = [
        (p.benefit_id, p.month.replace(day=1), p.amount_paid, p.income_offset) for p in payments
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            chunk = rows[start : start + 5000]
            cursor.execute(
                """
                INSERT INTO caseload_benefitpayment (benefit_id, month, amount_paid, income_offset)
                SELECT * FROM unnest(%s::bigint[], %s::date[], %s::numeric[], %s::numeric[])
                ON CONFLICT (benefit_id, month) DO UPDATE
                   SET amount_paid = EXCLUDED.amount_paid,
                       income_offset = EXCLUDED.income_offset
                """,
                [list(column) for column in zip(*chunk, strict=True)],
            )
    _case_changed(municipality_id=municipality_id, affected_from=min(r[1] for r in rows))
    applicants = sorted(
        set(
            Benefit.objects.filter(pk__in={r[0] for r in rows}).values_list(
                "applicant_id", flat=True
            )
        )
    )
    for listener in list(_bulk_write_listeners):
        listener(object_type="benefitpayment", resident_ids=applicants, by=by, reason=reason)
    return len(rows)


# --------------------------------------------------------------------------------------------
# Groups
# --------------------------------------------------------------------------------------------


@transaction.atomic
def group_assign(
    *,
    resident: Resident,
    group: int,
    reason: str,
    by: User,
    decided_on: dt.date | None = None,
    reassess_on: dt.date | None = None,
) -> GroupAssignment:
    """Place a resident in a work-readiness group; the previous assignment ends that day."""
    decided_on = decided_on or clock.today()
    if group not in Group.values:
        raise DomainError("Kies groep 1, 2 of 3.", code="group", field="group")
    if not (reason or "").strip():
        raise DomainError(
            "Geef een reden voor de indeling.", code="reason_required", field="reason"
        )
    _fact_date_check(
        decided_on, born=resident.birth_date, field="decided_on", label="De besluitdatum"
    )
    if reassess_on is None:
        # groups 1 and 2 are reviewed within a year, group 3 at least yearly as well
        reassess_on = decided_on + dt.timedelta(days=182 if group == Group.READY else 365)
    if reassess_on <= decided_on:
        raise DomainError(
            "De herbeoordeling moet na de besluitdatum liggen.",
            code="reassess_on",
            field="reassess_on",
        )
    # one change of a resident's group at a time: a concurrent assignment waits here and then
    # ends the one committed first, as it would have sequentially (issue 13, finding 6)
    Resident.objects.select_for_update().filter(pk=resident.pk).values_list("pk").first()
    current = (
        GroupAssignment.objects.select_for_update()
        .filter(resident=resident, ended_on__isnull=True)
        .first()
    )
    if current is not None:
        if decided_on < current.decided_on:
            raise DomainError(
                "De nieuwe indeling ligt voor de huidige indeling.",
                code="decided_before_current",
                field="decided_on",
            )
        current.ended_on = decided_on
        current.save(update_fields=["ended_on"])
    assignment = GroupAssignment.objects.create(
        resident=resident,
        group=group,
        reason=reason.strip(),
        decided_by=by,
        decided_on=decided_on,
        reassess_on=reassess_on,
    )
    _case_changed(municipality_id=resident.municipality_id, affected_from=decided_on)
    return assignment


# --------------------------------------------------------------------------------------------
# Trajectories
# --------------------------------------------------------------------------------------------


def trajectory_start_problems(
    *,
    instrument: Instrument | None,
    started_on: dt.date | None,
    planned_end_on: dt.date | None,
    cost: Decimal | None = None,
    hours_per_week: Decimal | None = None,
    banenafspraak_sector: str | None = "",
    born: dt.date | None = None,
) -> list[DomainError | None]:
    """Every rule of a new trajectory's own details ``trajectory_start`` checks, in its order
    (an open trajectory with the same instrument follows in the service); a value not given
    (None) is not checked. ``born``: the resident's birth date (no start before it)."""
    problems: list[DomainError | None] = [
        before_birth_problem(started_on, born, "started_on", "De startdatum")
    ]
    if instrument is not None and not instrument.is_active:
        problems.append(
            DomainError(
                "Dit instrument is niet meer beschikbaar.",
                code="instrument_inactive",
                field="instrument",
            )
        )
    if planned_end_on is not None and started_on is not None and planned_end_on < started_on:
        problems.append(
            DomainError(
                "De geplande einddatum ligt voor de startdatum.",
                code="planned_end",
                field="planned_end_on",
            )
        )
    if cost is not None and cost < 0:
        problems.append(DomainError("Kosten kunnen niet negatief zijn.", code="cost", field="cost"))
    problems += _placement_problems(
        hours_per_week=hours_per_week, banenafspraak_sector=banenafspraak_sector or ""
    )
    return problems


@transaction.atomic
def trajectory_start(
    *,
    resident: Resident,
    instrument: Instrument,
    started_on: dt.date,
    by: User,
    provider: str = "",
    planned_end_on: dt.date | None = None,
    cost: Decimal | None = None,
    hours_per_week: Decimal | None = None,
    banenafspraak_sector: str = "",
) -> Trajectory:
    _raise_first(
        trajectory_start_problems(
            instrument=instrument,
            started_on=started_on,
            planned_end_on=planned_end_on,
            cost=cost,
            hours_per_week=hours_per_week,
            banenafspraak_sector=banenafspraak_sector,
            born=resident.birth_date,
        )
    )
    open_exists = DomainError(
        "Er loopt al een traject met dit instrument.",
        code="trajectory_open",
        field="instrument",
    )
    if Trajectory.objects.filter(
        resident=resident, instrument=instrument, ended_on__isnull=True
    ).exists():
        raise open_exists
    trajectory = _create_once(
        Trajectory,
        "trajectory_one_open_per_instrument",
        open_exists,
        resident=resident,
        instrument=instrument,
        provider=provider.strip(),
        started_on=started_on,
        planned_end_on=planned_end_on,
        cost=instrument.default_cost if cost is None else cost,
        hours_per_week=hours_per_week,
        banenafspraak_sector=banenafspraak_sector,
        created_by=by,
    )
    _case_changed(municipality_id=resident.municipality_id, affected_from=started_on)
    return trajectory


def _placement_problems(
    *, hours_per_week: Decimal | None, banenafspraak_sector: str
) -> list[DomainError | None]:
    """Hours per week of a placement (for the fte count) and the banenafspraak sector."""
    problems: list[DomainError | None] = []
    if hours_per_week is not None and not Decimal(0) < hours_per_week <= Decimal(80):
        problems.append(
            DomainError(
                "Vul een aantal uren per week in van meer dan 0 en hoogstens 80.",
                code="hours_per_week",
                field="hours_per_week",
            )
        )
    if banenafspraak_sector not in ("", *BanenafspraakSector.values):
        problems.append(
            DomainError(
                "Kies markt, overheid of geen banenafspraak.",
                code="banenafspraak_sector",
                field="banenafspraak_sector",
            )
        )
    return problems


def _placement_check(*, hours_per_week: Decimal | None, banenafspraak_sector: str) -> None:
    _raise_first(
        _placement_problems(
            hours_per_week=hours_per_week, banenafspraak_sector=banenafspraak_sector
        )
    )


_TRAJECTORY_CLOSE_RULES: dict[str, Any] = {
    "results": Trajectory.Result.values,
    "end_field": "ended_on",
    "result_field": "result",
    "no_result": "Kies een resultaat.",
    "before_start": "De einddatum ligt voor de startdatum.",
    "future_label": "De einddatum",
}


def trajectory_close_problems(
    *, trajectory: Trajectory, on: dt.date | None, result: str | None
) -> list[DomainError | None]:
    """Every rule closing ``trajectory`` on ``on`` with ``result`` breaks, in the order
    ``trajectory_close`` checks them (a form shows them all at once)."""
    return _close_problems(
        on=on, result=result, start=trajectory.started_on, **_TRAJECTORY_CLOSE_RULES
    )


@transaction.atomic
def trajectory_close(
    *,
    trajectory: Trajectory,
    on: dt.date,
    result: str,
    by: User | None,
    cost: Decimal | None = None,
) -> Trajectory:
    """Close a trajectory on ``on`` with ``result``; ``cost`` (the actual cost) if given."""
    trajectory = Trajectory.objects.select_for_update().get(pk=trajectory.pk)
    _close_check(
        record=trajectory,
        on=on,
        result=result,
        closed=DomainError("Dit traject is al afgesloten.", code="trajectory_closed"),
        **_TRAJECTORY_CLOSE_RULES,
        start=trajectory.started_on,
    )
    if cost is not None and cost < 0:
        raise DomainError("Kosten kunnen niet negatief zijn.", code="cost", field="cost")
    _close_save(
        record=trajectory,
        on=on,
        result=result,
        by=by,
        end_field="ended_on",
        result_field="result",
        resident_id=trajectory.resident_id,
        municipality_id=trajectory.resident.municipality_id,
        also={"cost": cost} if cost is not None else None,
    )
    return trajectory


# --------------------------------------------------------------------------------------------
# Outflow
# --------------------------------------------------------------------------------------------


def _outflow_work_problems(
    *, reason: str | None, hours_per_week: Decimal | None, contract_type: str
) -> list[DomainError | None]:
    """An outflow to work names the hours per week and the kind of contract."""
    if reason != OutflowEvent.Reason.WORK:
        return []
    problems: list[DomainError | None] = []
    if hours_per_week is None or not (0 < hours_per_week <= 80):
        problems.append(
            DomainError(
                "Vul het aantal uren per week in (meer dan 0, hoogstens 80).",
                code="hours",
                field="hours_per_week",
            )
        )
    if contract_type not in OutflowEvent.ContractType.values:
        problems.append(
            DomainError("Kies het soort contract.", code="contract_type", field="contract_type")
        )
    return problems


def outflow_problems(
    *,
    kind: str | None,
    reason: str | None,
    occurred_on: dt.date | None,
    hours_per_week: Decimal | None = None,
    contract_type: str = "",
    is_hours_increase: bool = False,
    born: dt.date | None = None,
) -> list[DomainError | None]:
    """Every rule of the outflow's own details ``outflow_record`` checks, in its order (those
    against the running benefit follow in the service); a date not given is not checked.
    ``born``: the resident's birth date (no outflow before it)."""
    problems: list[DomainError | None] = []
    if kind not in OutflowEvent.Kind.values:
        problems.append(
            DomainError("Kies volledige of gedeeltelijke uitstroom.", code="kind", field="kind")
        )
    if reason not in OutflowEvent.Reason.values:
        problems.append(DomainError("Kies een reden van uitstroom.", code="reason", field="reason"))
    if kind == OutflowEvent.Kind.PARTIAL and reason != OutflowEvent.Reason.WORK:
        problems.append(
            DomainError(
                "Gedeeltelijke uitstroom is altijd uitstroom naar werk.",
                code="partial_not_work",
                field="reason",
            )
        )
    if is_hours_increase and kind != OutflowEvent.Kind.PARTIAL:
        problems.append(
            DomainError(
                "Een urenuitbreiding is gedeeltelijke uitstroom.",
                code="hours_increase_full",
                field="is_hours_increase",
            )
        )
    problems += _outflow_work_problems(
        reason=reason, hours_per_week=hours_per_week, contract_type=contract_type
    )
    problems += fact_date_problems(
        occurred_on, born=born, field="occurred_on", label="De datum van uitstroom"
    )
    return problems


@transaction.atomic
def outflow_record(
    *,
    resident: Resident,
    kind: str,
    reason: str,
    occurred_on: dt.date,
    by: User,
    end_reason: str = "",
    hours_per_week: Decimal | None = None,
    employer: str = "",
    sector: str = "",
    contract_type: str = "",
    is_subsidised: bool = False,
    is_hours_increase: bool = False,
) -> OutflowEvent:
    """Record outflow from the resident's open benefit.

    Full outflow ends the benefit (with ``end_reason``, defaulting to CBS 11 for work) and closes
    open work-oriented trajectories with result "work"; partial outflow keeps the benefit open.
    """
    _raise_first(
        outflow_problems(
            kind=kind,
            reason=reason,
            occurred_on=occurred_on,
            hours_per_week=hours_per_week,
            contract_type=contract_type,
            is_hours_increase=is_hours_increase,
            born=resident.birth_date,
        )
    )
    benefit = (
        Benefit.objects.select_for_update()
        .filter(household_id=resident.household_id, end_date__isnull=True)
        .order_by("start_date")
        .first()
    )
    if benefit is None:
        raise DomainError(
            "Deze inwoner heeft geen lopende uitkering.", code="no_open_benefit", field=None
        )
    if occurred_on < benefit.start_date:
        raise DomainError(
            "De uitstroomdatum ligt voor de ingangsdatum van de uitkering.",
            code="before_benefit",
            field="occurred_on",
        )
    event = OutflowEvent.objects.create(
        resident=resident,
        benefit=benefit,
        kind=kind,
        reason=reason,
        occurred_on=occurred_on,
        hours_per_week=hours_per_week,
        employer=employer.strip(),
        sector=sector.strip(),
        contract_type=contract_type,
        is_subsidised=is_subsidised,
        is_hours_increase=is_hours_increase,
        recorded_by=by,
    )
    if kind == OutflowEvent.Kind.FULL:
        if not end_reason:
            end_reason = (
                CbsEndReason.SELF_EMPLOYMENT
                if contract_type == OutflowEvent.ContractType.SELF_EMPLOYED
                else CbsEndReason.EMPLOYMENT
                if reason == OutflowEvent.Reason.WORK
                else CbsEndReason.OTHER
            )
        benefit_close(benefit=benefit, on=occurred_on, result=end_reason, by=by)
        if reason == OutflowEvent.Reason.WORK:
            work_trajectories = Trajectory.objects.filter(
                resident=resident,
                ended_on__isnull=True,
                instrument__category__in=[
                    Instrument.Category.WORK,
                    Instrument.Category.DEVELOPMENT,
                ],
            ).filter(started_on__lte=occurred_on)
            work_trajectories.update(ended_on=occurred_on, result=Trajectory.Result.WORK)
    _case_changed(municipality_id=resident.municipality_id, affected_from=occurred_on)
    return event


@transaction.atomic
def outflow_durability_record(
    *, event: OutflowEvent, still_off_6m: bool | None, still_off_12m: bool | None
) -> OutflowEvent:
    event.still_off_benefit_6m = still_off_6m
    event.still_off_benefit_12m = still_off_12m
    event.save(update_fields=["still_off_benefit_6m", "still_off_benefit_12m"])
    _case_changed(municipality_id=event.resident.municipality_id, affected_from=event.occurred_on)
    return event


# --------------------------------------------------------------------------------------------
# Contacts, ladder, enforcement, debts
# --------------------------------------------------------------------------------------------


def contact_problems(
    *, occurred_on: dt.date | None, channel: str | None, born: dt.date | None = None
) -> list[DomainError | None]:
    """Every rule a contact moment (new or corrected) breaks, in the order ``contact_record``
    checks them; a date not given (None) is not checked. ``born``: the resident's birth date
    (a contact of 1 January 1900 made the dossier read "Laatste contact 1-1-1900": the walk of
    3 December)."""
    problems: list[DomainError | None] = []
    if channel not in ContactMoment.Channel.values:
        problems.append(DomainError("Kies een kanaal.", code="channel", field="channel"))
    problems += fact_date_problems(
        occurred_on, born=born, field="occurred_on", label="De datum van het contact"
    )
    return problems


@transaction.atomic
def contact_record(
    *, resident: Resident, occurred_on: dt.date, channel: str, by: User, summary: str = ""
) -> ContactMoment:
    _raise_first(
        contact_problems(occurred_on=occurred_on, channel=channel, born=resident.birth_date)
    )
    contact = ContactMoment.objects.create(
        resident=resident, occurred_on=occurred_on, channel=channel, by=by, summary=summary.strip()
    )
    _case_changed(municipality_id=resident.municipality_id, affected_from=occurred_on)
    return contact


def ladder_score_problems(
    *, measured_on: dt.date | None, step: int | None, born: dt.date | None
) -> list[DomainError | None]:
    """Every rule a ladder score (new or corrected) breaks, in the order ``ladder_score_record``
    checks them: a step of 1 to 6, a date not in the future and not before the resident's birth
    (``born``; a score of 1-1-1900 for someone born in 1967: the walk of 3 December, night)."""
    problems: list[DomainError | None] = []
    if step not in LadderScore.Step.values:
        problems.append(
            DomainError("Kies een trede van 1 tot en met 6.", code="step", field="step")
        )
    problems += fact_date_problems(
        measured_on, born=born, field="measured_on", label="De datum van de meting"
    )
    return problems


@transaction.atomic
def ladder_score_record(
    *, resident: Resident, measured_on: dt.date, step: int, by: User
) -> LadderScore:
    _raise_first(
        ladder_score_problems(measured_on=measured_on, step=step, born=resident.birth_date)
    )
    exists = DomainError(
        "Op deze datum is al een meting vastgelegd.", code="ladder_exists", field="measured_on"
    )
    if LadderScore.objects.filter(resident=resident, measured_on=measured_on).exists():
        raise exists
    score = _create_once(
        LadderScore,
        "ladder_one_per_day",
        exists,
        resident=resident,
        measured_on=measured_on,
        step=step,
        by=by,
    )
    _case_changed(municipality_id=resident.municipality_id, affected_from=measured_on)
    return score


@transaction.atomic
def fraud_investigation_start(
    *, resident: Resident, started_on: dt.date, signal_source: str
) -> FraudInvestigation:
    if signal_source not in FraudInvestigation.SignalSource.values:
        raise DomainError("Kies de bron van het signaal.", code="signal", field="signal_source")
    _fact_date_check(
        started_on, born=resident.birth_date, field="started_on", label="De startdatum"
    )
    investigation = FraudInvestigation.objects.create(
        resident=resident, started_on=started_on, signal_source=signal_source
    )
    _case_changed(municipality_id=resident.municipality_id, affected_from=started_on)
    return investigation


@transaction.atomic
def fraud_investigation_close(
    *,
    fraud_investigation: FraudInvestigation,
    on: dt.date,
    result: str,
    by: User | None,
    claim_amount: Decimal = Decimal(0),
) -> FraudInvestigation:
    """Close a fraud investigation on ``on`` with ``result`` and the claim (vordering)."""
    investigation = FraudInvestigation.objects.select_for_update().get(pk=fraud_investigation.pk)
    _close_check(
        record=investigation,
        on=on,
        result=result,
        results=FraudInvestigation.Result.values,
        start=investigation.started_on,
        end_field="ended_on",
        result_field="result",
        closed=DomainError("Dit onderzoek is al afgesloten.", code="investigation_closed"),
        no_result="Kies een resultaat.",
        before_start="De einddatum ligt voor de startdatum.",
        future_label="De einddatum",
    )
    if claim_amount < 0:
        raise DomainError(
            "Een vordering kan niet negatief zijn.", code="claim", field="claim_amount"
        )
    _close_save(
        record=investigation,
        on=on,
        result=result,
        by=by,
        end_field="ended_on",
        result_field="result",
        resident_id=investigation.resident_id,
        municipality_id=investigation.resident.municipality_id,
        also={"claim_amount": claim_amount},
    )
    return investigation


@transaction.atomic
def debt_case_open(
    *, resident: Resident, applied_on: dt.date, total_debt: Decimal = Decimal(0)
) -> DebtCase:
    _fact_date_check(
        applied_on, born=resident.birth_date, field="applied_on", label="De datum van aanmelding"
    )
    if total_debt < 0:
        raise DomainError("Een schuld kan niet negatief zijn.", code="debt", field="total_debt")
    case = DebtCase.objects.create(resident=resident, applied_on=applied_on, total_debt=total_debt)
    _case_changed(municipality_id=resident.municipality_id, affected_from=applied_on)
    return case


@transaction.atomic
def debt_case_close(*, debt_case: DebtCase, on: dt.date, result: str, by: User | None) -> DebtCase:
    """Close a debt case (schuldhulptraject) on ``on`` with ``result``."""
    case = DebtCase.objects.select_for_update().get(pk=debt_case.pk)
    _close_check(
        record=case,
        on=on,
        result=result,
        results=DebtCase.Result.values,
        start=case.applied_on,
        end_field="closed_on",
        result_field="result",
        closed=DomainError("Dit schuldhulptraject is al afgesloten.", code="debt_closed"),
        no_result="Kies een resultaat.",
        before_start="De afsluitdatum ligt voor de aanmelding.",
        future_label="De afsluitdatum",
    )
    _close_save(
        record=case,
        on=on,
        result=result,
        by=by,
        end_field="closed_on",
        result_field="result",
        resident_id=case.resident_id,
        municipality_id=case.resident.municipality_id,
    )
    return case


def outflow_durability_refresh(*, today: dt.date | None = None) -> dict[str, int]:
    """Set ``still_off_benefit_6m``/``_12m`` for outflows whose follow-up moment has passed.

    Full outflow: durable when the household got no new bijstand benefit (loonkostensubsidie
    is none: ``caseload.outflow_rule.BIJSTAND_REGIMES_SQL``) that started on or after the
    outflow day (a benefit starting that very day is a switch, not an outflow: the return rule
    of ``caseload.outflow_rule``) and on or before the follow-up date.

    Partial outflow (part-time work or more hours; the benefit runs on): durable when at the
    follow-up date the resident still works the hours, from the case facts:

    - the benefit it reduced has ended on or before the follow-up date for work (CBS 11 or 13)
      and no new benefit of the household started on or after that end and on or before the
      date:
      durable (the resident went on to full outflow);
    - the benefit has ended for another reason: unknown, left empty (recorded by hand);
    - the benefit still runs: durable when the work income offset against it in the month of
      the follow-up date (``BenefitPayment.income_offset``) is higher than in the month before
      the outflow's month (none recorded there: 0), i.e. the new job or the extra hours are
      still paid; not durable when it is not higher; unknown (left empty until the payment of
      that month is recorded) when that month has no payment.

    One set-based UPDATE per kind and moment; idempotent: only events whose field is still
    empty are touched, so a value recorded by hand is never overwritten.
    """
    today = today or clock.today()
    updated: dict[str, int] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        for months, field in DURABILITY_FIELDS:
            cursor.execute(
                f"""
                UPDATE caseload_outflowevent AS o
                   SET {field} = NOT EXISTS (
                       SELECT 1
                         FROM caseload_benefit AS left_benefit
                         JOIN caseload_benefit AS later
                           ON later.household_id = left_benefit.household_id
                        WHERE left_benefit.id = o.benefit_id AND later.id <> left_benefit.id
                          AND later.regime IN {BIJSTAND_REGIMES_SQL}
                          AND later.start_date >= o.occurred_on
                          AND later.start_date <= o.occurred_on + make_interval(months => %s)
                   )
                 WHERE o.kind = %s
                   AND o.{field} IS NULL
                   AND o.occurred_on + make_interval(months => %s) <= %s
                """,  # noqa: S608 - field comes from the fixed DURABILITY_FIELDS
                [months, OutflowEvent.Kind.FULL.value, months, today],
            )
            updated[field] = cursor.rowcount
            cursor.execute(
                f"""
                WITH due AS (
                    SELECT o.id, o.benefit_id, b.household_id, b.end_date, b.end_reason,
                           (o.occurred_on + make_interval(months => %(months)s))::date AS moment,
                           date_trunc('month', o.occurred_on)::date
                               - interval '1 month' AS month_before
                      FROM caseload_outflowevent AS o
                      JOIN caseload_benefit AS b ON b.id = o.benefit_id
                     WHERE o.kind = %(partial)s
                       AND o.{field} IS NULL
                       AND o.occurred_on + make_interval(months => %(months)s) <= %(today)s
                ),
                judged AS (
                    SELECT d.id,
                           CASE
                               WHEN d.end_date IS NOT NULL AND d.end_date <= d.moment THEN
                                   CASE WHEN d.end_reason = ANY(%(work_reasons)s) THEN
                                       NOT EXISTS (
                                           SELECT 1 FROM caseload_benefit AS later
                                            WHERE later.household_id = d.household_id
                                              AND later.id <> d.benefit_id
                                              AND later.regime IN {BIJSTAND_REGIMES_SQL}
                                              AND later.start_date >= d.end_date
                                              AND later.start_date <= d.moment
                                       )
                                   END
                               ELSE (
                                   SELECT p.income_offset > coalesce((
                                       SELECT before.income_offset
                                         FROM caseload_benefitpayment AS before
                                        WHERE before.benefit_id = d.benefit_id
                                          AND before.month = d.month_before
                                   ), 0)
                                     FROM caseload_benefitpayment AS p
                                    WHERE p.benefit_id = d.benefit_id
                                      AND p.month = date_trunc('month', d.moment)::date
                               )
                           END AS durable
                      FROM due AS d
                )
                UPDATE caseload_outflowevent AS o
                   SET {field} = j.durable
                  FROM judged AS j
                 WHERE o.id = j.id AND j.durable IS NOT NULL
                """,  # noqa: S608 - field comes from the fixed DURABILITY_FIELDS
                {
                    "months": months,
                    "partial": OutflowEvent.Kind.PARTIAL.value,
                    "today": today,
                    "work_reasons": [r.value for r in WORK_END_REASONS],
                },
            )
            updated[field] += cursor.rowcount
    return updated


# --- Staff accounts: role, team and grants (issue #12, finding 1) ------------------------------
#
# Separation of duties. A functioneel beheerder (``caseload.configure``) manages the accounts of
# the operational roles only, never its own; the roles beheer and privacy, staff status (admin
# access), permissions and groups are granted by a technical administrator, a superuser, who
# exists only through ``manage.py createsuperuser``: nothing here sets ``is_superuser``. Every
# change is reported to the listeners registered with ``staff_change_listener_register`` (the
# processing log, registered by ``privacy`` at start-up) inside the transaction, so a change
# whose record cannot be written is rolled back.

#: The roles a functioneel beheerder may give and whose accounts it manages. The account
#: manager (werkgeversservicepunt, issue 18) is one: beheer binds it to one municipality or
#: leaves it unbound for the region (``user_municipality_check``).
OPERATIONAL_ROLES = ("consulent", "teamleider", "manager", "financien", "accountmanager")


class _Keep:
    """The default of ``user_role_change``'s municipality: leave it as stored."""


KEEP = _Keep()

#: ``listener(*, actor, user, action, changes)``: ``action`` is "create" or "update",
#: ``changes`` maps a Dutch label ("rol", "team", ...) to the (old, new) value as text.
_staff_change_listeners: list[Callable[..., None]] = []


def staff_change_listener_register(listener: Callable[..., None]) -> None:
    if listener not in _staff_change_listeners:
        _staff_change_listeners.append(listener)


def _staff_changed(
    *, actor: User | None, user: User, action: str, changes: dict[str, tuple[str, str]]
) -> None:
    if not changes:
        return
    for listener in list(_staff_change_listeners):
        listener(actor=actor, user=user, action=action, changes=changes)


def _yes_no(value: bool) -> str:
    return "ja" if value else "nee"


def _staff_state(user: User) -> dict[str, str]:
    # pk=None matches no team, as wanted for a user without one
    teams = Team.objects.filter(pk=user.team_id)  # type: ignore[misc]
    team = teams.values_list("name", flat=True).first()
    municipalities = Municipality.objects.filter(pk=user.municipality_id)  # type: ignore[misc]
    municipality = municipalities.values_list("name", flat=True).first()
    return {
        "rol": user.role or "",
        "team": team or "",
        "gemeente": municipality or "",
        "actief": _yes_no(user.is_active),
        "staf": _yes_no(user.is_staff),
        "toegang": "wacht op goedkeuring" if user.access_pending else "goedgekeurd",
    }


#: the privacy officer's permission (``privacy.permissions``), who approves new access
PRIVACY_OFFICER = "privacy.view_processing_log"


def _access_pending_mark(user: User, *, actor: User | None) -> None:
    """Four eyes (security review of 3 December): the account's new access waits for the
    privacy officer (``user_access_decide``). The caller saves ``user``."""
    user.access_pending = True
    user.access_changed_by = actor
    user.access_changed_at = clock.now()
    user.access_decided_by = None
    user.access_decided_at = None


#: the fields ``_access_pending_mark`` sets
ACCESS_FIELDS = (
    "access_pending",
    "access_changed_by",
    "access_changed_at",
    "access_decided_by",
    "access_decided_at",
)


def _staff_diff(before: dict[str, str], after: dict[str, str]) -> dict[str, tuple[str, str]]:
    return {key: (before.get(key, ""), new) for key, new in after.items() if before.get(key) != new}


def _is_technical_admin(actor: User | None) -> bool:
    """The command line (no actor) and superusers."""
    return actor is None or bool(actor.is_superuser)


def user_manageable_by(*, actor: User | None, user: User) -> bool:
    """Whether ``actor`` may change ``user``'s account. A technical administrator may change every
    account; a functioneel beheerder only accounts of the operational roles without staff or
    superuser status, and never its own."""
    if actor is None or _is_technical_admin(actor):
        return True
    from .permissions import CaseloadPermission

    return (
        actor.has_perm(CaseloadPermission.CONFIGURE)
        and user.pk != actor.pk
        and not user.is_superuser
        and not user.is_staff
        and user.role in OPERATIONAL_ROLES
    )


def user_municipality_check(
    *, role: str, team: Team | None, municipality: Municipality | None
) -> None:
    """Whether binding an account to ``municipality`` fits its role (issue 17): a consulent or
    teamleider works for the municipality of the team (no binding of its own); a manager,
    financieel medewerker or accountmanager may be bound to one municipality (empty: every
    municipality of the installation); beheer, the privacy officer and the regional role serve
    the whole installation and are never bound. Raises ``DomainError`` on field
    ``municipality``."""
    from .models import MUNICIPALITY_ROLES, TEAM_ROLES

    if municipality is None:
        return
    if role in TEAM_ROLES:
        raise DomainError(
            "Een consulent of teamleider werkt voor de gemeente van het team: laat de gemeente "
            "leeg.",
            code="municipality_team_role",
            field="municipality",
        )
    if role not in MUNICIPALITY_ROLES:
        raise DomainError(
            "Alleen een manager, financieel medewerker of accountmanager WSP wordt aan één "
            "gemeente gebonden.",
            code="municipality_role",
            field="municipality",
        )


def _check_staff_grant(
    *,
    actor: User | None,
    role: str,
    team: Team | None,
    is_staff: bool,
    municipality: Municipality | None = None,
) -> None:
    from .models import TEAM_ROLES, Role

    if role not in Role.values:
        raise DomainError("Kies een geldige rol.", code="role", field="role")
    if role in TEAM_ROLES and team is None:
        raise DomainError(
            "Een consulent of teamleider hoort bij een team.", code="team_required", field="team"
        )
    user_municipality_check(role=role, team=team, municipality=municipality)
    if _is_technical_admin(actor):
        return
    if role not in OPERATIONAL_ROLES:
        raise DomainError(
            "Alleen technisch beheer kent de rollen functioneel beheerder en privacy officer toe.",
            code="role_not_allowed",
            field="role",
        )
    if is_staff:
        raise DomainError(
            "Alleen technisch beheer geeft toegang tot het beheer.",
            code="staff_not_allowed",
            field="is_staff",
        )


def user_create(*, actor: User | None, user: User) -> User:
    """Save a new staff account (``user``, unsaved, built by a form) without a usable password:
    the person sets it through a reset link. Never a superuser."""
    if user.pk is not None:
        raise ValueError("user_create takes an unsaved user")
    if not user_manageable_by(actor=actor, user=user):
        raise DomainError("U mag dit account niet aanmaken.", code="not_manageable")
    _check_staff_grant(
        actor=actor,
        role=user.role,
        team=user.team,
        is_staff=user.is_staff,
        municipality=user.municipality,
    )
    user.is_superuser = False
    user.set_unusable_password()
    if not _is_technical_admin(actor):
        # a new account with access to resident data: the privacy officer approves it
        _access_pending_mark(user, actor=actor)
    with transaction.atomic():
        user.save()
        _staff_changed(
            actor=actor,
            user=user,
            action="create",
            changes=_staff_diff(
                {"actief": "nee", "staf": "nee", "toegang": "goedgekeurd"}, _staff_state(user)
            ),
        )
    return user


def user_role_change(
    *,
    actor: User | None,
    user: User,
    role: str,
    team: Team | None,
    is_active: bool | None = None,
    is_staff: bool | None = None,
    municipality: Municipality | None | _Keep = KEEP,
) -> User:
    """Give ``user`` a role and team (and set whether the account is active and has staff
    access, and the one municipality it is bound to; None, or ``KEEP`` for the municipality,
    keeps it), as ``actor`` (None: the command line). Refused (``DomainError``) when ``actor``
    may not manage the account or grant the role or staff access, or when the municipality
    does not fit the role (``user_municipality_check``). Logged like every staff change."""
    with transaction.atomic():
        stored = User.objects.select_for_update().get(pk=user.pk)
        if not user_manageable_by(actor=actor, user=stored):
            raise DomainError("U mag dit account niet wijzigen.", code="not_manageable")
        is_active = stored.is_active if is_active is None else is_active
        is_staff = stored.is_staff if is_staff is None else is_staff
        bound = stored.municipality if isinstance(municipality, _Keep) else municipality
        _check_staff_grant(actor=actor, role=role, team=team, is_staff=is_staff, municipality=bound)
        before = _staff_state(stored)
        widened = (
            (role, team) != (stored.role, stored.team)
            # binding an account of the whole installation to one municipality narrows it
            or (bound != stored.municipality and stored.municipality is not None)
            or (is_active and not stored.is_active)
        )
        for target in (stored, user):
            target.role, target.team = role, team
            target.is_active, target.is_staff = is_active, is_staff
            target.municipality = bound
            if widened and not _is_technical_admin(actor):
                # another role, team or municipality, or a reactivation: new access to
                # resident data, which the privacy officer approves first
                _access_pending_mark(target, actor=actor)
        stored.save(
            update_fields=["role", "team", "is_active", "is_staff", "municipality", *ACCESS_FIELDS]
        )
        changes = _staff_diff(before, _staff_state(stored))
        _staff_changed(actor=actor, user=stored, action="update", changes=changes)
    return user


def team_change(*, actor: User | None, team: Team, kind: str, municipality: Municipality) -> int:
    """Save ``team``'s kind and municipality (the admin's team form). Another kind (a
    handhaving team reads fraud signals) or another municipality gives every member new access
    to resident data: changed by functioneel beheer, the members wait for the privacy officer's
    approval (``user_access_decide``), as a new account does (security review of 3 December).
    Returns how many members now wait for it."""
    waiting = 0
    with transaction.atomic():
        stored = Team.objects.select_for_update().get(pk=team.pk)
        widened = (kind, municipality.pk) != (stored.kind, stored.municipality_id)
        team.kind, team.municipality = kind, municipality
        team.save()
        if widened and not _is_technical_admin(actor):
            # every member's record names the team's change, also of a member already waiting
            # (whose own state does not change; security review of 3 December)
            team_changes = {
                "soort team": (stored.kind, kind),
                "gemeente team": (str(stored.municipality), str(municipality)),
            }
            team_changes = {k: v for k, v in team_changes.items() if v[0] != v[1]}
            for member in User.objects.select_for_update().filter(team=team, is_superuser=False):
                before = _staff_state(member)
                _access_pending_mark(member, actor=actor)
                member.save(update_fields=list(ACCESS_FIELDS))
                waiting += 1
                _staff_changed(
                    actor=actor,
                    user=member,
                    action="update",
                    changes={**team_changes, **_staff_diff(before, _staff_state(member))},
                )
    return waiting


def user_access_decide(*, user: User, by: User, approve: bool, seen: str | None = None) -> User:
    """The privacy officer's decision on an account whose access waits for approval (four
    eyes): approved, its role permissions apply; refused, the account is deactivated. Never on
    one's own account, and only on an account that waits. ``seen``: the change the officer
    looked at (``User.access_stamp``); when the access was changed again since, the decision
    is refused and the officer looks again (security review of 3 December: an approval of a move
    to one team approved a later move to a handhaving team of another municipality)."""
    # the privacy officer (named, not imported: the caseload core does not import privacy),
    # never a superuser: the second pair of eyes next to the two administrators
    if by.is_superuser or not by.has_perm(PRIVACY_OFFICER):
        raise DomainError(
            "Alleen de privacy officer beoordeelt de toegang van medewerkers.",
            code="not_privacy_officer",
        )
    with transaction.atomic():
        stored = User.objects.select_for_update().get(pk=user.pk)
        if stored.pk == by.pk or stored.access_changed_by_id == by.pk:
            raise DomainError(
                "U beoordeelt geen toegang die u zelf hebt gekregen of gegeven: een ander doet "
                "dat.",
                code="own_access",
            )
        if not stored.access_pending:
            raise DomainError(
                "De toegang van dit account wacht niet (meer) op goedkeuring.",
                code="not_pending",
            )
        if seen is not None and seen != stored.access_stamp:
            raise DomainError(
                "De toegang van dit account is intussen opnieuw gewijzigd. Bekijk de nieuwe "
                "rol, het team en de gemeente en beslis opnieuw.",
                code="changed_since",
            )
        before = _staff_state(stored)
        stored.access_pending = False
        stored.access_decided_by, stored.access_decided_at = by, clock.now()
        fields = ["access_pending", "access_decided_by", "access_decided_at"]
        if not approve:
            stored.is_active = False
            fields.append("is_active")
        stored.save(update_fields=fields)
        _staff_changed(
            actor=by,
            user=stored,
            action="update",
            changes=_staff_diff(before, _staff_state(stored)),
        )
    return stored


def user_grants_change(*, actor: User | None, user: User, permissions, groups) -> User:
    """Set the Django permissions and groups of ``user`` (what the admin lets a staff account
    edit). Technical administrators only: a functioneel beheerder gets its powers from its role
    and grants none."""
    if not _is_technical_admin(actor):
        raise DomainError(
            "Alleen technisch beheer kent rechten en groepen toe.", code="grants_not_allowed"
        )

    def labels() -> dict[str, str]:
        perms = user.user_permissions.values_list("content_type__app_label", "codename")
        return {
            "rechten": ", ".join(sorted(f"{app}.{code}" for app, code in perms)),
            "groepen": ", ".join(sorted(user.groups.values_list("name", flat=True))),
        }

    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # one change at a time
        before = labels()
        user.user_permissions.set(permissions)
        user.groups.set(groups)
        _staff_changed(
            actor=actor, user=user, action="update", changes=_staff_diff(before, labels())
        )
    return user


# --- Resident and household details (issue 16, point 2) ----------------------------------------
# The one write path for a change of details: the API's PATCH, the bulk import and the intake's
# education step all come here, so every change is validated the same way and tells the case
# change listeners (the indicator engine) after commit.

#: a resident's details a caller may change (not the BSN, team or consulent: resident_reassign)
RESIDENT_DETAIL_FIELDS = (
    "first_name",
    "name_prefix",
    "last_name",
    "birth_date",
    "household_role",
    "education_level",
    "has_startkwalificatie",
    "is_status_holder",
    "in_doelgroepregister",
    "language_level",
    "phone",
    "email",
)
#: a household's details a caller may change
HOUSEHOLD_FIELDS = (
    "household_type",
    "street",
    "house_number",
    "postcode",
    "city",
    "district_id",
    "children_count",
)


def _validation_to_domain(exc: ValidationError) -> DomainError:
    if hasattr(exc, "error_dict"):
        name, messages = next(iter(exc.message_dict.items()))
        return DomainError(" ".join(messages), code="invalid", field=name)
    return DomainError(" ".join(exc.messages), code="invalid")


def _changed_fields(instance: Resident | Household, changes: dict[str, Any]) -> list[str]:
    return [name for name, value in changes.items() if getattr(instance, name) != value]


@transaction.atomic
def resident_update(*, resident: Resident, **changes: Any) -> Resident:
    """Change a resident's details (``RESIDENT_DETAIL_FIELDS``). Nothing changed: nothing is
    written and no listener is told. A refusal leaves ``resident`` as it was."""
    if set(changes) - set(RESIDENT_DETAIL_FIELDS):
        raise DomainError("Deze gegevens kunnen niet worden gewijzigd.", code="field")
    changed = _changed_fields(resident, changes)
    if not changed:
        return resident
    candidate = copy.copy(resident)
    for name in changed:
        setattr(candidate, name, changes[name])
    if "birth_date" in changed:  # the registration's rule (a phone changes on any record)
        _raise_first(birth_date_problems(birth_date=candidate.birth_date))
    if candidate.has_startkwalificatie and candidate.education_level in NO_STARTKWALIFICATIE_LEVELS:
        raise DomainError(
            "Met dit opleidingsniveau is er geen startkwalificatie.",
            code="startkwalificatie",
            field="has_startkwalificatie",
        )
    try:
        candidate.full_clean(validate_unique=False, exclude=["bsn"])
    except ValidationError as exc:
        raise _validation_to_domain(exc) from exc
    for name in changed:
        setattr(resident, name, changes[name])
    resident.save(update_fields=changed)
    if set(changed) - {"phone", "email"}:  # how to reach someone feeds no indicator
        _case_changed(municipality_id=resident.municipality_id, affected_from=clock.today())
    return resident


@transaction.atomic
def household_update(*, household: Household, **changes: Any) -> Household:
    """Change a household's details (``HOUSEHOLD_FIELDS``; the postcode is normalised).
    Nothing changed: nothing is written. A refusal leaves ``household`` as it was."""
    if set(changes) - set(HOUSEHOLD_FIELDS):
        raise DomainError("Deze gegevens kunnen niet worden gewijzigd.", code="field")
    if "postcode" in changes:
        changes["postcode"] = changes["postcode"].strip().upper()
    changed = _changed_fields(household, changes)
    if not changed:
        return household
    candidate = copy.copy(household)
    for name in changed:
        setattr(candidate, name, changes[name])
    try:
        candidate.full_clean()
    except ValidationError as exc:
        raise _validation_to_domain(exc) from exc
    for name in changed:
        setattr(household, name, changes[name])
    household.save(update_fields=changed)
    _case_changed(municipality_id=household.municipality_id, affected_from=clock.today())
    return household


# --- Corrections and withdrawals (issue 14) -----------------------------------------------------
# A recorded fact is never silently changed or deleted. ``*_correct`` updates the fact's row in
# place, validated as a new record would be; ``*_withdraw`` removes the row from its table (no
# indicator query, selector or outside recomputation needs to learn a "withdrawn" flag). Both
# write a ``Correction`` with the reason, every value the row had before, what changed and the
# other rows changed with it (``related``), so the dossier's history shows what was there and
# nothing is lost. The indicator engine is told from the earliest date the old or the new values
# touch; the listeners registered with ``correction_listener_register`` (the processing log,
# registered by ``privacy``) see each correction inside the transaction: a correction whose log
# record cannot be written is rolled back. Only a person with ``caseload.correct_facts`` who sees
# the resident in their own scope (``Resident.objects.visible_to``; a break-the-glass grant does
# not reach here) may correct.

#: ``listener(*, correction)``, called inside the transaction after the correction is stored
_correction_listeners: list[Callable[..., None]] = []

CORRECTION_REASON_MAX_LENGTH = 2000

TRAJECTORY_CORRECTABLE = (
    "instrument",
    "provider",
    "started_on",
    "planned_end_on",
    "ended_on",
    "result",
    "cost",
    "hours_per_week",
    "banenafspraak_sector",
)
OUTFLOW_CORRECTABLE = (
    "occurred_on",
    "hours_per_week",
    "employer",
    "sector",
    "contract_type",
    "is_subsidised",
    "is_hours_increase",
)
CONTACT_CORRECTABLE = ("occurred_on", "channel", "summary")
LADDER_CORRECTABLE = ("measured_on", "step")
GROUP_CORRECTABLE = ("group", "decided_on", "reason", "reassess_on")


def correction_listener_register(listener: Callable[..., None]) -> None:
    if listener not in _correction_listeners:
        _correction_listeners.append(listener)


def _json_values(values: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(values, cls=DjangoJSONEncoder))


def fact_snapshot(instance: Any) -> dict[str, Any]:
    """Every stored value of ``instance``'s row (foreign keys as ids), JSON-ready."""
    return _json_values(
        {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}
    )


def correction_access_check(*, resident: Resident, by: User) -> None:
    """Refuse unless ``by`` holds ``caseload.correct_facts`` and sees ``resident`` in their own
    scope (a break-the-glass grant opens a dossier to read, not to rewrite its history)."""
    from .permissions import CaseloadPermission

    if not by.has_perm(CaseloadPermission.CORRECT_FACTS) or not (
        Resident.objects.visible_to(by).filter(pk=resident.pk).exists()
    ):
        raise DomainError(
            "U mag de gegevens van deze inwoner niet corrigeren.", code="correction_not_allowed"
        )


def correction_reason_clean(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            "Geef een reden voor de correctie.", code="reason_required", field="correction_reason"
        )
    if len(reason) > CORRECTION_REASON_MAX_LENGTH:
        raise DomainError(
            f"Gebruik hoogstens {CORRECTION_REASON_MAX_LENGTH} tekens.",
            code="too_long",
            field="correction_reason",
        )
    return reason


def fact_changes_apply(
    *, fact: Any, changes: Mapping[str, Any], allowed: Sequence[str]
) -> tuple[Any, dict[str, Any]]:
    """A copy of ``fact`` with ``changes`` applied, and the changes that differ. Refuses a
    field outside ``allowed`` and a correction that changes nothing."""
    if set(changes) - set(allowed):
        raise DomainError("Deze gegevens kunnen niet worden gecorrigeerd.", code="field")
    changed = {name: value for name, value in changes.items() if getattr(fact, name) != value}
    if not changed:
        raise DomainError(
            "U heeft niets gewijzigd. Pas een gegeven aan of trek het in.", code="nothing_changed"
        )
    candidate = copy.copy(fact)
    for name, value in changed.items():
        setattr(candidate, name, value)
    return candidate, changed


#: a database constraint a corrected row can still hit under concurrency -> the Dutch refusal
_CORRECTION_CONSTRAINTS = {
    "trajectory_one_open_per_instrument": (
        "Er loopt al een traject met dit instrument.",
        "instrument",
    ),
    "ladder_one_per_day": ("Op deze datum is al een meting vastgelegd.", "measured_on"),
    "group_one_current_per_resident": ("Deze inwoner heeft al een huidige groep.", None),
    "benefit_one_open_per_household_regime": (
        "Het huishouden heeft intussen een andere lopende uitkering in deze regeling.",
        None,
    ),
}


def _save_checked(instance: Any, fields: Sequence[str]) -> None:
    try:
        with transaction.atomic():
            instance.save(update_fields=list(fields))
    except IntegrityError as exc:
        diag = getattr(exc.__cause__, "diag", None)
        known = _CORRECTION_CONSTRAINTS.get(getattr(diag, "constraint_name", None) or "")
        if known is None:
            raise
        raise DomainError(known[0], code="conflict", field=known[1]) from None


def fact_save(*, fact: Any, candidate: Any, changed: Mapping[str, Any]) -> None:
    """Validate ``candidate`` as a whole (field rules and database constraints) and write the
    ``changed`` fields to ``fact``."""
    try:
        candidate.full_clean(validate_unique=False)
    except ValidationError as exc:
        raise _validation_to_domain(exc) from exc
    for name, value in changed.items():
        setattr(fact, name, value)
    _save_checked(fact, list(changed))


def _after(changed: Mapping[str, Any]) -> dict[str, Any]:
    return {name: getattr(value, "pk", value) for name, value in changed.items()}


def _earliest(*dates: dt.date | None) -> dt.date:
    return min(d for d in dates if d is not None)


def _related(obj: str, pk: int, field: str, before: Any, after: Any) -> dict[str, Any]:
    return _json_values({"object": obj, "id": pk, "field": field, "before": before, "after": after})


@transaction.atomic
def _correction_begin(fact: Any, *, by: User, reason: str | None) -> tuple[Any, Resident, str]:
    """The start of every correction and withdrawal: lock the fact's row, check that ``by`` may
    correct its resident's facts, clean the reason."""
    fact = type(fact).objects.select_for_update().get(pk=fact.pk)
    resident = Resident.objects.get(pk=fact.resident_id)
    correction_access_check(resident=resident, by=by)
    return fact, resident, correction_reason_clean(reason)


def correction_record(
    *,
    resident: Resident,
    fact_type: str,
    fact_id: int,
    kind: str,
    reason: str,
    by: User,
    before: dict[str, Any],
    affected_from: dt.date,
    changed: Mapping[str, Any] | None = None,
    related: Sequence[dict[str, Any]] = (),
) -> Any:
    """Store one ``Correction`` and tell the correction listeners (the processing log). The
    fact's own service has already changed or removed the row; ``reason`` is cleaned."""
    from .models import Correction

    correction = Correction.objects.create(
        resident=resident,
        fact_type=fact_type,
        fact_id=fact_id,
        kind=kind,
        reason=reason,
        before=before,
        changed_fields=sorted(changed or {}),
        after=_json_values(_after(changed or {})),
        related=list(related),
        affected_from=affected_from,
        by=by,
    )
    for listener in list(_correction_listeners):
        listener(correction=correction)
    return correction


def _corrected(
    *,
    resident: Resident,
    fact_type: str,
    fact: Any,
    reason: str,
    by: User,
    before: dict[str, Any],
    changed: Mapping[str, Any],
    affected_from: dt.date,
    related: Sequence[dict[str, Any]] = (),
) -> None:
    from .models import Correction

    correction_record(
        resident=resident,
        fact_type=fact_type,
        fact_id=fact.pk,
        kind=Correction.Kind.CORRECTED,
        reason=reason,
        by=by,
        before=before,
        changed=changed,
        related=related,
        affected_from=affected_from,
    )
    _case_changed(municipality_id=resident.municipality_id, affected_from=affected_from)


def _withdrawn(
    *,
    resident: Resident,
    fact_type: str,
    fact: Any,
    reason: str,
    by: User,
    affected_from: dt.date,
    related: Sequence[dict[str, Any]] = (),
) -> None:
    """Remove ``fact``'s row and keep it whole in the correction."""
    from .models import Correction

    before = fact_snapshot(fact)
    fact_id = fact.pk
    fact.delete()
    correction_record(
        resident=resident,
        fact_type=fact_type,
        fact_id=fact_id,
        kind=Correction.Kind.WITHDRAWN,
        reason=reason,
        by=by,
        before=before,
        related=related,
        affected_from=affected_from,
    )
    _case_changed(municipality_id=resident.municipality_id, affected_from=affected_from)


# Trajectories: a start after today is "gepland" (planned ahead), not yet the current trajectory.


def trajectory_correct_problems(
    candidate: Trajectory, *, instrument_changed: bool, born: dt.date | None = None
) -> list[DomainError | None]:
    """Every rule the corrected trajectory ``candidate`` (the fact with the corrections applied)
    breaks, in the order ``trajectory_correct`` checks them (the form shows them all at once).
    ``born``: the resident's birth date (no start before it, as for a new trajectory)."""
    problems: list[DomainError | None] = [
        before_birth_problem(candidate.started_on, born, "started_on", "De startdatum")
    ]
    if instrument_changed and not candidate.instrument.is_active:
        problems.append(
            DomainError(
                "Dit instrument is niet meer beschikbaar.",
                code="instrument_inactive",
                field="instrument",
            )
        )
    if candidate.planned_end_on is not None and candidate.planned_end_on < candidate.started_on:
        problems.append(
            DomainError(
                "De geplande einddatum ligt voor de startdatum.",
                code="planned_end",
                field="planned_end_on",
            )
        )
    if candidate.ended_on is None and candidate.result:
        problems.append(
            DomainError(
                "Een resultaat hoort bij een einddatum: vul de einddatum in of kies geen "
                "resultaat.",
                code="result_without_end",
                field="result",
            )
        )
    if candidate.ended_on is not None:
        if candidate.result not in Trajectory.Result.values:
            problems.append(DomainError("Kies een resultaat.", code="result", field="result"))
        if candidate.ended_on < candidate.started_on:
            problems.append(
                DomainError(
                    "De einddatum ligt voor de startdatum.",
                    code="end_before_start",
                    field="ended_on",
                )
            )
        problems.append(_future_problem(candidate.ended_on, "ended_on", "De einddatum"))
    if candidate.cost is None or candidate.cost < 0:
        problems.append(DomainError("Kosten kunnen niet negatief zijn.", code="cost", field="cost"))
    problems += _placement_problems(
        hours_per_week=candidate.hours_per_week,
        banenafspraak_sector=candidate.banenafspraak_sector or "",
    )
    if (
        candidate.ended_on is None
        and Trajectory.objects.filter(
            resident_id=candidate.resident_id, instrument_id=candidate.instrument_id
        )
        .open()
        .exclude(pk=candidate.pk)
        .exists()
    ):
        problems.append(
            DomainError(
                "Er loopt al een traject met dit instrument.",
                code="trajectory_open",
                field="instrument",
            )
        )
    return problems


@transaction.atomic
def trajectory_correct(
    *, trajectory: Trajectory, by: User, reason: str, changes: Mapping[str, Any]
) -> Trajectory:
    """Correct a trajectory (``TRAJECTORY_CORRECTABLE``), e.g. a wrongly dated start; a start
    after today is allowed (the trajectory is then "gepland")."""
    trajectory, resident, reason = _correction_begin(trajectory, by=by, reason=reason)
    candidate, changed = fact_changes_apply(
        fact=trajectory, changes=changes, allowed=TRAJECTORY_CORRECTABLE
    )
    _raise_first(
        trajectory_correct_problems(
            candidate, instrument_changed="instrument" in changed, born=resident.birth_date
        )
    )
    old_start, old_end = trajectory.started_on, trajectory.ended_on
    before = fact_snapshot(trajectory)
    fact_save(fact=trajectory, candidate=candidate, changed=changed)
    _corrected(
        resident=resident,
        fact_type="traject",
        fact=trajectory,
        reason=reason,
        by=by,
        before=before,
        changed=changed,
        affected_from=_earliest(old_start, old_end, trajectory.started_on, trajectory.ended_on),
    )
    return trajectory


@transaction.atomic
def trajectory_withdraw(*, trajectory: Trajectory, by: User, reason: str) -> None:
    """Withdraw a trajectory recorded by mistake: the row goes, the correction keeps it."""
    trajectory, resident, reason = _correction_begin(trajectory, by=by, reason=reason)
    _withdrawn(
        resident=resident,
        fact_type="traject",
        fact=trajectory,
        reason=reason,
        by=by,
        affected_from=trajectory.started_on,
    )


# The decision on an application (the walk of 3 December: a wrong decision, such as a benefit
# granted from 2001, could be neither corrected nor withdrawn). Its date and, for a grant, the
# benefit's start are corrected; a withdrawal puts the application back in behandeling and
# removes the benefit a grant opened, so that it can be decided again. Both only while that
# benefit is untouched: no payments, no outflow, not ended (those are corrected first).

#: what a decision's correction may change (``benefit_start``: the granted benefit's start)
DECISION_CORRECTABLE = ("decided_on", "benefit_start")


def _decision_benefit_untouched(application: Application) -> Benefit | None:
    """The benefit the grant opened, locked, when nothing has been recorded on it; refuses
    otherwise. None for a decision that opened no benefit."""
    if application.benefit_id is None:
        return None
    benefit = Benefit.objects.select_for_update().get(pk=application.benefit_id)
    if benefit.end_date is not None or benefit.payments.exists() or benefit.outflows.exists():
        raise DomainError(
            "De uitkering van deze toekenning heeft al betalingen, uitstroom of een einddatum: "
            "corrigeer of trek die eerst in.",
            code="benefit_in_use",
        )
    return benefit


def _decided_application(application: Application, *, by: User, reason: str | None):
    application, resident, reason = _correction_begin(application, by=by, reason=reason)
    if application.outcome == Application.Outcome.PENDING:
        raise DomainError("Op deze aanvraag is nog niet besloten.", code="not_decided")
    return application, resident, reason


def application_decision_correct_problems(
    *,
    application: Application,
    decided_on: dt.date | None,
    benefit_start: dt.date | None,
    benefit_start_now: dt.date | None = None,
) -> list[DomainError | None]:
    """Every rule the corrected decision on ``application`` breaks, all of them (the form shows
    them at once: the walk of 3 December, night, saw only the decision date's error while the
    benefit start lay before the melding too). ``benefit_start``: the corrected start, None
    when it stays ``benefit_start_now``. The decision's own rules, and a corrected benefit start
    is not in the future: a correction puts right what happened; a benefit that is still to
    start is decided again (withdraw the decision) rather than moved ahead."""
    problems = application_decision_problems(
        received_on=application.received_on,
        outcome=application.outcome,
        decided_on=decided_on,
        benefit_start=benefit_start if benefit_start is not None else benefit_start_now,
    )
    if benefit_start is not None:
        problems.append(
            _future_problem(benefit_start, "benefit_start", "De ingangsdatum van de uitkering")
        )
    return problems


@transaction.atomic
def application_decision_correct(
    *, application: Application, by: User, reason: str, changes: Mapping[str, Any]
) -> Application:
    """Correct the date of a decision and, for a grant, the start of its benefit."""
    application, resident, reason = _decided_application(application, by=by, reason=reason)
    changes = dict(changes)
    benefit = _decision_benefit_untouched(application)
    if "benefit_start" in changes and benefit is None:
        changes.pop("benefit_start")  # only a grant opened a benefit
    current = {
        "decided_on": application.decided_on,
        "benefit_start": benefit.start_date if benefit is not None else None,
    }
    if set(changes) - set(DECISION_CORRECTABLE):
        raise DomainError("Deze gegevens kunnen niet worden gecorrigeerd.", code="field")
    changed = {name: value for name, value in changes.items() if current[name] != value}
    if not changed:
        raise DomainError(
            "U heeft niets gewijzigd. Pas een gegeven aan of trek het in.", code="nothing_changed"
        )
    new = {**current, **changed}
    if "benefit_start" in changed and changed["benefit_start"] is None:
        raise DomainError(
            "Vul de ingangsdatum van de uitkering in.", code="required", field="benefit_start"
        )
    _raise_first(
        application_decision_correct_problems(
            application=application,
            decided_on=new["decided_on"],
            benefit_start=new["benefit_start"] if "benefit_start" in changed else None,
            benefit_start_now=current["benefit_start"],
        )
    )
    before = {**fact_snapshot(application), "benefit_start": current["benefit_start"]}
    related: list[dict[str, Any]] = []
    if "decided_on" in changed:
        application.decided_on = changed["decided_on"]
        application.save(update_fields=["decided_on"])
    if "benefit_start" in changed and benefit is not None:
        related.append(
            _related(
                "uitkering", benefit.pk, "start_date", benefit.start_date, changed["benefit_start"]
            )
        )
        benefit.start_date = changed["benefit_start"]
        benefit.save(update_fields=["start_date"])
    _corrected(
        resident=resident,
        fact_type="besluit",
        fact=application,
        reason=reason,
        by=by,
        before=before,
        changed=changed,
        related=related,
        affected_from=_earliest(
            application.received_on, current["benefit_start"], new["benefit_start"]
        ),
    )
    return application


@transaction.atomic
def application_decision_withdraw(*, application: Application, by: User, reason: str) -> None:
    """Withdraw a decision taken by mistake: the application is in behandeling again, and the
    benefit a grant opened is removed (kept whole in the correction)."""
    from .models import Correction

    application, resident, reason = _decided_application(application, by=by, reason=reason)
    benefit = _decision_benefit_untouched(application)
    before = fact_snapshot(application)
    related: list[dict[str, Any]] = []
    application.outcome, application.decided_on, application.benefit = (
        Application.Outcome.PENDING,
        None,
        None,
    )
    application.save(update_fields=["outcome", "decided_on", "benefit"])
    affected_from = application.received_on
    if benefit is not None:
        # the whole row, as a withdrawn fact's (the benefit goes with the grant that opened it)
        related.append(
            _related("uitkering", benefit.pk, "verwijderd", fact_snapshot(benefit), None)
        )
        affected_from = min(affected_from, benefit.start_date)
        benefit.delete()
    correction_record(
        resident=resident,
        fact_type="besluit",
        fact_id=application.pk,
        kind=Correction.Kind.WITHDRAWN,
        reason=reason,
        by=by,
        before=before,
        related=related,
        affected_from=affected_from,
    )
    _case_changed(municipality_id=resident.municipality_id, affected_from=affected_from)


# Outflow. Kind and reason are not corrected (a full outflow ended the benefit): withdraw the
# event and record it again. A full outflow's date moves the benefit's end and the end of the
# work trajectories it closed along; withdrawing it reopens them.


def _closed_by_outflow(event: OutflowEvent, on: dt.date) -> list[Trajectory]:
    return list(
        Trajectory.objects.select_for_update().filter(
            resident_id=event.resident_id,
            ended_on=on,
            result=Trajectory.Result.WORK,
            instrument__category__in=[Instrument.Category.WORK, Instrument.Category.DEVELOPMENT],
        )
    )


def outflow_correct_problems(
    *,
    event: OutflowEvent,
    occurred_on: dt.date | None,
    hours_per_week: Decimal | None,
    contract_type: str | None,
    is_hours_increase: bool,
    born: dt.date | None = None,
) -> list[DomainError | None]:
    """Every rule the corrected details of ``event`` (its kind and reason stay) break, in the
    order ``outflow_correct`` checks them; a date not given (None) is not checked. ``born``: the
    resident's birth date, as for a new outflow."""
    problems = _outflow_work_problems(
        reason=event.reason, hours_per_week=hours_per_week, contract_type=contract_type or ""
    )
    if is_hours_increase and event.kind != OutflowEvent.Kind.PARTIAL:
        problems.append(
            DomainError(
                "Een urenuitbreiding is gedeeltelijke uitstroom.",
                code="hours_increase_full",
                field="is_hours_increase",
            )
        )
    problems += fact_date_problems(
        occurred_on, born=born, field="occurred_on", label="De datum van uitstroom"
    )
    return problems


@transaction.atomic
def outflow_correct(
    *, event: OutflowEvent, by: User, reason: str, changes: Mapping[str, Any]
) -> OutflowEvent:
    event, resident, reason = _correction_begin(event, by=by, reason=reason)
    changes = dict(changes)
    for name in ("employer", "sector"):
        if isinstance(changes.get(name), str):
            changes[name] = changes[name].strip()
    candidate, changed = fact_changes_apply(
        fact=event, changes=changes, allowed=OUTFLOW_CORRECTABLE
    )
    _raise_first(
        outflow_correct_problems(
            event=event,
            occurred_on=candidate.occurred_on,
            hours_per_week=candidate.hours_per_week,
            contract_type=candidate.contract_type,
            is_hours_increase=candidate.is_hours_increase,
            born=resident.birth_date,
        )
    )
    benefit = Benefit.objects.select_for_update().get(pk=event.benefit_id)
    if candidate.occurred_on < benefit.start_date:
        raise DomainError(
            "De uitstroomdatum ligt voor de ingangsdatum van de uitkering.",
            code="before_benefit",
            field="occurred_on",
        )
    old_on = event.occurred_on
    related: list[dict[str, Any]] = []
    moved = "occurred_on" in changed and event.kind == OutflowEvent.Kind.FULL
    if moved:
        # the follow-up (still off benefit after 6 and 12 months) is measured from the new date;
        # only a follow-up already answered is cleared (and so listed as changed)
        for name in ("still_off_benefit_6m", "still_off_benefit_12m"):
            if getattr(event, name) is not None:
                changed[name] = None
    before = fact_snapshot(event)
    fact_save(fact=event, candidate=candidate, changed=changed)
    if moved and benefit.end_date == old_on:
        benefit.end_date = event.occurred_on
        benefit.save(update_fields=["end_date"])
        related.append(_related("uitkering", benefit.pk, "end_date", old_on, event.occurred_on))
        for trajectory in _closed_by_outflow(event, old_on):
            if trajectory.started_on <= event.occurred_on:
                trajectory.ended_on = event.occurred_on
                trajectory.save(update_fields=["ended_on"])
                related.append(
                    _related("traject", trajectory.pk, "ended_on", old_on, event.occurred_on)
                )
    _corrected(
        resident=resident,
        fact_type="uitstroom",
        fact=event,
        reason=reason,
        by=by,
        before=before,
        changed=changed,
        related=related,
        affected_from=_earliest(old_on, event.occurred_on),
    )
    return event


@transaction.atomic
def outflow_withdraw(*, event: OutflowEvent, by: User, reason: str) -> None:
    """Withdraw an outflow recorded by mistake. A full outflow's benefit, ended on its date,
    runs again, and the work trajectories it closed are open again."""
    event, resident, reason = _correction_begin(event, by=by, reason=reason)
    related: list[dict[str, Any]] = []
    if event.kind == OutflowEvent.Kind.FULL:
        benefit = Benefit.objects.select_for_update().get(pk=event.benefit_id)
        if benefit.end_date == event.occurred_on:
            if (
                Benefit.objects.filter(
                    household_id=benefit.household_id, regime=benefit.regime, end_date__isnull=True
                )
                .exclude(pk=benefit.pk)
                .exists()
            ):
                raise DomainError(
                    "De uitkering kan niet weer lopen: het huishouden heeft intussen een andere "
                    "lopende uitkering in deze regeling.",
                    code="benefit_open_exists",
                )
            related.append(
                _related("uitkering", benefit.pk, "end_date", benefit.end_date, None)
                | {"end_reason": benefit.end_reason}
            )
            benefit.end_date = None
            benefit.end_reason = ""
            _save_checked(benefit, ["end_date", "end_reason"])
        for trajectory in _closed_by_outflow(event, event.occurred_on):
            if (
                Trajectory.objects.filter(
                    resident_id=trajectory.resident_id, instrument_id=trajectory.instrument_id
                )
                .open()
                .exists()
            ):
                continue  # a newer trajectory with this instrument runs: this one stays closed
            related.append(
                _related("traject", trajectory.pk, "ended_on", trajectory.ended_on, None)
            )
            trajectory.ended_on = None
            trajectory.result = ""
            _save_checked(trajectory, ["ended_on", "result"])
    _withdrawn(
        resident=resident,
        fact_type="uitstroom",
        fact=event,
        reason=reason,
        by=by,
        related=related,
        affected_from=event.occurred_on,
    )


# Contact moments and ladder scores


@transaction.atomic
def contact_correct(
    *, contact: ContactMoment, by: User, reason: str, changes: Mapping[str, Any]
) -> ContactMoment:
    contact, resident, reason = _correction_begin(contact, by=by, reason=reason)
    changes = dict(changes)
    if isinstance(changes.get("summary"), str):
        changes["summary"] = changes["summary"].strip()
    candidate, changed = fact_changes_apply(
        fact=contact, changes=changes, allowed=CONTACT_CORRECTABLE
    )
    _raise_first(
        contact_problems(
            occurred_on=candidate.occurred_on, channel=candidate.channel, born=resident.birth_date
        )
    )
    old_on = contact.occurred_on
    before = fact_snapshot(contact)
    fact_save(fact=contact, candidate=candidate, changed=changed)
    _corrected(
        resident=resident,
        fact_type="contact",
        fact=contact,
        reason=reason,
        by=by,
        before=before,
        changed=changed,
        affected_from=_earliest(old_on, contact.occurred_on),
    )
    return contact


@transaction.atomic
def contact_withdraw(*, contact: ContactMoment, by: User, reason: str) -> None:
    contact, resident, reason = _correction_begin(contact, by=by, reason=reason)
    _withdrawn(
        resident=resident,
        fact_type="contact",
        fact=contact,
        reason=reason,
        by=by,
        affected_from=contact.occurred_on,
    )


@transaction.atomic
def ladder_score_correct(
    *, score: LadderScore, by: User, reason: str, changes: Mapping[str, Any]
) -> LadderScore:
    score, resident, reason = _correction_begin(score, by=by, reason=reason)
    candidate, changed = fact_changes_apply(fact=score, changes=changes, allowed=LADDER_CORRECTABLE)
    _raise_first(
        ladder_score_problems(
            measured_on=candidate.measured_on, step=candidate.step, born=resident.birth_date
        )
    )
    if (
        LadderScore.objects.filter(resident_id=score.resident_id, measured_on=candidate.measured_on)
        .exclude(pk=score.pk)
        .exists()
    ):
        raise DomainError(
            "Op deze datum is al een meting vastgelegd.", code="ladder_exists", field="measured_on"
        )
    old_on = score.measured_on
    before = fact_snapshot(score)
    fact_save(fact=score, candidate=candidate, changed=changed)
    _corrected(
        resident=resident,
        fact_type="ladder",
        fact=score,
        reason=reason,
        by=by,
        before=before,
        changed=changed,
        affected_from=_earliest(old_on, score.measured_on),
    )
    return score


@transaction.atomic
def ladder_score_withdraw(*, score: LadderScore, by: User, reason: str) -> None:
    score, resident, reason = _correction_begin(score, by=by, reason=reason)
    _withdrawn(
        resident=resident,
        fact_type="ladder",
        fact=score,
        reason=reason,
        by=by,
        affected_from=score.measured_on,
    )


# Group assignments form a chain: each new assignment ended the previous one on its decision
# date. A corrected decision date moves that end; a withdrawn assignment hands its period back
# to the previous one (which is current again when the withdrawn one was).


def _previous_assignment(assignment: GroupAssignment) -> GroupAssignment | None:
    return (
        GroupAssignment.objects.select_for_update()
        .filter(resident_id=assignment.resident_id, ended_on=assignment.decided_on)
        .exclude(pk=assignment.pk)
        .order_by("-decided_on", "-id")
        .first()
    )


@transaction.atomic
def group_assignment_correct(
    *, assignment: GroupAssignment, by: User, reason: str, changes: Mapping[str, Any]
) -> GroupAssignment:
    """Correct a group assignment (``GROUP_CORRECTABLE``; ``changes["reason"]`` is the
    assignment's own reason, ``reason`` the correction's)."""
    Resident.objects.select_for_update().filter(pk=assignment.resident_id).values_list("pk").first()
    assignment, resident, reason = _correction_begin(assignment, by=by, reason=reason)
    changes = dict(changes)
    if isinstance(changes.get("reason"), str):
        changes["reason"] = changes["reason"].strip()
    candidate, changed = fact_changes_apply(
        fact=assignment, changes=changes, allowed=GROUP_CORRECTABLE
    )
    if candidate.group not in Group.values:
        raise DomainError("Kies groep 1, 2 of 3.", code="group", field="group")
    if not candidate.reason:
        raise DomainError(
            "Geef een reden voor de indeling.", code="reason_required", field="reason"
        )
    _fact_date_check(
        candidate.decided_on, born=resident.birth_date, field="decided_on", label="De besluitdatum"
    )
    if candidate.reassess_on <= candidate.decided_on:
        raise DomainError(
            "De herbeoordeling moet na de besluitdatum liggen.",
            code="reassess_on",
            field="reassess_on",
        )
    previous = _previous_assignment(assignment)
    related: list[dict[str, Any]] = []
    if "decided_on" in changed:
        if previous is not None and candidate.decided_on < previous.decided_on:
            raise DomainError(
                f"De besluitdatum ligt voor de vorige indeling ({previous.decided_on:%d-%m-%Y}).",
                code="decided_before_previous",
                field="decided_on",
            )
        if assignment.ended_on is not None and candidate.decided_on > assignment.ended_on:
            raise DomainError(
                "De besluitdatum ligt na het einde van deze indeling "
                f"({assignment.ended_on:%d-%m-%Y}).",
                code="decided_after_end",
                field="decided_on",
            )
    old_on = assignment.decided_on
    before = fact_snapshot(assignment)
    fact_save(fact=assignment, candidate=candidate, changed=changed)
    if "decided_on" in changed and previous is not None:
        previous.ended_on = assignment.decided_on
        previous.save(update_fields=["ended_on"])
        related.append(
            _related("groepsindeling", previous.pk, "ended_on", old_on, assignment.decided_on)
        )
    _corrected(
        resident=resident,
        fact_type="groep",
        fact=assignment,
        reason=reason,
        by=by,
        before=before,
        changed=changed,
        related=related,
        affected_from=_earliest(old_on, assignment.decided_on),
    )
    return assignment


@transaction.atomic
def group_assignment_withdraw(*, assignment: GroupAssignment, by: User, reason: str) -> None:
    Resident.objects.select_for_update().filter(pk=assignment.resident_id).values_list("pk").first()
    assignment, resident, reason = _correction_begin(assignment, by=by, reason=reason)
    previous = _previous_assignment(assignment)
    ended_on, decided_on = assignment.ended_on, assignment.decided_on
    _withdrawn(
        resident=resident,
        fact_type="groep",
        fact=assignment,
        reason=reason,
        by=by,
        affected_from=decided_on,
        related=[]
        if previous is None
        else [_related("groepsindeling", previous.pk, "ended_on", decided_on, ended_on)],
    )
    if previous is not None:
        previous.ended_on = ended_on
        _save_checked(previous, ["ended_on"])
