"""The Dutch postcode, one rule for every form and import: four digits not starting with 0, an
optional space, two letters, never SA, SD or SS (PostNL issues no postcode with those letters;
the walk of 4 December saw "1211 SA" accepted). Three regular expressions of their own before."""

from __future__ import annotations

import re

#: for ``forms.RegexField`` (leading and trailing spaces allowed, any case)
POSTCODE_PATTERN = r"^\s*[1-9][0-9]{3}\s?(?![sS][aAdDsS])[A-Za-z]{2}\s*$"

_PARTS = re.compile(r"\s*([1-9][0-9]{3})\s?((?![sS][aAdDsS])[A-Za-z]{2})\s*")


def postcode_normalise(text: str) -> str | None:
    """``"1211 ab"`` -> ``"1211AB"``; None when it is no Dutch postcode."""
    match = _PARTS.fullmatch(text or "")
    if match is None:
        return None
    return f"{match.group(1)}{match.group(2).upper()}"
