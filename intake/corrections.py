"""Plan actions in the dossier's "Corrigeren" / "Intrekken" (issue 14): the correction form and
the entry in ``caseload.corrections`` (registered in ``intake.apps``). The rules are
``intake.services.plan_action_correct`` and ``plan_action_withdraw``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from caseload.corrections import FactKind, fact_kind_register
from caseload.forms import DATE, FactCorrectForm

from . import services
from .models import PlanAction


class PlanActionCorrectForm(FactCorrectForm):
    description = forms.CharField(label=_lazy("Actie"), max_length=300)
    due_on = forms.DateField(label=_lazy("Uiterste datum"), widget=DATE())
    owner = forms.ChoiceField(label=_lazy("Uitvoerder"), choices=PlanAction.Owner.choices)
    done_on = forms.DateField(label=_lazy("Afgerond op"), widget=DATE(), required=False)


def plan_action_of(resident, fact_id: int) -> PlanAction | None:
    """The action of one of ``resident``'s plans, or None (another resident's: as nonexistent)."""
    return PlanAction.objects.filter(plan__resident=resident, pk=fact_id).first()


def _describe(action: PlanAction) -> str:
    return _("Actie “%(description)s”, uiterlijk %(due)s (%(owner)s)") % {
        "description": action.description,
        "due": f"{action.due_on:%-d-%-m-%Y}",
        "owner": action.get_owner_display(),
    }


PLAN_ACTION_KIND = FactKind(
    code="planactie",
    label=_lazy("actie van het plan van aanpak"),
    get=plan_action_of,
    form=lambda data, fact: PlanActionCorrectForm(data, fact=fact),
    correct=lambda *, fact, **kw: services.plan_action_correct(action=fact, **kw),
    withdraw=lambda *, fact, **kw: services.plan_action_withdraw(action=fact, **kw),
    describe=_describe,
)


def register() -> None:
    fact_kind_register(PLAN_ACTION_KIND)
