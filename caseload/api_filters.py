"""django-filter sets for the caseload API. No BSN filter: the BSN is searched only by POST."""

from __future__ import annotations

import django_filters as filters
from django.db.models import Exists, OuterRef
from drf_spectacular.utils import extend_schema_field

from .models import (
    Application,
    Benefit,
    ContactMoment,
    DebtCase,
    FraudInvestigation,
    Group,
    GroupAssignment,
    Household,
    Instrument,
    LadderScore,
    OutflowEvent,
    Resident,
    Trajectory,
)

MAX_ID = 2**63 - 1


def IdFilter(field_name: str, help_text: str) -> filters.NumberFilter:  # noqa: N802 - a factory
    return filters.NumberFilter(
        field_name=field_name, min_value=1, max_value=MAX_ID, help_text=help_text
    )


def _open(field: str):
    def method(queryset, name, value):
        return queryset.filter(**{f"{field}__isnull": value})

    return method


@extend_schema_field(
    {"type": "integer", "enum": [1, 2, 3], "description": "Huidige groep (1, 2 of 3)."}
)
class GroupFilter(filters.TypedChoiceFilter):
    pass


class ResidentFilter(filters.FilterSet):
    team = IdFilter("team_id", "Alleen inwoners van dit team (id).")
    consulent = IdFilter("consulent_id", "Alleen inwoners van deze consulent (id).")
    municipality = IdFilter("municipality_id", "Alleen inwoners van deze gemeente (id).")
    household = IdFilter("household_id", "Alleen leden van dit huishouden (id).")
    group = GroupFilter(
        choices=Group.choices,
        coerce=int,
        method="filter_group",
        help_text="Alleen inwoners met deze huidige groep (1, 2 of 3).",
    )
    last_name = filters.CharFilter(
        field_name="last_name",
        lookup_expr="istartswith",
        max_length=80,
        help_text="Achternaam begint met (hoofdletterongevoelig).",
    )
    is_status_holder = filters.BooleanFilter(help_text="Alleen statushouders (true) of niet.")
    in_doelgroepregister = filters.BooleanFilter(help_text="In het doelgroepregister.")
    registered_from = filters.DateFilter(
        field_name="registered_at",
        lookup_expr="date__gte",
        help_text="Geregistreerd op of na deze datum (JJJJ-MM-DD).",
    )
    registered_until = filters.DateFilter(
        field_name="registered_at",
        lookup_expr="date__lte",
        help_text="Geregistreerd op of voor deze datum (JJJJ-MM-DD).",
    )

    class Meta:
        model = Resident
        fields: list[str] = []

    def filter_group(self, queryset, name, value):
        current = GroupAssignment.objects.filter(
            resident=OuterRef("pk"), ended_on__isnull=True, group=value
        )
        return queryset.filter(Exists(current))


class HouseholdFilter(filters.FilterSet):
    household_type = filters.ChoiceFilter(
        choices=Household._meta.get_field("household_type").choices, help_text="Leefvorm."
    )
    postcode = filters.CharFilter(
        method="filter_postcode", max_length=7, help_text="Postcode, met of zonder spatie."
    )
    district = IdFilter("district_id", "Wijk (id).")

    class Meta:
        model = Household
        fields: list[str] = []

    def filter_postcode(self, queryset, name, value):
        compact = value.replace(" ", "").upper()
        spaced = f"{compact[:4]} {compact[4:]}" if len(compact) == 6 else compact
        return queryset.filter(postcode__in={compact, spaced})


class BenefitFilter(filters.FilterSet):
    household = IdFilter("household_id", "Huishouden (id).")
    applicant = IdFilter("applicant_id", "Aanvrager (id).")
    regime = filters.ChoiceFilter(
        choices=Benefit._meta.get_field("regime").choices, help_text="Regeling."
    )
    is_open = filters.BooleanFilter(method=_open("end_date"), help_text="Alleen lopende (true).")
    start_date = filters.DateFromToRangeFilter(
        help_text="Ingangsdatum tussen (start_date_after / start_date_before)."
    )

    class Meta:
        model = Benefit
        fields: list[str] = []


class ResidentChildFilter(filters.FilterSet):
    resident = IdFilter("resident_id", "Alleen van deze inwoner (id).")

    class Meta:
        fields: list[str] = []


class ApplicationFilter(ResidentChildFilter):
    regime = filters.ChoiceFilter(
        choices=Application._meta.get_field("regime").choices, help_text="Regeling."
    )
    outcome = filters.ChoiceFilter(choices=Application.Outcome.choices, help_text="Uitkomst.")
    received_on = filters.DateFromToRangeFilter(
        help_text="Meldingsdatum tussen (received_on_after / received_on_before)."
    )

    class Meta:
        model = Application
        fields: list[str] = []


class GroupAssignmentFilter(ResidentChildFilter):
    group = filters.TypedChoiceFilter(choices=Group.choices, coerce=int, help_text="Groep.")
    is_current = filters.BooleanFilter(
        method=_open("ended_on"), help_text="Alleen lopende indelingen (true)."
    )

    class Meta:
        model = GroupAssignment
        fields: list[str] = []


class InstrumentFilter(filters.FilterSet):
    category = filters.ChoiceFilter(choices=Instrument.Category.choices, help_text="Categorie.")
    srg_type = filters.ChoiceFilter(
        choices=[c for c in Instrument.SrgType.choices if c[0]], help_text="SRG-soort."
    )
    is_active = filters.BooleanFilter(help_text="Alleen actieve instrumenten (true).")

    class Meta:
        model = Instrument
        fields: list[str] = []


class TrajectoryFilter(ResidentChildFilter):
    instrument = IdFilter("instrument_id", "Instrument (id).")
    is_open = filters.BooleanFilter(method=_open("ended_on"), help_text="Alleen lopende (true).")
    result = filters.ChoiceFilter(choices=Trajectory.Result.choices, help_text="Resultaat.")
    started_on = filters.DateFromToRangeFilter(
        help_text="Startdatum tussen (started_on_after / started_on_before)."
    )

    class Meta:
        model = Trajectory
        fields: list[str] = []


class OutflowEventFilter(ResidentChildFilter):
    kind = filters.ChoiceFilter(choices=OutflowEvent.Kind.choices, help_text="Soort uitstroom.")
    reason = filters.ChoiceFilter(choices=OutflowEvent.Reason.choices, help_text="Reden.")
    occurred_on = filters.DateFromToRangeFilter(
        help_text="Uitstroomdatum tussen (occurred_on_after / occurred_on_before)."
    )

    class Meta:
        model = OutflowEvent
        fields: list[str] = []


class ContactMomentFilter(ResidentChildFilter):
    channel = filters.ChoiceFilter(choices=ContactMoment.Channel.choices, help_text="Kanaal.")
    occurred_on = filters.DateFromToRangeFilter(
        help_text="Contactdatum tussen (occurred_on_after / occurred_on_before)."
    )

    class Meta:
        model = ContactMoment
        fields: list[str] = []


class LadderScoreFilter(ResidentChildFilter):
    step = filters.TypedChoiceFilter(
        choices=LadderScore.Step.choices, coerce=int, help_text="Trede."
    )
    measured_on = filters.DateFromToRangeFilter(
        help_text="Meetdatum tussen (measured_on_after / measured_on_before)."
    )

    class Meta:
        model = LadderScore
        fields: list[str] = []


class FraudInvestigationFilter(ResidentChildFilter):
    signal_source = filters.ChoiceFilter(
        choices=FraudInvestigation.SignalSource.choices, help_text="Bron van het signaal."
    )
    result = filters.ChoiceFilter(choices=FraudInvestigation.Result.choices, help_text="Resultaat.")
    is_open = filters.BooleanFilter(method=_open("ended_on"), help_text="Alleen lopende (true).")

    class Meta:
        model = FraudInvestigation
        fields: list[str] = []


class DebtCaseFilter(ResidentChildFilter):
    result = filters.ChoiceFilter(choices=DebtCase.Result.choices, help_text="Resultaat.")
    is_open = filters.BooleanFilter(method=_open("closed_on"), help_text="Alleen lopende (true).")

    class Meta:
        model = DebtCase
        fields: list[str] = []
