"""Applications (meldingen) and the decision on one."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.response import Response

from caseload import api_filters, services
from caseload.models import Application
from caseload.serializers import applications as serializers

from .base import ResidentChildViewSet


@extend_schema_view(
    list=extend_schema(summary="Aanvragen (meldingen)"),
    retrieve=extend_schema(summary="Eén aanvraag"),
    create=extend_schema(
        summary="Melding registreren",
        request=serializers.ApplicationCreateSerializer,
        responses={201: serializers.ApplicationSerializer},
    ),
    decide=extend_schema(
        summary="Besluiten op een aanvraag",
        description="Een toekenning opent de uitkering voor het huishouden van de aanvrager.",
        request=serializers.ApplicationDecideSerializer,
        responses={200: serializers.ApplicationSerializer},
    ),
)
class ApplicationViewSet(ResidentChildViewSet):
    model = Application
    serializers = {
        "default": serializers.ApplicationSerializer,
        "create": serializers.ApplicationCreateSerializer,
        "decide": serializers.ApplicationDecideSerializer,
    }
    filterset_class = api_filters.ApplicationFilter
    ordering_fields = ["id", "received_on"]

    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        application = self.get_object()
        serializer = serializers.ApplicationDecideSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application = services.application_decide(
            application=application, **serializer.validated_data
        )
        return Response(serializers.ApplicationSerializer(application).data)
