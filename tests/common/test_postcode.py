"""One postcode rule (common.postcode) for the forms and the imports."""

import pytest
from django import forms

from common.postcode import POSTCODE_PATTERN, postcode_normalise


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("1211 AB", "1211AB"),
        ("1211ab", "1211AB"),
        (" 9999 zz ", "9999ZZ"),
        ("1211 SB", "1211SB"),
        # the walk of 4 December: "1211 SA" was accepted; PostNL issues no SA, SD or SS
        ("1211 SA", None),
        ("1211sd", None),
        ("1211 SS", None),
        ("0211 AB", None),
        ("1211", None),
        ("1211 A1", None),
    ],
)
def test_one_postcode_rule(typed, normal):
    assert postcode_normalise(typed) == normal
    field = forms.RegexField(regex=POSTCODE_PATTERN)
    if normal is None:
        with pytest.raises(forms.ValidationError):
            field.clean(typed)
    else:
        field.clean(typed)
