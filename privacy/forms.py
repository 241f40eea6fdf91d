"""Forms of the privacy pages (Dutch labels and messages)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from caseload.models import User
from common.bsn import is_valid_bsn
from common.forms import BaseForm, FourEyesDecisionForm

from .policy import BREAK_GLASS_MIN_REASON


class BreakGlassForm(BaseForm):
    reason = forms.CharField(
        label=_("Waarom heeft u dit dossier nodig?"),
        help_text=_(
            "Minstens %(n)s tekens. Uw reden wordt vastgelegd en besproken met uw teamleider en "
            "de privacy officer."
        )
        % {"n": BREAK_GLASS_MIN_REASON},
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1000,
        error_messages={"required": _("Geef een reden op.")},
    )
    next = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_reason(self) -> str:
        reason = " ".join(self.cleaned_data["reason"].split())
        if len(reason) < BREAK_GLASS_MIN_REASON:
            raise forms.ValidationError(
                _("Geef een reden van minstens %(n)s tekens."), params={"n": BREAK_GLASS_MIN_REASON}
            )
        if len(set(reason.replace(" ", "").lower())) < 5:
            raise forms.ValidationError(_("Beschrijf in woorden waarom u het dossier nodig heeft."))
        return reason


class ResidentLogSearchForm(BaseForm):
    """Search the log for one resident: by BSN (posted, never in a URL) or by resident number."""

    bsn = forms.CharField(label=_("BSN"), max_length=9, required=False)
    resident_id = forms.IntegerField(label=_("Inwonernummer"), min_value=1, required=False)

    def clean_bsn(self) -> str:
        bsn = self.cleaned_data["bsn"].strip()
        if bsn and not (bsn.isascii() and bsn.isdigit() and len(bsn) == 9):
            # what every BSN field says to letters or too few digits (the walk of 4 December)
            raise forms.ValidationError(_("Vul 9 cijfers in."))
        if bsn and not is_valid_bsn(bsn):
            raise forms.ValidationError(_("Dit is geen geldig BSN (elfproef)."))
        return bsn

    def clean(self):
        data = super().clean()
        if not data.get("bsn") and not data.get("resident_id") and not self.errors:
            raise forms.ValidationError(_("Vul een BSN of een inwonernummer in."))
        return data


class StaffLogSearchForm(BaseForm):
    medewerker = forms.CharField(label=_("Gebruikersnaam of medewerkernummer"), max_length=150)


class AccessDecisionForm(FourEyesDecisionForm):
    """The privacy officer's decision on one account whose access waits for approval."""

    account = forms.ModelChoiceField(
        label=_("Medewerker"),
        queryset=User.objects.filter(access_pending=True),
        error_messages={
            "invalid_choice": _("De toegang van dit account wacht niet (meer) op goedkeuring.")
        },
    )
    #: the change the officer saw (``User.access_stamp``): a later change is decided anew
    changed_at = forms.CharField(widget=forms.HiddenInput, required=False)
    field_order = ["account", "decision", "changed_at"]
