from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from caseload.models import Municipality, User
from common.forms import BaseForm, FourEyesDecisionForm, TableFileField

from .models import ApiToken
from .scopes import SCOPES

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class TokenCreateForm(BaseForm):
    # Only service accounts: a sleutel for a person's account would let beheer act as that
    # person (personal tokens are issued on the command line by the technical administrator).
    account = forms.ModelChoiceField(
        label=_("Bestaand serviceaccount"),
        queryset=User.objects.filter(service_account__isnull=False, is_active=True).order_by(
            "username"
        ),
        required=False,
        help_text=_("Kies een serviceaccount, of laat leeg en maak hieronder een nieuw aan."),
    )
    new_service_account = forms.CharField(
        label=_("Nieuw serviceaccount (gebruikersnaam)"), max_length=150, required=False
    )
    municipality = forms.ModelChoiceField(
        label=_("Gemeente"),
        queryset=Municipality.objects.all(),
        required=False,
        help_text=_(
            "Verplicht voor een nieuw serviceaccount; beperkt de sleutel tot deze gemeente."
        ),
    )
    name = forms.CharField(
        label=_("Naam van de sleutel"),
        max_length=100,
        help_text=_("Bijvoorbeeld: koppeling uitkeringsadministratie."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"), choices=list(SCOPES.items()), widget=forms.CheckboxSelectMultiple
    )
    expires_on = forms.DateField(
        label=_("Verloopt op (optioneel)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self):
        data = super().clean()
        if bool(data.get("account")) == bool(data.get("new_service_account")):
            raise forms.ValidationError(
                _("Kies een bestaand serviceaccount óf vul een nieuw serviceaccount in.")
            )
        if data.get("new_service_account") and not data.get("municipality"):
            self.add_error("municipality", _("Kies de gemeente van het serviceaccount."))
        return data


class TokenDecisionForm(FourEyesDecisionForm):
    """The privacy officer's decision on one pending key."""

    token = forms.ModelChoiceField(
        label=_("Sleutel"),
        queryset=ApiToken.objects.pending(),
        error_messages={"invalid_choice": _("Deze sleutel wacht niet (meer) op goedkeuring.")},
    )
    field_order = ["token", "decision"]


class ImportForm(BaseForm):
    municipality = forms.ModelChoiceField(label=_("Gemeente"), queryset=Municipality.objects.all())
    file = TableFileField(
        label=_("Bestand (CSV of XLSX)"),
        help_text=_("Eerste regel: kolomnamen volgens de kolomindeling hieronder."),
        max_bytes=MAX_UPLOAD_BYTES,
    )
