"""Fraud investigations (handhaving)."""

from __future__ import annotations

from decimal import Decimal

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.response import Response

from caseload import api_filters, services
from caseload.models import FraudInvestigation
from caseload.permissions import CaseloadPermission
from caseload.serializers import fraud as serializers

from .base import ResidentChildViewSet


@extend_schema_view(
    list=extend_schema(summary="Fraudeonderzoeken"),
    retrieve=extend_schema(summary="Eén fraudeonderzoek"),
    create=extend_schema(
        summary="Fraudeonderzoek starten",
        request=serializers.FraudInvestigationCreateSerializer,
        responses={201: serializers.FraudInvestigationSerializer},
    ),
    close=extend_schema(
        summary="Fraudeonderzoek afsluiten",
        request=serializers.FraudInvestigationCloseSerializer,
        responses={200: serializers.FraudInvestigationSerializer},
    ),
)
class FraudInvestigationViewSet(ResidentChildViewSet):
    model = FraudInvestigation
    # field grant: only roles with caseload.view_fraud see or start investigations (#6)
    required_permission = CaseloadPermission.VIEW_FRAUD
    serializers = {
        "default": serializers.FraudInvestigationSerializer,
        "create": serializers.FraudInvestigationCreateSerializer,
        "close": serializers.FraudInvestigationCloseSerializer,
    }
    filterset_class = api_filters.FraudInvestigationFilter
    ordering_fields = ["id", "started_on"]

    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        investigation = self.get_object()
        serializer = serializers.FraudInvestigationCloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        investigation = services.fraud_investigation_close(
            fraud_investigation=investigation,
            on=data["ended_on"],
            result=data["result"],
            by=request.user,
            claim_amount=data.get("claim_amount", Decimal(0)),
        )
        return Response(serializers.FraudInvestigationSerializer(investigation).data)
