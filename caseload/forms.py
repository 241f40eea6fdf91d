"""Workspace forms (Dutch labels); views hand cleaned data to one service each."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import BaseForm, DutchDecimalField, widget_class

from .models import ContactMoment, Group, LadderScore, OutflowEvent, Trajectory


def DATE():  # noqa: N802 - a fresh widget per field
    return forms.DateInput(attrs={"type": "date"})


def style_fields(form: forms.Form) -> None:
    """Utrecht classes on every widget of ``form`` (for forms that are not a ``BaseForm``, such
    as a filter set's)."""
    for field in form.fields.values():
        field.widget.attrs["class"] = widget_class(field.widget)


class StyledForm(BaseForm):
    """The workspace forms' base: :class:`common.forms.BaseForm` (Utrecht classes; Django adds
    ``aria-invalid`` and ``aria-describedby`` to a field with an error)."""


class BsnSearchForm(StyledForm):
    bsn = forms.RegexField(
        label=_("BSN"),
        regex=r"^[0-9]{9}$",
        max_length=9,
        error_messages={"invalid": _("Vul 9 cijfers in.")},
    )


class TrajectoryStartForm(StyledForm):
    instrument = forms.ModelChoiceField(label=_("Instrument"), queryset=None)
    provider = forms.CharField(label=_("Aanbieder"), max_length=100, required=False)
    started_on = forms.DateField(label=_("Startdatum"), widget=DATE())
    planned_end_on = forms.DateField(label=_("Geplande einddatum"), widget=DATE(), required=False)

    def __init__(self, *args, instruments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = instruments


class TrajectoryCloseForm(StyledForm):
    ended_on = forms.DateField(label=_("Einddatum"), widget=DATE())
    result = forms.ChoiceField(label=_("Resultaat"), choices=Trajectory.Result.choices)


class OutflowForm(StyledForm):
    kind = forms.ChoiceField(label=_("Soort uitstroom"), choices=OutflowEvent.Kind.choices)
    reason = forms.ChoiceField(label=_("Reden"), choices=OutflowEvent.Reason.choices)
    occurred_on = forms.DateField(label=_("Datum"), widget=DATE())
    hours_per_week = DutchDecimalField(
        label=_("Uren per week"), max_digits=4, decimal_places=1, required=False
    )
    employer = forms.CharField(label=_("Werkgever"), max_length=120, required=False)
    sector = forms.CharField(label=_("Sector"), max_length=80, required=False)
    contract_type = forms.ChoiceField(
        label=_("Contract"),
        choices=[("", "---------"), *OutflowEvent.ContractType.choices],
        required=False,
    )
    is_subsidised = forms.BooleanField(label=_("Gesubsidieerd"), required=False)
    is_hours_increase = forms.BooleanField(label=_("Urenuitbreiding"), required=False)


class ContactForm(StyledForm):
    occurred_on = forms.DateField(label=_("Datum"), widget=DATE())
    channel = forms.ChoiceField(label=_("Kanaal"), choices=ContactMoment.Channel.choices)
    summary = forms.CharField(label=_("Verslag"), widget=forms.Textarea, required=False)


class LadderForm(StyledForm):
    measured_on = forms.DateField(label=_("Datum meting"), widget=DATE())
    step = forms.TypedChoiceField(label=_("Trede"), choices=LadderScore.Step.choices, coerce=int)


class GroupChangeForm(StyledForm):
    group = forms.TypedChoiceField(label=_("Groep"), choices=Group.choices, coerce=int)
    reason = forms.CharField(label=_("Reden"), widget=forms.Textarea)


class ReassignForm(StyledForm):
    team = forms.ModelChoiceField(label=_("Team"), queryset=None)
    consulent = forms.ModelChoiceField(label=_("Consulent"), queryset=None, required=False)

    def __init__(self, *args, teams=None, consulenten=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["consulent"].queryset = consulenten
