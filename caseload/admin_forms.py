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

from .models import User


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
            "is_active",
            "is_staff",
            "groups",
            "user_permissions",
        )
        field_classes = {"username": UsernameField}


class StaffCreationForm(forms.ModelForm):
    """A new account: who, which role and team. No password: the person sets one through the
    reset link sent from the account's page."""

    class Meta:
        model = User
        fields = ("username", "first_name", "last_name", "email", "role", "team")
        field_classes = {"username": UsernameField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "email" in self.fields:
            self.fields["email"].required = True
            self.fields["email"].help_text = _(
                "Hierheen gaat de herstel-link waarmee de medewerker een wachtwoord instelt."
            )

    def clean_username(self):
        username = self.cleaned_data.get("username")
        if username and User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(
                _("Er bestaat al een medewerker met deze gebruikersnaam."), code="unique"
            )
        return username
