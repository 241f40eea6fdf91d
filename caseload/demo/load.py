"""Loading and clearing the demo municipality: the order of the steps, the chunked COPY of the
households (generated in this thread while a writer thread copies the previous chunk), and
the public entry points ``generate_demo`` (one municipality), ``generate_region`` (the four
municipalities of the seeds and their region), ``clear_demo_data``, ``has_demo_data`` and
``demo_logins``."""

from __future__ import annotations

import time
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from typing import TextIO

from django.db import connection, transaction

from caseload import models as m

from . import organisation
from .copy_writer import allocate_ids, copy_chunk, reset_sequences
from .parameters import (
    CHUNK_SIZE,
    DEFAULT_PASSWORD,
    HILVERSUM,
    HILVERSUM_CASELOAD,
    PROFILES,
    REGION_NAME,
    REGION_USER,
    MunicipalityProfile,
)
from .plan import plan
from .rows.households import write_household
from .rows.vso_pro import write_vso_pro_youths
from .state import DemoState


def _run(d: DemoState) -> dict[str, int]:
    """Write the organisation, the plan's staff and every planned household; rows per table."""
    t0 = time.monotonic()
    organisation.catalogue(d)
    with transaction.atomic(), connection.cursor() as cursor:
        # Check foreign keys per COPY statement: keeps the pending-trigger queue per chunk.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        organisation.organisation(d)
        plans = plan(d)
        organisation.staff(d, plans)
        allocate_ids(d.tables, cursor)
        # COPY of chunk k runs in a writer thread (psycopg waits without the GIL) while this
        # thread generates chunk k+1; only the writer touches the connection meanwhile.
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        total = len(plans)
        with ThreadPoolExecutor(max_workers=1) as writer:
            pending: Future | None = None
            for i in range(0, total, CHUNK_SIZE):
                for p in plans[i : i + CHUNK_SIZE]:
                    write_household(d, p)
                batches = [table.take() for table in d.tables]
                if pending is not None:
                    pending.result()
                pending = writer.submit(copy_chunk, raw, batches)
                done = min(i + CHUNK_SIZE, total)
                if done == total or (i // CHUNK_SIZE) % 5 == 4:
                    d.log(
                        f"  {done}/{total} uitkeringen en aanvragen ({time.monotonic() - t0:.0f} s)"
                    )
            # the Vso/Pro school-leavers without a benefit, drawn after every planned household
            youths = write_vso_pro_youths(d)
            batches = [table.take() for table in d.tables]
            if pending is not None:
                pending.result()
            copy_chunk(raw, batches)
            d.log(f"  {youths} jongeren uit het Vso/Pro zonder uitkering")
        reset_sequences(d.tables, cursor)
    for table in d.tables:
        d.counts[table.name] = table.count
    return d.counts


def has_demo_data() -> bool:
    """True when any municipality or resident exists."""
    return m.Municipality.objects.exists() or m.Resident.objects.exists()


def clear_demo_data() -> None:
    """Remove the caseload data (all municipalities, residents, ...) and non-superuser staff.

    Keeps the instrument catalogue and superusers. Tables of other apps that reference the
    caseload are emptied too (TRUNCATE ... CASCADE).
    """
    data_models = [
        m.DebtCase,
        m.FraudInvestigation,
        m.LadderScore,
        m.ContactMoment,
        m.OutflowEvent,
        m.Trajectory,
        m.GroupAssignment,
        m.Application,
        m.BenefitPayment,
        m.Benefit,
        m.Resident,
        m.Household,
        m.District,
        m.MunicipalityYear,
    ]
    tables = ", ".join(f'"{model._meta.db_table}"' for model in data_models)
    with transaction.atomic(), connection.cursor() as cursor:
        # Deferred foreign-key checks pending in this transaction would block TRUNCATE.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
        m.User.objects.filter(is_superuser=False).delete()
        # Superusers stay; they no longer belong to a (deleted) team.
        for user in m.User.objects.filter(team__isnull=False):
            user.team = None
            if user.role in m.TEAM_ROLES:
                user.role = m.Role.BEHEER
            user.save(update_fields=["team", "role"])
        m.Team.objects.all().delete()
        m.User.objects.filter(municipality__isnull=False).update(municipality=None)
        m.Municipality.objects.all().delete()
        m.Region.objects.all().delete()


def generate_demo(
    *,
    households: int,
    seed: int,
    today: date,
    years: int = 6,
    password: str = DEFAULT_PASSWORD,
    stdout: TextIO | None = None,
    profile: MunicipalityProfile = HILVERSUM,
) -> dict[str, int]:
    """Generate one demo municipality (Hilversum unless ``profile`` names another); return the
    number of rows written per table.

    ``households`` is the open caseload at ``today``; the history starts on 1 January of
    ``today.year - years``. The database must not contain that municipality yet; the BSNs of
    the municipalities already loaded are not drawn again.
    """
    if m.Municipality.objects.filter(cbs_code=profile.cbs_code).exists():
        raise ValueError(f"{profile.name} bestaat al; verwijder eerst de gegevens.")
    if m.User.objects.filter(
        username__in=[profile.username(name) for name, _, _, _ in profile.users]
    ).exists():
        raise ValueError(f"De demo-logins van {profile.name} bestaan al.")
    taken = set(m.Resident.objects.values_list("bsn", flat=True)) if has_demo_data() else set()

    def log(message: str) -> None:
        if stdout is not None:
            stdout.write(message + "\n")

    d = DemoState(
        households=households,
        seed=seed,
        today=today,
        years=years,
        password=password,
        log=log,
        profile=profile,
        taken_bsns=taken,
    )
    counts = {
        "caseload_municipality": 1,
        "caseload_municipalityyear": today.year - d.window_start_date.year + 1,
        "caseload_district": len(profile.districts),
        "caseload_team": len(profile.teams),
    }
    counts.update(_run(d))
    counts["caseload_user"] = d.staff_count
    # Bulk-loaded tables have no planner statistics yet (or those of before a clear): without
    # ANALYZE, PostgreSQL plans the first queries as if the tables were empty (nested loops
    # over 100,000s of rows).
    with connection.cursor() as cursor:
        for table in counts:
            cursor.execute(f'ANALYZE "{table}"')
    return counts


def generate_region(
    *,
    today: date,
    seed: int,
    reference_households: int = HILVERSUM_CASELOAD,
    profiles: list[MunicipalityProfile] | None = None,
    years: int | None = None,
    password: str = DEFAULT_PASSWORD,
    stdout: TextIO | None = None,
) -> dict[str, dict[str, int]]:
    """Load the demo municipalities (default: all four of the seeds) one after the other, then
    group them in the demo region with its regional login; rows per table per municipality.

    Each municipality is sized after its seed (``MunicipalityProfile.households_for``, in
    proportion to ``reference_households`` for Hilversum) and draws with ``seed`` plus its own
    offset (Hilversum with ``seed`` itself: its data stay what ``generate_demo`` writes). Its
    history starts on 1 January of its seed's base year, or ``years`` before ``today``'s year
    when given. The generation time per municipality is reported through ``stdout``.
    """
    out: dict[str, dict[str, int]] = {}
    for profile in profiles or PROFILES:
        started = time.monotonic()
        n = profile.households_for(reference_households)
        span = years or max(1, today.year - profile.history_start_year)
        if stdout is not None:
            stdout.write(
                f"{profile.name} (seed {profile.seeds}): {n} huishoudens, historie vanaf "
                f"1-1-{today.year - span}\n"
            )
        out[profile.cbs_code] = generate_demo(
            households=n,
            seed=seed + profile.seed_offset,
            today=today,
            years=span,
            password=password,
            stdout=stdout,
            profile=profile,
        )
        if stdout is not None:
            stdout.write(f"  {profile.name} klaar in {time.monotonic() - started:.1f} s\n")
    region_load(password=password)
    return out


def region_load(*, password: str = DEFAULT_PASSWORD) -> m.Region:
    """The demo region with every municipality of the database, and its regional login."""
    region, _ = m.Region.objects.get_or_create(name=REGION_NAME)
    m.Municipality.objects.filter(region__isnull=True).update(region=region)
    if not m.User.objects.filter(username=REGION_USER).exists():
        m.User.objects.create_user(
            username=REGION_USER,
            password=password,
            first_name="Regio",
            last_name="Analist",
            email=f"{REGION_USER}@regio-demo.example",
            role=m.Role.REGION,
        )
    return region


def demo_logins() -> list[tuple[str, str]]:
    """(username, role label) of the fixed demo logins: Hilversum's, then those of every other
    municipality (``<name>.<key>``), then the regional login."""
    logins = [
        (profile.username(name), str(m.Role(role).label))
        for profile in PROFILES
        for name, role, _, _ in profile.users
    ]
    return [*logins, (REGION_USER, str(m.Role.REGION.label))]
