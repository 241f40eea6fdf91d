"""Forms: validate input only; the views call one service or selector with the cleaned data."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from caseload.models import Regime
from common.forms import BaseForm, DutchDecimalField, DutchIntegerField, TableFileField

from . import payments as payment_format
from .models import BudgetAllocation, JournalCorrection

MONEY = {"max_digits": 14, "decimal_places": 2}


#: a year typed as letters gets a year as its example (the walk of 4 December: "bijvoorbeeld 12")
YEAR_MESSAGES = {"invalid": _("Vul een jaartal in, bijvoorbeeld 2026.")}


class BudgetForm(BaseForm):
    """The finance pages' base: amounts, numbers and dates are typed as text (a Dutch amount
    such as ``1.000,50`` or a date as ``dd-mm-jjjj``), validated by the server."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, (forms.NumberInput, forms.DateInput)):
                inputmode = "numeric" if isinstance(field, forms.IntegerField) else "decimal"
                if isinstance(field.widget, forms.DateInput):
                    inputmode = "text"
                attrs = {
                    k: v for k, v in field.widget.attrs.items() if k not in ("min", "max", "step")
                }
                attrs["inputmode"] = inputmode
                field.widget = forms.TextInput(attrs=attrs)


class AllocationForm(BudgetForm):
    moment = forms.ChoiceField(label=_("Moment"), choices=BudgetAllocation.Moment.choices)
    decided_on = forms.DateField(
        label=_("Datum (dd-mm-jjjj)"), input_formats=["%d-%m-%Y", "%Y-%m-%d"]
    )
    amount = DutchDecimalField(label=_("Budget (euro)"), min_value=Decimal("0.01"), **MONEY)
    loonkostensubsidie = DutchDecimalField(
        label=_("Waarvan loonkostensubsidie (euro)"), min_value=0, initial=0, **MONEY
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("amount") is not None
            and data.get("loonkostensubsidie") is not None
            and data["loonkostensubsidie"] > data["amount"]
        ):
            self.add_error(
                "loonkostensubsidie", _("Het deel loonkostensubsidie is groter dan het budget.")
            )
        return data


class CorrectionForm(BudgetForm):
    regime = forms.ChoiceField(label=_("Regeling"), choices=Regime.choices)
    month = DutchIntegerField(
        grouping=False,
        label=_("Maand (1-12)"),
        min_value=1,
        max_value=12,
        error_messages={"invalid": _("Vul een maand in als getal van 1 tot en met 12.")},
    )
    kind = forms.ChoiceField(label=_("Soort"), choices=JournalCorrection.Kind.choices)
    amount = DutchDecimalField(label=_("Bedrag (euro, negatief voor een verlaging)"), **MONEY)
    reason = forms.CharField(label=_("Reden"), max_length=500)


class SimulatorForm(BudgetForm):
    year = DutchIntegerField(
        grouping=False,
        label=_("Jaar"),
        min_value=2016,
        max_value=2100,
        error_messages=YEAR_MESSAGES,
    )
    budget = DutchDecimalField(label=_("Definitief budget (euro)"), min_value=Decimal("1"), **MONEY)
    netto_lasten = DutchDecimalField(label=_("Netto lasten (euro)"), min_value=0, **MONEY)
    deficit_t_minus_2 = DutchDecimalField(
        label=_("Tekort jaar T-2 (euro, overschot negatief)"), initial=0, **MONEY
    )
    deficit_t_minus_1 = DutchDecimalField(
        label=_("Tekort jaar T-1 (euro, overschot negatief)"), initial=0, **MONEY
    )

    @classmethod
    def prefilled(cls, inputs) -> SimulatorForm:
        """The form filled with the selected year's own figures
        (``selectors.vangnet_inputs``), each field saying where its figure comes from."""
        form = cls(
            initial={
                "year": inputs.year,
                "budget": inputs.budget,
                "netto_lasten": inputs.netto_lasten,
                "deficit_t_minus_2": _or_zero(inputs.deficit_t_minus_2),
                "deficit_t_minus_1": _or_zero(inputs.deficit_t_minus_1),
            }
        )
        form.describe(inputs)
        return form

    def describe(self, inputs) -> None:
        """Each amount field's help text: the source of the pre-filled figure."""
        for name in ("budget", "netto_lasten", "deficit_t_minus_2", "deficit_t_minus_1"):
            self.fields[name].help_text = _("Vooraf ingevuld: %(source)s") % {
                "source": getattr(inputs, f"{name}_source")
            }


#: a planned outflow count of the business case: at most 1.000.000, more than all Dutch
#: bijstand (the walk of 3 December: 10^20 outflows were worked out)
OUTFLOW_COUNT = {
    "min_value": 0,
    "max_value": 1_000_000,
    "initial": 0,
    "error_messages": {"max_value": _("Vul hoogstens 1.000.000 in.")},
}


class BusinessCaseForm(BudgetForm):
    average_cost = DutchDecimalField(
        label=_("Gemiddelde kosten uitkering per jaar (euro)"), min_value=Decimal("1"), **MONEY
    )
    full_count = DutchIntegerField(label=_("Aantal volledige uitstroom"), **OUTFLOW_COUNT)
    partial_count = DutchIntegerField(label=_("Aantal gedeeltelijke uitstroom"), **OUTFLOW_COUNT)
    partial_percentage = DutchDecimalField(
        label=_("Besparing per gedeeltelijke uitstroom (% van de uitkering)"),
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        initial=50,
    )
    budgeted = DutchDecimalField(
        label=_("Begrote (afgeronde) besparing ter vergelijking (euro, optioneel)"),
        required=False,
        min_value=0,
        **MONEY,
    )


class AverageCostForm(BudgetForm):
    """Functioneel beheer: the year's average cost per benefit and its source."""

    average_cost = DutchDecimalField(
        label=_("Gemiddelde kosten uitkering per jaar (euro)"),
        min_value=Decimal("0.01"),
        max_digits=9,
        decimal_places=2,
    )
    source = forms.CharField(
        label=_("Bron"),
        max_length=200,
        help_text=_("Bijvoorbeeld: Plan van aanpak Hilversum 2019-2021."),
    )


class LedgerUploadForm(BudgetForm):
    file = TableFileField(label=_("Grootboekexport (CSV of XLSX)"))


class ReportForm(BudgetForm):
    year = DutchIntegerField(
        grouping=False,
        label=_("Jaar"),
        min_value=2000,
        max_value=2100,
        error_messages=YEAR_MESSAGES,
    )


class PaymentUploadForm(BudgetForm):
    file = TableFileField(label=_("Betalingsbestand uit de uitkeringsadministratie (CSV of XLSX)"))


class PaymentMappingForm(BudgetForm):
    """The header name of each column of the payments format in the municipality's export."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for column in payment_format.COLUMNS:
            self.fields[column] = forms.CharField(
                label=payment_format.COLUMN_LABELS[column],
                max_length=60,
                required=False,
                help_text=_("Kolomnaam in uw bestand; leeg is \u201c%(name)s\u201d.")
                % {"name": column},
            )


class ReconciliationSignForm(BudgetForm):
    """Sign off the difference of one month and regime, with a note."""

    month = forms.DateField(widget=forms.HiddenInput, input_formats=["%Y-%m-%d"])
    regime = forms.ChoiceField(widget=forms.HiddenInput, choices=Regime.choices)
    note = forms.CharField(
        label=_("Toelichting op het verschil"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _or_zero(value: Decimal | None) -> Decimal:
    """A tekort that is not known counts as 0 (the vangnet check says so in its steps)."""
    return Decimal("0.00") if value is None else value
