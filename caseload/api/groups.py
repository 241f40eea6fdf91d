"""Group assignments, with history."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view

from caseload import api_filters
from caseload.models import GroupAssignment
from caseload.serializers import groups as serializers

from .base import ResidentChildViewSet


@extend_schema_view(
    list=extend_schema(summary="Groepsindelingen", description="Met historie."),
    retrieve=extend_schema(summary="Eén groepsindeling"),
    create=extend_schema(
        summary="Inwoner indelen in een groep",
        description="De vorige indeling eindigt op de besluitdatum.",
        request=serializers.GroupAssignmentCreateSerializer,
        responses={201: serializers.GroupAssignmentSerializer},
    ),
)
class GroupAssignmentViewSet(ResidentChildViewSet):
    model = GroupAssignment
    serializers = {
        "default": serializers.GroupAssignmentSerializer,
        "create": serializers.GroupAssignmentCreateSerializer,
    }
    filterset_class = api_filters.GroupAssignmentFilter
    ordering_fields = ["id", "decided_on"]
