"""Debt cases (schuldhulpverlening)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.response import Response

from caseload import api_filters, services
from caseload.models import DebtCase
from caseload.serializers import debts as serializers

from .base import ResidentChildViewSet


@extend_schema_view(
    list=extend_schema(summary="Schuldhulptrajecten"),
    retrieve=extend_schema(summary="Eén schuldhulptraject"),
    create=extend_schema(
        summary="Aanmelding schuldhulpverlening",
        request=serializers.DebtCaseCreateSerializer,
        responses={201: serializers.DebtCaseSerializer},
    ),
    close=extend_schema(
        summary="Schuldhulptraject afsluiten",
        request=serializers.DebtCaseCloseSerializer,
        responses={200: serializers.DebtCaseSerializer},
    ),
)
class DebtCaseViewSet(ResidentChildViewSet):
    model = DebtCase
    serializers = {
        "default": serializers.DebtCaseSerializer,
        "create": serializers.DebtCaseCreateSerializer,
        "close": serializers.DebtCaseCloseSerializer,
    }
    filterset_class = api_filters.DebtCaseFilter
    ordering_fields = ["id", "applied_on"]

    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        case = self.get_object()
        serializer = serializers.DebtCaseCloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        case = services.debt_case_close(
            debt_case=case, on=data["closed_on"], result=data["result"], by=request.user
        )
        return Response(serializers.DebtCaseSerializer(case).data)
