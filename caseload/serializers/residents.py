"""Residents: read (full and masked BSN), register, update, search by BSN."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from caseload import services
from caseload.models import Household, Resident, Team, User
from caseload.permissions import CaseloadPermission
from common.bsn import is_valid_bsn

from .base import ReadSerializer, ScopedPrimaryKeyField, ServiceSerializer

_CURRENT_GROUP = "Huidige groep (1, 2 of 3) volgens de lopende groepsindeling, of null."
_MASKED_BSN = "BSN gemaskeerd: alleen de laatste drie cijfers."


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


class ResidentListSerializer(_ResidentBase):
    """In lists the BSN is masked."""

    bsn_masked = serializers.CharField(source="masked_bsn", read_only=True, help_text=_MASKED_BSN)

    class Meta:
        model = Resident
        fields = [*RESIDENT_FIELDS[:2], "bsn_masked", *RESIDENT_FIELDS[2:]]
        read_only_fields = fields


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
    household = ScopedPrimaryKeyField(scope="households_writable", model=Household)
    team = ScopedPrimaryKeyField(scope="teams", model=Team)
    consulent = ScopedPrimaryKeyField(
        scope="consulenten", model=User, allow_null=True, required=False
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
        extra_kwargs = {"bsn": {"validators": []}}

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

    team = ScopedPrimaryKeyField(scope="teams", model=Team, required=False)
    consulent = ScopedPrimaryKeyField(
        scope="consulenten", model=User, allow_null=True, required=False
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
