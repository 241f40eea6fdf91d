"""Workspace forms (Dutch labels); views hand cleaned data to one service each."""

from __future__ import annotations

import copy

from dateutil.relativedelta import relativedelta
from django import forms
from django.utils.translation import gettext_lazy as _

from common import clock
from common.forms import (
    BaseForm,
    DutchDecimalField,
    PersonChoiceField,
    required_choice,
    widget_class,
)
from common.postcode import POSTCODE_PATTERN

from . import services
from .models import (
    Application,
    BanenafspraakSector,
    ContactMoment,
    Group,
    LadderScore,
    OutflowEvent,
    Resident,
    Trajectory,
)


def DATE():  # noqa: N802 - a fresh widget per field
    # <input type="date"> takes only ISO dates: a Dutch 02-12-2026 would show an empty field
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def style_fields(form: forms.Form) -> None:
    """Utrecht classes on every widget of ``form`` (for forms that are not a ``BaseForm``, such
    as a filter set's)."""
    for field in form.fields.values():
        field.widget.attrs["class"] = widget_class(field.widget)


class StyledForm(BaseForm):
    """The workspace forms' base: :class:`common.forms.BaseForm` (Utrecht classes; Django adds
    ``aria-invalid`` and ``aria-describedby`` to a field with an error; ``add_problems`` puts
    a service's rule checks on the form all at once)."""

    #: the resident's birth date, for the rules against it (no fact dated before it); set by
    #: the view before validation (``caseload.views._action`` and ``fact_correct``)
    born = None


class BsnSearchForm(StyledForm):
    bsn = forms.RegexField(
        label=_("BSN"),
        regex=r"^[0-9]{9}$",
        max_length=9,
        error_messages={"invalid": _("Vul 9 cijfers in.")},
    )


class AddressSearchForm(StyledForm):
    """Find a resident by address (issue 14): postcode and house number, sent in a POST body
    like the BSN (an address is personal data: not in a URL or a log line)."""

    postcode = forms.RegexField(
        label=_("Postcode"),
        regex=POSTCODE_PATTERN,
        max_length=9,
        error_messages={"invalid": _("Vul een postcode in als 1234 AB.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    house_number = forms.RegexField(
        label=_("Huisnummer"),
        regex=r"^\s*[1-9][0-9]{0,4}(\s*-?\s*[A-Za-z0-9]{1,6})?\s*$",
        max_length=14,
        help_text=_("Met huisletter of toevoeging vindt u alleen dat adres."),
        error_messages={"invalid": _("Vul een huisnummer in, zoals 12 of 12a.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_postcode(self) -> str:
        value = "".join(self.cleaned_data["postcode"].split()).upper()
        return f"{value[:4]} {value[4:]}"

    def clean_house_number(self) -> str:
        return "".join(self.cleaned_data["house_number"].split())


#: the example in the error of an hours field ("Vul een getal in, bijvoorbeeld 24,5.")
HOURS_EXAMPLE = "24,5"


def _placement_hours_field() -> DutchDecimalField:
    return DutchDecimalField(
        label=_("Uren per week"),
        max_digits=4,
        decimal_places=1,
        required=False,
        example=HOURS_EXAMPLE,
        help_text=_(
            "Bij een plaatsing (nieuw beschut werk, loonkostensubsidie, garantiebaan): telt mee "
            "in de fte."
        ),
    )


def _banenafspraak_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Baan in de banenafspraak"),
        choices=[("", _("Nee")), *BanenafspraakSector.choices],
        required=False,
        help_text=_("Sector van de werkgever als dit een banenafspraakbaan is."),
    )


class OldDateQuestion:
    """A date more than a year back is a question, not a rule: the form comes back with what was
    typed and a box "<date> klopt" to tick (the walk of 4 December: a trajectory started on
    1-3-1990 and a contact on 1-1-1990 were saved without a word; booking afterwards is real
    work, so nothing is refused). The form names its date field (``old_date_field``) and how a
    sentence calls it (``old_date_noun``: "startdatum"); the box is ``confirm_<field>``, shown
    right after the date field only when the typed date is that old."""

    old_date_field: str
    old_date_noun: str
    #: a year back is not "more than a year" (a year, not 365 days: 29 February)
    ASK_AFTER = relativedelta(years=1)

    @property
    def old_date_confirm(self) -> str:
        return f"confirm_{self.old_date_field}"

    def old_date_question_add(self) -> None:
        """In ``__init__``, after the fields exist."""
        if not (self.is_bound and self._typed_date_is_old()):
            return
        box = forms.BooleanField(
            label=_("Deze %(noun)s klopt") % {"noun": self.old_date_noun},
            required=False,
            help_text=_("Vink aan als het echt toen was (bijvoorbeeld bij het naboeken)."),
        )
        css = widget_class(box.widget)
        if css:
            box.widget.attrs.setdefault("class", css)
        fields = list(self.fields.items())
        at = [name for name, _field in fields].index(self.old_date_field) + 1
        self.fields = dict(fields[:at] + [(self.old_date_confirm, box)] + fields[at:])

    def _typed_date_is_old(self) -> bool:
        raw = self.data.get(self.add_prefix(self.old_date_field))
        try:
            typed = self.fields[self.old_date_field].clean(raw)
        except forms.ValidationError:
            return False
        return typed is not None and typed < clock.today() - self.ASK_AFTER

    def old_date_question_ask(self, cleaned: dict) -> None:
        """In ``clean``, last: only for a date that breaks no rule (before birth, say). The box
        is the form's own: it leaves ``cleaned_data`` (a service takes the fact's fields)."""
        confirmed = cleaned.pop(self.old_date_confirm, False)
        typed = cleaned.get(self.old_date_field)
        if (
            self.old_date_confirm in self.fields
            and typed is not None
            and self.old_date_field not in self.errors
            and not confirmed
        ):
            self.add_error(
                self.old_date_field,
                _(
                    "De %(noun)s %(day)s ligt meer dan een jaar terug. Klopt dat? Vink dan "
                    "'Deze %(noun)s klopt' aan en sla opnieuw op."
                )
                % {
                    "noun": self.old_date_noun,
                    "day": f"{typed.day}-{typed.month}-{typed.year}",
                },
            )


class TrajectoryStartForm(OldDateQuestion, StyledForm):
    instrument = forms.ModelChoiceField(
        label=_("Instrument"),
        queryset=None,
        empty_label=_("— kies een instrument —"),
        error_messages={"required": _("Kies een instrument.")},
    )
    provider = forms.CharField(label=_("Aanbieder"), max_length=100, required=False)
    started_on = forms.DateField(label=_("Startdatum"), widget=DATE())
    planned_end_on = forms.DateField(label=_("Geplande einddatum"), widget=DATE(), required=False)
    hours_per_week = _placement_hours_field()
    banenafspraak_sector = _banenafspraak_field()

    # a trajectory may start before a benefit (prevention, youths without one)
    old_date_field = "started_on"
    old_date_noun = "startdatum"

    def __init__(self, *args, instruments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = instruments
        self.old_date_question_add()

    def clean(self):
        cleaned = super().clean()
        # every detail that breaks a rule at once (the dates and the hours)
        self.add_problems(
            services.trajectory_start_problems(
                instrument=cleaned.get("instrument"),
                started_on=cleaned.get("started_on"),
                planned_end_on=cleaned.get("planned_end_on"),
                hours_per_week=cleaned.get("hours_per_week"),
                banenafspraak_sector=cleaned.get("banenafspraak_sector"),
                born=self.born,
            )
        )
        self.old_date_question_ask(cleaned)
        return cleaned


class TrajectoryCloseForm(StyledForm):
    ended_on = forms.DateField(label=_("Einddatum"), widget=DATE())
    result = required_choice(
        _("Resultaat"),
        Trajectory.Result.choices,
        empty=_("— kies een resultaat —"),
        required=_("Kies een resultaat."),
    )

    def __init__(self, *args, trajectory: Trajectory | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.trajectory = trajectory

    def clean(self):
        cleaned = super().clean()
        if self.trajectory is not None:
            # the end date is checked against the start even when no result is chosen yet
            self.add_problems(
                services.trajectory_close_problems(
                    trajectory=self.trajectory,
                    on=cleaned.get("ended_on"),
                    result=cleaned.get("result"),
                )
            )
        return cleaned


class OutflowForm(StyledForm):
    kind = required_choice(
        _("Soort uitstroom"),
        OutflowEvent.Kind.choices,
        empty=_("— kies de soort uitstroom —"),
        required=_("Kies volledige of gedeeltelijke uitstroom."),
    )
    reason = forms.ChoiceField(
        label=_("Reden"),
        choices=[("", _("— kies een reden —")), *OutflowEvent.Reason.choices],
        required=False,
        help_text=_("Bij gedeeltelijke uitstroom altijd werk."),
    )
    occurred_on = forms.DateField(label=_("Datum"), widget=DATE())
    # issue 14: a field that the reason makes required says so
    hours_per_week = DutchDecimalField(
        label=_("Uren per week"),
        max_digits=4,
        decimal_places=1,
        required=False,
        example=HOURS_EXAMPLE,
        help_text=_("Verplicht bij reden werk."),
    )
    employer = forms.CharField(label=_("Werkgever"), max_length=120, required=False)
    sector = forms.CharField(label=_("Sector"), max_length=80, required=False)
    contract_type = forms.ChoiceField(
        label=_("Contract"),
        choices=[("", _("— kies het contract —")), *OutflowEvent.ContractType.choices],
        required=False,
        help_text=_("Verplicht bij reden werk."),
    )
    is_subsidised = forms.BooleanField(label=_("Gesubsidieerd"), required=False)
    is_hours_increase = forms.BooleanField(
        label=_("Urenuitbreiding"),
        required=False,
        help_text=_("Alleen bij gedeeltelijke uitstroom."),
    )

    def clean(self):
        cleaned = super().clean()
        if "reason" in self.fields and not cleaned.get("reason") and "reason" not in self.errors:
            if cleaned.get("kind") == OutflowEvent.Kind.PARTIAL:
                # partial outflow is always outflow to work: choosing it says the reason
                cleaned["reason"] = OutflowEvent.Reason.WORK
            else:
                self.add_error("reason", _("Kies een reden van uitstroom."))
        # every missing detail of an outflow to work at once (hours and contract)
        self.add_problems(
            services.outflow_problems(
                kind=cleaned.get("kind"),
                reason=cleaned.get("reason"),
                occurred_on=cleaned.get("occurred_on"),
                hours_per_week=cleaned.get("hours_per_week"),
                contract_type=cleaned.get("contract_type") or "",
                is_hours_increase=bool(cleaned.get("is_hours_increase")),
                born=self.born,
            )
        )
        return cleaned


class ContactForm(OldDateQuestion, StyledForm):
    occurred_on = forms.DateField(label=_("Datum"), widget=DATE())
    channel = required_choice(
        _("Kanaal"),
        ContactMoment.Channel.choices,
        empty=_("— kies een kanaal —"),
        required=_("Kies een kanaal."),
    )
    summary = forms.CharField(label=_("Verslag"), widget=forms.Textarea, required=False)

    # a contact before the resident became a client can be real (prevention, the WW)
    old_date_field = "occurred_on"
    old_date_noun = "datum"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.old_date_question_add()

    def clean(self):
        cleaned = super().clean()
        # a missing channel and a date in the future on one submit (also when corrected)
        self.add_problems(
            services.contact_problems(
                occurred_on=cleaned.get("occurred_on"),
                channel=cleaned.get("channel"),
                born=self.born,
            )
        )
        self.old_date_question_ask(cleaned)
        return cleaned


class LadderForm(StyledForm):
    measured_on = forms.DateField(label=_("Datum meting"), widget=DATE())
    step = required_choice(
        _("Trede"),
        LadderScore.Step.choices,
        empty=_("— kies een trede —"),
        required=_("Kies een trede van 1 tot en met 6."),
        typed=True,
    )

    def clean(self):
        cleaned = super().clean()
        # a date in the future or before the resident's birth (also when corrected)
        self.add_problems(
            services.ladder_score_problems(
                measured_on=cleaned.get("measured_on"), step=cleaned.get("step"), born=self.born
            )
        )
        return cleaned


class GroupChangeForm(StyledForm):
    # an empty first choice: without a current group the browser would show Groep 1 as if it
    # were chosen (the second walk of 3 December)
    group = forms.TypedChoiceField(
        label=_("Groep"),
        choices=[("", _("— kies een groep —")), *Group.choices],
        coerce=int,
        error_messages={"required": _("Kies een groep.")},
    )
    reason = forms.CharField(label=_("Reden"), widget=forms.Textarea)


# --- WW prevention (issue 17): a melding guided with UWV at the end of the WW, and its outcome --


class WwPreventionForm(StyledForm):
    """A resident at the end of the WW, coached with UWV before any application for bijstand
    (an ``Application`` with preventieroute ``ww_coaching``)."""

    received_on = forms.DateField(
        label=_("Datum melding"),
        widget=DATE(),
        help_text=_("De dag waarop de begeleiding aan het einde van de WW begon."),
    )
    risk_profile = forms.ChoiceField(
        label=_("Risicoprofiel"),
        choices=Application.RiskProfile.choices,
        initial=Application.RiskProfile.NORMAL,
    )


#: how a WW guidance can end; "voorkomen" is what prevention.ww_no_application counts
WW_PREVENTION_OUTCOMES = [
    (
        Application.Outcome.PREVENTED,
        _("Voorkomen: geen bijstandsaanvraag (werk of voorliggende voorziening)"),
    ),
    (Application.Outcome.WITHDRAWN, _("Ingetrokken: de begeleiding is gestopt")),
    (Application.Outcome.REJECTED, _("Afgewezen")),
    (Application.Outcome.GRANTED, _("Toegekend: er gaat bijstand in")),
]


class WwPreventionOutcomeForm(StyledForm):
    """The outcome of a running WW guidance (``caseload.services.application_decide``)."""

    application = forms.ModelChoiceField(
        label=_("Melding"), queryset=Application.objects.none(), empty_label=None
    )
    # "voorkomen" counts in prevention.ww_no_application: nothing is chosen for the consulent
    outcome = required_choice(
        _("Uitkomst"),
        WW_PREVENTION_OUTCOMES,
        empty=_("— kies de uitkomst —"),
        required=_("Kies de uitkomst van de begeleiding."),
    )
    decided_on = forms.DateField(
        label=_("Datum afsluiting"),
        widget=DATE(),
        help_text=_("De dag waarop de begeleiding is afgesloten."),
    )
    benefit_start = forms.DateField(
        label=_("Ingangsdatum uitkering"),
        widget=DATE(),
        required=False,
        help_text=_("Alleen bij toegekend; leeg: de datum van de melding."),
    )

    def __init__(self, *args, applications=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["application"]
        field.queryset = applications if applications is not None else Application.objects.none()
        field.label_from_instance = lambda a: (
            _("Melding van %(date)s") % {"date": a.received_on.strftime("%-d-%-m-%Y")}
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("benefit_start") and cleaned.get("outcome") != Application.Outcome.GRANTED:
            self.add_error(
                "benefit_start", _("Vul de ingangsdatum alleen in bij de uitkomst toegekend.")
            )
        application = cleaned.get("application")
        if application is not None:
            # every date that breaks a rule at once, as on the decision page
            self.add_problems(
                services.application_decision_problems(
                    received_on=application.received_on,
                    outcome=cleaned.get("outcome"),
                    decided_on=cleaned.get("decided_on"),
                    benefit_start=cleaned.get("benefit_start"),
                )
            )
        return cleaned


class ReassignForm(StyledForm):
    # the empty choices in the words of the other forms (the walk of 4 December: "---------")
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=None,
        empty_label=_("— kies een team —"),
        error_messages={"required": _("Kies een team.")},
    )
    consulent = PersonChoiceField(
        label=_("Consulent"),
        queryset=None,
        required=False,
        empty_label=_("— geen vaste consulent —"),
    )

    def __init__(self, *args, teams=None, consulenten=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["consulent"].queryset = consulenten
        # people by name, not by login (the walk of 3 December read "werk007")
        self.fields["consulent"].label_from_instance = lambda user: (
            f"{user.get_full_name()} ({user.team})" if user.get_full_name() else user.username
        )


# --- Corrections and withdrawals (issue 14) ------------------------------------------------------


class CorrectionReasonForm(StyledForm):
    """The reason every correction and withdrawal needs; rendered after the fact's fields."""

    correction_reason = forms.CharField(
        label=_("Reden van de correctie"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Waarom klopte het niet? De reden blijft in de geschiedenis van het dossier."),
        error_messages={"required": _("Geef een reden voor de correctie.")},
    )


class FactCorrectForm(CorrectionReasonForm):
    """A fact's correctable fields, filled in with its current values, plus the reason.
    ``changes()`` are the fact's fields as typed (the service keeps only what differs)."""

    #: form field -> the fact's attribute it starts from (default: the same name)
    initial_from: dict[str, str] = {}

    def __init__(self, *args, fact, **kwargs):
        initial = kwargs.pop("initial", None) or {}
        for name in self.base_fields:
            if name != "correction_reason" and name not in initial:
                initial[name] = getattr(fact, self.initial_from.get(name, name))
        super().__init__(*args, initial=initial, **kwargs)
        self.fact = fact
        self.fields["correction_reason"] = self.fields.pop("correction_reason")
        for field in self.fields.values():
            if isinstance(field.widget, forms.DateInput):
                field.widget.format = "%Y-%m-%d"  # what <input type="date"> shows

    def changes(self) -> dict:
        return {
            self.initial_from.get(name, name): value
            for name, value in self.cleaned_data.items()
            if name != "correction_reason"
        }


class FactWithdrawForm(CorrectionReasonForm):
    """Only the reason: the fact itself is shown above the form."""

    def __init__(self, *args, fact=None, **kwargs):
        super().__init__(*args, **kwargs)


class TrajectoryCorrectForm(FactCorrectForm):
    instrument = forms.ModelChoiceField(
        label=_("Instrument"),
        queryset=None,
        empty_label=_("— kies een instrument —"),
        error_messages={"required": _("Kies een instrument.")},
    )
    provider = forms.CharField(label=_("Aanbieder"), max_length=100, required=False)
    started_on = forms.DateField(
        label=_("Startdatum"),
        widget=DATE(),
        help_text=_("Een startdatum na vandaag maakt het traject 'gepland'."),
    )
    planned_end_on = forms.DateField(label=_("Geplande einddatum"), widget=DATE(), required=False)
    ended_on = forms.DateField(label=_("Einddatum"), widget=DATE(), required=False)
    result = forms.ChoiceField(
        label=_("Resultaat"),
        choices=[("", _("— nog lopend —")), *Trajectory.Result.choices],
        required=False,
        help_text=_("Verplicht als er een einddatum is."),
    )
    cost = DutchDecimalField(
        label=_("Kosten (€)"),
        max_digits=9,
        decimal_places=2,
        # the walk of 4 December: a cost the consulent never typed, without a word where from
        help_text=_(
            "Bij de start ingevuld met de standaardkosten van het instrument; vul de werkelijke "
            "kosten in als die anders zijn."
        ),
    )
    hours_per_week = _placement_hours_field()
    banenafspraak_sector = _banenafspraak_field()

    def __init__(self, *args, fact, instruments=None, **kwargs):
        super().__init__(*args, fact=fact, **kwargs)
        self.fields["instrument"].queryset = instruments

    def clean(self):
        cleaned = super().clean()
        # every rule the corrected trajectory breaks on one submit; the dates it compares only
        # when both were filled in correctly (a date with an error of its own is not compared)
        if self.errors.keys() & {"started_on", "ended_on", "planned_end_on", "instrument"}:
            return cleaned
        candidate = copy.copy(self.fact)
        for name, value in self.changes().items():
            setattr(candidate, name, value)
        self.add_problems(
            services.trajectory_correct_problems(
                candidate,
                instrument_changed=candidate.instrument_id != self.fact.instrument_id,
                born=self.born,
            )
        )
        return cleaned


class OutflowCorrectForm(OutflowForm, FactCorrectForm):
    """Kind and reason are not corrected: withdraw the outflow and record it again."""

    kind = None
    reason = None

    def clean(self):
        cleaned = super(OutflowForm, self).clean()
        # the reason of the correction and every detail that breaks a rule on one submit
        self.add_problems(
            services.outflow_correct_problems(
                event=self.fact,
                occurred_on=cleaned.get("occurred_on"),
                hours_per_week=cleaned.get("hours_per_week"),
                contract_type=cleaned.get("contract_type"),
                is_hours_increase=bool(cleaned.get("is_hours_increase")),
                born=self.born,
            )
        )
        return cleaned


class DecisionCorrectForm(FactCorrectForm):
    """The date of a decision and, for a grant, the start of its benefit (the outcome itself
    is changed by withdrawing the decision and deciding again)."""

    decided_on = forms.DateField(label=_("Datum besluit"), widget=DATE())
    benefit_start = forms.DateField(
        label=_("Ingangsdatum uitkering"),
        widget=DATE(),
        required=False,
        help_text=_("Alleen bij een toekenning; niet vóór de datum van de melding."),
    )

    def __init__(self, *args, fact, **kwargs):
        initial = kwargs.pop("initial", None) or {}
        initial.setdefault("benefit_start", fact.benefit.start_date if fact.benefit else None)
        super().__init__(*args, fact=fact, initial=initial, **kwargs)
        if fact.benefit_id is None:
            del self.fields["benefit_start"]  # no grant: no benefit to start
        else:
            self.fields["benefit_start"].required = True
            self.fields["benefit_start"].error_messages["required"] = _(
                "Vul de ingangsdatum van de uitkering in."
            )

    def clean(self):
        cleaned = super().clean()
        # every rule the corrected decision breaks on one submit (the decision date and the
        # benefit start both before the melding; a benefit start in the future)
        if "benefit_start" in self.fields:
            now = self.fact.benefit.start_date
            typed = cleaned.get("benefit_start")
            benefit_start = typed if typed != now else None
        else:
            now = benefit_start = None
        self.add_problems(
            services.application_decision_correct_problems(
                application=self.fact,
                decided_on=cleaned.get("decided_on"),
                benefit_start=benefit_start,
                benefit_start_now=now,
            )
        )
        return cleaned


class ContactCorrectForm(ContactForm, FactCorrectForm):
    pass


class LadderCorrectForm(LadderForm, FactCorrectForm):
    pass


class GroupCorrectForm(GroupChangeForm, FactCorrectForm):
    decided_on = forms.DateField(label=_("Besluitdatum"), widget=DATE())
    reassess_on = forms.DateField(label=_("Herbeoordeling op"), widget=DATE())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("Reden van de indeling")


class ResidentContactForm(StyledForm):
    """How to reach the resident (issue 14): phone and e-mail, both optional."""

    phone = forms.CharField(
        label=_("Telefoonnummer"),
        max_length=20,
        required=False,
        validators=Resident._meta.get_field("phone").validators,
        help_text=_("Bijvoorbeeld 06 12345678 of +31 6 12345678. Leeg als onbekend."),
    )
    email = forms.EmailField(
        label=_("E-mailadres"),
        required=False,
        error_messages={
            "invalid": _("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.")
        },
    )
