"""API serializers for the caseload. Thin: they validate input and call one service.

Every field has a Dutch ``help_text`` (the OpenAPI schema shows it). Querysets of related fields
come from the view (``context``), trimmed to what the caller may see.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from common.bsn import is_valid_bsn

from . import services
from .models import (
    Application,
    Benefit,
    CbsEndReason,
    ContactMoment,
    DebtCase,
    District,
    FraudInvestigation,
    Group,
    GroupAssignment,
    Household,
    Instrument,
    LadderScore,
    Municipality,
    OutflowEvent,
    Resident,
    Team,
    Trajectory,
    User,
)
from .permissions import CaseloadPermission

# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------

ID = "Technisch id; stabiel, zonder betekenis."
RESIDENT = "Id van de inwoner."


def help_texts(**texts: str) -> dict[str, dict[str, str]]:
    return {name: {"help_text": text} for name, text in texts.items()}


class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A related id whose queryset comes from the view's context (what the caller may see).

    Every id a write references goes through one of these (issue 12, finding 3): an object
    outside the scope answers exactly like a nonexistent id ("bestaat niet"), so the answer
    does not reveal that it exists. Without a request (schema generation) the queryset is
    empty."""

    def __init__(self, *, scope: str, model, **kwargs):
        self.scope = scope
        kwargs.setdefault("queryset", model.objects.none())
        super().__init__(**kwargs)

    def get_queryset(self):
        scopes = self.context.get("scopes") or {}
        factory = scopes.get(self.scope)
        return factory() if factory is not None else super().get_queryset()

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


class ReadSerializer(serializers.ModelSerializer):
    """Output only. Keeps ``allow_blank`` on read-only fields (DRF drops it), so the schema
    documents that a blank choice ("" for 'not set') can be returned."""

    def include_extra_kwargs(self, kwargs, extra_kwargs):
        allow_blank = kwargs.get("allow_blank", False)
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if allow_blank:
            kwargs["allow_blank"] = True
        return kwargs


class ServiceSerializer(serializers.ModelSerializer):
    """A ModelSerializer used for input only: ``save()`` calls ``perform(validated_data)``."""

    def perform(self, data: dict):  # pragma: no cover - overridden
        raise NotImplementedError

    def create(self, validated_data):
        return self.perform(validated_data)

    @property
    def user(self) -> User:
        return self.context["request"].user


# --------------------------------------------------------------------------------------------
# Households
# --------------------------------------------------------------------------------------------

HOUSEHOLD_HELP = help_texts(
    id=ID,
    municipality="Id van de gemeente waar het huishouden woont.",
    household_type="Leefvorm: alleenstaand, alleenstaande ouder, gehuwd/samenwonend of overig.",
    street="Straatnaam van het woonadres.",
    house_number="Huisnummer met eventuele toevoeging.",
    postcode="Postcode, bijvoorbeeld '1211 AB'.",
    city="Woonplaats.",
    district="Id van de wijk, of null.",
    children_count="Aantal minderjarige kinderen in het huishouden.",
)


class HouseholdSerializer(ReadSerializer):
    class Meta:
        model = Household
        fields = [
            "id",
            "municipality",
            "household_type",
            "street",
            "house_number",
            "postcode",
            "city",
            "district",
            "children_count",
        ]
        read_only_fields = fields
        extra_kwargs = HOUSEHOLD_HELP


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Nieuw huishouden",
            value={
                "municipality": 1,
                "household_type": "alleenstaand",
                "street": "Kerkstraat",
                "house_number": "12a",
                "postcode": "1211 AB",
                "city": "Hilversum",
                "district": None,
                "children_count": 0,
            },
            request_only=True,
        )
    ]
)
class HouseholdCreateSerializer(ServiceSerializer):
    municipality = ScopedPrimaryKeyField(
        scope="municipalities",
        model=Municipality,
        help_text=HOUSEHOLD_HELP["municipality"]["help_text"],
    )
    district = ScopedPrimaryKeyField(
        scope="districts",
        model=District,
        allow_null=True,
        required=False,
        help_text=HOUSEHOLD_HELP["district"]["help_text"],
    )

    class Meta:
        model = Household
        fields = [
            "municipality",
            "household_type",
            "street",
            "house_number",
            "postcode",
            "city",
            "district",
            "children_count",
        ]
        extra_kwargs = HOUSEHOLD_HELP

    def validate(self, attrs):
        district = attrs.get("district")
        if district is not None and district.municipality_id != attrs["municipality"].pk:
            raise serializers.ValidationError(
                {"district": "Deze wijk hoort bij een andere gemeente."}, code="district"
            )
        return attrs

    def perform(self, data):
        district = data.get("district")
        return services.household_create(
            municipality_id=data["municipality"].pk,
            household_type=data["household_type"],
            street=data["street"],
            house_number=data["house_number"],
            postcode=data["postcode"],
            city=data["city"],
            district_id=district.pk if district else None,
            children_count=data.get("children_count", 0),
        )


# --------------------------------------------------------------------------------------------
# Residents
# --------------------------------------------------------------------------------------------

RESIDENT_HELP = help_texts(
    id=ID,
    municipality="Id van de gemeente.",
    bsn="Burgerservicenummer (9 cijfers, elfproef). Nooit in een URL of querystring.",
    bsn_masked="BSN gemaskeerd: alleen de laatste drie cijfers.",
    is_fake="Fictieve inwoner (demo- of testgegevens).",
    first_name="Voornaam.",
    name_prefix="Tussenvoegsel, bijvoorbeeld 'van der'.",
    last_name="Achternaam.",
    birth_date="Geboortedatum (JJJJ-MM-DD).",
    household="Id van het huishouden.",
    household_role="Rol in het huishouden: aanvrager, partner of overig lid.",
    education_level="Hoogst behaalde opleidingsniveau.",
    has_startkwalificatie="Heeft een startkwalificatie (havo, vwo of mbo 2 of hoger).",
    is_status_holder="Statushouder (vergunninghouder).",
    in_doelgroepregister="Staat in het doelgroepregister (banenafspraak).",
    language_level="Taalniveau Nederlands.",
    team="Id van het team dat de inwoner begeleidt.",
    consulent="Id van de vaste consulent, of null.",
    registered_at="Moment van registratie in dit systeem.",
)
_CURRENT_GROUP = "Huidige groep (1, 2 of 3) volgens de lopende groepsindeling, of null."


class _ResidentBase(ReadSerializer):
    current_group = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_CURRENT_GROUP
    )


RESIDENT_FIELDS = [
    "id",
    "municipality",
    "is_fake",
    "first_name",
    "name_prefix",
    "last_name",
    "birth_date",
    "household",
    "household_role",
    "education_level",
    "has_startkwalificatie",
    "is_status_holder",
    "in_doelgroepregister",
    "language_level",
    "team",
    "consulent",
    "registered_at",
    "current_group",
]


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Inwoner",
            value={
                "id": 42,
                "municipality": 1,
                "bsn": "999990019",
                "is_fake": True,
                "first_name": "Fatima",
                "name_prefix": "",
                "last_name": "El Amrani",
                "birth_date": "1990-04-01",
                "household": 17,
                "household_role": "aanvrager",
                "education_level": "mbo2",
                "has_startkwalificatie": True,
                "is_status_holder": False,
                "in_doelgroepregister": False,
                "language_level": "b1",
                "team": 3,
                "consulent": 8,
                "registered_at": "2026-01-05T09:30:00+01:00",
                "current_group": 2,
            },
            response_only=True,
        )
    ]
)
class ResidentSerializer(_ResidentBase):
    """A resident's record with the full BSN (detail, search, create, update)."""

    class Meta:
        model = Resident
        fields = [*RESIDENT_FIELDS[:2], "bsn", *RESIDENT_FIELDS[2:]]
        read_only_fields = fields
        extra_kwargs = RESIDENT_HELP


class ResidentListSerializer(_ResidentBase):
    """In lists the BSN is masked."""

    bsn_masked = serializers.CharField(
        source="masked_bsn", read_only=True, help_text=RESIDENT_HELP["bsn_masked"]["help_text"]
    )

    class Meta:
        model = Resident
        fields = [*RESIDENT_FIELDS[:2], "bsn_masked", *RESIDENT_FIELDS[2:]]
        read_only_fields = fields
        extra_kwargs = RESIDENT_HELP


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Nieuwe inwoner",
            value={
                "bsn": "999990019",
                "first_name": "Fatima",
                "name_prefix": "",
                "last_name": "El Amrani",
                "birth_date": "1990-04-01",
                "household": 17,
                "household_role": "aanvrager",
                "education_level": "mbo2",
                "has_startkwalificatie": True,
                "is_status_holder": False,
                "in_doelgroepregister": False,
                "language_level": "b1",
                "team": 3,
                "consulent": None,
            },
            request_only=True,
        )
    ]
)
class ResidentCreateSerializer(ServiceSerializer):
    household = ScopedPrimaryKeyField(
        scope="households_writable",
        model=Household,
        help_text=RESIDENT_HELP["household"]["help_text"],
    )
    team = ScopedPrimaryKeyField(
        scope="teams", model=Team, help_text=RESIDENT_HELP["team"]["help_text"]
    )
    consulent = ScopedPrimaryKeyField(
        scope="consulenten",
        model=User,
        allow_null=True,
        required=False,
        help_text=RESIDENT_HELP["consulent"]["help_text"],
    )

    class Meta:
        model = Resident
        fields = [
            "bsn",
            "first_name",
            "name_prefix",
            "last_name",
            "birth_date",
            "household",
            "household_role",
            "education_level",
            "has_startkwalificatie",
            "is_status_holder",
            "in_doelgroepregister",
            "language_level",
            "team",
            "consulent",
        ]
        # uniqueness is the service's check (with a message that does not echo the BSN)
        extra_kwargs = {**RESIDENT_HELP, "bsn": {**RESIDENT_HELP["bsn"], "validators": []}}

    def validate_bsn(self, value: str) -> str:
        if not is_valid_bsn(value.strip()):
            raise serializers.ValidationError(
                "Dit is geen geldig BSN (elfproef).", code="bsn_invalid"
            )
        return value.strip()

    def perform(self, data):
        return services.resident_register(**data)


class ResidentUpdateSerializer(ServiceSerializer):
    """Non-identity fields; BSN, name and birth date are not changed through the API.

    The other fields need ``caseload.change_dossier`` (every write does); these need more, as in
    the UI, checked per field by the view before the values are resolved (issue 12, finding 4).
    """

    field_permissions = {
        "team": (
            CaseloadPermission.REASSIGN_RESIDENT,
            _("U mag het team van een inwoner niet wijzigen (herverdelen)."),
        ),
        "consulent": (
            CaseloadPermission.REASSIGN_RESIDENT,
            _("U mag de consulent van een inwoner niet wijzigen (herverdelen)."),
        ),
    }

    team = ScopedPrimaryKeyField(
        scope="teams", model=Team, required=False, help_text=RESIDENT_HELP["team"]["help_text"]
    )
    consulent = ScopedPrimaryKeyField(
        scope="consulenten",
        model=User,
        allow_null=True,
        required=False,
        help_text=RESIDENT_HELP["consulent"]["help_text"],
    )

    class Meta:
        model = Resident
        fields = [
            "household_role",
            "education_level",
            "has_startkwalificatie",
            "is_status_holder",
            "in_doelgroepregister",
            "language_level",
            "team",
            "consulent",
        ]
        extra_kwargs = RESIDENT_HELP

    def update(self, instance, validated_data):
        data = dict(validated_data)
        team = data.pop("team", None)
        has_consulent = "consulent" in data
        consulent = data.pop("consulent", None)
        if team is not None or has_consulent:
            instance = services.resident_reassign(
                resident=instance,
                team=team or instance.team,
                consulent=consulent if has_consulent else instance.consulent,
                by=self.user,
            )
        if data:
            instance = services.resident_update(resident=instance, **data)
        return instance


@extend_schema_serializer(
    examples=[OpenApiExample("Zoeken op BSN", value={"bsn": "999990019"}, request_only=True)]
)
class ResidentSearchSerializer(serializers.Serializer):
    bsn = serializers.CharField(
        max_length=9,
        min_length=9,
        help_text="Het BSN om op te zoeken (9 cijfers). Alleen in de body, nooit in de URL.",
    )

    def validate_bsn(self, value: str) -> str:
        if not is_valid_bsn(value):
            raise serializers.ValidationError(
                "Dit is geen geldig BSN (elfproef).", code="bsn_invalid"
            )
        return value


class ResidentSearchResultSerializer(serializers.Serializer):
    results = ResidentSerializer(
        many=True, help_text="Nul of één inwoner: alleen als u deze inwoner mag zien."
    )


# --------------------------------------------------------------------------------------------
# Benefits and applications
# --------------------------------------------------------------------------------------------


class BenefitSerializer(ReadSerializer):
    is_open = serializers.BooleanField(
        read_only=True, help_text="Lopende uitkering (geen einddatum)."
    )

    class Meta:
        model = Benefit
        fields = [
            "id",
            "household",
            "applicant",
            "regime",
            "start_date",
            "end_date",
            "end_reason",
            "is_open",
        ]
        read_only_fields = fields
        extra_kwargs = help_texts(
            id=ID,
            household="Id van het huishouden waarvoor de uitkering geldt.",
            applicant="Id van de inwoner die de uitkering aanvroeg.",
            regime="Regeling uit de BUIG: pw, ioaw, ioaz, bbz_starter of lks.",
            start_date="Ingangsdatum.",
            end_date="Einddatum, of null als de uitkering loopt.",
            end_reason="CBS-reden van beëindiging (bijv. 11 werk in loondienst), of leeg.",
        )


APPLICATION_HELP = help_texts(
    id=ID,
    resident=RESIDENT,
    regime="Regeling waarvoor de aanvraag is gedaan.",
    received_on="Datum van de melding.",
    risk_profile="Risicoprofiel: normaal of verhoogd (grondige rechtmatigheidstoets).",
    prevention_route="Preventieroute, bijvoorbeeld begeleiding einde WW met UWV.",
    outcome="Uitkomst: in behandeling, toegekend, afgewezen, ingetrokken of voorkomen.",
    decided_on="Datum van het besluit, of null.",
    benefit="Id van de uitkering die de toekenning opende, of null.",
)


class ApplicationSerializer(ReadSerializer):
    class Meta:
        model = Application
        fields = list(APPLICATION_HELP)
        read_only_fields = fields
        extra_kwargs = APPLICATION_HELP


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Nieuwe melding",
            value={
                "resident": 42,
                "received_on": "2026-11-02",
                "regime": "pw",
                "risk_profile": "normaal",
                "prevention_route": "ww_coaching",
            },
            request_only=True,
        )
    ]
)
class ApplicationCreateSerializer(ServiceSerializer):
    resident = ScopedPrimaryKeyField(scope="residents", model=Resident, help_text=RESIDENT)

    class Meta:
        model = Application
        fields = ["resident", "received_on", "regime", "risk_profile", "prevention_route"]
        extra_kwargs = APPLICATION_HELP

    def perform(self, data):
        return services.application_register(**data)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Toekennen",
            value={"outcome": "toegekend", "decided_on": "2026-11-20", "benefit_start": None},
            request_only=True,
        )
    ]
)
class ApplicationDecideSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=[c for c in Application.Outcome.choices if c[0] != Application.Outcome.PENDING],
        help_text="Besluit: toegekend, afgewezen, ingetrokken of voorkomen.",
    )
    decided_on = serializers.DateField(help_text="Datum van het besluit.")
    benefit_start = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="Ingangsdatum van de uitkering bij toekenning; standaard de meldingsdatum.",
    )


# --------------------------------------------------------------------------------------------
# Groups
# --------------------------------------------------------------------------------------------

GROUP_HELP = help_texts(
    id=ID,
    resident=RESIDENT,
    group="Groep 1 (kan nu werken), 2 (werk binnen twee jaar) of 3 (nu geen perspectief).",
    decided_on="Datum van het besluit over de indeling.",
    reason="Reden van de indeling.",
    decided_by="Id van de medewerker die besloot.",
    reassess_on="Datum van de herbeoordeling.",
    ended_on="Einddatum van deze indeling (bij een nieuwe indeling), of null.",
)


class GroupAssignmentSerializer(ReadSerializer):
    is_current = serializers.BooleanField(read_only=True, help_text="De lopende indeling.")

    class Meta:
        model = GroupAssignment
        fields = [*GROUP_HELP, "is_current"]
        read_only_fields = fields
        extra_kwargs = GROUP_HELP


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Indeling in groep 2",
            value={
                "resident": 42,
                "group": 2,
                "reason": "Brede intake: met scholing binnen twee jaar aan het werk.",
                "decided_on": "2026-11-20",
                "reassess_on": None,
            },
            request_only=True,
        )
    ]
)
class GroupAssignmentCreateSerializer(ServiceSerializer):
    resident = ScopedPrimaryKeyField(scope="residents", model=Resident, help_text=RESIDENT)
    group = serializers.ChoiceField(
        choices=Group.choices, help_text=GROUP_HELP["group"]["help_text"]
    )
    decided_on = serializers.DateField(
        required=False, allow_null=True, help_text="Datum van het besluit; standaard vandaag."
    )
    reassess_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="Datum herbeoordeling; standaard een half jaar (groep 1) of een jaar later.",
    )

    class Meta:
        model = GroupAssignment
        fields = ["resident", "group", "reason", "decided_on", "reassess_on"]
        extra_kwargs = GROUP_HELP

    def perform(self, data):
        return services.group_assign(by=self.user, **data)


# --------------------------------------------------------------------------------------------
# Instruments and trajectories
# --------------------------------------------------------------------------------------------


class InstrumentSerializer(ReadSerializer):
    class Meta:
        model = Instrument
        fields = [
            "id",
            "code",
            "name",
            "category",
            "srg_type",
            "is_working_with_support",
            "is_participation",
            "default_cost",
            "description",
            "is_active",
        ]
        read_only_fields = fields
        extra_kwargs = help_texts(
            id=ID,
            code="Vaste code van het instrument, bijvoorbeeld 'werkervaringsplaats'.",
            name="Naam van het instrument.",
            category="Categorie: naar werk, ontwikkeling, participatie, ondersteuning, ...",
            srg_type="Soort re-integratievoorziening volgens CBS (SRG), of leeg.",
            is_working_with_support="Telt als werken met ondersteuning (LKS, beschut, jobcoach).",
            is_participation="Telt als participatieactiviteit.",
            default_cost="Standaardkosten in euro.",
            description="Omschrijving.",
            is_active="Nog in gebruik voor nieuwe trajecten.",
        )


TRAJECTORY_HELP = help_texts(
    id=ID,
    resident=RESIDENT,
    instrument="Id van het instrument uit de catalogus.",
    provider="Aanbieder die het traject uitvoert.",
    started_on="Startdatum.",
    planned_end_on="Geplande einddatum, of null.",
    ended_on="Werkelijke einddatum, of null als het traject loopt.",
    result="Resultaat bij afsluiting, of leeg.",
    cost="Kosten in euro.",
    created_by="Id van de medewerker die het traject startte.",
)


class TrajectorySerializer(ReadSerializer):
    is_open = serializers.BooleanField(read_only=True, help_text="Het traject loopt nog.")

    class Meta:
        model = Trajectory
        fields = [*TRAJECTORY_HELP, "is_open"]
        read_only_fields = fields
        extra_kwargs = TRAJECTORY_HELP


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Traject starten",
            value={
                "resident": 42,
                "instrument": 6,
                "started_on": "2026-11-01",
                "provider": "Werkbedrijf Gooi",
                "planned_end_on": "2027-05-01",
                "cost": "2000.00",
            },
            request_only=True,
        )
    ]
)
class TrajectoryCreateSerializer(ServiceSerializer):
    resident = ScopedPrimaryKeyField(scope="residents", model=Resident, help_text=RESIDENT)
    instrument = ScopedPrimaryKeyField(
        scope="instruments", model=Instrument, help_text=TRAJECTORY_HELP["instrument"]["help_text"]
    )
    cost = serializers.DecimalField(
        max_digits=9,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        help_text="Kosten in euro; standaard de standaardkosten van het instrument.",
    )

    class Meta:
        model = Trajectory
        fields = ["resident", "instrument", "started_on", "provider", "planned_end_on", "cost"]
        extra_kwargs = TRAJECTORY_HELP

    def perform(self, data):
        return services.trajectory_start(by=self.user, **data)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Traject afsluiten",
            value={"ended_on": "2026-11-20", "result": "afgerond", "cost": None},
            request_only=True,
        )
    ]
)
class TrajectoryCloseSerializer(serializers.Serializer):
    ended_on = serializers.DateField(help_text="Einddatum van het traject.")
    result = serializers.ChoiceField(
        choices=Trajectory.Result.choices, help_text="Resultaat van het traject."
    )
    cost = serializers.DecimalField(
        max_digits=9,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        help_text="Werkelijke kosten in euro; leeg laat de kosten ongewijzigd.",
    )


# --------------------------------------------------------------------------------------------
# Outflow, contacts, ladder
# --------------------------------------------------------------------------------------------

OUTFLOW_HELP = help_texts(
    id=ID,
    resident=RESIDENT,
    benefit="Id van de uitkering waaruit de inwoner (deels) uitstroomt.",
    kind="Volledige of gedeeltelijke uitstroom.",
    reason="Reden: werk of een andere reden.",
    occurred_on="Datum van uitstroom.",
    is_hours_increase="Werkte al in deeltijd en gaat meer uren werken.",
    hours_per_week="Uren per week in het nieuwe werk.",
    employer="Naam van de werkgever.",
    sector="Sector van het werk.",
    contract_type="Soort contract (verplicht bij uitstroom naar werk).",
    is_subsidised="Gesubsidieerd werk, bijvoorbeeld met loonkostensubsidie.",
    still_off_benefit_6m="Na 6 maanden nog uit de uitkering (null: nog niet bekend).",
    still_off_benefit_12m="Na 12 maanden nog uit de uitkering (null: nog niet bekend).",
    recorded_by="Id van de medewerker die de uitstroom vastlegde.",
    recorded_at="Moment van vastleggen.",
)


class OutflowEventSerializer(ReadSerializer):
    class Meta:
        model = OutflowEvent
        fields = list(OUTFLOW_HELP)
        read_only_fields = fields
        extra_kwargs = OUTFLOW_HELP


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Volledige uitstroom naar werk",
            value={
                "resident": 42,
                "kind": "volledig",
                "reason": "werk",
                "occurred_on": "2026-11-01",
                "hours_per_week": "32.0",
                "employer": "Zorggroep Gooi",
                "sector": "Zorg",
                "contract_type": "tijdelijk",
                "is_subsidised": False,
                "is_hours_increase": False,
                "end_reason": "",
            },
            request_only=True,
        )
    ]
)
class OutflowEventCreateSerializer(ServiceSerializer):
    resident = ScopedPrimaryKeyField(scope="residents", model=Resident, help_text=RESIDENT)
    end_reason = serializers.ChoiceField(
        choices=CbsEndReason.choices,
        required=False,
        allow_blank=True,
        help_text="CBS-reden van beëindiging bij volledige uitstroom; standaard 11 of 13 bij werk.",
    )

    class Meta:
        model = OutflowEvent
        fields = [
            "resident",
            "kind",
            "reason",
            "occurred_on",
            "end_reason",
            "hours_per_week",
            "employer",
            "sector",
            "contract_type",
            "is_subsidised",
            "is_hours_increase",
        ]
        extra_kwargs = OUTFLOW_HELP

    def perform(self, data):
        return services.outflow_record(by=self.user, **data)


CONTACT_HELP = help_texts(
    id=ID,
    resident=RESIDENT,
    occurred_on="Datum van het contact.",
    channel="Kanaal: gesprek, huisbezoek, telefoon, video of schriftelijk.",
    by="Id van de medewerker die het contact had.",
    summary="Kort verslag (functionele conclusies, geen diagnoses).",
)


class ContactMomentSerializer(ReadSerializer):
    class Meta:
        model = ContactMoment
        fields = list(CONTACT_HELP)
        read_only_fields = fields
        extra_kwargs = CONTACT_HELP


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Contactmoment",
            value={
                "resident": 42,
                "occurred_on": "2026-11-18",
                "channel": "gesprek",
                "summary": "Voortgang werkervaringsplaats besproken.",
            },
            request_only=True,
        )
    ]
)
class ContactMomentCreateSerializer(ServiceSerializer):
    resident = ScopedPrimaryKeyField(scope="residents", model=Resident, help_text=RESIDENT)

    class Meta:
        model = ContactMoment
        fields = ["resident", "occurred_on", "channel", "summary"]
        extra_kwargs = CONTACT_HELP

    def perform(self, data):
        return services.contact_record(by=self.user, **data)


LADDER_HELP = help_texts(
    id=ID,
    resident=RESIDENT,
    measured_on="Datum van de meting.",
    step="Trede op de participatieladder: 1 geïsoleerd ... 6 betaald werk.",
    by="Id van de medewerker die mat.",
)


class LadderScoreSerializer(ReadSerializer):
    class Meta:
        model = LadderScore
        fields = list(LADDER_HELP)
        read_only_fields = fields
        extra_kwargs = LADDER_HELP


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Meting",
            value={"resident": 42, "measured_on": "2026-11-18", "step": 3},
            request_only=True,
        )
    ]
)
class LadderScoreCreateSerializer(ServiceSerializer):
    resident = ScopedPrimaryKeyField(scope="residents", model=Resident, help_text=RESIDENT)

    class Meta:
        model = LadderScore
        fields = ["resident", "measured_on", "step"]
        extra_kwargs = LADDER_HELP

    def perform(self, data):
        return services.ladder_score_record(by=self.user, **data)


# --------------------------------------------------------------------------------------------
# Enforcement and debts
# --------------------------------------------------------------------------------------------

FRAUD_HELP = help_texts(
    id=ID,
    resident=RESIDENT,
    started_on="Startdatum van het onderzoek.",
    signal_source="Bron van het signaal: inlichtingenbureau, tip, intern of themacontrole.",
    ended_on="Einddatum, of null als het onderzoek loopt.",
    result="Resultaat: uitkering beëindigd, aangepast of ongewijzigd; leeg als het loopt.",
    claim_amount="Vordering in euro.",
)


class FraudInvestigationSerializer(ReadSerializer):
    class Meta:
        model = FraudInvestigation
        fields = list(FRAUD_HELP)
        read_only_fields = fields
        extra_kwargs = FRAUD_HELP


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Onderzoek starten",
            value={
                "resident": 42,
                "started_on": "2026-11-10",
                "signal_source": "inlichtingenbureau",
            },
            request_only=True,
        )
    ]
)
class FraudInvestigationCreateSerializer(ServiceSerializer):
    resident = ScopedPrimaryKeyField(scope="residents", model=Resident, help_text=RESIDENT)

    class Meta:
        model = FraudInvestigation
        fields = ["resident", "started_on", "signal_source"]
        extra_kwargs = FRAUD_HELP

    def perform(self, data):
        return services.fraud_investigation_start(**data)


class FraudInvestigationCloseSerializer(serializers.Serializer):
    ended_on = serializers.DateField(help_text="Einddatum van het onderzoek.")
    result = serializers.ChoiceField(
        choices=FraudInvestigation.Result.choices, help_text="Resultaat van het onderzoek."
    )
    claim_amount = serializers.DecimalField(
        max_digits=9,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text="Vordering in euro; standaard 0.",
    )


DEBT_HELP = help_texts(
    id=ID,
    resident=RESIDENT,
    applied_on="Datum van aanmelding voor schuldhulpverlening.",
    total_debt="Totale schuld in euro.",
    closed_on="Datum van afsluiten, of null.",
    result="Resultaat bij afsluiten, of leeg.",
)


class DebtCaseSerializer(ReadSerializer):
    class Meta:
        model = DebtCase
        fields = list(DEBT_HELP)
        read_only_fields = fields
        extra_kwargs = DEBT_HELP


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Aanmelding schuldhulp",
            value={"resident": 42, "applied_on": "2026-11-12", "total_debt": "8450.00"},
            request_only=True,
        )
    ]
)
class DebtCaseCreateSerializer(ServiceSerializer):
    resident = ScopedPrimaryKeyField(scope="residents", model=Resident, help_text=RESIDENT)

    class Meta:
        model = DebtCase
        fields = ["resident", "applied_on", "total_debt"]
        extra_kwargs = {**DEBT_HELP, "total_debt": {**DEBT_HELP["total_debt"], "min_value": 0}}

    def perform(self, data):
        return services.debt_case_open(**data)


class DebtCaseCloseSerializer(serializers.Serializer):
    closed_on = serializers.DateField(help_text="Datum van afsluiten.")
    result = serializers.ChoiceField(
        choices=DebtCase.Result.choices, help_text="Resultaat van het schuldhulptraject."
    )
