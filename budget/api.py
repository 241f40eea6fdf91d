"""REST API: the vangnet simulator (a POST that only calculates: ``budget:read``) and the
payments feed (offer a file: ``budget:write``; poll it: ``budget:read``)."""

from __future__ import annotations

from decimal import Decimal

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from apiauth.models import ApiToken
from apiauth.scopes import WRITE, scope_code
from apiauth.selectors import request_bound_municipality_id
from common.api import SafeJSONParser
from common.exceptions import DomainError
from common.forms import check_table_upload

from . import calculations as calc
from . import selectors, services
from .models import PaymentImport
from .permissions import BudgetPermission


class VangnetSimulateSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2016, max_value=2100, help_text="Jaar T.")
    budget = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=1,
        help_text="Definitief BUIG-budget van jaar T in euro.",
    )
    netto_lasten = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=0,
        help_text="Netto lasten (besteding min baten) van jaar T in euro.",
    )
    deficit_t_minus_2 = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        required=False,
        default=Decimal("0"),
        help_text="Tekort van jaar T-2 in euro (een overschot negatief).",
    )
    deficit_t_minus_1 = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        required=False,
        default=Decimal("0"),
        help_text="Tekort van jaar T-1 in euro (een overschot negatief).",
    )


class VangnetResultSerializer(serializers.Serializer):
    year = serializers.IntegerField(help_text="Jaar T.")
    deficit = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="Tekort T.")
    # p is unbounded in the input domain (netto lasten up to 10^12 on a budget of 1 euro): room
    # for 14 integer digits, so that no accepted input fails on the way out (found by fuzzing)
    share = serializers.DecimalField(
        max_digits=20, decimal_places=6, help_text="Tekort als fractie van het budget (p)."
    )
    entry_met = serializers.BooleanField(help_text="Instapdrempel gehaald.")
    multi_year_met = serializers.BooleanField(help_text="Meerjarige toets gehaald.")
    eligible = serializers.BooleanField(help_text="Recht op een vangnetuitkering.")
    compensation = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="Vangnetuitkering in euro."
    )
    own_risk = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="Eigen risico in euro."
    )
    steps = serializers.ListField(
        child=serializers.CharField(), help_text="De berekening stap voor stap (Nederlands)."
    )


def simulate(data: dict) -> calc.VangnetResult:
    """Run the vangnet rule of ``year`` on entered figures (no stored data involved)."""
    year = data["year"]
    rule = calc.vangnet_rule_for(selectors.vangnet_rules(), year)
    if rule is None:
        raise DomainError(f"Er is geen vangnetregel voor {year}.", code="no_rule", field="year")
    previous = {year - 2: data["deficit_t_minus_2"], year - 1: data["deficit_t_minus_1"]}
    return calc.vangnet_calculate(
        rule=rule,
        year=year,
        budget=data["budget"],
        netto_lasten=data["netto_lasten"],
        previous_deficits=previous,
    )


class VangnetSimulateView(GenericAPIView):
    """``POST /api/v1/budget/vangnet/simulate/``: vangnet check on the figures sent."""

    api_read_only = True
    # the same permission for a session and a token (common.api_permissions.RequiredPermission;
    # a token also needs budget:read): a service account needs budget.view_budget in
    # SERVICE_ACCOUNT_PERMISSIONS (issue 12, finding 15)
    required_permission = BudgetPermission.VIEW_BUDGET
    serializer_class = VangnetSimulateSerializer

    @extend_schema(request=VangnetSimulateSerializer, responses=VangnetResultSerializer)
    def post(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = simulate(serializer.validated_data)
        return Response(
            VangnetResultSerializer(
                {
                    "year": result.year,
                    "deficit": result.deficit,
                    "share": result.share.quantize(calc.Decimal("0.000001")),
                    "entry_met": result.entry_met,
                    "multi_year_met": result.multi_year_met,
                    "eligible": result.eligible,
                    "compensation": result.compensation,
                    "own_risk": result.own_risk,
                    "steps": result.steps,
                }
            ).data
        )


class PaymentImportSerializer(serializers.ModelSerializer):
    """A payments import: its status, progress, counts and every rejected row (no cell value).

    A line's reason tells whether the resident of that line's BSN had a benefit in that month,
    so the lines are shown only with ``line_errors=True`` in the context (a caller who may offer
    the file, :func:`sees_line_errors`); others get the file's own errors (line 0) and
    ``line_errors_withheld`` (review of 4 December, left in section 15 and fixed after it)."""

    line_errors_withheld = serializers.SerializerMethodField()

    status_label = serializers.CharField(source="get_status_display", read_only=True)
    progress = serializers.IntegerField(read_only=True)
    municipality = serializers.CharField(source="municipality.cbs_code", read_only=True)

    class Meta:
        model = PaymentImport
        fields = [
            "id",
            "municipality",
            "original_name",
            "checksum",
            "status",
            "status_label",
            "progress",
            "progress_total",
            "accepted_rows",
            "unchanged_rows",
            "corrected_rows",
            "rejected_rows",
            "errors",
            "line_errors_withheld",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields

    def _line_errors(self) -> bool:
        return bool(self.context.get("line_errors", False))

    def get_line_errors_withheld(self, item: PaymentImport) -> bool:
        return not self._line_errors() and any(_is_line(e) for e in item.errors)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self._line_errors():
            data["errors"] = [e for e in data["errors"] if not _is_line(e)]
        return data


def _is_line(error) -> bool:
    return isinstance(error, dict) and bool(error.get("line"))


def sees_line_errors(request: Request) -> bool:
    """Whether the caller may read a payments import's per-line reasons: the permission to offer
    a payments file and, for a key, the ``budget:write`` scope (which needs the privacy
    officer's approval); a ``budget:read`` key polls the status and the counts only."""
    if not request.user.has_perm(BudgetPermission.IMPORT_LEDGER):
        return False
    token = request.auth
    return not isinstance(token, ApiToken) or token.has_scope(scope_code("budget", WRITE))


class PaymentUploadSerializer(serializers.Serializer):
    # the page's checks (common.forms.TableFileField): name and TABULAR_IMPORT_MAX_BYTES, before
    # the view reads the file into memory and stores it (review of 4 December, finding 3)
    file = serializers.FileField(
        help_text="CSV of XLSX in de kolomindeling van de gemeente.",
        validators=[check_table_upload],
    )
    gemeente = serializers.IntegerField(
        required=False, help_text="Id van de gemeente (standaard die van de gebruiker)."
    )


class PaymentImportCreateView(GenericAPIView):
    """``POST /api/v1/budget/betalingen/imports/`` (multipart, ``budget:write``): offer a payments
    file; 201 with the queued import, or 200 with the earlier import of the same file."""

    required_permission = BudgetPermission.IMPORT_LEDGER
    serializer_class = PaymentUploadSerializer
    # multipart for the file; JSON too, so that a body without a file gets the structured 400
    parser_classes = [MultiPartParser, SafeJSONParser]

    @extend_schema(request=PaymentUploadSerializer, responses=PaymentImportSerializer)
    def post(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        municipality, _choices = selectors.municipality_for(
            user=request.user,
            municipality_id=serializer.validated_data.get("gemeente"),
            bound_to=request_bound_municipality_id(request),
            team_bound=False,
        )
        upload = serializer.validated_data["file"]
        item, created = services.payments_import_start(
            municipality=municipality, filename=upload.name, content=upload.read(), by=request.user
        )
        return Response(
            PaymentImportSerializer(item, context={"line_errors": True}).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class PaymentImportDetailView(GenericAPIView):
    """``GET /api/v1/budget/betalingen/imports/{id}/`` (``budget:read``): poll an import."""

    required_permission = BudgetPermission.VIEW_BUDGET
    serializer_class = PaymentImportSerializer

    def get(self, request: Request, pk: int) -> Response:
        item = selectors.payment_import_get(
            user=request.user, import_id=pk, bound_to=request_bound_municipality_id(request)
        )
        return Response(
            PaymentImportSerializer(item, context={"line_errors": sees_line_errors(request)}).data
        )
