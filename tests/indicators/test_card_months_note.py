"""The overview card says why its months add up to more than the year (the walk of 4 December:
'Uitstroom naar regulier werk' months of 189 beside a year of 188, explained only on the
detail page)."""

from decimal import Decimal

from django.template.loader import render_to_string

from indicators.registry import indicator_get
from indicators.selectors import Card, MonthPoint

NOTE = "Opgeteld zijn de maanden meer dan het jaarcijfer"


def _card(code: str, year: int, months: list[int | None]) -> Card:
    return Card(
        defn=indicator_get(code),
        value=Decimal(year),
        months=[
            MonthPoint(label=f"m{i}", value=None if v is None else Decimal(v), text=str(v))
            for i, v in enumerate(months, 1)
        ],
    )


def test_a_count_of_persons_per_period_says_so_when_its_months_exceed_the_year():
    card = _card("outflow.regular_work", 188, [20, 15, 17, 16, 18, 14, 15, 17, 16, 20, 21, None])
    assert card.months_exceed_year  # 189 shown, December hidden
    assert NOTE in render_to_string("indicators/_trend.html", {"card": card})


def test_no_note_where_the_months_add_up_or_for_a_stock():
    additive = _card("outflow.to_work", 30, [10, 10, 10])
    assert not additive.months_exceed_year
    assert NOTE not in render_to_string("indicators/_trend.html", {"card": additive})
    # a stock (the caseload on each month's last day) is not a sum of its months at all
    assert not _card("caseload.size", 2200, [2190, 2195, 2200]).months_exceed_year
