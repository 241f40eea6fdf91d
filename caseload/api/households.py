"""Households with a visible member."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins

from apiauth.idempotency import IdempotentCreateMixin
from caseload import api_filters
from caseload.models import Household
from caseload.serializers import households as serializers

from .base import CaseloadViewSet, ServiceCreateMixin


@extend_schema_view(
    list=extend_schema(summary="Huishoudens", description="Huishoudens met een zichtbaar lid."),
    retrieve=extend_schema(summary="Eén huishouden"),
    create=extend_schema(
        summary="Huishouden aanmaken",
        request=serializers.HouseholdCreateSerializer,
        responses={201: serializers.HouseholdSerializer},
    ),
)
class HouseholdViewSet(
    IdempotentCreateMixin,
    ServiceCreateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    CaseloadViewSet,
):
    privacy_object_type = "household"
    serializers = {
        "default": serializers.HouseholdSerializer,
        "create": serializers.HouseholdCreateSerializer,
    }
    filterset_class = api_filters.HouseholdFilter

    def get_queryset(self):
        visible_member = self.residents().filter(household_id=OuterRef("pk"))
        return Household.objects.filter(Exists(visible_member))
