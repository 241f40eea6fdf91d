# ruff: noqa: S608 - SQL composed from constant fragments in code; all values are bound parameters
"""How good the matching is (issue 18): ``python -m bench.matching_eval``.

In a throwaway database (``bench_matching``, or the name in MATCHING_EVAL_DB; never the
development database) it loads the demo region (``seed_demo``, MATCHING_EVAL_HOUSEHOLDS
households for Hilversum, the others in proportion) and the matching demo
(``seed_matching_demo``: profiles, vacancies and historical placements drawn from latent
preferences the matcher does not see; ``matching/demo.py``). Then, per municipality, the
placements are ordered by start date: the oldest 70 % are the *training* split, the newest 30 %
are held out. For each held-out placement the pool is every profile of the municipality whose
household had a benefit running on the day the vacancy opened (the candidate list's hard
condition as it stood then), plus the placed resident; all of them are scored for the
placement's vacancy in ONE statement (``matching.ranking.rank_sql``, the same SQL as the pages,
with ``point_in_time``: the resident's group and latest completed intake as they stood on the day
the vacancy opened, not today, when a placed resident's group has ended with the benefit;
consent not required), and the placed resident's rank is read:

* **matcher**: the total match score;
* **baseline**: the occupation factor alone (same ISCO credits, same profile).

Ties are counted fairly for both: with ``b`` profiles scoring higher and ``t`` others scoring
the same, the placed resident's position is uniform over ``b+1 .. b+t+1``; hit@10 and the
reciprocal rank are their expected values over that spread (a baseline that ties hundreds of
profiles is not credited with an arbitrary lucky order).

The weights in ``matching.calculations.WEIGHTS`` were fitted on the training split only
(``--dump-train FILE`` writes its pairs' credits, ``bench/matching_fit.py FILE`` fits them);
the report covers the held-out split only. Nothing reads the demo's latent preferences.
Output: docs/benchmarks/matching.md (MATCHING_EVAL_OUT to write elsewhere).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

HELD_OUT = 0.3
SEED = int(os.environ.get("MATCHING_EVAL_SEED") or 42)
HOUSEHOLDS = int(os.environ.get("MATCHING_EVAL_HOUSEHOLDS") or 2200)


def _spread(better: int, ties: int) -> tuple[float, float]:
    """Expected hit@10 and reciprocal rank for a position uniform over better+1..better+ties+1."""
    n = ties + 1
    hit = max(0, min(n, 10 - better)) / n
    rr = sum(1 / (better + 1 + k) for k in range(n)) / n
    return hit, rr


#: the pool of a past vacancy: every profile of the municipality whose household had a benefit
#: running on the day the vacancy opened (the candidate list's hard condition, as it stood then),
#: plus the resident placed in it; the facts as of that day (``point_in_time``)
POOL_PAIRS = """
    SELECT v.id AS vacancy_id, p.id AS profile_id, v.opened_on AS as_of
      FROM employers_vacancy v
      CROSS JOIN matching_profile p
      JOIN caseload_resident r ON r.id = p.resident_id
     WHERE v.id = ANY(%(vacancies)s::bigint[])
       AND r.municipality_id = %(municipality_id)s
       AND (EXISTS (SELECT 1 FROM caseload_benefit b
                     WHERE b.household_id = r.household_id AND b.start_date <= v.opened_on
                       AND (b.end_date IS NULL OR b.end_date > v.opened_on))
            OR EXISTS (SELECT 1 FROM matching_proposal mp
                         JOIN matching_placement pl ON pl.proposal_id = mp.id
                        WHERE mp.vacancy_id = v.id AND mp.resident_id = r.id))
"""


def placements_split(municipality_id: int) -> tuple[list, list]:
    """The municipality's placements by start date: the oldest 70 % (training, the only part
    ``bench/matching_fit.py`` fits on) and the newest 30 % (held out, the only part reported)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT pl.id, mp.vacancy_id, mp.resident_id, pl.start_date
              FROM matching_placement pl
              JOIN matching_proposal mp ON mp.id = pl.proposal_id
              JOIN caseload_resident r ON r.id = mp.resident_id
             WHERE r.municipality_id = %s
             ORDER BY pl.start_date, pl.id
            """,
            [municipality_id],
        )
        placements = cursor.fetchall()
    cut = int(len(placements) * (1 - HELD_OUT))
    return placements[:cut], placements[cut:]


def dump_training(municipality_id: int, out) -> int:
    """Write the six credits of every pool pair of the training placements (CSV: vacancy,
    placed 0/1, credits in ``matching.ranking._CREDIT_COLUMNS`` order) for the fit."""
    from django.db import connection

    from matching.ranking import _CREDIT_COLUMNS, rank_sql

    training, _ = placements_split(municipality_id)
    if not training:
        return 0
    ranked = rank_sql(POOL_PAIRS, order_by="t.vacancy_id", limit=False, point_in_time=True)
    columns = ", ".join(f"r.{c}" for c in _CREDIT_COLUMNS)
    sql = f"""
        WITH ranked AS ({ranked})
        SELECT r.vacancy_id,
               EXISTS (SELECT 1 FROM matching_proposal mp
                         JOIN matching_placement pl ON pl.proposal_id = mp.id
                        WHERE mp.vacancy_id = r.vacancy_id AND mp.resident_id = r.resident_id)::int,
               {columns}
          FROM ranked r
    """
    n = 0
    with connection.cursor() as cursor:
        cursor.execute(
            sql, {"vacancies": [p[1] for p in training], "municipality_id": municipality_id}
        )
        for row in cursor.fetchall():
            out.write(",".join(str(float(x)) if i > 1 else str(x) for i, x in enumerate(row)))
            out.write("\n")
            n += 1
    return n


def evaluate_municipality(municipality_id: int) -> dict:
    from django.db import connection

    from matching.ranking import rank_sql

    training, held = placements_split(municipality_id)
    placements = training + held
    vacancy_ids = [p[1] for p in held]
    ranked = rank_sql(POOL_PAIRS, order_by="t.vacancy_id", limit=False, point_in_time=True)
    sql = f"""
        WITH ranked AS ({ranked}),
        placed AS (
            SELECT mp.vacancy_id, mp.resident_id
              FROM matching_proposal mp
              JOIN matching_placement pl ON pl.proposal_id = mp.id
             WHERE mp.vacancy_id = ANY(%(vacancies)s::bigint[])
        ),
        target AS (
            SELECT r.vacancy_id, r.score, r.c_occupation
              FROM ranked r JOIN placed x
                ON x.vacancy_id = r.vacancy_id AND x.resident_id = r.resident_id
        )
        SELECT t.vacancy_id,
               count(*) FILTER (WHERE r.score > t.score),
               count(*) FILTER (WHERE r.score = t.score) - 1,
               count(*) FILTER (WHERE r.c_occupation > t.c_occupation),
               count(*) FILTER (WHERE r.c_occupation = t.c_occupation) - 1,
               count(*)
          FROM target t JOIN ranked r ON r.vacancy_id = t.vacancy_id
         GROUP BY t.vacancy_id
    """
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, {"vacancies": vacancy_ids, "municipality_id": municipality_id})
        rows = cursor.fetchall()
    seconds = time.perf_counter() - started
    out = {"placements": len(placements), "held_out": len(rows), "seconds": seconds}
    for name, (b, t) in (("matcher", (1, 2)), ("baseline", (3, 4))):
        spreads = [_spread(row[b], row[t]) for row in rows]
        out[name] = {
            "hit10": sum(s[0] for s in spreads) / len(spreads),
            "mrr": sum(s[1] for s in spreads) / len(spreads),
        }
    out["pool"] = max(row[5] for row in rows)
    return out


def time_candidate_lists() -> dict:
    """The account manager's candidate list (from the candidate facts, the whole region, 50
    rows: what ``selectors.candidates_for_vacancy`` runs) for every open vacancy, timed: p50 and
    p95 in milliseconds, after a refresh of the facts and one warm-up."""
    from employers.models import Vacancy
    from matching import ranking
    from matching.facts import candidate_facts_refresh
    from matching.models import Profile

    vacancies = list(Vacancy.objects.filter(status="open").values_list("pk", flat=True))
    if not vacancies:
        return {}
    candidate_facts_refresh()
    ranking.rank_from_facts(vacancy_id=vacancies[0], municipality_ids=None)
    times = []
    load_before = os.getloadavg()[0]
    for pk in vacancies:
        started = time.perf_counter()
        ranking.rank_from_facts(vacancy_id=pk, municipality_ids=None)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "vacancies": len(times),
        "profiles": Profile.objects.count(),
        "p50": times[len(times) // 2],
        "p95": times[min(len(times) - 1, int(len(times) * 0.95))],
        "load": (load_before, os.getloadavg()[0]),
    }


def _report(
    results: dict, *, households: int, seed: int, seconds: float, speed: dict | None = None
) -> str:
    lines = [
        "# Matching: evaluation on held-out placements",
        "",
        "Written by `python -m bench.matching_eval` (method: the module's docstring and",
        "`matching/demo.py`). Demo region: `seed_demo --households "
        f"{households} --seed {seed}`, then `seed_matching_demo --seed {seed}`; run on "
        f"{dt.date.today():%Y-%m-%d}, {seconds:.0f} s in all.",
        "",
        "| gemeente | plaatsingen | held-out | profielen (pool) | hit@10 matcher | hit@10 baseline"
        " | ratio | MRR matcher | MRR baseline | SQL (s) |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    total = {"matcher": [0.0, 0.0], "baseline": [0.0, 0.0], "n": 0}
    for name, r in results.items():
        if not r:
            lines.append(f"| {name} | 0 | 0 | | | | | | | |")
            continue
        m, b = r["matcher"], r["baseline"]
        ratio = m["hit10"] / b["hit10"] if b["hit10"] else float("inf")
        lines.append(
            f"| {name} | {r['placements']} | {r['held_out']} | {r['pool']} | {m['hit10']:.3f} |"
            f" {b['hit10']:.3f} | {ratio:.1f}x | {m['mrr']:.3f} | {b['mrr']:.3f} |"
            f" {r['seconds']:.1f} |"
        )
        n = r["held_out"]
        total["n"] += n
        for k in ("matcher", "baseline"):
            total[k][0] += r[k]["hit10"] * n
            total[k][1] += r[k]["mrr"] * n
    if total["n"]:
        n = total["n"]
        mh, mm = total["matcher"][0] / n, total["matcher"][1] / n
        bh, bm = total["baseline"][0] / n, total["baseline"][1] / n
        ratio = mh / bh if bh else float("inf")
        lines.append(
            f"| **regio** | | {n} | | **{mh:.3f}** | **{bh:.3f}** | **{ratio:.1f}x** |"
            f" **{mm:.3f}** | **{bm:.3f}** | |"
        )
        verdict = "met" if ratio >= 2 else "NOT met"
        lines += [
            "",
            f"Goal (issue 18): hit@10 at least twice the occupation-only baseline: **{verdict}**"
            f" ({ratio:.1f}x over the region).",
        ]
    if speed:
        lines += [
            "",
            "## Speed of one candidate list",
            "",
            f"The candidate list from the candidate facts (`matching.ranking.rank_from_facts`,"
            " candidates of one vacancy over"
            f" the whole region, 50 rows) for each of the {speed['vacancies']} open vacancies,"
            f" {speed['profiles']} profiles in the region: p50 {speed['p50']:.0f} ms, p95"
            f" {speed['p95']:.0f} ms (same machine, after one warm-up; 1-minute load average"
            f" {speed['load'][0]:.1f} before and {speed['load'][1]:.1f} after the timing, on"
            f" {os.cpu_count()} cores). The issue's figure (p95 under 300 ms at 40,000"
            " households): bench/matching_speed.py, docs/benchmarks/matching-speed.json. Where the"
            " statement's time goes: docs/benchmarks/explain/matching/README.md.",
        ]
    lines += [
        "",
        "## What this does and does not show",
        "",
        "- The placements are synthetic: the demo draws each filled vacancy from the placed",
        "  resident's hidden preferences (home occupation, real hours, real travel range), and",
        "  the profile shows those with noise. The figure says how much of that hidden fit the",
        "  matcher recovers from the profile beyond the occupation alone; it is not evidence",
        "  about real employers' choices, which only a pilot with real placements can give.",
        "- The pool of a past vacancy is every profile of the municipality whose household had",
        "  a benefit running on the day the vacancy opened, plus the placed resident (also those",
        "  without consent), so it is larger than the account manager's list; group and intake",
        "  as they stood that day. The profiles themselves are today's (the demo keeps no",
        "  profile history).",
        "- The weights were fitted on the oldest 70 % of the placements (`bench/matching_fit.py`,",
        "  docs/matching.md); the table reports only the newest 30 %. docs/matching.md says",
        "  how much of the gain over the earlier 1.8x is the point-in-time reading and how",
        "  much the fitted weights.",
        "- Ties: expected values over a random order of equal scores (module docstring).",
    ]
    return "\n".join(lines) + "\n"


def main(dump: str | None = None) -> None:
    started = time.perf_counter()
    from budget_db import setup, teardown  # noqa: PLC0415 - bench/ on the path

    name = os.environ.get("MATCHING_EVAL_DB") or "bench_matching"
    connection = setup(name)
    try:
        from django.core.management import call_command

        from caseload.models import Municipality

        call_command("seed_demo", households=HOUSEHOLDS, seed=SEED, force=True, verbosity=0)
        call_command("seed_matching_demo", seed=SEED, force=True)
        if dump:
            with Path(dump).open("w", encoding="utf-8") as out:
                rows = sum(dump_training(m.pk, out) for m in Municipality.objects.order_by("name"))
            print(f"{rows} training pairs written to {dump}")
            return
        results = {
            m.name: evaluate_municipality(m.pk) for m in Municipality.objects.order_by("name")
        }
        speed = time_candidate_lists()
        report = _report(
            results,
            households=HOUSEHOLDS,
            seed=SEED,
            seconds=time.perf_counter() - started,
            speed=speed,
        )
    finally:
        teardown(connection, name)
    if dump:
        return
    out = Path(os.environ.get("MATCHING_EVAL_OUT") or ROOT / "docs" / "benchmarks" / "matching.md")
    out.write_text(report, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    if sys.argv[1:2] == ["--dump-train"]:
        main(dump=sys.argv[2])
    else:
        main()
