"""Residents: list, detail, register, update, search by BSN."""

from __future__ import annotations

from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from apiauth.idempotency import IdempotentCreateMixin, check_if_match, etag_for
from apiauth.schema import ErrorResponseSerializer
from apiauth.throttling import BsnSearchThrottle
from caseload import api_filters, services
from caseload.models import GroupAssignment, Resident
from caseload.serializers import residents as serializers
from privacy.models import Action, Purpose
from privacy.services import processing_record_write

from .base import CaseloadViewSet, ServiceCreateMixin, check_field_permissions


def _with_current_group(qs: QuerySet[Resident]) -> QuerySet[Resident]:
    current = GroupAssignment.objects.filter(resident=OuterRef("pk"), ended_on__isnull=True)
    return qs.annotate(current_group=Subquery(current.values("group")[:1]))


@extend_schema_view(
    list=extend_schema(
        summary="Inwoners",
        description="Inwoners die u mag zien, met gemaskeerd BSN. Zoeken op BSN: POST search/.",
    ),
    retrieve=extend_schema(summary="Eén inwoner", description="Met volledig BSN en ETag."),
    create=extend_schema(
        summary="Inwoner registreren",
        description=(
            "Huishouden, team en consulent moeten binnen uw bereik liggen; een id daarbuiten "
            "geeft dezelfde fout als een id dat niet bestaat. De BSN-controle telt als zoeken op "
            "BSN (zelfde limiet, vastgelegd in het verwerkingenlog) en kijkt alleen in de "
            "gemeente van het huishouden."
        ),
        request=serializers.ResidentCreateSerializer,
        responses={
            201: serializers.ResidentSerializer,
            409: OpenApiResponse(
                response=ErrorResponseSerializer,
                description="Deze inwoner kan hier niet worden geregistreerd.",
            ),
        },
    ),
    partial_update=extend_schema(
        summary="Inwoner wijzigen",
        description=(
            "Wijzig kenmerken die geen identiteit zijn (team, consulent, opleiding, taal, ...). "
            "Team en consulent wijzigen vereist het recht om inwoners te herverdelen "
            "(teamleider); anders 403 met het veld. "
            "Vereist If-Match met de ETag uit het laatste GET-antwoord."
        ),
        request=serializers.ResidentUpdateSerializer,
        responses={200: serializers.ResidentSerializer},
    ),
    search=extend_schema(
        summary="Inwoner zoeken op BSN",
        description="Het BSN staat in de body, nooit in de URL. Geeft 0 of 1 resultaat.",
        request=serializers.ResidentSearchSerializer,
        responses={200: serializers.ResidentSearchResultSerializer},
    ),
)
class ResidentViewSet(
    IdempotentCreateMixin,
    ServiceCreateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    CaseloadViewSet,
):
    privacy_object_type = "resident"
    serializers = {
        "default": serializers.ResidentSerializer,
        "list": serializers.ResidentListSerializer,
        "create": serializers.ResidentCreateSerializer,
        "partial_update": serializers.ResidentUpdateSerializer,
        "search": serializers.ResidentSearchSerializer,
    }
    filterset_class = api_filters.ResidentFilter
    ordering_fields = ["id", "last_name", "registered_at"]
    api_read_actions = ("search",)
    etag_actions = ("retrieve", "partial_update")
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return _with_current_group(self.residents())

    def get_throttles(self):
        throttles = super().get_throttles()
        if self.action in ("search", "create"):  # the registration's BSN check is a search too
            throttles.append(BsnSearchThrottle())
        return throttles

    def create(self, request, *args, **kwargs):
        """The BSN check is a BSN search (issue 12, finding 5): a refusal is logged with purpose
        registratiecontrole, naming the resident who holds the BSN; a BSN of another
        municipality answers a neutral 409."""
        try:
            return super().create(request, *args, **kwargs)
        except services.BsnCheckRefused as exc:
            processing_record_write(
                user=request.user,
                action=Action.SEARCH,
                object_type="resident",
                purpose=Purpose.REGISTRATION_CHECK,
                resident_ids=[exc.resident_id],
            )
            if isinstance(exc, services.RegistrationConflict):
                return Response({"errors": [exc.as_dict()]}, status=status.HTTP_409_CONFLICT)
            raise

    def reload(self, instance: Resident) -> Resident:
        # unscoped: after a reassignment the caller may no longer see the resident
        return _with_current_group(Resident.objects.filter(pk=instance.pk)).get()

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = etag_for(response.data)
        return response

    def partial_update(self, request, *args, **kwargs):
        with transaction.atomic():
            resident = self.get_object()
            Resident.objects.select_for_update().filter(pk=resident.pk).first()
            resident = self.reload(resident)  # re-read under the lock
            context = self.get_serializer_context()
            current = serializers.ResidentSerializer(resident, context=context).data
            check_if_match(request, etag_for(current))
            check_field_permissions(
                request, serializer_class=serializers.ResidentUpdateSerializer, current=current
            )
            serializer = serializers.ResidentUpdateSerializer(
                resident, data=request.data, partial=True, context=context
            )
            serializer.is_valid(raise_exception=True)
            data = serializers.ResidentSerializer(
                self.reload(serializer.save()), context=context
            ).data
        response = Response(data)
        response["ETag"] = etag_for(data)
        return response

    @action(detail=False, methods=["post"])
    def search(self, request):
        serializer = serializers.ResidentSearchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        found = self.get_queryset().filter(bsn=serializer.validated_data["bsn"])
        data = serializers.ResidentSerializer(found[:1], many=True).data
        return Response({"results": data})
