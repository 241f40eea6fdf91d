"""Forms of the new-application flow (Dutch labels)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dateutil.relativedelta import relativedelta
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from caseload import services as caseload_services
from caseload.models import Application, HouseholdType, Regime
from caseload.templatetags.caseload_tags import dmy
from common import clock
from common.bsn import is_valid_bsn
from common.exceptions import DomainError
from common.forms import BaseForm, DutchIntegerField, required_choice
from common.postcode import POSTCODE_PATTERN

#: huisnummer (1-5 digits), huisletter and toevoeging as the BRP writes them together (``12``,
#: ``12A``, ``12A-2``, ``12 bis``; ``registers.brp.client``); letters alone are no house number
#: (the walk of 4 December: "abc" was accepted)
HOUSE_NUMBER = r"^\s*[1-9][0-9]{0,4}\s*[A-Za-z]?(\s*-?\s*[A-Za-z0-9]{1,4})?\s*$"


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _bsn_clean(raw: str) -> str:
    """Nine digits (spaces and dots typed along are dropped) that pass the 11-test."""
    value = "".join(raw.split()).replace(".", "")
    if not (value.isascii() and value.isdigit() and len(value) == 9):
        raise ValidationError(_("Vul 9 cijfers in."), code="format")
    if not is_valid_bsn(value):
        raise ValidationError(
            _("Ongeldig BSN: dit nummer voldoet niet aan de elfproef. Controleer het nummer."),
            code="bsn_invalid",
        )
    return value


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
        return _bsn_clean(self.cleaned_data["bsn"])


class ApplicationRegisterForm(BaseForm):
    """Step 2: resident, household and application. Details that came from the BRP are shown
    but not editable (``locked``); the rest the consulent fills in."""

    bsn = forms.CharField(label=_("BSN"), max_length=9, disabled=True, required=False)
    first_name = forms.CharField(label=_("Voornamen"), max_length=60)
    name_prefix = forms.CharField(label=_("Tussenvoegsel"), max_length=20, required=False)
    last_name = forms.CharField(label=_("Achternaam"), max_length=80)
    birth_date = forms.DateField(label=_("Geboortedatum"), widget=_date_widget())
    street = forms.CharField(label=_("Straat"), max_length=100)
    house_number = forms.RegexField(
        label=_("Huisnummer"),
        regex=HOUSE_NUMBER,
        max_length=10,
        help_text=_("Met huisletter en toevoeging."),
        error_messages={"invalid": _("Vul een huisnummer in, zoals 12, 12a of 12a-2.")},
    )
    postcode = forms.RegexField(
        label=_("Postcode"),
        regex=POSTCODE_PATTERN,
        max_length=7,
        error_messages={"invalid": _("Vul een postcode in als 1234 AB.")},
    )
    city = forms.CharField(label=_("Woonplaats"), max_length=60)
    household_type = required_choice(
        _("Leefvorm"),
        HouseholdType.choices,
        empty=_("— kies de leefvorm —"),
        required=_("Kies de leefvorm."),
    )
    children_count = DutchIntegerField(
        label=_("Aantal minderjarige kinderen"), min_value=0, max_value=20
    )
    register_partner = forms.BooleanField(
        label=_("Partner ook als inwoner registreren"), required=False
    )
    # A partner typed by hand (the BRP did not answer with the person): the same details the
    # BRP answer gives of a partner. Optional; once one is filled in, the others are required.
    partner_bsn = forms.CharField(
        label=_("BSN partner"),
        max_length=20,
        required=False,
        help_text=_("Verplicht bij een partner, met de naam en de geboortedatum."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    partner_first_name = forms.CharField(
        label=_("Voornamen partner"),
        max_length=60,
        required=False,
    )
    partner_name_prefix = forms.CharField(
        label=_("Tussenvoegsel partner"), max_length=20, required=False
    )
    partner_last_name = forms.CharField(
        label=_("Achternaam partner"),
        max_length=80,
        required=False,
    )
    partner_birth_date = forms.DateField(
        label=_("Geboortedatum partner"),
        required=False,
        widget=_date_widget(),
    )
    received_on = forms.DateField(label=_("Datum melding"), widget=_date_widget())
    regime = forms.ChoiceField(label=_("Regeling"), choices=Regime.choices)

    PARTNER_FIELDS = (
        "partner_bsn",
        "partner_first_name",
        "partner_name_prefix",
        "partner_last_name",
        "partner_birth_date",
    )
    PARTNER_REQUIRED = (
        "partner_bsn",
        "partner_first_name",
        "partner_last_name",
        "partner_birth_date",
    )

    def __init__(
        self,
        *args,
        locked: tuple[str, ...] = (),
        has_partner: bool = False,
        by_hand: bool = False,
        applicant_bsn: str = "",
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.applicant_bsn = applicant_bsn
        for name in locked:
            self.fields[name].disabled = True
        if not has_partner:
            del self.fields["register_partner"]
        if not by_hand:
            for name in self.PARTNER_FIELDS:
                del self.fields[name]

    @property
    def by_hand(self) -> bool:
        return "partner_bsn" in self.fields

    def partner_fields(self) -> list[Any]:
        return [self[name] for name in self.PARTNER_FIELDS if name in self.fields]

    def clean_partner_bsn(self) -> str:
        raw = self.cleaned_data.get("partner_bsn", "")
        if not raw.strip():
            return ""
        value = _bsn_clean(raw)
        if value == self.applicant_bsn:
            raise ValidationError(
                _("Het BSN van de partner is hetzelfde als dat van de aanvrager."), code="same"
            )
        return value

    def clean_partner_birth_date(self) -> dt.date | None:
        return _birth_date_checked(self.cleaned_data.get("partner_birth_date"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # the leefvorm against the children (a single person with children is a single parent),
        # read before the partner's check below, which may name the leefvorm too
        problems = caseload_services.household_composition_problems(
            household_type=data.get("household_type"), children_count=data.get("children_count")
        )
        self._partner_clean(data)
        self.add_problems(problems)
        return data

    def _partner_clean(self, data: dict[str, Any]) -> None:
        """A partner typed by hand: all of its details, and a couple's leefvorm."""
        if not self.by_hand:
            return
        typed = any(
            (self.data.get(self.add_prefix(name)) or "").strip() for name in self.PARTNER_FIELDS
        )
        if not typed:
            return
        for name in self.PARTNER_REQUIRED:
            if name not in self.errors and not data.get(name):
                self.add_error(
                    name, ValidationError(_("Verplicht als u een partner invult."), "required")
                )
        household_type = data.get("household_type")
        if household_type and household_type != HouseholdType.COUPLE:
            self.add_error(
                "household_type",
                ValidationError(
                    _("Met een partner is de leefvorm 'Gehuwd / samenwonend'."), "partner"
                ),
            )

    def partner_details(self) -> dict[str, Any] | None:
        """The partner typed by hand (after ``is_valid()``), or None."""
        if not self.by_hand or not self.cleaned_data.get("partner_bsn"):
            return None
        return {
            "bsn": self.cleaned_data["partner_bsn"],
            "first_name": self.cleaned_data["partner_first_name"],
            "name_prefix": self.cleaned_data["partner_name_prefix"],
            "last_name": self.cleaned_data["partner_last_name"],
            "birth_date": self.cleaned_data["partner_birth_date"],
        }

    def clean_postcode(self) -> str:
        value = self.cleaned_data["postcode"].replace(" ", "").upper()
        return f"{value[:4]} {value[4:]}"

    def clean_birth_date(self) -> dt.date:
        value = self.cleaned_data["birth_date"]
        _birth_date_checked(value)
        return value

    def clean_received_on(self) -> dt.date:
        return received_on_checked(self.cleaned_data["received_on"])


def _birth_date_checked(value: dt.date | None) -> dt.date | None:
    """A birth date typed at a registration: in the past and an age of at most 120 (the
    service's rule, ``caseload.services.birth_date_problems``)."""
    for problem in caseload_services.birth_date_problems(birth_date=value):
        if problem is not None:
            raise ValidationError(problem.message, code=problem.code)
    return value


def received_on_checked(value: dt.date) -> dt.date:
    """The day of a melding typed for a new application: not in the future, and not more than a
    year back (a new application is registered when it comes in; one of decades ago rewrote the
    figures of those years: the walk of 3 December)."""
    if value > clock.today():
        raise ValidationError(_("De datum van de melding mag niet in de toekomst liggen."))
    if value < clock.today() - relativedelta(years=1):
        raise ValidationError(
            _(
                "De datum van de melding ligt meer dan een jaar terug. Een oudere aanvraag "
                "wordt ingelezen door functioneel beheer (caseload importeren)."
            )
        )
    return value


class ApplicationNewForm(BaseForm):
    """A new application of a resident who is already registered (a returning client: the walk
    of 3 December found no way to register one): the day of the melding and the regeling."""

    received_on = forms.DateField(
        label=_("Datum melding"),
        widget=_date_widget(),
        help_text=_("De dag waarop de inwoner zich meldde; niet in de toekomst."),
    )
    regime = forms.ChoiceField(label=_("Regeling"), choices=Regime.choices)

    def __init__(self, *args, resident, **kwargs):
        super().__init__(*args, **kwargs)
        self.resident = resident

    def clean_received_on(self) -> dt.date:
        return received_on_checked(self.cleaned_data["received_on"])

    def clean(self):
        cleaned = super().clean()
        # the service's rules (before 18, one in behandeling, a running benefit) on one submit
        self.add_problems(
            caseload_services.application_register_problems(
                resident=self.resident,
                received_on=cleaned.get("received_on"),
                regime=cleaned.get("regime"),
            )
        )
        return cleaned


#: The outcomes ``caseload.services.application_decide`` accepts (all but "in behandeling").
DECISION_OUTCOMES = [
    ("", _("Kies de uitkomst")),
    (Application.Outcome.GRANTED, _("Toegekend: de uitkering gaat in")),
    (Application.Outcome.REJECTED, _("Afgewezen")),
    (Application.Outcome.WITHDRAWN, _("Ingetrokken door de aanvrager")),
    (
        Application.Outcome.PREVENTED,
        _("Voorkomen: werk of een voorliggende voorziening, geen uitkering"),
    ),
]


class ApplicationDecideForm(BaseForm):
    """The decision on an application in behandeling (``caseload.services.application_decide``):
    which application (with its regeling, whose benefit a grant opens), the outcome, the day of
    the decision and, for a grant, the day the benefit starts."""

    application = forms.ModelChoiceField(
        label=_("Aanvraag"), queryset=Application.objects.none(), empty_label=None
    )
    outcome = forms.ChoiceField(
        label=_("Uitkomst"),
        choices=DECISION_OUTCOMES,
        error_messages={"required": _("Kies de uitkomst van de aanvraag.")},
    )
    decided_on = forms.DateField(
        label=_("Datum besluit"),
        widget=_date_widget(),
        help_text=_("Niet in de toekomst en niet voor de datum van de melding."),
    )
    benefit_start = forms.DateField(
        label=_("Ingangsdatum uitkering"),
        widget=_date_widget(),
        required=False,
        help_text=_(
            "Verplicht bij toekennen; meestal de datum van de melding. Bij een andere uitkomst "
            "wordt deze datum niet gebruikt."
        ),
    )

    def __init__(self, *args, applications=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["application"]
        field.queryset = applications if applications is not None else Application.objects.none()
        if applications is not None and len(applications) > 1:
            # several in behandeling: the consulent chooses, none is preselected
            field.empty_label = _("Kies de aanvraag")
            field.widget.choices = field.choices
        field.label_from_instance = lambda a: (
            _("Aanvraag %(regime)s, melding van %(date)s")
            % {
                "regime": a.get_regime_display(),
                "date": dmy(a.received_on),
            }
        )

    def clean_decided_on(self) -> dt.date:
        value = self.cleaned_data["decided_on"]
        if value > clock.today():
            raise ValidationError(_("De besluitdatum mag niet in de toekomst liggen."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") != Application.Outcome.GRANTED:
            data["benefit_start"] = None  # only a grant opens a benefit
        elif not data.get("benefit_start") and "benefit_start" not in self.errors:
            self.add_error(
                "benefit_start",
                ValidationError(
                    _("Vul de ingangsdatum van de uitkering in: verplicht bij toekennen."),
                    "required",
                ),
            )
        application = data.get("application")
        if application is not None:
            # every date that breaks a rule at once (the decision and the benefit start both
            # before the melding), not one per submit; the service checks them again
            self.add_problems(
                caseload_services.application_decision_problems(
                    received_on=application.received_on,
                    outcome=data.get("outcome"),
                    decided_on=data.get("decided_on"),
                    benefit_start=data.get("benefit_start"),
                )
            )
        return data

    def add_domain_error(self, exc: DomainError) -> None:
        """The service's refusal at its field; one about the regeling (a benefit in it runs
        already) at the application, which carries the regeling."""
        if exc.field == "regime":
            self.add_error("application", exc.message)
        else:
            super().add_domain_error(exc)
