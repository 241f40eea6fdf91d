"""Dutch numbers in every form (issue 14 "Forms, language and look"; issue 15 "Finance pages").

``10.000.000``, ``11.500.000,00`` and ``14.400`` are Dutch amounts; ``14.40`` is ambiguous and
refused with a clear message, never read as 14,40; numbers shown in an input use the same
separators, so a pre-filled value is accepted back as it stands.
"""

import datetime as dt
import importlib
import inspect
import re
from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template
from django.urls import reverse

from budget.forms import BusinessCaseForm, SimulatorForm
from common.forms import DutchDecimalField, DutchIntegerField
from common.numbers import (
    AmbiguousNumber,
    NotANumber,
    format_count,
    format_dutch,
    format_euro,
    parse_dutch_decimal,
)
from indicators.registry import Unit, indicator_all
from indicators.selectors import Card, _forecast, format_forecast, format_value
from tests import factories
from tests.common.test_forms import UI_FORM_MODULES


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10.000.000", Decimal("10000000")),
        ("11.500.000,00", Decimal("11500000.00")),
        ("14.400", Decimal("14400")),
        ("8772,50", Decimal("8772.50")),
        ("8.772,50", Decimal("8772.50")),
        ("€ 8.772,50", Decimal("8772.50")),
        ("-1.250,5", Decimal("-1250.5")),
        ("0,5", Decimal("0.5")),
        (",5", Decimal("0.5")),
        (" 1 250 ", Decimal("1250")),
        ("42", Decimal("42")),
    ],
)
def test_dutch_amounts_are_read_as_written(text, expected):
    assert parse_dutch_decimal(text) == expected


@pytest.mark.parametrize("text", ["14.40", "8772.50", "1.5", "1234.5"])
def test_a_point_that_may_be_a_decimal_point_is_refused(text):
    with pytest.raises(AmbiguousNumber):
        parse_dutch_decimal(text)


@pytest.mark.parametrize(
    "text", ["", "tien", "1,2,3", "1.23.456", "1.234,5.6", "1e5", "NaN", "--1"]
)
def test_what_is_no_number_is_refused(text):
    with pytest.raises(NotANumber):
        parse_dutch_decimal(text)


def test_numbers_are_shown_with_dutch_separators():
    assert format_dutch(Decimal("14400.00")) == "14.400,00"
    assert format_dutch(8772.5, decimals=2) == "8.772,50"
    assert format_dutch(2026, grouping=False) == "2026"
    assert format_dutch(-1250) == "-1.250"


def test_ambiguous_input_gets_a_clear_dutch_message():
    field = DutchDecimalField(max_digits=14, decimal_places=2)
    with pytest.raises(forms.ValidationError) as exc:
        field.clean("14.40")
    assert exc.value.code == "ambiguous"
    message = exc.value.messages[0]
    assert "komma (14,40)" in message and "punt (14.400)" in message and "14.40" in message
    with pytest.raises(forms.ValidationError) as whole:
        DutchIntegerField().clean("3,5")
    assert whole.value.code == "invalid"
    assert DutchIntegerField().clean("10.000") == 10000


def test_every_number_field_of_the_ui_forms_reads_dutch_numbers():
    """No form of the apps' forms modules keeps Django's plain number fields, which refuse
    ``10.000`` and read ``14.40`` as fourteen and forty cents."""
    stray = []
    for name in UI_FORM_MODULES:
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != name or not issubclass(cls, forms.BaseForm):
                continue
            for field_name, field in cls.base_fields.items():
                dutch = isinstance(field, (DutchDecimalField, DutchIntegerField))
                if isinstance(field, (forms.DecimalField, forms.FloatField)) and not dutch:
                    stray.append(f"{name}.{cls.__name__}.{field_name}")
                if isinstance(field, forms.IntegerField) and not dutch and "id" not in field_name:
                    stray.append(f"{name}.{cls.__name__}.{field_name}")
    assert stray == []


def test_finance_forms_accept_dutch_amounts():
    """Issue 15 (finance defect): the vangnet simulator refused ``10.000.000``."""
    form = SimulatorForm(
        {
            "year": "2022",
            "budget": "10.000.000",
            "netto_lasten": "11.500.000,00",
            "deficit_t_minus_2": "0",
            "deficit_t_minus_1": "-250.000,50",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["budget"] == Decimal("10000000")
    assert form.cleaned_data["netto_lasten"] == Decimal("11500000.00")
    assert form.cleaned_data["deficit_t_minus_1"] == Decimal("-250000.50")
    assert form.cleaned_data["year"] == 2022


def test_finance_forms_refuse_an_ambiguous_amount_and_keep_it():
    form = SimulatorForm({"year": "2022", "budget": "14.40", "netto_lasten": "1"})
    assert not form.is_valid()
    assert "komma" in form.errors["budget"][0]
    assert 'value="14.40"' in str(form["budget"])


@pytest.mark.django_db
def test_business_case_form_accepts_its_own_prefilled_value(client, settings):
    """Issue 15 (finance defect): the business-case form pre-filled ``14400.00`` and then refused
    the value it had shown when read the Dutch way; the pre-filled value is now shown as
    ``14.400,00`` and accepted back as it stands."""
    factories.MunicipalityFactory()
    settings.BUSINESS_CASE_DEFAULT_AVERAGE_COST = Decimal("14400.00")
    client.force_login(factories.UserFactory(finance=True))
    url = reverse("budget:business_case") + "?jaar=2019"
    page = client.get(url).content.decode()
    match = re.search(r'<input[^>]*name="average_cost"[^>]*>', page)
    assert match is not None
    value = re.search(r'value="([^"]*)"', match.group(0)).group(1)
    assert value == "14.400,00"
    response = client.post(
        url,
        {
            "average_cost": value,
            "full_count": "26",
            "partial_count": "27",
            "partial_percentage": "50",
        },
    )
    assert response.status_code == 200
    assert "€ 568.800,00" in response.content.decode()  # 26 x 14,400 + 27 x 7,200
    assert BusinessCaseForm(
        {
            "average_cost": "14.400",
            "full_count": "1.000",
            "partial_count": "0",
            "partial_percentage": "50",
        }
    ).is_valid()


# --- shown numbers: one formatter (a new user's walk through the demo) ---------------------------


def test_shown_numbers_are_rounded_not_cut():
    """Django's number format cuts a Decimal's extra decimals: 2201,71 became 2.201."""
    assert format_dutch(Decimal("2201.71"), decimals=0) == "2.202"
    assert format_dutch(Decimal("8772.567"), decimals=2) == "8.772,57"
    assert format_dutch(2201.71, decimals=1) == "2.201,7"
    assert format_dutch(Decimal("-0.004"), decimals=2) == "0,00"


def test_counts_are_whole_numbers_and_euros_have_a_thousands_point():
    assert format_count(Decimal("2201.71")) == "2.202"
    assert format_count(Decimal("211.81")) == "212"
    assert format_count(Decimal("1999.5")) == "2.000"
    assert format_count(2217) == "2.217"
    assert format_euro(Decimal("16292.28")) == "€ 16.292,28"
    assert format_euro(Decimal("-139715.27")) == "-€ 139.715,27"
    assert format_euro(Decimal("-0.001")) == "€ 0,00"


@pytest.mark.parametrize(
    ("source", "value", "shown"),
    [
        ("{{ v|dutch_count }}", Decimal("1999.5"), "2.000"),
        ("{{ v|dutch_count }}", None, "-"),
        ("{{ v|dutch_count }}", "geen", "geen"),
        ("{{ v|dutch_euro }}", Decimal("16292.28"), "€ 16.292,28"),
        ("{{ v|dutch_euro }}", "", "-"),
        ("{{ v|dutch_number:3 }}", Decimal("0.5"), "0,500"),
        ("{{ v|dutch_number }}", Decimal("14400.00"), "14.400,00"),
    ],
)
def test_template_filters_use_the_one_formatter(source, value, shown):
    template = Template("{% load dutch_numbers %}" + source)
    assert template.render(Context({"v": value})) == shown


def test_indicator_forecast_of_a_count_is_a_whole_number_and_a_percentage_keeps_a_decimal():
    """The dashboard showed forecasts such as "2201,71" and "211,81" for counts of people."""
    assert format_forecast(Decimal("2201.71"), Unit.COUNT) == "2.202"
    assert format_forecast(Decimal("211.81"), Unit.COUNT) == "212"
    assert format_forecast(Decimal("12.345"), Unit.PERCENTAGE) == "12,3%"
    assert format_forecast(None, Unit.COUNT) == "-"
    assert format_value(Decimal("1234.5"), Unit.PER_10K) == "1.234,5"
    assert format_value(Decimal("2201"), Unit.COUNT) == "2.201"
    assert format_value(Decimal("-0.40"), Unit.COUNT) == "-0,40"  # a national figure's change


def test_the_forecast_shown_on_a_count_card_is_a_whole_number():
    defn = next(d for d in indicator_all() if d.unit == Unit.COUNT)
    card = Card(defn=defn, value=Decimal("2201.71"))
    _forecast(card, defn=defn, year=2024, today=dt.date(2026, 6, 1), months=[], last_year=[])
    assert card.forecast == Decimal("2201.71") and card.forecast_text == "2.202"
