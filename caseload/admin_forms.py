"""Forms of the staff admin (/beheer/caseload/user/, issue #12 finding 1).

Neither form has a password or ``is_superuser``: a password is set by its owner through an e-mailed
reset link, a superuser only exists through ``createsuperuser``. Which of the remaining fields a
form shows depends on who edits (``caseload.admin.UserAdmin.get_fieldsets``): permissions, groups
and staff access only on a technical administrator's form.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import UsernameField
from django.utils.translation import gettext_lazy as _

from common.exceptions import DomainError

from .models import User
from .services import user_municipality_check

MUNICIPALITY_HELP = _(
    "Alleen voor een manager, financieel medewerker of accountmanager WSP: die ziet dan alleen "
    "deze gemeente. Leeg: alle gemeenten. Een consulent of teamleider werkt voor de gemeente "
    "van het team."
)


def _check_municipality(form: forms.ModelForm, cleaned: dict) -> None:
    """The municipality an account is bound to must fit its role (issue 17): checked here so the
    form comes back with the Dutch message at the field and what was typed; the service checks
    it again on save."""
    if "municipality" not in form.fields or "role" not in cleaned:
        return
    try:
        user_municipality_check(
            role=cleaned["role"],
            team=cleaned.get("team"),
            municipality=cleaned.get("municipality"),
        )
    except DomainError as exc:
        form.add_error("municipality", exc.message)


class StaffChangeForm(forms.ModelForm):
    class Meta:
        model = User
        fields = (
            "username",
            "first_name",
            "last_name",
            "email",
            "role",
            "team",
            "municipality",
            "is_active",
            "is_staff",
            "groups",
            "user_permissions",
        )
        field_classes = {"username": UsernameField}
        help_texts = {"municipality": MUNICIPALITY_HELP}

    def clean(self):
        cleaned = super().clean()
        _check_municipality(self, cleaned)
        return cleaned


class StaffCreationForm(forms.ModelForm):
    """A new account: who, which role and team. No password: the person sets one through the
    reset link sent from the account's page."""

    class Meta:
        model = User
        fields = ("username", "first_name", "last_name", "email", "role", "team", "municipality")
        field_classes = {"username": UsernameField}
        help_texts = {"municipality": MUNICIPALITY_HELP}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "email" in self.fields:
            self.fields["email"].required = True
            self.fields["email"].help_text = _(
                "Hierheen gaat de herstel-link waarmee de medewerker een wachtwoord instelt."
            )

    def clean(self):
        cleaned = super().clean()
        _check_municipality(self, cleaned)
        return cleaned

    def clean_username(self):
        username = self.cleaned_data.get("username")
        if username and User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(
                _("Er bestaat al een medewerker met deze gebruikersnaam."), code="unique"
            )
        return username
