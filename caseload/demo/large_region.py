"""A large demo region for the benchmark (issue 17, "Scale"): 16 municipalities of varying size,
like a regional body such as the 's-Hertogenbosch labour-market region, with a fixed total of
benefit households (40,000 in ``bench/run.py --region``).

The first four are the seed municipalities (Hilversum, Groningen, 's-Hertogenbosch, Amersfoort,
``parameters.PROFILES``, unchanged); the other twelve are fictional municipalities
(``<name> (demo)``, CBS codes ``GM9801``-``GM9812``, a range no real municipality uses) shaped
after Hilversum's teams, placements and districts. Their sizes follow a fixed table of shares
(:data:`SIZE_SHARES`): one large city, a few middle-sized ones, many small ones. Deterministic:
each municipality draws with the seed plus its own offset, in a fixed order.

``make run``'s four municipalities do not use this module: their output is unchanged.
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date
from typing import TextIO

from . import parameters as p
from .load import generate_demo, region_load
from .parameters import DEFAULT_PASSWORD, MunicipalityProfile

#: share of the region's benefit households per municipality, largest first (sums to 1); the
#: first four are the seed municipalities in ``PROFILES`` order, so Hilversum (with the fixed
#: demo logins that the benchmark's pages use) is the largest
SIZE_SHARES: tuple[float, ...] = (
    0.250,
    0.130,
    0.100,
    0.080,
    0.0675,
    0.0575,
    0.050,
    0.045,
    0.040,
    0.035,
    0.0325,
    0.030,
    0.0275,
    0.0225,
    0.0175,
    0.015,
)

#: (key, name) of the fictional municipalities after the four of the seeds
EXTRA_MUNICIPALITIES: tuple[tuple[str, str], ...] = (
    ("eemdijk", "Eemdijk"),
    ("vechtveen", "Vechtveen"),
    ("heidebroek", "Heidebroek"),
    ("maasakker", "Maasakker"),
    ("dommelrode", "Dommelrode"),
    ("aaweide", "Aaweide"),
    ("beerzen", "Beerzen"),
    ("kempenhof", "Kempenhof"),
    ("leijdonk", "Leijdonk"),
    ("dongevelde", "Dongevelde"),
    ("zandhoven", "Zandhoven"),
    ("broekdal", "Broekdal"),
)

#: benefit households per inhabitant of the fictional municipalities (Hilversum: 2,200 of 90,500)
CASELOAD_PER_INHABITANT = 0.025


def region_sizes(total: int, count: int = len(SIZE_SHARES)) -> list[int]:
    """The open caseload of each of ``count`` municipalities, adding up to ``total`` exactly
    (each at least 1; the rounding difference goes to the largest)."""
    if not 1 <= count <= len(SIZE_SHARES):
        raise ValueError(f"count must be between 1 and {len(SIZE_SHARES)}")
    if total < count:
        raise ValueError("total must be at least one household per municipality")
    shares = SIZE_SHARES[:count]
    scale = sum(shares)
    sizes = [max(1, round(total * share / scale)) for share in shares]
    sizes[0] += total - sum(sizes)
    return sizes


def _extra_profile(index: int, key: str, name: str, households: int) -> MunicipalityProfile:
    number = 9801 + index
    population = round(households / CASELOAD_PER_INHABITANT)
    districts = [
        (district, f"WK{number}{i:02d}", (5300 + 10 * index + i,), weight)
        for i, (district, weight) in enumerate(
            (("Centrum", 30), ("Noord", 25), ("Zuid", 25), ("Buitengebied", 20))
        )
    ]
    return replace(
        p.HILVERSUM,
        key=key,
        name=f"{name} (demo)",
        cbs_code=f"GM{number}",
        city=name,
        seeds="geen (fictieve regiogemeente voor de benchmark; ingericht als Hilversum)",
        real_caseload=households,
        real_caseload_source="Demo: fictieve regiogemeente",
        scale=1,
        population=population,
        population_year=2020,
        population_growth=round(population * 0.004),
        population_source="Demo: fictieve regiogemeente",
        districts=districts,
        users=p.MUNICIPALITY_USERS,
        email_domain=f"{key}-demo.example",
        providers=p._providers(name, "Regio"),
        cost_source=f"Demo: het bedrag van het Hilversumse plan, voor {name} overgenomen",
        seed_offset=10_000 + 1_000 * index,
    )


def region_profiles(
    total: int, count: int = len(SIZE_SHARES)
) -> list[tuple[MunicipalityProfile, int]]:
    """(profile, open caseload) of each municipality of the large region, in load order."""
    sizes = region_sizes(total, count)
    first = len(p.PROFILES)
    profiles = list(p.PROFILES) + [
        _extra_profile(i, key, name, sizes[first + i])
        for i, (key, name) in enumerate(EXTRA_MUNICIPALITIES)
        if first + i < count
    ]
    return list(zip(profiles[:count], sizes, strict=True))


def generate_large_region(
    *,
    total_households: int,
    today: date,
    seed: int,
    years: int,
    count: int = len(SIZE_SHARES),
    password: str = DEFAULT_PASSWORD,
    stdout: TextIO | None = None,
) -> dict[str, dict[str, int]]:
    """Load the ``count`` municipalities of the large region (``total_households`` open benefit
    households in all, ``years`` of history each), then group them in the demo region with its
    regional login; rows per table per municipality (by CBS code)."""
    out: dict[str, dict[str, int]] = {}
    for profile, households in region_profiles(total_households, count):
        started = time.monotonic()
        out[profile.cbs_code] = generate_demo(
            households=households,
            seed=seed + profile.seed_offset,
            today=today,
            years=years,
            password=password,
            stdout=None,
            profile=profile,
        )
        if stdout is not None:
            stdout.write(
                f"{profile.name} ({profile.cbs_code}): {households} huishoudens in "
                f"{time.monotonic() - started:.1f} s\n"
            )
    region_load(password=password)
    return out
