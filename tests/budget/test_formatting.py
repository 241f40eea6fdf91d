"""A new user's walk through the demo: every number on the budget pages and the plan's business
case in Dutch notation through the one formatter (``common.numbers``): a thousands point, a
count of households as a whole number, a sum of negative amounts that reads as a sum, and the
reasons of a rejected payments row as sentences (not ``liep.; Ongeldige maand``)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from budget import calculations as calc
from budget import payments, selectors, services
from budget.models import BudgetAllocation
from common import clock
from intake import services as intake_services
from intake.models import PlanVanAanpak
from tests import factories

pytestmark = pytest.mark.django_db

RULE = calc.VangnetRuleData(
    year_from=2020,
    year_to=2030,
    entry_threshold=Decimal("0.075"),
    multi_year_kind=calc.MULTI_YEAR_WINDOW,
    multi_year_threshold=Decimal("0.05"),
)


def _multi_year_step(previous_deficits, netto_lasten="10500000", budget="10000000") -> str:
    result = calc.vangnet_calculate(
        rule=RULE,
        year=2026,
        budget=Decimal(budget),
        netto_lasten=Decimal(netto_lasten),
        previous_deficits=previous_deficits,
    )
    return next(s for s in result.steps if s.startswith("Meerjarige toets: "))


def test_a_sum_of_negative_deficits_reads_as_a_sum():
    """The vangnet text showed ``(-€ 139.715,27 (2024) + -€ 968.045,77 (2025) + ...``."""
    step = _multi_year_step(
        {2024: Decimal("-139715.27"), 2025: Decimal("-968045.77")}, netto_lasten="9000000"
    )
    assert "+ -" not in step and "- -" not in step
    assert step.startswith(
        "Meerjarige toets: (-€ 139.715,27 (2024) - € 968.045,77 (2025) - € 1.000.000,00 (2026)) "
        "/ € 10.000.000,00 = "
    ), step


def test_a_sum_of_positive_and_negative_deficits():
    step = _multi_year_step({2024: Decimal("250000"), 2025: Decimal("-968045.77")})
    assert "(€ 250.000,00 (2024) - € 968.045,77 (2025) + € 500.000,00 (2026))" in step, step


def test_euro_amounts_and_percentages_have_a_thousands_point():
    assert calc.fmt_eur(Decimal("16292.28")) == "€ 16.292,28"
    assert calc.fmt_eur(Decimal("-139715.27")) == "-€ 139.715,27"
    assert calc.fmt_eur(Decimal("-0.004")) == "€ 0,00"  # no minus before a zero
    assert calc.fmt_pct(Decimal("0.075")) == "7,50%"
    assert calc.fmt_pct(Decimal("12.3456")) == "1.234,56%"


def _allocate(municipality, by, amount: str) -> None:
    services.budget_allocation_record(
        municipality=municipality,
        year=2026,
        moment=BudgetAllocation.Moment.DEFINITIEF,
        decided_on=dt.date(2026, 10, 1),
        amount=Decimal(amount),
        by=by,
    )


def test_budget_in_households_is_a_whole_number_with_a_thousands_point(
    client, municipality, finance, payments
):
    """The overview showed "Budget uitgedrukt in huishoudens 1999,5": a count of households."""
    factories.MunicipalityYearFactory(
        municipality=municipality, year=2026, average_benefit_cost=Decimal("14400")
    )
    _allocate(municipality, finance, "28792800")  # 1.999,5 households of € 14.400
    overview = selectors.budget_overview(user=finance, municipality=municipality, year=2026)
    assert overview.budget_households == Decimal("1999.5")
    client.force_login(finance)
    page = client.get(reverse("budget:overview"), {"jaar": 2026, "gemeente": municipality.pk})
    html = page.content.decode()
    shown = re.search(r"Budget uitgedrukt in huishoudens</dt><dd>([^<]*)</dd>", html)
    assert shown and shown.group(1) == "2.000", shown and shown.group(1)
    cells = re.findall(r'<td class="utrecht-table__cell">(2\.000|1999,5|3)</td>', html)
    assert "1999,5" not in cells and "2.000" in cells and "3" in cells


def test_plan_business_case_has_a_thousands_point(client, resident, consulent):
    """The plan showed "Verwachte besparing € 16292,28 per jaar"."""
    factories.MunicipalityYearFactory(
        municipality=resident.household.municipality,
        year=clock.today().year,
        average_benefit_cost=Decimal("32584.56"),
    )
    intake_services.plan_create(
        resident=resident,
        by=consulent,
        goals="Werk",
        commitments="Solliciteert",
        expected_outflow=PlanVanAanpak.ExpectedOutflow.PARTIAL,
        partial_fraction=Decimal("0.5"),
    )
    client.force_login(consulent)
    page = client.get(reverse("intake:plan", args=[resident.pk])).content.decode()
    assert (
        "Verwachte besparing € 16.292,28 per jaar (gemiddelde kosten € 32.584,56 in "
        f"{clock.today().year} × 0,500)"
    ) in page


def test_the_reasons_of_a_rejected_payments_row_are_joined_as_sentences():
    """Several errors of one row read "… liep.; Ongeldige maand …"."""
    result = payments.validate_row(
        7,
        {
            "bsn": "",
            "regeling": "pw",
            "maand": "maart",
            "bruto": "veel",
            "verrekende_inkomsten": "0",
            "netto": "0",
            "correctie": "",
        },
    )
    assert isinstance(result, list) and len(result) == 1
    reason = result[0].reason
    assert ".;" not in reason and "; " not in reason
    assert reason == (
        "BSN ontbreekt. Ongeldige maand (verwacht bijvoorbeeld 2024-03). "
        "Bruto bedrag: ongeldig bedrag (verwacht bijvoorbeeld 1234,56)."
    )


def test_join_reasons_ends_every_reason_with_a_full_stop():
    assert payments.join_reasons(["Geen uitkering", " Ongeldige maand. ", ""]) == (
        "Geen uitkering. Ongeldige maand."
    )
