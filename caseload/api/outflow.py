"""Outflow (uitstroom)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view

from caseload import api_filters
from caseload.models import OutflowEvent
from caseload.serializers import corrections as correction_serializers
from caseload.serializers import outflow as serializers

from .base import ResidentChildViewSet
from .corrections import CorrectionActionsMixin, correction_schema


@extend_schema_view(
    list=extend_schema(summary="Uitstroom"),
    retrieve=extend_schema(summary="Eén uitstroom"),
    create=extend_schema(
        summary="Uitstroom vastleggen",
        description=(
            "Volledige uitstroom beëindigt de lopende uitkering en sluit lopende werkgerichte "
            "trajecten af; gedeeltelijke uitstroom houdt de uitkering open."
        ),
        request=serializers.OutflowEventCreateSerializer,
        responses={201: serializers.OutflowEventSerializer},
    ),
    **correction_schema(
        label="Uitstroom",
        changes_serializer=correction_serializers.OutflowEventChangesSerializer,
        resource_serializer=serializers.OutflowEventSerializer,
    ),
)
class OutflowEventViewSet(CorrectionActionsMixin, ResidentChildViewSet):
    model = OutflowEvent
    fact_type = "uitstroom"  # issue 14: correct/ and withdraw/
    changes_serializer = correction_serializers.OutflowEventChangesSerializer
    serializers = {
        "default": serializers.OutflowEventSerializer,
        "create": serializers.OutflowEventCreateSerializer,
    }
    filterset_class = api_filters.OutflowEventFilter
    ordering_fields = ["id", "occurred_on"]
