"""Forms of the indicator pages (validation only; saving goes through the services)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class TargetForm(forms.Form):
    baseline = forms.DecimalField(
        label=_("Nulmeting"), required=False, max_digits=14, decimal_places=2, min_value=0
    )
    target = forms.DecimalField(
        label=_("Streefwaarde"), required=False, max_digits=14, decimal_places=2, min_value=0
    )
    note = forms.CharField(label=_("Toelichting of bron"), required=False, max_length=200)
