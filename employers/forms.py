"""Forms of the employer pages. The services hold the rules; a form collects what was typed and
shows a service's refusal at the field it names (``add_domain_error``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from caseload.models import EducationLevel
from common.exceptions import DomainError
from common.forms import (
    BaseForm,
    PersonChoiceField,
    TableFileField,
    required_choice,
    widget_class,
)

from . import selectors, services
from .models import CommitmentKind, VacancyStatus


def DATE() -> forms.DateInput:  # noqa: N802 - a widget factory, like caseload.forms.DATE
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OccupationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.code} {obj.title}"


class EmployerSearchForm(BaseForm):
    q = forms.CharField(label=_("Zoek op naam of KvK-nummer"), required=False, max_length=100)


def _checked(check, value: str) -> str:
    """The service's format check of one field, as a field error (so that the form shows every
    field's mistake at once, not the first the service meets)."""
    try:
        return check(value)
    except DomainError as exc:
        raise forms.ValidationError(exc.message, code=exc.code) from exc


class _PostcodeChecked:
    def clean_postcode(self) -> str:
        return _checked(services.postcode_checked, self.cleaned_data["postcode"])


class EmployerForm(_PostcodeChecked, BaseForm):
    name = forms.CharField(label=_("Naam"), max_length=200)
    kvk_number = forms.CharField(label=_("KvK-nummer"), max_length=12, help_text=_("Acht cijfers."))
    sbi_code = forms.CharField(
        label=_("SBI-code (sector)"),
        max_length=8,
        help_text=_("SBI 2008, twee tot vijf cijfers, bijvoorbeeld 4711 of 86."),
    )
    account_manager = PersonChoiceField(
        label=_("Accountmanager"), queryset=None, required=False, empty_label=_("(geen)")
    )

    def __init__(self, *args, municipalities=None, with_location: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account_manager"].queryset = selectors.account_managers()
        if municipalities:
            self.fields["municipality"] = forms.TypedChoiceField(
                label=_("Gemeente"), choices=[(m.pk, m.name) for m in municipalities], coerce=int
            )
        if with_location:
            self.fields["address"] = forms.CharField(
                label=_("Adres vestiging"), max_length=200, help_text=_("Straat en huisnummer.")
            )
            self.fields["postcode"] = forms.CharField(
                label=_("Postcode"), max_length=7, help_text=_("Bijvoorbeeld 1211AB.")
            )
            self.fields["city"] = forms.CharField(label=_("Plaats"), max_length=100)
        for field in self.fields.values():  # the added fields get the Utrecht classes too
            css = widget_class(field.widget)
            if css:
                field.widget.attrs.setdefault("class", css)

    def clean_kvk_number(self) -> str:
        return _checked(services.kvk_checked, self.cleaned_data["kvk_number"])

    def clean_sbi_code(self) -> str:
        return _checked(services.sbi_checked, self.cleaned_data["sbi_code"])


class LocationForm(_PostcodeChecked, BaseForm):
    address = forms.CharField(
        label=_("Adres"), max_length=200, help_text=_("Straat en huisnummer.")
    )
    postcode = forms.CharField(
        label=_("Postcode"), max_length=7, help_text=_("Bijvoorbeeld 1211AB.")
    )
    city = forms.CharField(label=_("Plaats"), max_length=100)


class ContactForm(BaseForm):
    name = forms.CharField(label=_("Naam contactpersoon"), max_length=200)
    role = forms.CharField(label=_("Functie"), max_length=100, required=False)
    phone = forms.CharField(label=_("Telefoon"), max_length=20, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)


class CommitmentForm(BaseForm):
    # SROI or banenafspraak counts in a different target: nothing is chosen for the user
    kind = required_choice(
        _("Soort toezegging"),
        CommitmentKind.choices,
        empty=_("— kies de soort toezegging —"),
        required=_("Kies SROI of banenafspraak."),
    )
    year = forms.IntegerField(label=_("Jaar"), min_value=2000, max_value=2100)
    number = forms.IntegerField(label=_("Aantal plaatsen"), min_value=0)


class VacancyForm(_PostcodeChecked, BaseForm):
    title = forms.CharField(label=_("Functietitel"), max_length=200)
    occupation = OccupationChoiceField(
        label=_("Beroep (ISCO-08)"), queryset=None, empty_label=_("Kies een beroep")
    )
    hours_per_week = forms.CharField(
        label=_("Uren per week"), max_length=6, help_text=_("Bijvoorbeeld 24 of 32,5.")
    )
    postcode = forms.CharField(
        label=_("Postcode werkplek"), max_length=7, help_text=_("Bijvoorbeeld 1211AB.")
    )
    education_level = forms.ChoiceField(
        label=_("Opleidingsniveau"),
        choices=[("", _("Geen eis"))] + list(EducationLevel.choices),
        required=False,
    )
    requirements = forms.CharField(label=_("Eisen"), widget=forms.Textarea, required=False)
    start_date = forms.DateField(label=_("Startdatum"), widget=DATE())
    banenafspraak = forms.BooleanField(label=_("Geschikt voor de banenafspraak"), required=False)
    loonkostensubsidie = forms.BooleanField(label=_("Loonkostensubsidie mogelijk"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occupation"].queryset = selectors.occupations()


class VacancyCloseForm(BaseForm):
    result = forms.ChoiceField(
        label=_("Uitkomst"),
        choices=[(VacancyStatus.FILLED, _("Vervuld")), (VacancyStatus.WITHDRAWN, _("Ingetrokken"))],
        widget=forms.RadioSelect,
    )
    closed_on = forms.DateField(label=_("Datum"), widget=DATE())


class VacancyImportForm(BaseForm):
    file = TableFileField(
        label=_("Bestand (CSV of XLSX)"),
        help_text=_(
            "Kolommen: titel, isco, uren, postcode, startdatum; en naar keuze opleidingsniveau, "
            "eisen, banenafspraak (ja/nee), loonkostensubsidie (ja/nee)."
        ),
    )
