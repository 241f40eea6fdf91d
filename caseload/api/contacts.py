"""Contact moments."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view

from caseload import api_filters
from caseload.models import ContactMoment
from caseload.serializers import contacts as serializers

from .base import ResidentChildViewSet


@extend_schema_view(
    list=extend_schema(summary="Contactmomenten"),
    retrieve=extend_schema(summary="Eén contactmoment"),
    create=extend_schema(
        summary="Contactmoment vastleggen",
        request=serializers.ContactMomentCreateSerializer,
        responses={201: serializers.ContactMomentSerializer},
    ),
)
class ContactMomentViewSet(ResidentChildViewSet):
    model = ContactMoment
    serializers = {
        "default": serializers.ContactMomentSerializer,
        "create": serializers.ContactMomentCreateSerializer,
    }
    filterset_class = api_filters.ContactMomentFilter
    ordering_fields = ["id", "occurred_on"]
