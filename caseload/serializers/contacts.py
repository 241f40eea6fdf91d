"""Contact moments."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema_serializer

from caseload import services
from caseload.models import ContactMoment

from .base import ReadSerializer, ServiceSerializer, resident_field


class ContactMomentSerializer(ReadSerializer):
    class Meta:
        model = ContactMoment
        fields = ["id", "resident", "occurred_on", "channel", "by", "summary"]
        read_only_fields = fields


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
    resident = resident_field()

    class Meta:
        model = ContactMoment
        fields = ["resident", "occurred_on", "channel", "summary"]

    def perform(self, data):
        return services.contact_record(by=self.user, **data)
