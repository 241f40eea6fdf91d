"""The instrument catalogue and trajectories."""

from __future__ import annotations

from django.db import transaction
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.response import Response

from apiauth.idempotency import check_if_match, etag_for
from caseload import api_filters, services
from caseload.models import Instrument, Trajectory
from caseload.serializers import corrections as correction_serializers
from caseload.serializers import trajectories as serializers

from .base import CaseloadViewSet, ResidentChildViewSet
from .corrections import CorrectionActionsMixin, correction_schema


@extend_schema_view(
    list=extend_schema(summary="Instrumentencatalogus"),
    retrieve=extend_schema(summary="Eén instrument"),
)
class InstrumentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CaseloadViewSet):
    serializers = {"default": serializers.InstrumentSerializer}
    filterset_class = api_filters.InstrumentFilter
    ordering_fields = ["id", "name", "code"]
    queryset = Instrument.objects.all()


@extend_schema_view(
    list=extend_schema(summary="Trajecten"),
    retrieve=extend_schema(summary="Eén traject", description="Met ETag."),
    create=extend_schema(
        summary="Traject starten",
        request=serializers.TrajectoryCreateSerializer,
        responses={201: serializers.TrajectorySerializer},
    ),
    partial_update=extend_schema(
        summary="Traject afsluiten",
        description="Sluit het traject af met einddatum en resultaat. Vereist If-Match (ETag).",
        request=serializers.TrajectoryCloseSerializer,
        responses={200: serializers.TrajectorySerializer},
    ),
    **correction_schema(
        label="Traject",
        changes_serializer=correction_serializers.TrajectoryChangesSerializer,
        resource_serializer=serializers.TrajectorySerializer,
    ),
)
class TrajectoryViewSet(CorrectionActionsMixin, ResidentChildViewSet):
    model = Trajectory
    fact_type = "traject"  # issue 14: correct/ and withdraw/
    changes_serializer = correction_serializers.TrajectoryChangesSerializer
    serializers = {
        "default": serializers.TrajectorySerializer,
        "create": serializers.TrajectoryCreateSerializer,
        "partial_update": serializers.TrajectoryCloseSerializer,
    }
    filterset_class = api_filters.TrajectoryFilter
    ordering_fields = ["id", "started_on"]
    etag_actions = ("retrieve", "partial_update")
    http_method_names = ["get", "post", "patch", "head", "options"]

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = etag_for(response.data)
        return response

    def partial_update(self, request, *args, **kwargs):
        with transaction.atomic():
            trajectory = self.get_object()
            trajectory = Trajectory.objects.select_for_update().get(pk=trajectory.pk)
            check_if_match(request, etag_for(serializers.TrajectorySerializer(trajectory).data))
            serializer = serializers.TrajectoryCloseSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            close = serializer.validated_data
            trajectory = services.trajectory_close(
                trajectory=trajectory,
                on=close["ended_on"],
                result=close["result"],
                by=request.user,
                cost=close.get("cost"),
            )
            data = serializers.TrajectorySerializer(trajectory).data
        response = Response(data)
        response["ETag"] = etag_for(data)
        return response
