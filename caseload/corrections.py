"""The kinds of recorded fact a person can correct or withdraw from the dossier (issue 14).

One entry per ``Correction.FactType``: how the dossier finds the fact of a resident, which form
corrects it and which services correct and withdraw it. The caseload registers its own facts
below; ``intake`` registers the plan actions at start-up (``intake.corrections``), so the one
pair of views (``caseload.views.fact_correct``/``fact_withdraw``) serves all of them without
``caseload`` importing ``intake``. Interface level: the views and the API use it; the rules live
in the services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from . import forms, selectors, services
from .models import (
    Application,
    ContactMoment,
    GroupAssignment,
    LadderScore,
    OutflowEvent,
    Trajectory,
)


@dataclass(frozen=True)
class FactKind:
    #: ``Correction.FactType`` value; also the URL segment (``/correctie/traject/12/...``)
    code: str
    label: Any
    #: ``get(resident, fact_id)``: the resident's fact, or None
    get: Callable[[Any, int], Any]
    #: ``form(data, fact=)``: the correction form, filled in with the fact's values
    form: Callable[..., forms.FactCorrectForm]
    #: ``correct(fact=, by=, reason=, changes=)``
    correct: Callable[..., Any]
    #: ``withdraw(fact=, by=, reason=)``
    withdraw: Callable[..., Any]
    #: a short Dutch description of the fact, for the pages
    describe: Callable[[Any], str]
    #: what the correction form cannot change and how to go about it instead (shown above it)
    correct_note: Any = ""


_kinds: dict[str, FactKind] = {}


def fact_kind_register(kind: FactKind) -> None:
    if kind.code in _kinds and _kinds[kind.code] != kind:
        raise ValueError(f"fact kind {kind.code!r} is registered twice")
    _kinds[kind.code] = kind


def fact_kind(code: str) -> FactKind | None:
    return _kinds.get(code)


def fact_kinds() -> dict[str, FactKind]:
    return dict(_kinds)


def _date(value) -> str:
    return f"{value:%-d-%-m-%Y}" if value else "—"


def _model_getter(model, related=()):
    def get(resident, fact_id: int):
        return selectors.resident_fact(
            resident=resident, model=model, fact_id=fact_id, related=related
        )

    return get


fact_kind_register(
    FactKind(
        code="traject",
        label=_lazy("traject"),
        get=_model_getter(Trajectory, ("instrument",)),
        form=lambda data, fact: forms.TrajectoryCorrectForm(
            data,
            fact=fact,
            instruments=selectors.instrument_list(active_only=False),
        ),
        correct=lambda *, fact, **kw: services.trajectory_correct(trajectory=fact, **kw),
        withdraw=lambda *, fact, **kw: services.trajectory_withdraw(trajectory=fact, **kw),
        describe=lambda t: (
            _("Traject %(name)s, start %(start)s, einde %(end)s")
            % {"name": t.instrument.name, "start": _date(t.started_on), "end": _date(t.ended_on)}
        ),
    )
)
fact_kind_register(
    FactKind(
        code="uitstroom",
        label=_lazy("uitstroom"),
        get=_model_getter(OutflowEvent),
        form=lambda data, fact: forms.OutflowCorrectForm(data, fact=fact),
        correct=lambda *, fact, **kw: services.outflow_correct(event=fact, **kw),
        withdraw=lambda *, fact, **kw: services.outflow_withdraw(event=fact, **kw),
        describe=lambda o: (
            _("%(kind)s op %(date)s") % {"kind": o.get_kind_display(), "date": _date(o.occurred_on)}
        ),
        # the walk of 3 December looked for the reason on this form
        correct_note=_lazy(
            "De soort (volledig of gedeeltelijk) en de reden van de uitstroom corrigeert u hier "
            "niet: een volledige uitstroom beëindigde de uitkering. Klopt de soort of de reden "
            "niet, trek de uitstroom dan in en leg hem opnieuw vast."
        ),
    )
)
fact_kind_register(
    FactKind(
        code="contact",
        label=_lazy("contactmoment"),
        get=_model_getter(ContactMoment),
        form=lambda data, fact: forms.ContactCorrectForm(data, fact=fact),
        correct=lambda *, fact, **kw: services.contact_correct(contact=fact, **kw),
        withdraw=lambda *, fact, **kw: services.contact_withdraw(contact=fact, **kw),
        describe=lambda c: (
            _("Contact (%(channel)s) op %(date)s")
            % {"channel": c.get_channel_display(), "date": _date(c.occurred_on)}
        ),
    )
)
fact_kind_register(
    FactKind(
        code="ladder",
        label=_lazy("participatieladder-score"),
        get=_model_getter(LadderScore),
        form=lambda data, fact: forms.LadderCorrectForm(data, fact=fact),
        correct=lambda *, fact, **kw: services.ladder_score_correct(score=fact, **kw),
        withdraw=lambda *, fact, **kw: services.ladder_score_withdraw(score=fact, **kw),
        describe=lambda s: (
            _("Participatieladder: %(step)s, gemeten op %(date)s")
            % {"step": s.get_step_display(), "date": _date(s.measured_on)}
        ),
    )
)
fact_kind_register(
    FactKind(
        code="groep",
        label=_lazy("groepsindeling"),
        get=_model_getter(GroupAssignment),
        form=lambda data, fact: forms.GroupCorrectForm(data, fact=fact),
        correct=lambda *, fact, **kw: services.group_assignment_correct(assignment=fact, **kw),
        withdraw=lambda *, fact, **kw: services.group_assignment_withdraw(assignment=fact, **kw),
        describe=lambda g: (
            _("%(group)s, besloten op %(date)s")
            % {"group": g.get_group_display(), "date": _date(g.decided_on)}
        ),
    )
)

fact_kind_register(
    FactKind(
        code="besluit",
        label=_lazy("besluit op aanvraag"),
        get=_model_getter(Application, ("benefit",)),
        form=lambda data, fact: forms.DecisionCorrectForm(data, fact=fact),
        correct=lambda *, fact, **kw: services.application_decision_correct(application=fact, **kw),
        withdraw=lambda *, fact, **kw: services.application_decision_withdraw(
            application=fact, **kw
        ),
        describe=lambda a: (
            _("%(outcome)s op %(date)s (aanvraag %(regime)s van %(received)s)")
            % {
                "outcome": a.get_outcome_display(),
                "date": _date(a.decided_on),
                "regime": a.get_regime_display(),
                "received": _date(a.received_on),
            }
        ),
        # the walk of 3 December: a wrong decision could be neither corrected nor withdrawn
        correct_note=_lazy(
            "De uitkomst van het besluit corrigeert u hier niet. Was de uitkomst verkeerd, trek "
            "het besluit dan in: de aanvraag is weer in behandeling (een uitkering die de "
            "toekenning opende, vervalt) en u beslist opnieuw."
        ),
    )
)
