"""The caseload services: success paths (rows and side effects, listeners after commit) and every
refusal (DomainError code, field and Dutch message; nothing written; no BSN in the message)."""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from caseload import services
from caseload.models import (
    Application,
    Benefit,
    BenefitPayment,
    CbsEndReason,
    ContactMoment,
    DebtCase,
    FraudInvestigation,
    GroupAssignment,
    Household,
    Instrument,
    LadderScore,
    OutflowEvent,
    Regime,
    Resident,
    Trajectory,
)
from common.exceptions import DomainError
from tests import factories as f

D = dt.date
TODAY = timezone.localdate()
TOMORROW = TODAY + dt.timedelta(days=1)
FULL, PARTIAL = OutflowEvent.Kind.FULL, OutflowEvent.Kind.PARTIAL
WORK, OTHER = OutflowEvent.Reason.WORK, OutflowEvent.Reason.OTHER
PERMANENT = OutflowEvent.ContractType.PERMANENT


@pytest.fixture
def changes(monkeypatch):
    """Replace the registered case-change listeners by a recorder that, like the indicator
    engine's wake-up, acts after commit (the listeners are told inside the transaction)."""
    calls: list[tuple[int, dt.date]] = []

    def record(m: int, d: dt.date) -> None:
        transaction.on_commit(lambda: calls.append((m, d)))

    monkeypatch.setattr(services, "_case_change_listeners", [record])
    return calls


@pytest.fixture
def w(team, consulent, resident, open_benefit, changes):
    """A small world: a resident of ``team`` with an open benefit since 2024-01-01."""
    return SimpleNamespace(
        team=team,
        consulent=consulent,
        resident=resident,
        benefit=open_benefit,
        municipality_id=team.municipality_id,
        work_instrument=f.InstrumentFactory(
            category=Instrument.Category.WORK, default_cost=Decimal("750.00")
        ),
        changes=changes,
    )


def _snapshot() -> dict[str, list[dict[str, Any]]]:
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_app_config("caseload").get_models()
    }


def _outflow_kwargs(w, **overrides):
    kwargs = {
        "resident": w.resident,
        "kind": FULL,
        "reason": WORK,
        "occurred_on": D(2025, 5, 1),
        "by": w.consulent,
        "hours_per_week": Decimal("36"),
        "contract_type": PERMANENT,
        "employer": " Gemeente Hilversum ",
        "sector": "Overheid",
    }
    kwargs.update(overrides)
    return kwargs


# ==============================================================================================
# Refusals
# ==============================================================================================


@dataclass(frozen=True)
class Refusal:
    id: str
    #: builds whatever the call needs (before the snapshot) and returns the call; arguments are
    #: bound eagerly with functools.partial so that no row is created after the snapshot
    prep: Callable[[SimpleNamespace], Callable[[], Any]]
    code: str
    field: str | None
    message: str


def _other_municipality_team(w):
    return f.TeamFactory(municipality=f.MunicipalityFactory(cbs_code="GM0002", name="Elders"))


def _resident_elsewhere(w):
    team = _other_municipality_team(w)
    return f.ResidentFactory(team=team, household__municipality=team.municipality)


def _register(w, **overrides):
    kwargs = {
        "household": w.resident.household,
        "team": w.team,
        "bsn": "111222333",
        "first_name": "Sanne",
        "last_name": "Bakker",
        "birth_date": D(1990, 3, 3),
    }
    kwargs.update(overrides)
    return partial(services.resident_register, **kwargs)


def _decided_application(w):
    return f.ApplicationFactory(resident=w.resident, rejected=True)


def _pending_application(w, **kwargs):
    return f.ApplicationFactory(resident=w.resident, **kwargs)


def _decide(w, **overrides):
    kwargs = {
        "application": _pending_application(w),
        "outcome": Application.Outcome.REJECTED,
        "decided_on": D(2024, 2, 1),
    }
    kwargs.update(overrides)
    return partial(services.application_decide, **kwargs)


def _ended_benefit(w):
    return f.BenefitFactory(applicant=w.resident, regime=Regime.IOAW, ended_for_work=True)


def _current_group(w):
    return f.GroupAssignmentFactory(
        resident=w.resident, decided_by=w.consulent, decided_on=D(2025, 1, 10)
    )


def _open_trajectory(w):
    return f.TrajectoryFactory(
        resident=w.resident, instrument=w.work_instrument, created_by=w.consulent
    )


def _closed_trajectory(w):
    return f.TrajectoryFactory(resident=w.resident, created_by=w.consulent, closed=True)


def _outflow(w, **overrides):
    return partial(services.outflow_record, **_outflow_kwargs(w, **overrides))


REFUSALS = [
    # --- resident_register
    Refusal("register-bsn-11-test", lambda w: _register(w, bsn="123456789"),
            "bsn_invalid", "bsn", "Dit is geen geldig BSN (elfproef)."),
    Refusal("register-bsn-zero-sum", lambda w: _register(w, bsn="000000012"),
            "bsn_invalid", "bsn", "Dit is geen geldig BSN (elfproef)."),
    Refusal("register-bsn-not-digits", lambda w: _register(w, bsn="11122233a"),
            "bsn_invalid", "bsn", "Dit is geen geldig BSN (elfproef)."),
    Refusal("register-bsn-empty", lambda w: _register(w, bsn=""),
            "bsn_invalid", "bsn", "Dit is geen geldig BSN (elfproef)."),
    Refusal("register-bsn-exists", lambda w: _register(w, bsn=f" {w.resident.bsn} "),
            "bsn_exists", "bsn", "Er is al een inwoner met dit BSN geregistreerd."),
    # issue 12, finding 5: a BSN held in another municipality is not "bsn_exists" here
    Refusal("register-bsn-registered-elsewhere",
            lambda w: _register(w, bsn=_resident_elsewhere(w).bsn),
            "registration_conflict", "bsn",
            "Deze inwoner kan hier niet worden geregistreerd. Neem contact op met functioneel "
            "beheer."),
    # issue 16, point 2: the one write path for a resident's and a household's details
    Refusal("update-resident-bsn", lambda w: partial(services.resident_update,
                resident=w.resident, bsn="111222333"),
            "field", None, "Deze gegevens kunnen niet worden gewijzigd."),
    Refusal("update-resident-born-today", lambda w: partial(services.resident_update,
                resident=w.resident, birth_date=TODAY),
            "birth_date", "birth_date", "De geboortedatum moet in het verleden liggen."),
    Refusal("update-resident-startkwalificatie", lambda w: partial(services.resident_update,
                resident=w.resident, education_level="vmbo", has_startkwalificatie=True),
            "startkwalificatie", "has_startkwalificatie",
            "Met dit opleidingsniveau is er geen startkwalificatie."),
    Refusal("update-household-municipality", lambda w: partial(services.household_update,
                household=w.resident.household, municipality_id=1),
            "field", None, "Deze gegevens kunnen niet worden gewijzigd."),
    Refusal("update-household-children", lambda w: partial(services.household_update,
                household=w.resident.household, children_count=-1),
            "invalid", "children_count",
            "Zorg ervoor dat deze waarde minstens 0 is."),
    Refusal("register-born-today", lambda w: _register(w, birth_date=TODAY),
            "birth_date", "birth_date", "De geboortedatum moet in het verleden liggen."),
    Refusal("register-startkwalificatie",
            lambda w: _register(w, education_level="vmbo", has_startkwalificatie=True),
            "startkwalificatie", "has_startkwalificatie",
            "Met dit opleidingsniveau is er geen startkwalificatie."),
    Refusal("register-team-elsewhere", lambda w: _register(w, team=_other_municipality_team(w)),
            "team", "team", "Het team hoort bij een andere gemeente."),
    Refusal("register-consulent-other-team",
            lambda w: _register(w, consulent=f.UserFactory(team=f.TeamFactory())),
            "consulent_team", "consulent", "De consulent hoort niet bij dit team."),
    # --- resident_reassign
    Refusal("reassign-consulent-other-team",
            lambda w: partial(services.resident_reassign,
                resident=w.resident, team=f.TeamFactory(), consulent=w.consulent, by=w.consulent),
            "consulent_team", "consulent", "De consulent hoort niet bij het gekozen team."),
    Refusal("reassign-team-elsewhere",
            lambda w: partial(services.resident_reassign,
                resident=w.resident, team=_other_municipality_team(w), consulent=None,
                by=w.consulent),
            "team", "team", "Het team hoort bij een andere gemeente."),
    # --- application_register / application_decide
    Refusal("application-in-future",
            lambda w: partial(services.application_register,
                resident=w.resident, received_on=TOMORROW),
            "future_date", "received_on",
            "De datum van de melding mag niet in de toekomst liggen."),
    Refusal("decide-already-decided", lambda w: _decide(w, application=_decided_application(w)),
            "already_decided", None, "Op deze aanvraag is al besloten."),
    Refusal("decide-unknown-outcome", lambda w: _decide(w, outcome="misschien"),
            "outcome", "outcome", "Kies een geldige uitkomst."),
    Refusal("decide-pending-outcome", lambda w: _decide(w, outcome="in_behandeling"),
            "outcome", "outcome", "Kies een geldige uitkomst."),
    Refusal("decide-before-received", lambda w: _decide(w, decided_on=D(2024, 1, 9)),
            "decided_on", "decided_on", "De besluitdatum ligt voor de datum van de melding."),
    Refusal("decide-in-future", lambda w: _decide(w, decided_on=TOMORROW),
            "future_date", "decided_on", "De besluitdatum mag niet in de toekomst liggen."),
    Refusal("decide-grant-while-benefit-open",
            lambda w: _decide(w, outcome=Application.Outcome.GRANTED),
            "benefit_open_exists", "regime",
            "Dit huishouden heeft al een lopende uitkering in deze regeling."),
    # --- benefit_open / benefit_close / benefit_payment_record
    Refusal("open-applicant-elsewhere",
            lambda w: partial(services.benefit_open,
                household=f.HouseholdFactory(municipality=w.resident.municipality),
                applicant=w.resident, regime=Regime.IOAW, start_date=D(2024, 5, 1)),
            "applicant", None, "De aanvrager hoort niet bij dit huishouden."),
    Refusal("open-unknown-regime",
            lambda w: partial(services.benefit_open,
                household=w.resident.household, applicant=w.resident, regime="ww",
                start_date=D(2024, 5, 1)),
            "regime", "regime", "Onbekende regeling."),
    Refusal("open-second-in-regime",
            lambda w: partial(services.benefit_open,
                household=w.resident.household, applicant=w.resident,
                regime=Regime.ALGEMENE_BIJSTAND, start_date=D(2024, 5, 1)),
            "benefit_open_exists", "regime",
            "Dit huishouden heeft al een lopende uitkering in deze regeling."),
    Refusal("end-already-ended",
            lambda w: partial(services.benefit_close, by=w.consulent,
                benefit=_ended_benefit(w), on=D(2025, 7, 1), result="11"),
            "benefit_ended", None, "Deze uitkering is al beëindigd."),
    Refusal("end-without-reason",
            lambda w: partial(services.benefit_close, by=w.consulent,
                benefit=w.benefit, on=D(2025, 7, 1), result=""),
            "end_reason", "end_reason", "Kies een reden van beëindiging."),
    Refusal("end-before-start",
            lambda w: partial(services.benefit_close, by=w.consulent,
                benefit=w.benefit, on=D(2023, 12, 31), result="11"),
            "end_before_start", "end_date", "De einddatum ligt voor de ingangsdatum."),
    Refusal("payment-before-start",
            lambda w: partial(services.benefit_payment_record,
                benefit=w.benefit, month=D(2023, 12, 1), amount_paid=Decimal("1200")),
            "month", "month", "Deze maand valt buiten de looptijd van de uitkering."),
    Refusal("payment-after-end",
            lambda w: partial(services.benefit_payment_record,
                benefit=_ended_benefit(w), month=D(2025, 7, 1), amount_paid=Decimal("1200")),
            "month", "month", "Deze maand valt buiten de looptijd van de uitkering."),
    Refusal("payment-negative-offset",
            lambda w: partial(services.benefit_payment_record,
                benefit=w.benefit, month=D(2024, 3, 1), amount_paid=Decimal("900"),
                income_offset=Decimal("-1")),
            "offset", "income_offset", "Verrekende inkomsten kunnen niet negatief zijn."),
    # --- group_assign
    Refusal("group-4",
            lambda w: partial(services.group_assign,
                resident=w.resident, group=4, reason="Intake", by=w.consulent),
            "group", "group", "Kies groep 1, 2 of 3."),
    Refusal("group-no-reason",
            lambda w: partial(services.group_assign,
                resident=w.resident, group=2, reason="   ", by=w.consulent),
            "reason_required", "reason", "Geef een reden voor de indeling."),
    Refusal("group-in-future",
            lambda w: partial(services.group_assign,
                resident=w.resident, group=2, reason="Intake", by=w.consulent,
                decided_on=TOMORROW),
            "future_date", "decided_on", "De besluitdatum mag niet in de toekomst liggen."),
    Refusal("group-reassess-same-day",
            lambda w: partial(services.group_assign,
                resident=w.resident, group=2, reason="Intake", by=w.consulent,
                decided_on=D(2025, 3, 1), reassess_on=D(2025, 3, 1)),
            "reassess_on", "reassess_on", "De herbeoordeling moet na de besluitdatum liggen."),
    Refusal("group-before-current",
            lambda w: (_current_group(w), partial(services.group_assign,
                resident=w.resident, group=1, reason="Herbeoordeling", by=w.consulent,
                decided_on=D(2025, 1, 9)))[1],
            "decided_before_current", "decided_on",
            "De nieuwe indeling ligt voor de huidige indeling."),
    # --- trajectory_start / trajectory_close
    Refusal("trajectory-inactive-instrument",
            lambda w: partial(services.trajectory_start,
                resident=w.resident, instrument=f.InstrumentFactory(is_active=False),
                started_on=D(2025, 3, 1), by=w.consulent),
            "instrument_inactive", "instrument", "Dit instrument is niet meer beschikbaar."),
    Refusal("trajectory-planned-before-start",
            lambda w: partial(services.trajectory_start,
                resident=w.resident, instrument=w.work_instrument, started_on=D(2025, 3, 1),
                planned_end_on=D(2025, 2, 28), by=w.consulent),
            "planned_end", "planned_end_on", "De geplande einddatum ligt voor de startdatum."),
    Refusal("trajectory-negative-cost",
            lambda w: partial(services.trajectory_start,
                resident=w.resident, instrument=w.work_instrument, started_on=D(2025, 3, 1),
                cost=Decimal("-1"), by=w.consulent),
            "cost", "cost", "Kosten kunnen niet negatief zijn."),
    Refusal("trajectory-already-open",
            lambda w: (_open_trajectory(w), partial(services.trajectory_start,
                resident=w.resident, instrument=w.work_instrument, started_on=D(2025, 6, 1),
                by=w.consulent))[1],
            "trajectory_open", "instrument", "Er loopt al een traject met dit instrument."),
    Refusal("close-already-closed",
            lambda w: partial(services.trajectory_close, by=w.consulent,
                trajectory=_closed_trajectory(w), on=D(2025, 10, 1), result="afgerond"),
            "trajectory_closed", None, "Dit traject is al afgesloten."),
    Refusal("close-unknown-result",
            lambda w: partial(services.trajectory_close, by=w.consulent,
                trajectory=_open_trajectory(w), on=D(2025, 10, 1), result=""),
            "result", "result", "Kies een resultaat."),
    Refusal("close-before-start",
            lambda w: partial(services.trajectory_close, by=w.consulent,
                trajectory=_open_trajectory(w), on=D(2025, 2, 28), result="afgerond"),
            "end_before_start", "ended_on", "De einddatum ligt voor de startdatum."),
    Refusal("close-in-future",
            lambda w: partial(services.trajectory_close, by=w.consulent,
                trajectory=_open_trajectory(w), on=TOMORROW, result="afgerond"),
            "future_date", "ended_on", "De einddatum mag niet in de toekomst liggen."),
    Refusal("close-negative-cost",
            lambda w: partial(services.trajectory_close, by=w.consulent,
                trajectory=_open_trajectory(w), on=D(2025, 10, 1), result="afgerond",
                cost=Decimal("-5")),
            "cost", "cost", "Kosten kunnen niet negatief zijn."),
    # --- outflow_record
    Refusal("outflow-unknown-kind", lambda w: _outflow(w, kind="half"),
            "kind", "kind", "Kies volledige of gedeeltelijke uitstroom."),
    Refusal("outflow-unknown-reason", lambda w: _outflow(w, reason="verhuizing"),
            "reason", "reason", "Kies een reden van uitstroom."),
    Refusal("outflow-partial-not-work", lambda w: _outflow(w, kind=PARTIAL, reason=OTHER),
            "partial_not_work", "reason", "Gedeeltelijke uitstroom is altijd uitstroom naar werk."),
    Refusal("outflow-hours-increase-full", lambda w: _outflow(w, is_hours_increase=True),
            "hours_increase_full", "is_hours_increase",
            "Een urenuitbreiding is gedeeltelijke uitstroom."),
    Refusal("outflow-work-no-hours", lambda w: _outflow(w, hours_per_week=None),
            "hours", "hours_per_week",
            "Vul het aantal uren per week in (meer dan 0, hoogstens 80)."),
    Refusal("outflow-work-zero-hours", lambda w: _outflow(w, hours_per_week=Decimal("0")),
            "hours", "hours_per_week",
            "Vul het aantal uren per week in (meer dan 0, hoogstens 80)."),
    Refusal("outflow-work-81-hours", lambda w: _outflow(w, hours_per_week=Decimal("80.5")),
            "hours", "hours_per_week",
            "Vul het aantal uren per week in (meer dan 0, hoogstens 80)."),
    Refusal("outflow-work-no-contract", lambda w: _outflow(w, contract_type=""),
            "contract_type", "contract_type", "Kies het soort contract."),
    Refusal("outflow-in-future", lambda w: _outflow(w, occurred_on=TOMORROW),
            "future_date", "occurred_on",
            "De datum van uitstroom mag niet in de toekomst liggen."),
    Refusal("outflow-no-open-benefit",
            lambda w: _outflow(w, resident=f.ResidentFactory(team=w.team)),
            "no_open_benefit", None, "Deze inwoner heeft geen lopende uitkering."),
    Refusal("outflow-before-benefit", lambda w: _outflow(w, occurred_on=D(2023, 12, 31)),
            "before_benefit", "occurred_on",
            "De uitstroomdatum ligt voor de ingangsdatum van de uitkering."),
    Refusal("outflow-full-bad-end-reason", lambda w: _outflow(w, end_reason="zz"),
            "end_reason", "end_reason", "Kies een reden van beëindiging."),
    # --- contacts, ladder, enforcement, debts
    Refusal("contact-unknown-channel",
            lambda w: partial(services.contact_record,
                resident=w.resident, occurred_on=D(2025, 4, 1), channel="duif", by=w.consulent),
            "channel", "channel", "Kies een kanaal."),
    Refusal("contact-in-future",
            lambda w: partial(services.contact_record,
                resident=w.resident, occurred_on=TOMORROW, channel="telefoon", by=w.consulent),
            "future_date", "occurred_on", "De datum van het contact mag niet in de toekomst liggen."),
    Refusal("ladder-step-7",
            lambda w: partial(services.ladder_score_record,
                resident=w.resident, measured_on=D(2025, 4, 1), step=7, by=w.consulent),
            "step", "step", "Kies een trede van 1 tot en met 6."),
    Refusal("ladder-in-future",
            lambda w: partial(services.ladder_score_record,
                resident=w.resident, measured_on=TOMORROW, step=3, by=w.consulent),
            "future_date", "measured_on",
            "De datum van de meting mag niet in de toekomst liggen."),
    Refusal("ladder-same-day",
            lambda w: (f.LadderScoreFactory(resident=w.resident, by=w.consulent),
                       partial(services.ladder_score_record,
                resident=w.resident, measured_on=D(2025, 4, 1), step=4, by=w.consulent))[1],
            "ladder_exists", "measured_on", "Op deze datum is al een meting vastgelegd."),
    Refusal("fraud-unknown-source",
            lambda w: partial(services.fraud_investigation_start,
                resident=w.resident, started_on=D(2025, 2, 1), signal_source="roddel"),
            "signal", "signal_source", "Kies de bron van het signaal."),
    Refusal("fraud-in-future",
            lambda w: partial(services.fraud_investigation_start,
                resident=w.resident, started_on=TOMORROW, signal_source="tip"),
            "future_date", "started_on", "De startdatum mag niet in de toekomst liggen."),
    Refusal("fraud-close-closed",
            lambda w: partial(services.fraud_investigation_close, by=w.consulent,
                fraud_investigation=f.FraudInvestigationFactory(resident=w.resident, unchanged=True),
                on=D(2025, 5, 1), result="aangepast"),
            "investigation_closed", None, "Dit onderzoek is al afgesloten."),
    Refusal("fraud-close-unknown-result",
            lambda w: partial(services.fraud_investigation_close, by=w.consulent,
                fraud_investigation=f.FraudInvestigationFactory(resident=w.resident),
                on=D(2025, 5, 1), result="onbekend"),
            "result", "result", "Kies een resultaat."),
    Refusal("fraud-close-before-start",
            lambda w: partial(services.fraud_investigation_close, by=w.consulent,
                fraud_investigation=f.FraudInvestigationFactory(resident=w.resident),
                on=D(2025, 1, 31), result="ongewijzigd"),
            "end_before_start", "ended_on", "De einddatum ligt voor de startdatum."),
    Refusal("fraud-close-negative-claim",
            lambda w: partial(services.fraud_investigation_close, by=w.consulent,
                fraud_investigation=f.FraudInvestigationFactory(resident=w.resident),
                on=D(2025, 5, 1), result="beeindigd", claim_amount=Decimal("-1")),
            "claim", "claim_amount", "Een vordering kan niet negatief zijn."),
    Refusal("fraud-close-in-future",
            lambda w: partial(services.fraud_investigation_close, by=w.consulent,
                fraud_investigation=f.FraudInvestigationFactory(resident=w.resident),
                on=TOMORROW, result="ongewijzigd"),
            "future_date", "ended_on", "De einddatum mag niet in de toekomst liggen."),
    Refusal("debt-in-future",
            lambda w: partial(services.debt_case_open, resident=w.resident, applied_on=TOMORROW),
            "future_date", "applied_on",
            "De datum van aanmelding mag niet in de toekomst liggen."),
    Refusal("debt-negative",
            lambda w: partial(services.debt_case_open,
                resident=w.resident, applied_on=D(2025, 1, 15), total_debt=Decimal("-0.01")),
            "debt", "total_debt", "Een schuld kan niet negatief zijn."),
    Refusal("debt-close-closed",
            lambda w: partial(services.debt_case_close, by=w.consulent,
                debt_case=f.DebtCaseFactory(resident=w.resident, settled=True),
                on=D(2025, 10, 1), result="ingetrokken"),
            "debt_closed", None, "Dit schuldhulptraject is al afgesloten."),
    Refusal("debt-close-unknown-result",
            lambda w: partial(services.debt_case_close, by=w.consulent,
                debt_case=f.DebtCaseFactory(resident=w.resident), on=D(2025, 10, 1),
                result="kwijtgescholden"),
            "result", "result", "Kies een resultaat."),
    Refusal("debt-close-before-applied",
            lambda w: partial(services.debt_case_close, by=w.consulent,
                debt_case=f.DebtCaseFactory(resident=w.resident), on=D(2025, 1, 14),
                result="ingetrokken"),
            "end_before_start", "closed_on", "De afsluitdatum ligt voor de aanmelding."),
    Refusal("debt-close-in-future",
            lambda w: partial(services.debt_case_close, by=w.consulent,
                debt_case=f.DebtCaseFactory(resident=w.resident), on=TOMORROW,
                result="ingetrokken"),
            "future_date", "closed_on", "De afsluitdatum mag niet in de toekomst liggen."),
]  # fmt: skip

#: BSN-like strings passed to services in REFUSALS; none may come back in a message.
ATTEMPTED_BSNS = {"123456789", "000000012", "11122233a", "111222333"}


@pytest.mark.django_db
@pytest.mark.parametrize("refusal", REFUSALS, ids=lambda r: r.id)
def test_refusal_raises_domain_error_and_writes_nothing(
    refusal, w, django_capture_on_commit_callbacks
):
    call = refusal.prep(w)
    before = _snapshot()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(DomainError) as excinfo:
            call()
        assert not transaction.get_connection().needs_rollback

    exc = excinfo.value
    assert (exc.code, exc.field, exc.message) == (refusal.code, refusal.field, refusal.message)
    assert exc.as_dict() == {
        "code": refusal.code,
        "message": refusal.message,
        "field": refusal.field,
    }
    assert _snapshot() == before, "a refused service call wrote to the database"
    assert callbacks == [] and w.changes == [], "a refused call notified the listeners"
    bsns = set(Resident.objects.values_list("bsn", flat=True)) | ATTEMPTED_BSNS
    assert not any(bsn in str(exc) for bsn in bsns)


def test_every_public_service_is_tested():
    """A new public service without a test (success and refusal, or an explicit reason why it
    cannot be refused) fails here."""
    public = {
        name
        for name, fn in inspect.getmembers(services, inspect.isfunction)
        if fn.__module__ == services.__name__ and not name.startswith("_")
    }
    refused = {r.id for r in REFUSALS}
    prefixes = {
        "household_create": None,  # refusals are full_clean's ValidationError, tested below
        "resident_register": "register-",
        "resident_reassign": "reassign-",
        "application_register": "application-",
        "application_decide": "decide-",
        "benefit_open": "open-",
        "benefit_close": "end-",
        "benefit_payment_record": "payment-",
        "group_assign": "group-",
        "trajectory_start": "trajectory-",
        "trajectory_close": "close-",
        "outflow_record": "outflow-",
        "outflow_durability_record": None,  # accepts any combination of yes/no/unknown
        "outflow_durability_refresh": None,  # scheduled, no input to refuse
        "contact_record": "contact-",
        "ladder_score_record": "ladder-",
        "fraud_investigation_start": "fraud-",
        "fraud_investigation_close": "fraud-close-",
        "debt_case_open": "debt-",
        "debt_case_close": "debt-close-",
        "case_change_listener_register": None,  # registry, tested below
        "close_listener_register": None,  # registry, tested with the close shape below
        "resident_update": "update-resident-",
        "household_update": "update-household-",
    }
    # staff accounts (issue 12, finding 1): success and refusals in the admin's test module
    tested_elsewhere = {
        "staff_change_listener_register",
        "user_create",
        "user_grants_change",
        "user_manageable_by",
        "user_role_change",
        # the municipality a manager, finance or WSP account is bound to (issue 17):
        # tests/caseload/test_staff_municipality.py
        "user_municipality_check",
        # the payments feed (issue 15): tests/budget/test_payments_import.py (applied rows,
        # corrections, the processing record of the bulk write)
        "benefit_payments_apply",
        "bulk_write_listener_register",
        # a rejected payments file's look-up: tests/security/test_review_night_3_december.py
        "benefits_looked_up",
        "residents_processed",
        # corrections and withdrawals (issue 14): tests/caseload/test_corrections.py
        "correction_listener_register",
        "correction_access_check",
        "correction_reason_clean",
        "correction_record",
        "fact_changes_apply",
        "fact_save",
        "fact_snapshot",
        "trajectory_correct",
        "trajectory_withdraw",
        "outflow_correct",
        "outflow_withdraw",
        "contact_correct",
        "contact_withdraw",
        "ladder_score_correct",
        "ladder_score_withdraw",
        "group_assignment_correct",
        "group_assignment_withdraw",
        # rule checks that list every problem instead of refusing, for a form's clean() (the
        # outside tester's walk, findings 1 and 2); the services that raise the first of them
        # are tested here: tests/caseload/test_all_errors_at_once.py and tests/registers/
        "outflow_problems",
        "trajectory_close_problems",
        "application_decision_problems",
        "household_composition_problems",
        # the same for the contact, trajectory-start and outflow-correction forms (the walk's
        # second round): tests/caseload/test_walk_findings_forms_timeline.py
        "contact_problems",
        "trajectory_start_problems",
        "outflow_correct_problems",
        # the trajectory correction form (3 December): tests/caseload/test_corrections.py
        "trajectory_correct_problems",
        # four eyes on staff access (security review of 3 December):
        # tests/security/test_review_staff_access_approval.py
        "team_change",
        "user_access_decide",
        # the decision on an application (the walk of 3 December):
        # tests/caseload/test_corrections.py
        "application_decision_correct",
        "application_decision_withdraw",
        # the new application's rules on one submit: tests/registers/test_views.py
        "application_register_problems",
        # the walk of 3 December (night): tests/caseload/test_walk_night_3_december.py
        "birth_date_problems",
        "ladder_score_problems",
        # a fact's date (not in the future, not before birth), shared by the facts' rules and
        # matching's consent: the same file and tests/matching/test_walk_night_3_december.py
        "fact_date_problems",
        "before_birth_problem",
        "application_decision_correct_problems",
    }
    public -= tested_elsewhere
    assert public == set(prefixes), "update this table (and add tests) for new services"
    for name, prefix in prefixes.items():
        if prefix is not None:
            assert any(r.startswith(prefix) for r in refused), f"{name} has no refusal test"
    successes = {
        name.removeprefix("test_").split("__")[0]
        for name, obj in globals().items()
        if name.startswith("test_") and "__" in name and callable(obj)
    }
    assert public - successes == set(), "services without a success test (test_<service>__...)"


# ==============================================================================================
# Success paths (test_<service>__<what>)
# ==============================================================================================


@pytest.mark.django_db
def test_household_create__normalises_the_postcode(team):
    district = f.DistrictFactory(municipality=team.municipality)
    household = services.household_create(
        municipality_id=team.municipality_id,
        household_type="alleenstaande_ouder",
        street="Kerkstraat",
        house_number="12a",
        postcode=" 1211ab ",
        city="Hilversum",
        district_id=district.pk,
        children_count=2,
    )
    household.refresh_from_db()
    assert (household.postcode, household.district_id, household.children_count) == (
        "1211AB",
        district.pk,
        2,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "error_field"),
    [({"postcode": "12345"}, "__all__"), ({"household_type": "eenpersoons"}, "household_type")],
)
def test_household_create_refuses_invalid_input_with_a_validation_error(
    team, overrides, error_field
):
    kwargs = {
        "municipality_id": team.municipality_id,
        "household_type": "alleenstaand",
        "street": "Kerkstraat",
        "house_number": "1",
        "postcode": "1211 AB",
        "city": "Hilversum",
    } | overrides
    with pytest.raises(ValidationError) as excinfo:
        services.household_create(**kwargs)
    assert error_field in excinfo.value.message_dict
    assert not Household.objects.exists()


@pytest.mark.django_db
def test_resident_register__creates_the_resident(w):
    resident = services.resident_register(
        household=w.resident.household,
        team=w.team,
        consulent=w.consulent,
        bsn=" 111222333 ",
        first_name=" Sanne ",
        name_prefix=" de ",
        last_name=" Bakker ",
        birth_date=D(1990, 3, 3),
        household_role="partner",
        education_level="mbo34",
        has_startkwalificatie=True,
        is_status_holder=True,
        language_level="b1",
        is_fake=True,
    )
    resident.refresh_from_db()
    assert resident.bsn == "111222333"
    assert resident.full_name == "Sanne de Bakker"
    assert resident.municipality_id == w.municipality_id
    assert (resident.team, resident.consulent, resident.household_role) == (
        w.team,
        w.consulent,
        "partner",
    )
    assert resident.is_fake and resident.is_status_holder and resident.has_startkwalificatie


@pytest.mark.django_db
def test_resident_register__without_consulent(w):
    resident = services.resident_register(
        household=w.resident.household,
        team=w.team,
        bsn="123456782",
        first_name="Ahmed",
        last_name="Yilmaz",
        birth_date=D(2001, 1, 1),
    )
    assert resident.consulent is None
    assert Resident.objects.filter(household=w.resident.household).count() == 2


@pytest.mark.django_db
def test_resident_register__bsn_refusals_name_the_holder_for_the_log(w):
    """Issue 12, finding 5: the caller logs the BSN check as a search naming the holder; the
    check itself asks the household's municipality only."""
    with pytest.raises(services.BsnRegistered) as here:
        _register(w, bsn=w.resident.bsn)()
    assert here.value.resident_id == w.resident.pk
    elsewhere = _resident_elsewhere(w)
    with pytest.raises(services.RegistrationConflict) as there:
        _register(w, bsn=elsewhere.bsn, birth_date=D(1990, 3, 3))()
    assert there.value.resident_id == elsewhere.pk
    assert "Elders" not in there.value.message


@pytest.mark.django_db
def test_resident_update__changes_details_and_tells_the_listeners(
    w, django_capture_on_commit_callbacks
):
    """Issue 16, point 2: the one service for a resident's details (API PATCH, import, intake)."""
    with django_capture_on_commit_callbacks(execute=True):
        resident = services.resident_update(
            resident=w.resident, language_level="b1", first_name=w.resident.first_name
        )
    resident.refresh_from_db()
    assert resident.language_level == "b1"
    assert w.changes == [(w.municipality_id, TODAY)]
    with django_capture_on_commit_callbacks(execute=True):
        services.resident_update(resident=resident, language_level="b1")
    assert len(w.changes) == 1, "an unchanged resident is not written and tells nobody"


@pytest.mark.django_db
def test_household_update__normalises_the_postcode_and_tells_the_listeners(
    w, django_capture_on_commit_callbacks
):
    """Issue 16, point 2: the one service for a household's details (import)."""
    with django_capture_on_commit_callbacks(execute=True):
        household = services.household_update(
            household=w.resident.household, postcode=" 1213xz ", children_count=2
        )
    household.refresh_from_db()
    assert (household.postcode, household.children_count) == ("1213XZ", 2)
    assert w.changes == [(w.municipality_id, TODAY)]


@pytest.mark.django_db
def test_resident_reassign__moves_team_and_consulent(w, django_capture_on_commit_callbacks):
    other_team = f.TeamFactory(municipality=w.resident.municipality)
    other_consulent = f.UserFactory(team=other_team)
    with django_capture_on_commit_callbacks(execute=True):
        services.resident_reassign(
            resident=w.resident, team=other_team, consulent=other_consulent, by=w.consulent
        )
    w.resident.refresh_from_db()
    assert (w.resident.team, w.resident.consulent) == (other_team, other_consulent)
    # the team split of this year's indicators is refreshed
    assert w.changes == [(w.resident.municipality_id, D(dt.date.today().year, 1, 1))]

    services.resident_reassign(resident=w.resident, team=w.team, consulent=None, by=w.consulent)
    w.resident.refresh_from_db()
    assert (w.resident.team, w.resident.consulent) == (w.team, None)


@pytest.mark.django_db
def test_application_register__pending_and_listener_after_commit(
    w, django_capture_on_commit_callbacks
):
    # a WW prevention melding comes before bijstand, not beside a running benefit (the walk of
    # 3 December, night): the household's benefit ended before the melding
    w.benefit.end_date, w.benefit.end_reason = D(2024, 6, 30), CbsEndReason.EMPLOYMENT
    w.benefit.save(update_fields=["end_date", "end_reason"])
    with django_capture_on_commit_callbacks(execute=True):
        application = services.application_register(
            resident=w.resident,
            received_on=D(2024, 9, 2),
            risk_profile="verhoogd",
            prevention_route="ww_coaching",
        )
        assert w.changes == [], "listeners must wait for the commit"
    application.refresh_from_db()
    assert (application.outcome, application.decided_on, application.benefit) == (
        Application.Outcome.PENDING,
        None,
        None,
    )
    assert (application.risk_profile, application.prevention_route) == ("verhoogd", "ww_coaching")
    assert w.changes == [(w.municipality_id, D(2024, 9, 2))]


@pytest.mark.django_db
def test_application_decide__grant_opens_a_benefit(w, django_capture_on_commit_callbacks):
    application = f.ApplicationFactory(
        resident=w.resident, regime=Regime.IOAW, received_on=D(2024, 3, 4)
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.application_decide(
            application=application, outcome="toegekend", decided_on=D(2024, 3, 20)
        )
    application.refresh_from_db()
    assert application.outcome == Application.Outcome.GRANTED
    assert application.decided_on == D(2024, 3, 20)
    benefit = application.benefit
    assert (benefit.household, benefit.applicant, benefit.regime, benefit.start_date) == (
        w.resident.household,
        w.resident,
        Regime.IOAW,
        D(2024, 3, 4),
    )
    assert benefit.is_open
    assert (w.municipality_id, D(2024, 3, 4)) in w.changes


@pytest.mark.django_db
def test_application_decide__grant_with_a_later_benefit_start(w):
    application = f.ApplicationFactory(
        resident=w.resident, regime=Regime.BBZ_STARTER, received_on=D(2024, 3, 4)
    )
    decided = services.application_decide(
        application=application,
        outcome="toegekend",
        decided_on=D(2024, 3, 20),
        benefit_start=D(2024, 4, 1),
    )
    assert decided.benefit.start_date == D(2024, 4, 1)


@pytest.mark.django_db
def test_application_decide__no_benefit_before_the_melding(w):
    """Art. 44 lid 1 Pw: bijstand from the day of the melding at the earliest; the browser's
    decision form and the API's decide get the same refusal, on the field."""
    application = f.ApplicationFactory(resident=w.resident, received_on=D(2024, 3, 4))
    with pytest.raises(DomainError) as refused:
        services.application_decide(
            application=application,
            outcome="toegekend",
            decided_on=D(2024, 3, 20),
            benefit_start=D(2024, 3, 3),
        )
    assert refused.value.field == "benefit_start"
    application.refresh_from_db()
    assert application.outcome == "in_behandeling" and application.benefit is None
    with pytest.raises(DomainError) as refused:  # a typing error: 9999 was accepted
        services.application_decide(
            application=application,
            outcome="toegekend",
            decided_on=D(2024, 3, 20),
            benefit_start=D(9999, 12, 31),
        )
    assert refused.value.field == "benefit_start"


@pytest.mark.django_db
@pytest.mark.parametrize("outcome", ["afgewezen", "ingetrokken", "voorkomen"])
def test_application_decide__other_outcomes_open_no_benefit(w, outcome):
    application = f.ApplicationFactory(resident=w.resident, received_on=D(2024, 3, 4))
    benefits_before = Benefit.objects.count()
    services.application_decide(application=application, outcome=outcome, decided_on=D(2024, 3, 4))
    application.refresh_from_db()
    assert (application.outcome, application.benefit) == (outcome, None)
    assert Benefit.objects.count() == benefits_before


@pytest.mark.django_db
def test_benefit_open__another_regime_beside_an_open_one(w, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        benefit = services.benefit_open(
            household=w.resident.household,
            applicant=w.resident,
            regime=Regime.LOONKOSTENSUBSIDIE,
            start_date=D(2024, 6, 1),
        )
    assert benefit.is_open and benefit.regime == Regime.LOONKOSTENSUBSIDIE
    assert Benefit.objects.filter(household=w.resident.household, end_date=None).count() == 2
    assert w.changes == [(w.municipality_id, D(2024, 6, 1))]


@pytest.mark.django_db
def test_benefit_open__again_after_the_previous_one_ended(w):
    services.benefit_close(benefit=w.benefit, on=D(2024, 12, 31), result="11", by=w.consulent)
    again = services.benefit_open(
        household=w.resident.household,
        applicant=w.resident,
        regime=Regime.ALGEMENE_BIJSTAND,
        start_date=D(2025, 3, 1),
    )
    assert again.is_open and again.pk != w.benefit.pk


@pytest.mark.django_db
def test_benefit_close__sets_date_and_reason(w, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.benefit_close(benefit=w.benefit, on=D(2025, 2, 28), result="14", by=w.consulent)
    w.benefit.refresh_from_db()
    assert (w.benefit.end_date, w.benefit.end_reason, w.benefit.is_open) == (
        D(2025, 2, 28),
        CbsEndReason.WW,
        False,
    )
    assert w.changes == [(w.municipality_id, D(2025, 2, 28))]


@pytest.mark.django_db
def test_benefit_payment_record__first_of_month_and_idempotent(
    w, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.benefit_payment_record(
            benefit=w.benefit, month=D(2024, 3, 17), amount_paid=Decimal("1250.00")
        )
    corrected = services.benefit_payment_record(
        benefit=w.benefit,
        month=D(2024, 3, 1),
        amount_paid=Decimal("850.00"),
        income_offset=Decimal("400.00"),
    )
    assert corrected.pk == first.pk
    payment = BenefitPayment.objects.get(benefit=w.benefit)
    assert (payment.month, payment.amount_paid, payment.income_offset) == (
        D(2024, 3, 1),
        Decimal("850.00"),
        Decimal("400.00"),
    )
    assert w.changes == [(w.municipality_id, D(2024, 3, 1))]


@pytest.mark.django_db
def test_benefit_payment_record__last_month_of_an_ended_benefit(w):
    ended = f.BenefitFactory(applicant=w.resident, regime=Regime.IOAW, ended_for_work=True)
    payment = services.benefit_payment_record(
        benefit=ended, month=D(2025, 6, 1), amount_paid=Decimal("600")
    )
    assert payment.month == D(2025, 6, 1)


@pytest.mark.django_db
@pytest.mark.parametrize(("group", "days"), [(1, 182), (2, 365), (3, 365)])
def test_group_assign__default_reassessment(w, group, days):
    assignment = services.group_assign(
        resident=w.resident,
        group=group,
        reason="  Brede intake  ",
        by=w.consulent,
        decided_on=D(2025, 2, 1),
    )
    assert assignment.reassess_on == D(2025, 2, 1) + dt.timedelta(days=days)
    assert assignment.reason == "Brede intake"
    assert assignment.is_current and assignment.decided_by == w.consulent


@pytest.mark.django_db
def test_group_assign__defaults_to_today(w):
    assignment = services.group_assign(resident=w.resident, group=2, reason="x", by=w.consulent)
    assert assignment.decided_on == TODAY


@pytest.mark.django_db
def test_group_assign__ends_the_previous_assignment(w, django_capture_on_commit_callbacks):
    first = services.group_assign(
        resident=w.resident, group=3, reason="Intake", by=w.consulent, decided_on=D(2024, 2, 1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        second = services.group_assign(
            resident=w.resident,
            group=2,
            reason="Herbeoordeling",
            by=w.consulent,
            decided_on=D(2025, 2, 1),
            reassess_on=D(2025, 8, 1),
        )
    first.refresh_from_db()
    assert first.ended_on == D(2025, 2, 1) and not first.is_current
    assert list(GroupAssignment.objects.filter(resident=w.resident, ended_on=None)) == [second]
    assert list(Resident.objects.in_group(2)) == [w.resident]
    assert w.changes == [(w.municipality_id, D(2025, 2, 1))]


@pytest.mark.django_db
def test_group_assign__same_day_correction(w):
    first = services.group_assign(
        resident=w.resident, group=1, reason="Intake", by=w.consulent, decided_on=D(2025, 2, 1)
    )
    services.group_assign(
        resident=w.resident, group=2, reason="Correctie", by=w.consulent, decided_on=D(2025, 2, 1)
    )
    first.refresh_from_db()
    assert first.ended_on == D(2025, 2, 1)
    assert GroupAssignment.objects.filter(resident=w.resident).count() == 2


@pytest.mark.django_db
def test_trajectory_start__cost_from_the_catalogue(w, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        trajectory = services.trajectory_start(
            resident=w.resident,
            instrument=w.work_instrument,
            started_on=D(2025, 3, 1),
            planned_end_on=D(2025, 9, 1),
            provider=" Werkplein ",
            by=w.consulent,
        )
    trajectory.refresh_from_db()
    assert trajectory.cost == Decimal("750.00")
    assert (trajectory.provider, trajectory.created_by, trajectory.is_open) == (
        "Werkplein",
        w.consulent,
        True,
    )
    assert w.changes == [(w.municipality_id, D(2025, 3, 1))]


@pytest.mark.django_db
def test_trajectory_start__explicit_cost_and_again_after_closing(w):
    first = services.trajectory_start(
        resident=w.resident,
        instrument=w.work_instrument,
        started_on=D(2024, 3, 1),
        cost=Decimal("0"),
        by=w.consulent,
    )
    assert first.cost == Decimal("0")
    services.trajectory_close(
        trajectory=first, on=D(2024, 6, 1), result="uitgevallen", by=w.consulent
    )
    again = services.trajectory_start(
        resident=w.resident, instrument=w.work_instrument, started_on=D(2024, 7, 1), by=w.consulent
    )
    assert again.is_open


@pytest.mark.django_db
@pytest.mark.parametrize(("cost", "expected"), [(None, Decimal("750.00")), (Decimal("990"), 990)])
def test_trajectory_close__sets_end_result_and_cost(
    w, django_capture_on_commit_callbacks, cost, expected
):
    trajectory = services.trajectory_start(
        resident=w.resident, instrument=w.work_instrument, started_on=D(2025, 3, 1), by=w.consulent
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.trajectory_close(
            trajectory=trajectory, on=D(2025, 3, 1), result="afgerond", by=w.consulent, cost=cost
        )
    trajectory.refresh_from_db()
    assert (trajectory.ended_on, trajectory.result, trajectory.cost) == (
        D(2025, 3, 1),
        Trajectory.Result.COMPLETED,
        expected,
    )
    assert (w.municipality_id, D(2025, 3, 1)) in w.changes


@pytest.mark.django_db
def test_outflow_record__full_to_work_ends_benefit_and_work_trajectories(
    w, django_capture_on_commit_callbacks
):
    def start(category, started_on):
        return services.trajectory_start(
            resident=w.resident,
            instrument=f.InstrumentFactory(category=category),
            started_on=started_on,
            by=w.consulent,
        )

    job_hunting = start(Instrument.Category.WORK, D(2025, 1, 1))
    training = start(Instrument.Category.DEVELOPMENT, D(2025, 5, 1))
    volunteering = start(Instrument.Category.PARTICIPATION, D(2025, 1, 1))
    debt_help = start(Instrument.Category.SUPPORT, D(2025, 1, 1))
    later = start(Instrument.Category.WORK, D(2025, 6, 1))

    with django_capture_on_commit_callbacks(execute=True):
        event = services.outflow_record(**_outflow_kwargs(w))
        assert w.changes == []

    event.refresh_from_db()
    assert (event.benefit, event.kind, event.reason, event.recorded_by) == (
        w.benefit,
        FULL,
        WORK,
        w.consulent,
    )
    assert (event.hours_per_week, event.employer, event.contract_type) == (
        Decimal("36.0"),
        "Gemeente Hilversum",
        PERMANENT,
    )
    w.benefit.refresh_from_db()
    assert (w.benefit.end_date, w.benefit.end_reason) == (D(2025, 5, 1), CbsEndReason.EMPLOYMENT)
    for closed in (job_hunting, training):
        closed.refresh_from_db()
        assert (closed.ended_on, closed.result) == (D(2025, 5, 1), Trajectory.Result.WORK)
    for still_open in (volunteering, debt_help, later):
        still_open.refresh_from_db()
        assert still_open.is_open
    assert set(w.changes) == {(w.municipality_id, D(2025, 5, 1))}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "end_reason"),
    [
        ({"contract_type": OutflowEvent.ContractType.SELF_EMPLOYED}, CbsEndReason.SELF_EMPLOYMENT),
        ({"reason": OTHER, "hours_per_week": None, "contract_type": ""}, CbsEndReason.OTHER),
        ({"reason": OTHER, "hours_per_week": None, "contract_type": "", "end_reason": "02"}, "02"),
        ({"end_reason": "13"}, CbsEndReason.SELF_EMPLOYMENT),
    ],
)
def test_outflow_record__full_end_reason(w, overrides, end_reason):
    services.outflow_record(**_outflow_kwargs(w, **overrides))
    w.benefit.refresh_from_db()
    assert w.benefit.end_reason == end_reason


@pytest.mark.django_db
def test_outflow_record__full_for_another_reason_keeps_trajectories(w):
    trajectory = services.trajectory_start(
        resident=w.resident, instrument=w.work_instrument, started_on=D(2025, 1, 1), by=w.consulent
    )
    services.outflow_record(
        **_outflow_kwargs(w, reason=OTHER, hours_per_week=None, contract_type="", end_reason="32")
    )
    trajectory.refresh_from_db()
    assert trajectory.is_open
    w.benefit.refresh_from_db()
    assert w.benefit.end_reason == CbsEndReason.MOVED_NL


@pytest.mark.django_db
@pytest.mark.parametrize("is_hours_increase", [False, True])
def test_outflow_record__partial_keeps_benefit_and_trajectories(
    w, django_capture_on_commit_callbacks, is_hours_increase
):
    trajectory = services.trajectory_start(
        resident=w.resident, instrument=w.work_instrument, started_on=D(2025, 1, 1), by=w.consulent
    )
    with django_capture_on_commit_callbacks(execute=True):
        event = services.outflow_record(
            **_outflow_kwargs(
                w,
                kind=PARTIAL,
                hours_per_week=Decimal("16"),
                contract_type=OutflowEvent.ContractType.ON_CALL,
                is_hours_increase=is_hours_increase,
            )
        )
    assert event.kind == PARTIAL and event.is_hours_increase is is_hours_increase
    w.benefit.refresh_from_db()
    trajectory.refresh_from_db()
    assert w.benefit.is_open and trajectory.is_open
    assert w.changes == [(w.municipality_id, D(2025, 5, 1))]


@pytest.mark.django_db
def test_outflow_record__uses_the_oldest_open_benefit_of_the_household(w):
    partner = f.ResidentFactory(household=w.resident.household, team=w.team)
    older = f.BenefitFactory(applicant=partner, regime=Regime.IOAW, start_date=D(2023, 1, 1))
    event = services.outflow_record(**_outflow_kwargs(w))
    assert event.benefit == older
    w.benefit.refresh_from_db()
    assert w.benefit.is_open


@pytest.mark.django_db
def test_outflow_record__on_the_first_day_of_the_benefit(w):
    event = services.outflow_record(**_outflow_kwargs(w, occurred_on=D(2024, 1, 1)))
    assert event.occurred_on == w.benefit.start_date


@pytest.mark.django_db
@pytest.mark.parametrize(("six", "twelve"), [(True, True), (True, False), (None, None)])
def test_outflow_durability_record__stores_the_follow_up(
    w, django_capture_on_commit_callbacks, six, twelve
):
    event = services.outflow_record(**_outflow_kwargs(w))
    w.changes.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.outflow_durability_record(event=event, still_off_6m=six, still_off_12m=twelve)
    event.refresh_from_db()
    assert (event.still_off_benefit_6m, event.still_off_benefit_12m) == (six, twelve)
    assert w.changes == [(w.municipality_id, D(2025, 5, 1))]


@pytest.mark.django_db
def test_contact_record__row_and_listener(w, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        contact = services.contact_record(
            resident=w.resident,
            occurred_on=TODAY,
            channel="huisbezoek",
            by=w.consulent,
            summary="  Gesprek over werkervaringsplaats  ",
        )
    contact.refresh_from_db()
    assert (contact.occurred_on, contact.channel, contact.by, contact.summary) == (
        TODAY,
        ContactMoment.Channel.HOME_VISIT,
        w.consulent,
        "Gesprek over werkervaringsplaats",
    )
    assert w.changes == [(w.municipality_id, TODAY)]


@pytest.mark.django_db
def test_contact_record__not_before_the_residents_birth(w):
    """The walk of 3 December: a contact of 1 January 1900 was accepted."""
    w.resident.birth_date = D(1967, 5, 1)
    w.resident.save(update_fields=["birth_date"])
    with pytest.raises(DomainError) as refused:
        services.contact_record(
            resident=w.resident, occurred_on=D(1900, 1, 1), channel="telefoon", by=w.consulent
        )
    assert (refused.value.code, refused.value.field) == ("before_birth", "occurred_on")


@pytest.mark.django_db
def test_ladder_score_record__row_and_listener(w, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        score = services.ladder_score_record(
            resident=w.resident, measured_on=D(2025, 4, 1), step=4, by=w.consulent
        )
    services.ladder_score_record(
        resident=w.resident, measured_on=D(2025, 10, 1), step=5, by=w.consulent
    )
    assert score.step == LadderScore.Step.UNPAID
    assert list(LadderScore.objects.filter(resident=w.resident).values_list("step", flat=True)) == [
        5,
        4,
    ]
    assert w.changes == [(w.municipality_id, D(2025, 4, 1))]


@pytest.mark.django_db
def test_fraud_investigation_start__row_and_listener(w, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        investigation = services.fraud_investigation_start(
            resident=w.resident, started_on=D(2025, 2, 1), signal_source="tip"
        )
    investigation.refresh_from_db()
    assert (investigation.ended_on, investigation.result, investigation.claim_amount) == (
        None,
        "",
        0,
    )
    assert w.changes == [(w.municipality_id, D(2025, 2, 1))]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("result", "claim"), [("beeindigd", Decimal("2400.00")), ("ongewijzigd", Decimal("0"))]
)
def test_fraud_investigation_close__result_and_claim(
    w, django_capture_on_commit_callbacks, result, claim
):
    investigation = services.fraud_investigation_start(
        resident=w.resident, started_on=D(2025, 2, 1), signal_source="inlichtingenbureau"
    )
    w.changes.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.fraud_investigation_close(
            fraud_investigation=investigation,
            on=D(2025, 2, 1),
            result=result,
            by=w.consulent,
            claim_amount=claim,
        )
    investigation.refresh_from_db()
    assert (investigation.ended_on, investigation.result, investigation.claim_amount) == (
        D(2025, 2, 1),
        result,
        claim,
    )
    assert FraudInvestigation.objects.count() == 1
    assert w.changes == [(w.municipality_id, D(2025, 2, 1))]


@pytest.mark.django_db
def test_debt_case_open__row_and_listener(w, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = services.debt_case_open(
            resident=w.resident, applied_on=D(2025, 1, 15), total_debt=Decimal("8500.00")
        )
    case.refresh_from_db()
    assert (case.total_debt, case.closed_on, case.result) == (Decimal("8500.00"), None, "")
    assert w.changes == [(w.municipality_id, D(2025, 1, 15))]


@pytest.mark.django_db
def test_debt_case_close__result(w, django_capture_on_commit_callbacks):
    case = services.debt_case_open(resident=w.resident, applied_on=D(2025, 1, 15))
    w.changes.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.debt_case_close(
            debt_case=case, on=D(2025, 9, 1), result="schuldregeling", by=w.consulent
        )
    case.refresh_from_db()
    assert (case.closed_on, case.result) == (D(2025, 9, 1), DebtCase.Result.SETTLED)
    assert w.changes == [(w.municipality_id, D(2025, 9, 1))]


@pytest.mark.django_db
def test_outflow_durability_refresh__from_the_benefit_records(w):
    def full_outflow_of_new_household(returns_on=None):
        benefit = f.BenefitFactory(start_date=D(2023, 1, 1), applicant__team=w.team)
        event = services.outflow_record(
            **_outflow_kwargs(w, resident=benefit.applicant, occurred_on=D(2024, 2, 1))
        )
        if returns_on is not None:
            f.BenefitFactory(applicant=benefit.applicant, start_date=returns_on)
        return event

    lasted = full_outflow_of_new_household()
    # a benefit from the outflow day itself: back at once (was taken as off benefit)
    back_the_same_day = full_outflow_of_new_household(D(2024, 2, 1))
    back_in_4_months = full_outflow_of_new_household(D(2024, 6, 1))
    back_in_9_months = full_outflow_of_new_household(D(2024, 11, 1))
    back_after_a_year = full_outflow_of_new_household(D(2025, 3, 1))
    recent = services.outflow_record(**_outflow_kwargs(w, occurred_on=D(2025, 1, 15)))
    partial_benefit = f.BenefitFactory(start_date=D(2023, 1, 1), applicant__team=w.team)
    partial = services.outflow_record(
        **_outflow_kwargs(
            w, resident=partial_benefit.applicant, kind=PARTIAL, occurred_on=D(2024, 2, 1)
        )
    )

    today = D(2025, 4, 1)  # 14 months after the 2024 outflows, 2.5 after the recent one
    counts = services.outflow_durability_refresh(today=today)
    assert counts == {"still_off_benefit_6m": 5, "still_off_benefit_12m": 5}

    def durability(event):
        event.refresh_from_db()
        return event.still_off_benefit_6m, event.still_off_benefit_12m

    assert durability(lasted) == (True, True)
    assert durability(back_the_same_day) == (False, False)
    assert durability(back_in_4_months) == (False, False)
    assert durability(back_in_9_months) == (True, False)
    assert durability(back_after_a_year) == (True, True)
    assert durability(recent) == (None, None)
    assert durability(partial) == (None, None)

    # idempotent, and a value recorded by hand is never overwritten
    services.outflow_durability_record(event=lasted, still_off_6m=False, still_off_12m=False)
    assert services.outflow_durability_refresh(today=today) == {
        "still_off_benefit_6m": 0,
        "still_off_benefit_12m": 0,
    }
    assert durability(lasted) == (False, False)

    # the 6-month moment of the recent outflow comes first
    assert services.outflow_durability_refresh(today=D(2025, 7, 15)) == {
        "still_off_benefit_6m": 1,
        "still_off_benefit_12m": 0,
    }
    assert durability(recent) == (True, None)


@pytest.mark.django_db
def test_case_change_listener_register__once_and_inside_the_transaction(monkeypatch, w):
    """Issue 13, finding 1: the listeners are told inside the case change's transaction (the
    indicator engine writes its outbox row there), so what a listener writes commits or rolls
    back with the change."""
    calls = []
    monkeypatch.setattr(services, "_case_change_listeners", [])

    def listener(municipality_id, affected_from):
        calls.append((municipality_id, affected_from, transaction.get_connection().in_atomic_block))

    services.case_change_listener_register(listener)
    services.case_change_listener_register(listener)
    assert services._case_change_listeners == [listener]

    services.contact_record(
        resident=w.resident, occurred_on=D(2025, 4, 1), channel="telefoon", by=w.consulent
    )
    assert calls == [(w.municipality_id, D(2025, 4, 1), True)]

    # a listener that fails rolls the change back
    def failing(municipality_id, affected_from):
        raise RuntimeError("listener failed")

    services.case_change_listener_register(failing)
    contacts = ContactMoment.objects.count()
    with pytest.raises(RuntimeError):
        services.contact_record(
            resident=w.resident, occurred_on=D(2025, 4, 2), channel="telefoon", by=w.consulent
        )
    assert ContactMoment.objects.count() == contacts


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("prep", "error_field"),
    [
        (lambda w: _register(w, first_name="  "), "first_name"),
        (lambda w: _register(w, household_role="kostganger"), "household_role"),
        (lambda w: _register(w, language_level="c3"), "language_level"),
        (
            lambda w: partial(
                services.application_register,
                resident=w.resident,
                received_on=D(2024, 1, 1),
                regime="ww",
            ),
            "regime",
        ),
    ],
    ids=["blank-name", "household-role", "language-level", "application-regime"],
)
def test_field_refusals_from_full_clean_are_validation_errors(w, prep, error_field):
    """Field-level input errors reach the caller as Django's ValidationError (handled by the API
    exception handler and the importer), not as DomainError; still nothing is written."""
    call = prep(w)
    before = _snapshot()
    with pytest.raises(ValidationError) as excinfo:
        call()
    assert error_field in excinfo.value.message_dict
    assert _snapshot() == before
    assert "111222333" not in str(excinfo.value)


# ==============================================================================================
# Issue 16, point 12: one close shape
# ==============================================================================================

CLOSES = {
    "benefit_close": "benefit",
    "trajectory_close": "trajectory",
    "fraud_investigation_close": "fraud_investigation",
    "debt_case_close": "debt_case",
}


def test_point_12_the_four_close_services_have_one_shape():
    """Issue 16, point 12: benefit_end(*, benefit, end_date, end_reason), trajectory_close(*,
    trajectory, ended_on, result, cost), fraud_investigation_close(*, investigation, ended_on,
    result, claim_amount) and debt_case_close(*, case, closed_on, result) had four shapes and
    none took who closed. Now each is ``<record>_close(*, <record>, on, result, by, ...)``:
    keyword-only, the same four required parameters with the same types, then only optional
    values of its own."""
    assert not hasattr(services, "benefit_end")
    shapes = set()
    for name, record in CLOSES.items():
        parameters = list(inspect.signature(getattr(services, name)).parameters.values())
        assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters), name
        head, rest = parameters[:4], parameters[4:]
        assert head[0].name == record, name
        assert all(p.default is inspect.Parameter.empty for p in head), name
        assert all(p.default is not inspect.Parameter.empty for p in rest), name
        shapes.add(tuple((p.name, str(p.annotation)) for p in head[1:]))
    assert shapes == {(("on", "dt.date"), ("result", "str"), ("by", "User | None"))}


def _open_record(w, name):
    if name == "benefit_close":
        return w.benefit, w.resident
    if name == "trajectory_close":
        return _open_trajectory(w), w.resident
    if name == "fraud_investigation_close":
        return f.FraudInvestigationFactory(resident=w.resident), w.resident
    return f.DebtCaseFactory(resident=w.resident), w.resident


_RESULTS = {
    "benefit_close": "11",
    "trajectory_close": "afgerond",
    "fraud_investigation_close": "ongewijzigd",
    "debt_case_close": "ingetrokken",
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(CLOSES))
def test_point_12_a_close_records_who_closed_it(w, name):
    """Issue 16, point 12: outside a request (the import in a worker, a command) a close writes
    its own processing record naming who closed which record of which resident."""
    from privacy.models import ProcessingRecord
    from privacy.pseudonym import resident_pseudonym

    record, resident = _open_record(w, name)
    before = ProcessingRecord.objects.count()
    closed = getattr(services, name)(
        **{CLOSES[name]: record}, on=D(2025, 10, 1), result=_RESULTS[name], by=w.consulent
    )
    assert ProcessingRecord.objects.count() == before + 1
    log = ProcessingRecord.objects.order_by("-id").first()
    assert (log.user_id, log.username, log.action) == (
        w.consulent.pk,
        w.consulent.username,
        "update",
    )
    assert (log.object_type, log.object_id) == (closed._meta.model_name, str(closed.pk))
    assert log.subjects == [resident_pseudonym(resident.pk)]
    assert "afgesloten" in log.reason


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(CLOSES))
def test_point_12_a_close_in_a_request_is_part_of_the_request_record(w, name):
    """Issue 16, point 12: within a request the close writes no second record; it notes the
    resident, so the request's one record (the requesting user, route, any break-the-glass
    reason) names them."""
    from privacy.context import processing_context
    from privacy.models import ProcessingRecord

    record, resident = _open_record(w, name)
    before = ProcessingRecord.objects.count()
    with processing_context(route="test", method="POST") as ctx:
        getattr(services, name)(
            **{CLOSES[name]: record}, on=D(2025, 10, 1), result=_RESULTS[name], by=w.consulent
        )
    assert ProcessingRecord.objects.count() == before
    assert list(ctx.residents) == [resident.pk]


@pytest.mark.django_db
def test_close_listener_register__once_and_inside_the_transaction(monkeypatch, w):
    calls = []
    monkeypatch.setattr(services, "_close_listeners", [])

    def listener(*, record, resident_id, by):
        calls.append((record, resident_id, by, transaction.get_connection().in_atomic_block))

    services.close_listener_register(listener)
    services.close_listener_register(listener)
    assert services._close_listeners == [listener]
    case = f.DebtCaseFactory(resident=w.resident)
    services.debt_case_close(debt_case=case, on=D(2025, 10, 1), result="ingetrokken", by=None)
    assert calls == [(case, w.resident.pk, None, True)]
