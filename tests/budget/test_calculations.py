"""Table-driven tests of the pure BUIG arithmetic."""

from decimal import Decimal as D

import pytest

from budget.calculations import (
    MULTI_YEAR_SINCE,
    MULTI_YEAR_WINDOW,
    OutflowLine,
    VangnetRuleData,
    budget_in_households,
    business_case_calculate,
    forecast_netto_lasten,
    vangnet_calculate,
    vangnet_rule_for,
)

RULE_2019 = VangnetRuleData(
    year_from=2019,
    year_to=2024,
    entry_threshold=D("0.075"),
    multi_year_kind=MULTI_YEAR_WINDOW,
    multi_year_threshold=D("0.075"),
    multi_year_window=2,
)
RULE_2016 = VangnetRuleData(
    year_from=2016,
    year_to=2018,
    entry_threshold=D("0.05"),
    multi_year_kind=MULTI_YEAR_SINCE,
    multi_year_threshold=D("0.05"),
    multi_year_since=2016,
    band_lower=D("0.05"),
    band_upper=D("0.125"),
)
M = D("1000000")


@pytest.mark.parametrize(
    ("label", "rule", "year", "budget", "netto", "previous", "eligible", "comp", "own_risk"),
    [
        (
            "DOMAIN.md example p=15%",
            RULE_2019,
            2022,
            10 * M,
            D("11.5") * M,
            {},
            True,
            D("500000.00"),
            D("1000000.00"),
        ),
        (
            "below entry: surplus",
            RULE_2019,
            2022,
            10 * M,
            D("9.5") * M,
            {},
            False,
            D("0.00"),
            D("0.00"),
        ),
        (
            "p exactly 7.5% is not above",
            RULE_2019,
            2022,
            10 * M,
            D("10.75") * M,
            {},
            False,
            D("0.00"),
            D("750000.00"),
        ),
        (
            "p just above 7.5% (8%)",
            RULE_2019,
            2022,
            10 * M,
            D("10.8") * M,
            {},
            True,
            D("25000.00"),
            D("775000.00"),
        ),
        (
            "p exactly 12.5%: half of the 5% slice",
            RULE_2019,
            2022,
            10 * M,
            D("11.25") * M,
            {},
            True,
            D("250000.00"),
            D("1000000.00"),
        ),
        (
            "p 20%: 250k band + 750k above",
            RULE_2019,
            2022,
            10 * M,
            12 * M,
            {},
            True,
            D("1000000.00"),
            D("1000000.00"),
        ),
        (
            "multi-year fails: previous surpluses",
            RULE_2019,
            2022,
            10 * M,
            11 * M,
            {2020: D("-0.4") * M, 2021: D("-0.4") * M},
            False,
            D("0.00"),
            D("1000000.00"),
        ),
        (
            "multi-year exactly 7.5% fails",
            RULE_2019,
            2022,
            10 * M,
            D("10.8") * M,
            {2020: D("-0.05") * M, 2021: 0},
            False,
            D("0.00"),
            D("800000.00"),
        ),
        (
            "multi-year passes with earlier deficits",
            RULE_2019,
            2022,
            10 * M,
            D("10.8") * M,
            {2020: D("0.3") * M, 2021: D("0.2") * M},
            True,
            D("25000.00"),
            D("775000.00"),
        ),
        (
            "2016-2018: 50% above 5%",
            RULE_2016,
            2017,
            10 * M,
            D("10.8") * M,
            {2016: 0},
            True,
            D("150000.00"),
            D("650000.00"),
        ),
        (
            "2016-2018: cumulative since 2016 fails",
            RULE_2016,
            2017,
            10 * M,
            D("10.8") * M,
            {2016: D("-0.5") * M},
            False,
            D("0.00"),
            D("800000.00"),
        ),
        (
            "2016-2018: p exactly 5% is not above",
            RULE_2016,
            2018,
            10 * M,
            D("10.5") * M,
            {},
            False,
            D("0.00"),
            D("500000.00"),
        ),
    ],
)
def test_vangnet(label, rule, year, budget, netto, previous, eligible, comp, own_risk):
    result = vangnet_calculate(
        rule=rule,
        year=year,
        budget=budget,
        netto_lasten=netto,
        previous_deficits={y: D(v) for y, v in previous.items()},
    )
    assert result.eligible is eligible, label
    assert result.compensation == comp, label
    assert result.own_risk == own_risk, label
    assert result.compensation + result.own_risk == max(result.deficit, D(0))
    assert all(isinstance(s, str) and s for s in result.steps)


def test_vangnet_steps_are_dutch_and_name_the_figures():
    result = vangnet_calculate(
        rule=RULE_2019, year=2022, budget=10 * M, netto_lasten=D("11.5") * M, previous_deficits={}
    )
    text = "\n".join(result.steps)
    assert "Tekort 2022" in text
    assert "15,00%" in text
    assert "€ 500.000,00" in text
    assert "Eigen risico" in text
    assert "Geen tekort bekend voor 2020, 2021" in text


def test_vangnet_rejects_nonpositive_budget():
    with pytest.raises(ValueError):
        vangnet_calculate(
            rule=RULE_2019, year=2022, budget=D(0), netto_lasten=M, previous_deficits={}
        )


def test_rule_lookup():
    assert vangnet_rule_for([RULE_2016, RULE_2019], 2017) is RULE_2016
    assert vangnet_rule_for([RULE_2016, RULE_2019], 2024) is RULE_2019
    assert vangnet_rule_for([RULE_2016, RULE_2019], 2030) is None


@pytest.mark.parametrize(
    ("lines", "cost", "total"),
    [
        # Hilversum plan chapter 7: 53 outflows, half full-time, half at 50%, 14,400 a year.
        (
            [OutflowLine("voltijd", 53, D("0.5")), OutflowLine("deeltijd", 53, D("0.25"))],
            D("14400"),
            D("572400.00"),
        ),
        ([OutflowLine("volledig", 10, D("1"))], D("14400"), D("144000.00")),
        ([OutflowLine("gedeeltelijk", 3, D("0.25"))], D("12000"), D("9000.00")),
        ([], D("14400"), D("0")),
    ],
)
def test_business_case(lines, cost, total):
    case = business_case_calculate(average_cost=cost, lines=lines)
    assert case.total_saving == total


def test_hilversum_example_split_as_in_the_plan():
    case = business_case_calculate(
        average_cost=D("14400"),
        lines=[
            OutflowLine("volledige uitstroom (voltijd)", 53, D("0.5")),
            OutflowLine("gedeeltelijke uitstroom (50%)", 53, D("0.25")),
        ],
    )
    assert [line.saving for line in case.lines] == [D("381600.00"), D("190800.00")]
    assert case.total_saving == D("572400.00")
    assert case.total_saving != D("550000")  # the plan's round figure is shown beside it


def test_business_case_rejects_bad_fraction():
    with pytest.raises(ValueError):
        business_case_calculate(average_cost=D("1"), lines=[OutflowLine("x", 1, D("1.5"))])


def test_budget_in_households_and_forecast():
    assert budget_in_households(budget=D("28600000"), average_cost=D("14400")) == D("1986.1")
    run_rate, caseload = forecast_netto_lasten(
        realised=D("600000"), months_realised=6, current_households=100, average_cost=D("12000")
    )
    assert run_rate == D("1200000.00")
    assert caseload == D("1200000.00")


def test_business_case_rows_are_the_count_times_the_amount_shown():
    """The walk of 4 December: 5 × € 9.135,08 read € 45.675,41 (the row was computed from the
    unrounded € 9.135,0816); each row is now the count times the amount per resident shown,
    and the total the sum of the rows."""
    from budget.calculations import OutflowLine, business_case_calculate

    case = business_case_calculate(
        average_cost=D("18270.1632"),
        lines=[
            OutflowLine(label="gedeeltelijk", count=5, fraction=D("0.5")),
            OutflowLine(label="volledig", count=3, fraction=D("1")),
        ],
    )
    partial, full = case.lines
    assert partial.saving_per_resident == D("9135.08")
    assert partial.saving == D("45675.40")
    assert full.saving == D("54810.48")  # 3 x 18,270.16
    assert all(line.saving == line.count * line.saving_per_resident for line in case.lines)
    assert case.total_saving == partial.saving + full.saving
