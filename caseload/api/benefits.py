"""Benefits of visible applicants (read only)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins

from caseload import api_filters
from caseload.models import Benefit
from caseload.serializers import benefits as serializers

from .base import CaseloadViewSet


@extend_schema_view(
    list=extend_schema(summary="Uitkeringen", description="Uitkeringen van zichtbare aanvragers."),
    retrieve=extend_schema(summary="Eén uitkering"),
)
class BenefitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CaseloadViewSet):
    privacy_object_type = "benefit"
    serializers = {"default": serializers.BenefitSerializer}
    filterset_class = api_filters.BenefitFilter
    ordering_fields = ["id", "start_date"]

    def get_queryset(self):
        return Benefit.objects.filter(applicant__in=self.residents())
