"""The employer services' REST API (/api/v1/employers/): employers and vacancies, read and write,
no delete (a vacancy is closed instead). Scopes ``employers:read`` / ``employers:write``; people
need ``employers.view_employers`` to read and ``employers.change_employers`` to write (a connected
system gets them through ``SERVICE_ACCOUNT_PERMISSIONS``). Reads are scoped like the pages
(``employers.selectors``), a key bound to a municipality to that one. A single resource answers
with an ETag; an update needs If-Match (428 without, 412 when stale)."""

from __future__ import annotations

from django.db import transaction
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from apiauth.idempotency import check_if_match, etag_for
from apiauth.selectors import request_bound_municipality_id
from caseload.selectors import municipality_for

from . import selectors, serializers, services
from .models import Employer, Vacancy
from .permissions import EmployerPermission


class Pagination(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = "-id"


class _Base(viewsets.GenericViewSet):
    api_scope_group = "employers"
    pagination_class = Pagination
    http_method_names = ["get", "post", "patch", "head", "options"]

    @property
    def required_permission(self):
        if self.request.method in ("GET", "HEAD", "OPTIONS"):
            return EmployerPermission.VIEW_EMPLOYERS
        return EmployerPermission.CHANGE_EMPLOYERS

    def _bound_municipality(self) -> int | None:
        return request_bound_municipality_id(self.request)


@extend_schema_view(
    list=extend_schema(summary="Werkgevers"),
    retrieve=extend_schema(summary="Eén werkgever", description="Met ETag."),
    create=extend_schema(
        summary="Werkgever vastleggen",
        request=serializers.EmployerWriteSerializer,
        responses={201: serializers.EmployerSerializer},
    ),
    partial_update=extend_schema(
        summary="Werkgever wijzigen",
        description="Vereist If-Match (ETag).",
        request=serializers.EmployerUpdateSerializer,
        responses={200: serializers.EmployerSerializer},
    ),
)
class EmployerViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, _Base
):
    serializer_class = serializers.EmployerSerializer

    def get_queryset(self):
        return selectors.employers_visible_to(
            self.request.user, municipality_id=self._bound_municipality()
        ).prefetch_related("locations", "contacts", "commitments")

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = etag_for(response.data)
        return response

    def create(self, request, *args, **kwargs):
        write = serializers.EmployerWriteSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        data = write.validated_data
        municipality, _choices = municipality_for(
            user=request.user,
            municipality_id=data.get("gemeente"),
            bound_to=self._bound_municipality(),
        )
        with transaction.atomic():
            employer = services.employer_create(
                municipality=municipality,
                kvk_number=data["kvk_number"],
                name=data["name"],
                sbi_code=data["sbi_code"],
                account_manager=data.get("account_manager"),
                by=request.user,
            )
            for location in data.get("locations", []):
                services.employer_location_add(employer=employer, by=request.user, **location)
            for contact in data.get("contacts", []):
                services.employer_contact_add(
                    employer=employer,
                    by=request.user,
                    name=contact["name"],
                    role=contact.get("role", ""),
                    phone=contact.get("phone", ""),
                    email=contact.get("email", ""),
                )
            for commitment in data.get("commitments", []):
                services.employer_commitment_set(employer=employer, by=request.user, **commitment)
        employer = self.get_queryset().get(pk=employer.pk)
        body = serializers.EmployerSerializer(employer).data
        return Response(body, status=status.HTTP_201_CREATED, headers={"ETag": etag_for(body)})

    def partial_update(self, request, *args, **kwargs):
        write = serializers.EmployerUpdateSerializer(data=request.data)
        with transaction.atomic():
            employer = self.get_object()
            employer = self.get_queryset().select_for_update(of=("self",)).get(pk=employer.pk)
            check_if_match(request, etag_for(serializers.EmployerSerializer(employer).data))
            write.is_valid(raise_exception=True)
            data = write.validated_data
            services.employer_update(
                employer=employer,
                kvk_number=data.get("kvk_number", employer.kvk_number),
                name=data.get("name", employer.name),
                sbi_code=data.get("sbi_code", employer.sbi_code),
                account_manager=data.get("account_manager", employer.account_manager),
                by=request.user,
            )
        body = serializers.EmployerSerializer(self.get_queryset().get(pk=employer.pk)).data
        return Response(body, headers={"ETag": etag_for(body)})


@extend_schema_view(
    list=extend_schema(summary="Vacatures"),
    retrieve=extend_schema(summary="Eén vacature", description="Met ETag."),
    create=extend_schema(
        summary="Vacature vastleggen",
        request=serializers.VacancyWriteSerializer,
        responses={201: serializers.VacancySerializer},
    ),
    partial_update=extend_schema(
        summary="Vacature wijzigen",
        description="Alleen een open vacature. Vereist If-Match (ETag).",
        request=serializers.VacancyUpdateSerializer,
        responses={200: serializers.VacancySerializer},
    ),
    close=extend_schema(
        summary="Vacature sluiten",
        description="Vervuld of ingetrokken, met de datum. Vereist If-Match (ETag).",
        request=serializers.VacancyCloseSerializer,
        responses={200: serializers.VacancySerializer},
    ),
)
class VacancyViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, _Base
):
    serializer_class = serializers.VacancySerializer

    def get_queryset(self):
        return selectors.vacancies_visible_to(
            self.request.user, municipality_id=self._bound_municipality()
        ).select_related("occupation")

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = etag_for(response.data)
        return response

    def create(self, request, *args, **kwargs):
        write = serializers.VacancyWriteSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        data = dict(write.validated_data)
        try:
            employer = selectors.employers_visible_to(
                request.user, municipality_id=self._bound_municipality()
            ).get(pk=data.pop("employer"))
        except Employer.DoesNotExist:
            raise Http404 from None
        vacancy = services.vacancy_create(employer=employer, by=request.user, **data)
        body = serializers.VacancySerializer(vacancy).data
        return Response(body, status=status.HTTP_201_CREATED, headers={"ETag": etag_for(body)})

    def _locked(self, request) -> Vacancy:
        vacancy = self.get_object()
        vacancy = (
            Vacancy.objects.select_for_update().select_related("occupation").get(pk=vacancy.pk)
        )
        check_if_match(request, etag_for(serializers.VacancySerializer(vacancy).data))
        return vacancy

    def partial_update(self, request, *args, **kwargs):
        write = serializers.VacancyUpdateSerializer(data=request.data)
        with transaction.atomic():
            vacancy = self._locked(request)
            write.is_valid(raise_exception=True)
            data = write.validated_data
            fields = {
                name: data.get(name, getattr(vacancy, name))
                for name in (
                    "occupation",
                    "title",
                    "hours_per_week",
                    "postcode",
                    "education_level",
                    "requirements",
                    "start_date",
                    "banenafspraak",
                    "loonkostensubsidie",
                )
            }
            vacancy = services.vacancy_update(vacancy=vacancy, by=request.user, **fields)
        body = serializers.VacancySerializer(vacancy).data
        return Response(body, headers={"ETag": etag_for(body)})

    @action(detail=True, methods=["post"], url_path="close")
    def close(self, request, *args, **kwargs):
        write = serializers.VacancyCloseSerializer(data=request.data)
        with transaction.atomic():
            vacancy = self._locked(request)
            write.is_valid(raise_exception=True)
            vacancy = services.vacancy_close(
                vacancy=vacancy,
                on=write.validated_data["closed_on"],
                result=write.validated_data["result"],
                by=request.user,
            )
        body = serializers.VacancySerializer(vacancy).data
        return Response(body, headers={"ETag": etag_for(body)})
