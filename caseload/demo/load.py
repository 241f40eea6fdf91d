"""Loading and clearing the demo municipality: the order of the steps, the chunked COPY of the
households (generated in this thread while a writer thread copies the previous chunk), and
the public entry points ``generate_demo``, ``clear_demo_data``, ``has_demo_data`` and
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
from .parameters import CHUNK_SIZE, DEFAULT_PASSWORD, DEMO_USERS, DISTRICTS, TEAMS
from .plan import plan
from .rows.households import write_household
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
            if pending is not None:
                pending.result()
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
        m.Municipality.objects.all().delete()


def generate_demo(
    *,
    households: int,
    seed: int,
    today: date,
    years: int = 6,
    password: str = DEFAULT_PASSWORD,
    stdout: TextIO | None = None,
) -> dict[str, int]:
    """Generate the demo municipality; return the number of rows written per table.

    ``households`` is the open caseload at ``today``; the history starts on 1 January of
    ``today.year - years``. The database must not contain a municipality yet.
    """
    if m.Municipality.objects.exists():
        raise ValueError("Er bestaat al een gemeente; verwijder eerst de gegevens.")

    def log(message: str) -> None:
        if stdout is not None:
            stdout.write(message + "\n")

    d = DemoState(
        households=households, seed=seed, today=today, years=years, password=password, log=log
    )
    counts = {
        "caseload_municipality": 1,
        "caseload_municipalityyear": today.year - d.window_start_date.year + 1,
        "caseload_district": len(DISTRICTS),
        "caseload_team": len(TEAMS),
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


def demo_logins() -> list[tuple[str, str]]:
    """(username, role label) of the fixed demo logins."""
    return [(name, str(m.Role(role).label)) for name, role, _, _ in DEMO_USERS]
