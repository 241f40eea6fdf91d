"""Forms of the matching pages. The services hold the rules; a form collects what was typed and
shows a service's refusal at the field it names (``add_domain_error``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from caseload.models import OutflowEvent
from common.forms import BaseForm, DutchDecimalField, required_choice

YES_NO_UNKNOWN = [("", _("Nog niet gevraagd")), ("ja", _("Ja")), ("nee", _("Nee"))]


def DATE() -> forms.DateInput:  # noqa: N802 - a widget factory, like caseload.forms.DATE
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProfileForm(BaseForm):
    sought = forms.CharField(
        label=_("Gezochte beroepen (ISCO-08)"),
        required=False,
        max_length=60,
        help_text=_(
            "Codes van vier cijfers, gescheiden door komma's, hoogstens vijf; bijvoorbeeld "
            "5223, 9112. Zie de lijst met beroepen onder het formulier."
        ),
    )
    no_work_experience = forms.BooleanField(label=_("Geen werkervaring"), required=False)
    driving_licence = forms.ChoiceField(
        label=_("Rijbewijs B"), choices=YES_NO_UNKNOWN, required=False
    )
    travel_range_km = forms.IntegerField(
        label=_("Reisafstand (km)"),
        required=False,
        min_value=0,
        max_value=200,
        help_text=_("Hoe ver de inwoner wil reizen naar werk, 0 tot en met 200 km."),
    )
    hours_available = DutchDecimalField(
        label=_("Beschikbare uren per week"),
        required=False,
        max_digits=4,
        decimal_places=1,
        help_text=_("Meer dan 0, hoogstens 40."),
    )

    def sought_codes(self) -> list[str]:
        raw = self.cleaned_data.get("sought") or ""
        return [c.strip() for c in raw.replace(";", ",").split(",") if c.strip()]

    def driving_licence_value(self) -> bool | None:
        return {"ja": True, "nee": False}.get(self.cleaned_data.get("driving_licence") or "")


class ExperienceForm(BaseForm):
    occupation = forms.RegexField(
        label=_("Beroep (ISCO-08-code)"),
        regex=r"^[0-9]{4}$",
        error_messages={"invalid": _("Vul een code van vier cijfers in, bijvoorbeeld 5223.")},
    )
    years = DutchDecimalField(
        label=_("Jaren ervaring"), max_digits=3, decimal_places=1, help_text=_("Bijvoorbeeld 2,5.")
    )


class ConsentForm(BaseForm):
    given_on = forms.DateField(label=_("Toestemming gegeven op"), widget=DATE())


class ProposeForm(BaseForm):
    profile = forms.IntegerField(widget=forms.HiddenInput)
    motivation = forms.CharField(
        label=_("Motivatie"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CandidateFilterForm(BaseForm):
    group_12 = forms.BooleanField(label=_("Alleen groep 1 en 2"), required=False)
    banenafspraak = forms.BooleanField(
        label=_("Alleen doelgroepregister (banenafspraak)"), required=False
    )
    within_range = forms.BooleanField(
        label=_("Alleen binnen de reisafstand van de inwoner"),
        required=False,
        help_text=_("Een onbekende afstand of reisafstand telt als binnen."),
    )


class OccupationSearchForm(BaseForm):
    q = forms.CharField(
        label=_("Zoek op naam of code"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_(
            "Bijvoorbeeld 'verkoop' of '52'; de code zet u in het profiel of bij de werkervaring."
        ),
    )

    def query(self) -> str:
        return self.cleaned_data.get("q", "").strip() if self.is_valid() else ""


class VacancyFilterForm(BaseForm):
    banenafspraak = forms.BooleanField(
        label=_("Alleen vacatures voor de banenafspraak"), required=False
    )
    consented = forms.BooleanField(label=_("Alleen als de inwoner toestemming gaf"), required=False)
    within_range = forms.BooleanField(
        label=_("Alleen binnen de reisafstand van de inwoner"),
        required=False,
        help_text=_("Een onbekende afstand of reisafstand telt als binnen."),
    )


class AnswerForm(BaseForm):
    answer = forms.ChoiceField(
        label=_("Antwoord van de werkgever"),
        choices=[("aangenomen", _("Aangenomen")), ("afgewezen", _("Afgewezen"))],
        widget=forms.RadioSelect,
    )
    answered_on = forms.DateField(label=_("Datum antwoord"), widget=DATE())
    decline_reason = forms.CharField(
        label=_("Reden afwijzing"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Verplicht bij een afwijzing."),
    )


class PlacementForm(BaseForm):
    start_date = forms.DateField(label=_("Startdatum"), widget=DATE())
    hours_per_week = DutchDecimalField(
        label=_("Uren per week"),
        max_digits=4,
        decimal_places=1,
        help_text=_("Meer dan 0, hoogstens 40."),
    )
    # both record a fact (the outflow in the dossier): they start empty, so a browser does not
    # nothing chosen for the accountmanager: "volledige uitstroom" and the first contract stood
    # selected (the walk of 3 December, night)
    outflow_kind = required_choice(
        _("Soort uitstroom"),
        OutflowEvent.Kind.choices,
        empty=_("— kies de soort uitstroom —"),
        required=_("Kies volledige of gedeeltelijke uitstroom."),
    )
    contract_type = required_choice(
        _("Soort contract"),
        OutflowEvent.ContractType.choices,
        empty=_("— kies het soort contract —"),
        required=_("Kies het soort contract."),
    )
    loonkostensubsidie = forms.BooleanField(label=_("Met loonkostensubsidie"), required=False)
    proefplaatsing = forms.BooleanField(label=_("Proefplaatsing"), required=False)
    jobcoach = forms.BooleanField(label=_("Met jobcoach"), required=False)
