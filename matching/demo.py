"""The matching demo (``manage.py seed_matching_demo``): for every municipality present,
employers, open vacancies, a digital profile for the residents on benefit, consents, and
historical placements, all from a seeded random generator.

Latent preferences the matcher does not see
-------------------------------------------
Each resident in the pool gets hidden values: a *home occupation* (the ISCO-08 unit group they
would really do well in), the hours they can really work, and how far they really travel. What
the profile records is a noisy view of those: the occupation sought is the home occupation only
about half of the time (otherwise a neighbour in the same ISCO minor group, or something else
entirely); the hours and the travel range are off by a few; work experience is recorded for half.

A historical placement is one of the demo's own outflows to work (``caseload`` made it; this
links it as a placement, it writes no outflow): the vacancy it filled is drawn from the placed
resident's *latent* values (mostly the home occupation, hours near the real ones, a workplace
within the real travel range, sometimes the resident's education as requirement). The matcher
only sees the profile, so an evaluation of where the placed resident ranks among all profiles
for that vacancy (``bench/matching_eval.py``) measures how well the observed profile predicts
the hidden fit; the occupation-only baseline uses the same profile's occupation factor alone.
The demo writes in bulk (like ``caseload/demo``); the rules it bypasses are the services'
checks, which its values satisfy by construction.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef

from caseload.models import Benefit, Municipality, OutflowEvent, Resident, Role, User
from common import clock
from employers.models import Employer, EmployerLocation, Occupation, Vacancy, VacancyStatus

from .calculations import ProfileFacts, profile_is_complete
from .facts import candidate_facts_refresh, stored_matches_refresh
from .models import (
    Consent,
    ConsentScope,
    Pc4Centroid,
    Placement,
    Profile,
    Proposal,
    ProposalStatus,
    SoughtOccupation,
    WorkExperience,
)

#: Occupations common in re-integration work, with a weight (how often a resident's home
#: occupation is this one, and how often an open vacancy asks for it).
OCCUPATION_WEIGHTS: dict[str, int] = {
    "9112": 8, "5223": 8, "9321": 5, "9334": 6, "5322": 5, "5321": 4, "5120": 3, "9412": 4,
    "5131": 3, "8322": 4, "9313": 3, "7115": 2, "4110": 4, "4321": 4, "5414": 3, "9214": 3,
    "8160": 2, "5311": 3, "4222": 3, "7411": 1, "9329": 3, "5151": 1, "9122": 2, "8332": 2,
    "4311": 2, "5411": 1, "9611": 2, "7212": 1, "5142": 1, "3257": 1,
}  # fmt: skip
SBI_BY_MAJOR = {"3": "7112", "4": "8211", "5": "4711", "7": "4120", "8": "4941", "9": "8121"}
NAMES = (
    "De Gooische", "Noorderlicht", "Het Anker", "Van Dijk", "De Schakel", "Zonnehoek",
    "Brouwer", "De Linde", "Kompas", "Vitalis", "Jansen", "De Brug", "Horizon", "Meander",
)  # fmt: skip
KINDS = ("Zorg", "Logistiek", "Schoonmaak", "Bouw", "Horeca", "Retail", "Techniek", "Diensten")
RANGES = (3, 5, 8, 10, 15, 20, 30)


@dataclass
class Latent:
    home: str
    hours: float
    travel_km: float


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _sibling(rng: random.Random, code: str, codes: list[str]) -> str:
    same = [c for c in codes if c[:3] == code[:3] and c != code]
    if not same:
        same = [c for c in codes if c[:2] == code[:2] and c != code]
    return rng.choice(same) if same else code


def _pc4(postcode: str) -> str:
    return postcode.replace(" ", "")[:4]


def seed_municipality(
    *, municipality: Municipality, seed: int, today: dt.date, max_placements: int = 400
) -> dict[str, int]:
    rng = random.Random(f"{seed}-{municipality.cbs_code}")
    codes = sorted(Occupation.objects.values_list("code", flat=True))
    weights = {c: w for c, w in OCCUPATION_WEIGHTS.items() if c in codes}
    occupations = {o.code: o for o in Occupation.objects.filter(code__in=codes)}
    positions = {p.pc4: (p.x_km, p.y_km) for p in Pc4Centroid.objects.all()}

    running = Benefit.objects.filter(applicant_id=OuterRef("pk"), end_date__isnull=True)
    on_benefit = list(
        Resident.objects.filter(municipality=municipality)
        .filter(Exists(running))
        .select_related("household")
        .order_by("pk")
    )
    since = today - dt.timedelta(days=3 * 365)
    work_outflows = list(
        OutflowEvent.objects.filter(
            resident__municipality=municipality,
            reason=OutflowEvent.Reason.WORK,
            occurred_on__gte=since,
            occurred_on__lte=today,
            placement__isnull=True,
        )
        .select_related("resident__household")
        .order_by("occurred_on", "pk")
    )
    rng.shuffle(work_outflows)
    placed = sorted(work_outflows[: min(max_placements, len(work_outflows) // 2)],
                    key=lambda o: (o.occurred_on, o.pk))  # fmt: skip
    pool: dict[int, Resident] = {r.pk: r for r in on_benefit}
    for o in placed:
        pool.setdefault(o.resident_id, o.resident)
    if not pool:
        return {}
    taken = set(
        Profile.objects.filter(resident_id__in=list(pool)).values_list("resident_id", flat=True)
    )
    staff = list(
        User.objects.filter(team__municipality=municipality, role=Role.CONSULENT, is_active=True)
    ) or list(User.objects.filter(is_superuser=True)[:1])
    if not staff:
        return {}
    managers = list(User.objects.filter(role=Role.ACCOUNT_MANAGER, is_active=True))
    area = sorted({_pc4(r.household.postcode) for r in pool.values()} & set(positions)) or sorted(
        {_pc4(r.household.postcode) for r in pool.values()}
    )

    # -- latent values and the profile that shows them with noise -----------------------------
    latent: dict[int, Latent] = {}
    profiles: list[Profile] = []
    sought_rows: list[tuple[int, str]] = []
    experience_rows: list[tuple[int, str, Decimal]] = []
    for rid in sorted(pool):
        if rid in taken:
            continue
        lat = Latent(
            home=_weighted(rng, weights),
            hours=rng.triangular(8, 40, 28),
            travel_km=rng.choice(RANGES) * rng.uniform(0.7, 1.3),
        )
        latent[rid] = lat
        draw = rng.random()
        first = (
            lat.home if draw < 0.55 else _sibling(rng, lat.home, codes) if draw < 0.8
            else _weighted(rng, weights)
        )  # fmt: skip
        sought = [first]
        if rng.random() < 0.4:
            sought.append(_weighted(rng, weights))
        experience = []
        if rng.random() < 0.5:
            code = lat.home if rng.random() < 0.6 else _sibling(rng, lat.home, codes)
            experience.append((code, Decimal(str(round(rng.uniform(0.5, 10), 1)))))
        hours = Decimal(str(min(40, max(4, round(lat.hours + rng.gauss(0, 4))))))
        travel = max(1, min(60, round(lat.travel_km + rng.gauss(0, 3))))
        licence = rng.random() < 0.55
        incomplete = rid not in {o.resident_id for o in placed} and rng.random() < 0.18
        missing = rng.choice(("hours", "travel", "licence")) if incomplete else ""
        profile = Profile(
            resident_id=rid,
            driving_licence=None if missing == "licence" else licence,
            travel_range_km=None if missing == "travel" else travel,
            hours_available=None if missing == "hours" else hours,
            no_work_experience=not experience,
            updated_by=staff[rid % len(staff)],
        )
        facts = ProfileFacts(
            sought_count=len(set(sought)),
            experience_count=len(experience),
            no_work_experience=not experience,
            driving_licence=profile.driving_licence,
            travel_range_km=profile.travel_range_km,
            hours_available=profile.hours_available,
        )
        if profile_is_complete(facts):
            profile.completed_on = today - dt.timedelta(days=rng.randint(0, 540))
        profiles.append(profile)
        sought_rows += [(rid, c) for c in dict.fromkeys(sought)]
        experience_rows += [(rid, c, y) for c, y in experience]

    counts: dict[str, int] = defaultdict(int)
    with transaction.atomic():
        Profile.objects.bulk_create(profiles, batch_size=2000)
        by_resident = dict(
            Profile.objects.filter(resident_id__in=list(latent)).values_list("resident_id", "pk")
        )
        SoughtOccupation.objects.bulk_create(
            [SoughtOccupation(profile_id=by_resident[r], occupation=occupations[c])
             for r, c in sought_rows],
            batch_size=5000,
        )  # fmt: skip
        WorkExperience.objects.bulk_create(
            [WorkExperience(profile_id=by_resident[r], occupation=occupations[c], years=y)
             for r, c, y in experience_rows],
            batch_size=5000,
        )  # fmt: skip
        counts["profiles"] += len(profiles)
        consents = [
            Consent(
                resident_id=r.pk,
                scope=ConsentScope.PROPOSE,
                given_on=today - dt.timedelta(days=rng.randint(0, 365)),
                recorded_by=staff[r.pk % len(staff)],
            )
            for r in on_benefit
            if r.pk in latent and rng.random() < 0.65
        ]
        Consent.objects.bulk_create(consents, batch_size=2000)
        counts["consents"] += len(consents)

        # -- employers ---------------------------------------------------------------------------
        n_employers = max(6, len(on_benefit) // 60)
        employers = []
        used_kvk = set(Employer.objects.values_list("kvk_number", flat=True))
        for i in range(n_employers):
            kvk = f"{rng.randint(10_000_000, 99_999_999)}"
            while kvk in used_kvk:
                kvk = f"{rng.randint(10_000_000, 99_999_999)}"
            used_kvk.add(kvk)
            kind = rng.choice(KINDS)
            employers.append(
                Employer(
                    municipality=municipality,
                    kvk_number=kvk,
                    name=f"{rng.choice(NAMES)} {kind} {i + 1}",
                    sbi_code=rng.choice(list(SBI_BY_MAJOR.values())),
                    account_manager=rng.choice(managers) if managers else None,
                )
            )
        Employer.objects.bulk_create(employers)
        EmployerLocation.objects.bulk_create(
            [
                EmployerLocation(
                    employer=e,
                    address=f"Industrieweg {rng.randint(1, 200)}",
                    postcode=f"{rng.choice(area)}{rng.choice('ABCDEHKL')}{rng.choice('ABRSTX')}",
                    city=municipality.name,
                )
                for e in employers
            ]
        )
        counts["employers"] += len(employers)

        # -- historical placements: vacancies drawn from the placed resident's latent values ------
        def near(pc4: str, km: float) -> str:
            here = positions.get(pc4)
            if here is None:
                return pc4
            options = [
                p for p in area
                if p in positions and math.dist(here, positions[p]) <= km
            ] or [pc4]  # fmt: skip
            return rng.choice(options)

        for o in placed:
            lat = latent.get(o.resident_id)
            if lat is None:
                continue
            resident = pool[o.resident_id]
            draw = rng.random()
            code = (
                lat.home if draw < 0.75 else _sibling(rng, lat.home, codes) if draw < 0.9
                else _weighted(rng, weights)
            )  # fmt: skip
            hours = Decimal(str(min(40, max(4, round(lat.hours + rng.gauss(0, 3))))))
            opened = o.occurred_on - dt.timedelta(days=rng.randint(14, 120))
            vacancy = Vacancy.objects.create(
                employer=rng.choice(employers),
                occupation=occupations[code],
                title=occupations[code].title[:200],
                hours_per_week=hours,
                postcode=f"{near(_pc4(resident.household.postcode), lat.travel_km)}AA",
                education_level=resident.education_level if rng.random() < 0.4 else "",
                start_date=o.occurred_on,
                status=VacancyStatus.FILLED,
                opened_on=opened,
                closed_on=o.occurred_on,
                banenafspraak=resident.in_doelgroepregister,
                loonkostensubsidie=o.is_subsidised,
            )
            proposed_on = opened + dt.timedelta(
                days=rng.randint(1, max(1, (o.occurred_on - opened).days - 1))
            )
            proposal = Proposal.objects.create(
                vacancy=vacancy,
                resident_id=o.resident_id,
                proposed_on=proposed_on,
                proposed_by=rng.choice(managers) if managers else staff[0],
                status=ProposalStatus.ACCEPTED,
                answered_on=min(o.occurred_on, proposed_on + dt.timedelta(days=rng.randint(1, 14))),
            )
            Placement.objects.create(
                proposal=proposal,
                start_date=o.occurred_on,
                hours_per_week=min(Decimal(40), o.hours_per_week or hours),
                loonkostensubsidie=o.is_subsidised,
                proefplaatsing=rng.random() < 0.15,
                jobcoach=o.is_subsidised and rng.random() < 0.5,
                outflow=o,
                recorded_by=proposal.proposed_by,
            )
            counts["placements"] += 1

        # -- open vacancies ----------------------------------------------------------------------
        n_open = max(5, len(on_benefit) // 80)
        for _ in range(n_open):
            code = _weighted(rng, weights)
            Vacancy.objects.create(
                employer=rng.choice(employers),
                occupation=occupations[code],
                title=occupations[code].title[:200],
                hours_per_week=Decimal(rng.choice((12, 16, 20, 24, 28, 32, 36))),
                postcode=f"{rng.choice(area)}BB",
                education_level=rng.choice(("", "", "mbo1", "mbo2", "vmbo")),
                start_date=today + dt.timedelta(days=rng.randint(7, 60)),
                opened_on=today - dt.timedelta(days=rng.randint(0, 45)),
                banenafspraak=rng.random() < 0.2,
                loonkostensubsidie=rng.random() < 0.3,
            )
        counts["open_vacancies"] += n_open
    return dict(counts)


def seed_region(*, seed: int = 42, today: dt.date | None = None) -> dict[str, dict[str, int]]:
    today = today or clock.today()
    result = {
        m.name: seed_municipality(municipality=m, seed=seed, today=today)
        for m in Municipality.objects.order_by("pk")
    }
    # the derived tables the candidate list and the vacancy worklist read (matching.facts)
    candidate_facts_refresh()
    stored_matches_refresh()
    return result


def has_matching_data() -> bool:
    return Profile.objects.exists() or Employer.objects.exists()
