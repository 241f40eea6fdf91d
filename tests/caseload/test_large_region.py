"""The benchmark's large demo region (issue 17, "Scale"): 16 municipalities of varying size whose
caseloads add up to the asked total, the four seed municipalities unchanged among them."""

from __future__ import annotations

import pytest

from caseload.demo import PROFILES
from caseload.demo.large_region import region_profiles, region_sizes


def test_sizes_add_up_and_vary() -> None:
    sizes = region_sizes(40_000)
    assert len(sizes) == 16
    assert sum(sizes) == 40_000
    assert sizes == sorted(sizes, reverse=True)
    assert sizes[0] == 10_000  # Hilversum, with the demo logins the benchmark's pages use
    assert sizes[-1] == 600
    assert sum(region_sizes(803)) == 803


def test_too_small_a_total_is_refused() -> None:
    with pytest.raises(ValueError):
        region_sizes(15)


def test_profiles_are_distinct_and_keep_the_seed_municipalities() -> None:
    pairs = region_profiles(40_000)
    profiles = [p for p, _ in pairs]
    assert profiles[:4] == PROFILES
    for attribute in ("cbs_code", "key", "name", "seed_offset", "email_domain"):
        values = [getattr(p, attribute) for p in profiles]
        assert len(set(values)) == 16, attribute
    codes = [code for p in profiles for _, code, _, _ in p.districts]
    assert len(set(codes)) == len(codes)
    assert all(p.cbs_code.startswith("GM98") for p in profiles[4:])
    assert region_profiles(40_000) == pairs  # deterministic
