"""REST API: the vangnet simulator (a POST that only calculates: ``budget:read``)."""

from __future__ import annotations

from decimal import Decimal

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from common.exceptions import DomainError

from . import calculations as calc
from . import selectors
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
