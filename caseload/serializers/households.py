"""Households."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from caseload import services
from caseload.models import District, Household, Municipality

from .base import ReadSerializer, ScopedPrimaryKeyField, ServiceSerializer

HOUSEHOLD_FIELDS = [
    "municipality",
    "household_type",
    "street",
    "house_number",
    "postcode",
    "city",
    "district",
    "children_count",
]


class HouseholdSerializer(ReadSerializer):
    class Meta:
        model = Household
        fields = ["id", *HOUSEHOLD_FIELDS]
        read_only_fields = fields


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
    municipality = ScopedPrimaryKeyField(scope="municipalities", model=Municipality)
    district = ScopedPrimaryKeyField(
        scope="districts", model=District, allow_null=True, required=False
    )

    class Meta:
        model = Household
        fields = HOUSEHOLD_FIELDS

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
