"""Group assignments, with history."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view

from caseload import api_filters
from caseload.models import GroupAssignment
from caseload.serializers import corrections as correction_serializers
from caseload.serializers import groups as serializers

from .base import ResidentChildViewSet
from .corrections import CorrectionActionsMixin, correction_schema


@extend_schema_view(
    list=extend_schema(summary="Groepsindelingen", description="Met historie."),
    retrieve=extend_schema(summary="Eén groepsindeling"),
    create=extend_schema(
        summary="Inwoner indelen in een groep",
        description="De vorige indeling eindigt op de besluitdatum.",
        request=serializers.GroupAssignmentCreateSerializer,
        responses={201: serializers.GroupAssignmentSerializer},
    ),
    **correction_schema(
        label="Groepsindeling",
        changes_serializer=correction_serializers.GroupAssignmentChangesSerializer,
        resource_serializer=serializers.GroupAssignmentSerializer,
    ),
)
class GroupAssignmentViewSet(CorrectionActionsMixin, ResidentChildViewSet):
    model = GroupAssignment
    fact_type = "groep"  # issue 14: correct/ and withdraw/
    changes_serializer = correction_serializers.GroupAssignmentChangesSerializer
    serializers = {
        "default": serializers.GroupAssignmentSerializer,
        "create": serializers.GroupAssignmentCreateSerializer,
    }
    filterset_class = api_filters.GroupAssignmentFilter
    ordering_fields = ["id", "decided_on"]
