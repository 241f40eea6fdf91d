"""docs/indicators.md has one entry per registered indicator."""

import re
from pathlib import Path

from indicators.registry import indicator_codes

DOC = Path(__file__).resolve().parents[2] / "docs" / "indicators.md"


def _entries() -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8")
    parts = re.split(r"^## `([a-z0-9_.]+)`\s*$", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_every_registered_indicator_has_an_entry():
    entries = _entries()
    missing = [code for code in indicator_codes() if code not in entries]
    assert missing == [], f"docs/indicators.md lacks entries for {missing}"


def test_every_entry_names_definition_formula_source_and_period():
    for code, body in _entries().items():
        for part in ("**Definitie**", "**Formule**", "**Bron**", "**Periode**"):
            assert part in body, f"{code}: {part} missing"


def test_no_entry_for_an_unknown_code():
    assert set(_entries()) <= set(indicator_codes())
