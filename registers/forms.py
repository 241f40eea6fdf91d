"""Forms of the new-application flow (Dutch labels)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from caseload.models import HouseholdType, Regime
from common import clock
from common.bsn import is_valid_bsn
from common.forms import BaseForm, DutchIntegerField

POSTCODE = r"^[1-9][0-9]{3} ?[A-Za-z]{2}$"


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BsnStartForm(BaseForm):
    """Step 1: the BSN. Nine digits that fail the 11-test are "ongeldig", which is not the same
    as "not found"."""

    bsn = forms.CharField(
        label=_("BSN"),
        max_length=20,
        help_text=_("Negen cijfers. Eerst zoeken we in de caseload, dan in de BRP."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_bsn(self) -> str:
        value = "".join(self.cleaned_data["bsn"].split()).replace(".", "")
        if not (value.isascii() and value.isdigit() and len(value) == 9):
            raise ValidationError(_("Vul 9 cijfers in."), code="format")
        if not is_valid_bsn(value):
            raise ValidationError(
                _("Ongeldig BSN: dit nummer voldoet niet aan de elfproef. Controleer het nummer."),
                code="bsn_invalid",
            )
        return value


class ApplicationRegisterForm(BaseForm):
    """Step 2: resident, household and application. Details that came from the BRP are shown
    but not editable (``locked``); the rest the consulent fills in."""

    bsn = forms.CharField(label=_("BSN"), max_length=9, disabled=True, required=False)
    first_name = forms.CharField(label=_("Voornamen"), max_length=60)
    name_prefix = forms.CharField(label=_("Tussenvoegsel"), max_length=20, required=False)
    last_name = forms.CharField(label=_("Achternaam"), max_length=80)
    birth_date = forms.DateField(label=_("Geboortedatum"), widget=_date_widget())
    street = forms.CharField(label=_("Straat"), max_length=100)
    house_number = forms.CharField(
        label=_("Huisnummer"), max_length=10, help_text=_("Met huisletter en toevoeging.")
    )
    postcode = forms.RegexField(
        label=_("Postcode"),
        regex=POSTCODE,
        max_length=7,
        error_messages={"invalid": _("Vul een postcode in als 1234 AB.")},
    )
    city = forms.CharField(label=_("Woonplaats"), max_length=60)
    household_type = forms.ChoiceField(label=_("Leefvorm"), choices=HouseholdType.choices)
    children_count = DutchIntegerField(
        label=_("Aantal minderjarige kinderen"), min_value=0, max_value=20
    )
    register_partner = forms.BooleanField(
        label=_("Partner ook als inwoner registreren"), required=False
    )
    received_on = forms.DateField(label=_("Datum melding"), widget=_date_widget())
    regime = forms.ChoiceField(label=_("Regeling"), choices=Regime.choices)

    def __init__(self, *args, locked: tuple[str, ...] = (), has_partner: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        for name in locked:
            self.fields[name].disabled = True
        if not has_partner:
            del self.fields["register_partner"]

    def clean_postcode(self) -> str:
        value = self.cleaned_data["postcode"].replace(" ", "").upper()
        return f"{value[:4]} {value[4:]}"

    def clean_birth_date(self) -> dt.date:
        value = self.cleaned_data["birth_date"]
        if value >= clock.today():
            raise ValidationError(_("De geboortedatum moet in het verleden liggen."))
        return value

    def clean_received_on(self) -> dt.date:
        value = self.cleaned_data["received_on"]
        if value > clock.today():
            raise ValidationError(_("De datum van de melding mag niet in de toekomst liggen."))
        return value
