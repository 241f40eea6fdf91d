"""Forms of the intake steps and the plan van aanpak.

Forms validate input shape (required, choices, dates) and show errors next to their fields; the
business rules are checked (again) by the services, whose ``DomainError`` the views attach to the
field it names. Labels are stable: the browser tests select inputs by them (docs/intake.md).
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from caseload.models import EducationLevel, Group, LanguageLevel
from caseload.services import NO_STARTKWALIFICATIE_LEVELS
from common import clock
from common.exceptions import DomainError
from common.forms import BaseForm, DutchDecimalField, FixedFormSet

from .models import Capacity, PlanAction, PlanVanAanpak, Score

CAPACITY_NAMES = {
    Capacity.WORK: _("werkvermogen"),
    Capacity.FINANCIAL: _("financieel vermogen"),
    Capacity.PHYSICAL: _("fysiek vermogen"),
    Capacity.MENTAL: _("mentaal vermogen"),
    Capacity.SOCIAL: _("sociaal vermogen"),
}

CAPACITY_HELP = {
    Capacity.WORK: _("Kan en wil de inwoner werken, hoeveel uur, welk soort werk."),
    Capacity.FINANCIAL: _("Inkomen, vaste lasten, schulden en hoe de inwoner daarmee omgaat."),
    Capacity.PHYSICAL: _(
        "Wat de inwoner lichamelijk kan (bijv. 'kan 4 uur per dag zittend werk'). "
        "Geen diagnoses vastleggen."
    ),
    Capacity.MENTAL: _(
        "Belastbaarheid, concentratie, zelfredzaamheid als functionele conclusie. "
        "Geen diagnoses vastleggen."
    ),
    Capacity.SOCIAL: _("Netwerk, taal, zorgtaken, kinderopvang."),
}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _score_choices():
    return [("", _("Kies een score"))] + [(str(v), label) for v, label in Score.choices]


class CapacityForm(BaseForm):
    """Steps 1-5. Labels: "Score <vermogen>", "Toelichting <vermogen>"."""

    score = forms.TypedChoiceField(coerce=int, choices=_score_choices)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, capacity: str, **kwargs):
        super().__init__(*args, **kwargs)
        name = CAPACITY_NAMES[capacity]
        self.fields["score"].label = _("Score %(name)s") % {"name": name}
        # a posted score outside 1-5 gets the same words (the walk of 4 December)
        for key in ("required", "invalid_choice"):
            self.fields["score"].error_messages[key] = _("Kies een score van 1 tot en met 5.")
        self.fields["notes"].label = _("Toelichting %(name)s") % {"name": name}
        self.fields["notes"].help_text = CAPACITY_HELP[capacity]
        self.fields["notes"].widget.attrs["aria-describedby"] = "id_notes_help"


class BarriersForm(BaseForm):
    """Step 6. Checkboxes "Schulden", "Taal", "Kinderopvang", "Gezondheid", "Huisvesting" with
    "Toelichting <drempel>"."""

    has_debts = forms.BooleanField(label=_("Schulden"), required=False)
    debts_notes = forms.CharField(
        label=_("Toelichting schulden"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    has_language_barrier = forms.BooleanField(label=_("Taal"), required=False)
    language_notes = forms.CharField(
        label=_("Toelichting taal"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    has_childcare_barrier = forms.BooleanField(label=_("Kinderopvang"), required=False)
    childcare_notes = forms.CharField(
        label=_("Toelichting kinderopvang"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    has_health_barrier = forms.BooleanField(label=_("Gezondheid"), required=False)
    health_notes = forms.CharField(
        label=_("Toelichting gezondheid"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Alleen wat de inwoner wel en niet kan; geen diagnoses."),
    )
    has_housing_barrier = forms.BooleanField(label=_("Huisvesting"), required=False)
    housing_notes = forms.CharField(
        label=_("Toelichting huisvesting"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class EducationForm(BaseForm):
    """Step 7. Labels: "Opleidingsniveau", "Startkwalificatie behaald", "Taalniveau Nederlands",
    "Wensen van de inwoner"."""

    education_level = forms.ChoiceField(
        label=_("Opleidingsniveau"),
        choices=[("", _("Kies het opleidingsniveau"))] + list(EducationLevel.choices),
        error_messages={"required": _("Kies het opleidingsniveau.")},
    )
    has_startkwalificatie = forms.BooleanField(
        label=_("Startkwalificatie behaald"),
        required=False,
        help_text=_("Een diploma op minimaal mbo-niveau 2, havo of vwo."),
    )
    language_level = forms.ChoiceField(
        label=_("Taalniveau Nederlands"),
        choices=[("", _("Onbekend"))] + list(LanguageLevel.choices),
        required=False,
    )
    wishes = forms.CharField(
        label=_("Wensen van de inwoner"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Wat wil de inwoner zelf: werk, scholing, uren, sector."),
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("has_startkwalificatie")
            and data.get("education_level") in NO_STARTKWALIFICATIE_LEVELS
        ):
            self.add_error(
                "has_startkwalificatie",
                _("Met dit opleidingsniveau is er geen startkwalificatie."),
            )
        return data


class ProposalForm(BaseForm):
    """Step 8. Labels: "Vastgestelde groep", "Reden van afwijken van het voorstel"."""

    confirmed_group = forms.TypedChoiceField(
        label=_("Vastgestelde groep"),
        coerce=int,
        choices=[(str(v), label) for v, label in Group.choices],
        error_messages={"required": _("Kies groep 1, 2 of 3.")},
    )
    override_reason = forms.CharField(
        label=_("Reden van afwijken van het voorstel"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Verplicht als u een andere groep kiest dan voorgesteld."),
    )

    def __init__(self, *args, proposed_group: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposed_group = proposed_group
        if proposed_group is not None:
            self.fields["confirmed_group"].initial = str(proposed_group)

    def clean(self):
        data = super().clean()
        group = data.get("confirmed_group")
        if (
            self.proposed_group is not None
            and group is not None
            and group != self.proposed_group
            and not (data.get("override_reason") or "").strip()
        ):
            self.add_error(
                "override_reason",
                _("U wijkt af van het voorstel (groep %(group)s). Geef de reden daarvan.")
                % {"group": self.proposed_group},
            )
        return data


PLAN_ACTION_ROWS = 3


class PlanActionRowForm(BaseForm):
    """Action ``number`` of a new plan. Field names and ids stay ``action_<n>_description``,
    ``action_<n>_due_on``, ``action_<n>_owner``; labels "Actie n", "Uiterste datum actie n",
    "Uitvoerder actie n". An empty row (no description, no date) is no action."""

    description = forms.CharField(required=False, max_length=300)
    due_on = forms.DateField(
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Vul een geldige datum in.")},
    )
    # not required: a row is optional, and an empty owner is the resident (``action``); the
    # walk of 4 December read "Uitvoerder actie 2/3 (verplicht)" on rows that may stay empty
    owner = forms.ChoiceField(
        choices=PlanAction.Owner.choices, initial=PlanAction.Owner.RESIDENT, required=False
    )

    def __init__(self, *args, number: int, **kwargs):
        self.number = number
        self.field_prefix = f"action_{number}_"
        kwargs.pop("prefix", None)
        super().__init__(*args, **kwargs)
        self.fields["description"].label = _("Actie %(n)s") % {"n": number}
        self.fields["due_on"].label = _("Uiterste datum actie %(n)s") % {"n": number}
        self.fields["owner"].label = _("Uitvoerder actie %(n)s") % {"n": number}

    def add_prefix(self, field_name: str) -> str:
        return f"{self.field_prefix}{field_name}"

    def clean(self):
        data = super().clean()
        description = (data.get("description") or "").strip()
        due_on = data.get("due_on")
        if not description and due_on is None:
            return data
        if not description and "description" not in self.errors:
            self.add_error("description", _("Beschrijf de actie."))
        if due_on is None and "due_on" not in self.errors:
            self.add_error("due_on", _("Vul de uiterste datum in."))
        elif due_on is not None and due_on < clock.today():
            self.add_error("due_on", _("De uiterste datum mag niet in het verleden liggen."))
        return data

    def action(self) -> dict | None:
        """The action as the service takes it, or None for an empty row."""
        data = getattr(self, "cleaned_data", {})
        description = (data.get("description") or "").strip()
        due_on = data.get("due_on")
        if not description and due_on is None:
            return None
        return {
            "description": description,
            "due_on": due_on,
            "owner": data.get("owner") or PlanAction.Owner.RESIDENT,
        }


class BasePlanActionFormSet(FixedFormSet):
    """The three action rows of a new plan van aanpak."""

    def row_count(self) -> int:
        return PLAN_ACTION_ROWS

    def get_form_kwargs(self, index):
        return {"number": index + 1}


PlanActionFormSet = forms.formset_factory(PlanActionRowForm, formset=BasePlanActionFormSet, extra=0)


class PlanForm(BaseForm):
    """The plan van aanpak with up to three actions. Labels: "Doelen", "Eigen inzet van de
    inwoner (wederkerigheid)", "Verwachte uitstroom", "Deel van de uitkering dat vervalt (%)",
    and per row n: "Actie n", "Uiterste datum actie n", "Uitvoerder actie n"."""

    goals = forms.CharField(
        label=_("Doelen"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Beschrijf de doelen van het plan.")},
    )
    commitments = forms.CharField(
        label=_("Eigen inzet van de inwoner (wederkerigheid)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Beschrijf wat de inwoner zelf doet (wederkerigheid).")},
        help_text=_("Wat de inwoner zelf doet, ook als tegenprestatie voor de uitkering."),
    )
    expected_outflow = forms.ChoiceField(
        label=_("Verwachte uitstroom"),
        choices=PlanVanAanpak.ExpectedOutflow.choices,
        initial=PlanVanAanpak.ExpectedOutflow.NONE,
    )
    partial_percentage = DutchDecimalField(
        label=_("Deel van de uitkering dat vervalt (%)"),
        required=False,
        min_value=Decimal("0.1"),
        max_value=Decimal("99.9"),
        decimal_places=1,
        help_text=_("Verplicht bij gedeeltelijke uitstroom, bijvoorbeeld 50."),
        error_messages={
            "min_value": _("Vul een percentage groter dan 0 in."),
            "max_value": _("Vul een percentage kleiner dan 100 in."),
            "invalid": _("Vul een getal in, bijvoorbeeld 50."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.actions = PlanActionFormSet(self.data if self.is_bound else None)

    def action_rows(self):
        return [
            {
                "n": row.number,
                "description": row["description"],
                "due_on": row["due_on"],
                "owner": row["owner"],
            }
            for row in self.actions
        ]

    def is_valid(self) -> bool:
        valid = super().is_valid()
        return self.actions.is_valid() and valid

    def add_domain_error(self, exc: DomainError) -> None:
        """A service's error on ``action_<n>_<field>`` goes to that row of the actions."""
        for row in self.actions:
            name = (exc.field or "").removeprefix(row.field_prefix)
            if exc.field and exc.field.startswith(row.field_prefix) and name in row.fields:
                row.add_error(name, exc.message)
                return
        super().add_domain_error(exc)

    def clean(self):
        data = super().clean()
        if data.get("expected_outflow") == PlanVanAanpak.ExpectedOutflow.PARTIAL and (
            data.get("partial_percentage") is None and "partial_percentage" not in self.errors
        ):
            self.add_error(
                "partial_percentage",
                _("Vul bij gedeeltelijke uitstroom in welk deel van de uitkering vervalt."),
            )
        self.actions.is_valid()
        data["actions"] = [row.action() for row in self.actions if row.action() is not None]
        return data

    def partial_fraction(self) -> Decimal | None:
        value = self.cleaned_data.get("partial_percentage")
        if self.cleaned_data.get("expected_outflow") != PlanVanAanpak.ExpectedOutflow.PARTIAL:
            return None
        return None if value is None else value / Decimal(100)


class PlanActionForm(BaseForm):
    """Add one action to an existing plan. Labels: "Nieuwe actie", "Uiterste datum nieuwe
    actie", "Uitvoerder nieuwe actie"."""

    description = forms.CharField(
        label=_("Nieuwe actie"),
        max_length=300,
        error_messages={"required": _("Beschrijf de actie.")},
    )
    due_on = forms.DateField(
        label=_("Uiterste datum nieuwe actie"),
        widget=DateInput(),
        error_messages={
            "required": _("Vul de uiterste datum in."),
            "invalid": _("Vul een geldige datum in."),
        },
    )
    owner = forms.ChoiceField(
        label=_("Uitvoerder nieuwe actie"),
        choices=PlanAction.Owner.choices,
        initial=PlanAction.Owner.RESIDENT,
    )


class PlanSignForm(BaseForm):
    """The date the resident signed the plan van aanpak (issue 14)."""

    signed_on = forms.DateField(
        label=_("Datum ondertekening"),
        widget=DateInput(),
        help_text=_("De dag waarop de inwoner het afgedrukte plan heeft ondertekend."),
        error_messages={
            "required": _("Vul de datum van ondertekening in."),
            "invalid": _("Vul een geldige datum in."),
        },
    )
