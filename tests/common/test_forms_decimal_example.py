"""DutchDecimalField's error for a value that is no number gives an example that fits the field
(outside tester's walk: "bijvoorbeeld 1.250,50" under hours per week)."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from common.forms import BaseForm, DutchDecimalField


class _Form(BaseForm):
    amount = DutchDecimalField(required=False)
    hours = DutchDecimalField(required=False, example="24,5")
    own = DutchDecimalField(
        required=False, example="24,5", error_messages={"invalid": "Eigen melding."}
    )


def test_an_amount_keeps_the_default_example():
    assert _Form({"amount": "abc"}).errors["amount"] == ["Vul een getal in, bijvoorbeeld 1.250,50."]


def test_a_field_with_an_example_names_it():
    assert _Form({"hours": "abc"}).errors["hours"] == ["Vul een getal in, bijvoorbeeld 24,5."]


def test_an_explicit_error_message_wins_over_the_example():
    assert _Form({"own": "abc"}).errors["own"] == ["Eigen melding."]


def test_the_example_is_per_field_not_per_class():
    """The message of one field's copy does not leak into the class or another form."""
    assert "1.250,50" in str(DutchDecimalField.default_error_messages["invalid"])
    assert "1.250,50" in str(DutchDecimalField().error_messages["invalid"])
    assert isinstance(_Form().fields["hours"], forms.DecimalField)


class _Limited(BaseForm):
    amount = DutchDecimalField(min_value=Decimal("0.01"))
    share = DutchDecimalField(max_value=1500)


def test_the_limits_are_written_the_dutch_way():
    """The walk of 3 December: the budget form said "Zorg ervoor dat deze waarde minstens 0.01
    is." with a decimal point."""
    errors = _Limited({"amount": "0", "share": "1.600"}).errors
    assert errors["amount"] == ["Vul een waarde in van minstens 0,01."]
    assert errors["share"] == ["Vul een waarde in van hoogstens 1.500."]
