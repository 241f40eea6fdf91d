"""REST API: the stored indicator values (same rows as the export)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import EmptyPage, Paginator
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from apiauth.selectors import request_bound_municipality_id
from common import clock

from . import selectors
from .permissions import IndicatorPermission
from .registry import is_registered
from .selectors import SUPPRESSED

#: values per page without ``page_size``, and the most one page holds (docs/api.md)
VALUES_PAGE_SIZE = 1000
VALUES_MAX_PAGE_SIZE = 5000


class ValuesQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
    municipality = serializers.IntegerField(min_value=1, required=False)
    code = serializers.CharField(
        required=False,
        max_length=100,
        help_text="Alleen de waarden van deze indicator (bijvoorbeeld outflow.to_work).",
    )
    page = serializers.IntegerField(
        min_value=1, required=False, help_text="Paginanummer, vanaf 1 (standaard 1)."
    )

    def validate_code(self, value: str) -> str:
        # the walk of 3 December: ?code= was ignored and every value of the year came back
        if not is_registered(value):
            raise serializers.ValidationError("Onbekende indicator.")
        return value

    page_size = serializers.IntegerField(
        min_value=1,
        max_value=VALUES_MAX_PAGE_SIZE,
        required=False,
        help_text=(
            f"Aantal waarden per pagina (standaard {VALUES_PAGE_SIZE}, "
            f"hoogstens {VALUES_MAX_PAGE_SIZE})."
        ),
    )


def _figure(help_text: str) -> serializers.DecimalField:
    """A stored figure (``IndicatorValue``'s value, numerator, denominator), or null."""
    return serializers.DecimalField(
        max_digits=18, decimal_places=4, allow_null=True, help_text=help_text
    )


class IndicatorValueSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    period = serializers.CharField()
    dimension = serializers.CharField(allow_blank=True)
    value = _figure("Null als de waarde is afgeschermd (zie suppressed) of niet te berekenen is.")
    numerator = _figure("De teller; null als die is afgeschermd (suppressed).")
    denominator = _figure(
        "De noemer; null voor een aantal, of als die is afgeschermd (suppressed)."
    )
    suppressed = serializers.BooleanField(
        help_text=(
            "Afgeschermd om kleine aantallen (een export toont hier 'x'): waarde, teller en "
            "de afgeschermde noemer zijn null."
        )
    )
    target = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        allow_null=True,
        help_text="De streefwaarde van het jaar (ook op de maandrijen).",
    )
    computed_at = serializers.DateTimeField(
        help_text=(
            "Wanneer het cijfer voor het laatst is berekend: de laatste herberekening van de "
            "periode, ook als die hetzelfde cijfer opleverde."
        )
    )

    def to_representation(self, instance: dict) -> dict:
        # the walk of 3 December: a hidden cell came as value null next to numerator "x", a
        # string where every other numerator is a number; now a number or null, and one flag
        hidden = SUPPRESSED in (instance["numerator"], instance["denominator"])
        row = {
            **instance,
            "numerator": None if instance["numerator"] == SUPPRESSED else instance["numerator"],
            "denominator": (
                None if instance["denominator"] == SUPPRESSED else instance["denominator"]
            ),
            "suppressed": hidden,
        }
        return super().to_representation(row)


class IndicatorValuesView(APIView):
    """``GET /api/v1/indicators/values/?year=YYYY``: the stored values of the year, a page at a
    time (``page``, ``page_size``; issue 13, finding 8: ``page_size`` was ignored and every
    value of the year came in one answer). ``next``/``previous`` link the pages."""

    required_permission = IndicatorPermission.VIEW_DASHBOARDS

    @extend_schema(
        summary="Indicatorwaarden van een jaar",
        parameters=[ValuesQuerySerializer],
        responses=inline_serializer(
            "IndicatorValues",
            {
                "municipality": serializers.CharField(),
                "year": serializers.IntegerField(),
                "count": serializers.IntegerField(),
                "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True),
                "results": IndicatorValueSerializer(many=True),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        query = ValuesQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year", clock.today().year)
        requested = query.validated_data.get("municipality")
        try:
            # a key bound to a municipality (or a service account's key) reads that municipality
            # only: another one is answered like one that does not exist
            municipality, _ = selectors.municipality_for(
                user=request.user,
                municipality_id=requested,
                bound_to=request_bound_municipality_id(request),
            )
            rows = selectors.export_rows(user=request.user, municipality=municipality, year=year)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied from exc
        if code := query.validated_data.get("code"):
            # after the suppression, which is decided per indicator table (export_rows)
            rows = [row for row in rows if row["code"] == code]
        # the suppression is decided per whole table (export_rows), the page is cut afterwards
        paginator = Paginator(
            rows,
            query.validated_data.get("page_size", VALUES_PAGE_SIZE),
            allow_empty_first_page=True,
        )
        try:
            page = paginator.page(query.validated_data.get("page", 1))
        except EmptyPage as exc:
            raise NotFound("Deze pagina bestaat niet.") from exc
        url = request.build_absolute_uri()
        return Response(
            {
                "municipality": municipality.cbs_code,
                "year": year,
                "count": paginator.count,
                "next": (
                    replace_query_param(url, "page", page.next_page_number())
                    if page.has_next()
                    else None
                ),
                "previous": (
                    _page_url(url, page.previous_page_number()) if page.has_previous() else None
                ),
                "results": IndicatorValueSerializer(page.object_list, many=True).data,
            }
        )


def _page_url(url: str, number: int) -> str:
    return (
        replace_query_param(url, "page", number) if number > 1 else remove_query_param(url, "page")
    )
