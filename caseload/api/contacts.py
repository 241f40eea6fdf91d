"""Contact moments."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view

from caseload import api_filters
from caseload.models import ContactMoment
from caseload.serializers import contacts as serializers
from caseload.serializers import corrections as correction_serializers

from .base import ResidentChildViewSet
from .corrections import CorrectionActionsMixin, correction_schema


@extend_schema_view(
    list=extend_schema(summary="Contactmomenten"),
    retrieve=extend_schema(summary="Eén contactmoment"),
    create=extend_schema(
        summary="Contactmoment vastleggen",
        request=serializers.ContactMomentCreateSerializer,
        responses={201: serializers.ContactMomentSerializer},
    ),
    **correction_schema(
        label="Contactmoment",
        changes_serializer=correction_serializers.ContactMomentChangesSerializer,
        resource_serializer=serializers.ContactMomentSerializer,
    ),
)
class ContactMomentViewSet(CorrectionActionsMixin, ResidentChildViewSet):
    model = ContactMoment
    fact_type = "contact"  # issue 14: correct/ and withdraw/
    changes_serializer = correction_serializers.ContactMomentChangesSerializer
    serializers = {
        "default": serializers.ContactMomentSerializer,
        "create": serializers.ContactMomentCreateSerializer,
    }
    filterset_class = api_filters.ContactMomentFilter
    ordering_fields = ["id", "occurred_on"]
