"""The national-size run of the indicator recompute (issue 19): ``bench/run.py --scale``.

    .venv/bin/python bench/run.py --scale                 # 40,000 and 400,000 households
    .venv/bin/python bench/run.py --scale --reuse         # keep databases already seeded
    BENCH_SCALE_SIZES=2000,20000 .venv/bin/python bench/run.py --scale   # a smoke run
    .venv/bin/python bench/scale.py --paired TAG alone=KEY   # growth, both sizes side by side

``--paired`` (on kept databases) measures each indicator's growth with its statement at the two
sizes alternately, seconds apart, instead of from two runs minutes apart: see :func:`paired`.

CI never runs it (it seeds 89 million rows, 13 GB, and takes about an hour on the 2-core
machine). Per size it uses its own throwaway database ``bench_scale_<households>`` on the
project's PostgreSQL server (kept afterwards, so that ``--reuse`` and ``bench/explain.py`` can
use it; drop it with ``--drop``), seeds it with ``seed_demo --households N --years 10 --municipality GM0402``
(Hilversum alone) and ``VACUUM ANALYZE``, and then measures, in one process per size, with the fill's ``work_mem``
(``INDICATORS_FILL_WORK_MEM``) for the fill and the floor alike:

1. the floor (``bench/indicators_recompute.py``, ``FLOOR_SQL``): before the full recompute,
   after it and after the per-indicator runs (median of the three);
2. the full recompute (``indicator_values_fill``, ``INDICATORS_FILL_WORKERS`` indicators at once),
   as the nightly task runs it, with each indicator's own wall time in it;
3. each indicator alone, heaviest first, one after the other on one connection: its fill
   statement (all years, as the fill runs it) under ``EXPLAIN (ANALYZE, BUFFERS)``, rolled back,
   written to ``docs/benchmarks/explain/<households>/<code>.txt`` (and ``floor.txt``); its
   execution time is the per-indicator figure whose growth between sizes is compared. A
   statement whose first run takes under ``BENCH_SCALE_REPEAT_UNDER_S`` (5 s) runs
   ``BENCH_SCALE_REPEAT`` (3) times, and its figure is the median (every run is kept).

``BENCH_SCALE_EXPLAIN_S`` bounds the time spent on step 3 (no further statement is started after
it; those left out are listed), ``BENCH_SCALE_LAST_FLOOR=0`` leaves out the third floor, and
``BENCH_SCALE_STOP_AT`` (epoch seconds) starts no statement of step 3 nor the third floor that
would, by the times measured so far, end after it: for a run that must end by a given time.

On a database seeded before later migrations (a kept ``bench_scale_*`` one, not migrated: the
row-level-security step of a migrate would rewrite every child table), three settings measure
today's code against what that database supports:

* ``BENCH_SCALE_CODES``: the indicators of step 2 (and 3), comma-separated, in the registry's
  order, or ``measured``: the codes of the full recompute recorded in ``scale.json`` for that
  size before (``<households>.full.per_code_s``); unset, every registered indicator;
* ``BENCH_SCALE_TODAY`` (``YYYY-MM-DD``): the clock stands at noon of that day in
  ``settings.TIME_ZONE`` for the run (``common.clock``), so that the stored values compared
  before and after (``bench/values_compare.py``) have the same reference date when the run
  crosses midnight;
* ``BENCH_SCALE_KEY``: the run goes to ``scale.json`` under ``<households>.<key>`` (the earlier
  run of that size stays) and its plans to ``explain/<households>-<key>/``.

The municipality's id is read with SQL (not through the model, whose later columns such a
database lacks).

The load average is recorded next to every figure. Results: ``docs/benchmarks/scale.json``
(merged per size, so a size measured earlier stays) and ``scale-results.md`` with the growth
factors between the smallest and the largest size (BENCH_OUT to write elsewhere).
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import env as benv  # noqa: E402

ROOT = benv.ROOT
YEARS = 10
OUT = Path(os.environ.get("BENCH_OUT") or ROOT / "docs" / "benchmarks")
SIZES = [int(s) for s in os.environ.get("BENCH_SCALE_SIZES", "40000,400000").split(",") if s]
#: step 3: a statement whose first run is under REPEAT_UNDER_S seconds runs REPEAT times (median)
REPEAT = int(os.environ.get("BENCH_SCALE_REPEAT") or "3")
REPEAT_UNDER_S = float(os.environ.get("BENCH_SCALE_REPEAT_UNDER_S") or "5")
#: the acceptance of issue 19
MAX_FULL_PER_FLOOR = 3.0
MAX_GROWTH = 12.0


def log(message: str) -> None:
    print(f"[scale {time.strftime('%H:%M:%S', time.gmtime())}Z] {message}", flush=True)


def db_name(households: int) -> str:
    return f"bench_scale_{households}"


def _households_in(url: str) -> int | None:
    """Households in an existing benchmark database, None when it is absent or not seeded."""
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM caseload_household").fetchone()[0]
    except psycopg.Error:
        return None


def seed(server: str, households: int, *, reuse: bool) -> tuple[str, dict]:
    """The seeded database of ``households``: reused when asked and it holds that many."""
    url = benv.with_database(server, db_name(households))
    seeds_path = OUT / "scale-seed.json"
    seeds = json.loads(seeds_path.read_text()) if seeds_path.exists() else {}
    found = _households_in(url)
    if reuse and found:
        # any seeded database of that name (its household table counts every household of the
        # demo, not only the ``households`` with a benefit): --reuse never drops one
        log(f"{households}: reusing {db_name(households)} ({found:,} households in all)")
        return url, {**seeds.get(str(households), {}), "reused": True}
    if reuse and found is not None:
        raise SystemExit(f"--reuse: {db_name(households)} exists but holds no households")
    url = benv.database_create(server, db_name(households))
    environ = benv.child_env(url, benv.redis_url())
    benv.manage(["migrate", "--noinput", "-v", "0"], environ)
    log_path = Path(tempfile.gettempdir()) / f"bench_scale_seed_{households}.log"
    load_start = benv.loadavg()
    log(f"{households}: seed_demo ({YEARS} years), log {log_path}")
    result = benv.timed_manage(
        benv.seed_one_municipality(households, YEARS),
        environ,
        log_path,
    )
    result.update(load_start=load_start, load_end=benv.loadavg())
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        started = time.monotonic()
        conn.execute("VACUUM ANALYZE")
        result["vacuum_analyze_s"] = round(time.monotonic() - started, 1)
        size = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
        result["database_mb"] = round(size / 1024 / 1024)
    log(f"{households}: seeded {result}")
    seeds[str(households)] = result
    seeds_path.write_text(json.dumps(seeds, indent=2) + "\n")
    return url, result


# --- the measurement, in a process of its own per size (Django connects to one database) --------


def _load() -> list[float]:
    return benv.loadavg()


def _codes(households: int) -> list[str] | None:
    """The indicators of the full recompute: ``BENCH_SCALE_CODES`` (see the module docstring),
    in the registry's order (the order the full recompute takes them in); None for all."""
    wanted = os.environ.get("BENCH_SCALE_CODES", "").strip()
    if not wanted:
        return None
    if wanted == "measured":
        data = json.loads((OUT / "scale.json").read_text())
        chosen = set(data[str(households)]["full"]["per_code_s"])
    else:
        chosen = {c.strip() for c in wanted.split(",") if c.strip()}
    from indicators.registry import indicator_all, is_registered

    unknown = sorted(c for c in chosen if not is_registered(c))
    if unknown:
        raise SystemExit(f"BENCH_SCALE_CODES: not registered: {', '.join(unknown)}")
    return [d.code for d in indicator_all() if d.code in chosen]


def _clock_fix() -> str | None:
    """``BENCH_SCALE_TODAY``: the clock at noon of that day in the project's time zone."""
    day = os.environ.get("BENCH_SCALE_TODAY")
    if not day:
        return None
    import datetime as dt

    from django.utils import timezone

    from common import clock

    moment = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(12))
    clock.clock_set(timezone.make_aware(moment))
    return day


def _floor(municipality_id: int, today, periods) -> float:
    """The floor with the fill's work_mem (``SET LOCAL`` in a transaction, as the fill has it)."""
    import indicators_recompute as ir
    from django.db import connection, transaction

    from indicators.fill import _work_mem

    with transaction.atomic():
        with connection.cursor() as cursor:
            _work_mem(cursor)
        return ir.floor_seconds(municipality_id, today, periods)


def measure(households: int, out: Path, *, resume: bool = False) -> dict:
    """Floor, full recompute, each indicator alone and the EXPLAIN files of the database in
    ``DATABASE_URL``; ``out`` (JSON) is rewritten after every step, so a run cut short keeps
    what it measured."""
    import django

    django.setup()
    import explain
    import indicators_recompute as ir
    from django.conf import settings

    from common import clock

    key = os.environ.get("BENCH_SCALE_KEY")
    fixed_day = _clock_fix()
    codes = _codes(households)
    municipality_id = explain.municipality_id()
    today = clock.today()
    data = ir.data_summary(municipality_id, today)
    result: dict = {
        "households": households,
        "machine": benv.machine(os.environ["DATABASE_URL"]),
        "codes": codes or "all registered",
        "today": str(today) + (" (BENCH_SCALE_TODAY)" if fixed_day else ""),
        "benefits": data["benefits"],
        "years": f"{data['years'][0]}-{data['years'][-1]}",
        "periods": len(data["periods"]),
        "work_mem": settings.INDICATORS_FILL_WORK_MEM,
        "workers": settings.INDICATORS_FILL_WORKERS,
        "load_start": _load(),
    }

    def save() -> None:
        out.write_text(json.dumps(result, indent=2) + "\n")

    def floor(label: str) -> None:
        load = _load()
        seconds = _floor(municipality_id, today, data["periods"])
        result.setdefault("floor_runs", []).append(
            {"when": label, "s": round(seconds, 2), "load": load}
        )
        log(f"{households}: floor ({label}) {seconds:.2f} s, load {load}")
        result["floor_s"] = round(statistics.median(r["s"] for r in result["floor_runs"]), 2)
        if "full" in result:
            result["full_per_floor"] = round(result["full"]["s"] / result["floor_s"], 2)
        save()

    # no separate warm-up run (at 400,000 one floor takes minutes): the median of three runs
    # leaves out a first run on a cold cache
    done = json.loads(out.read_text()) if resume and out.exists() else {}
    if "full" in done and done.get("floor_runs"):
        # --resume: the floors and the full recompute of a run cut short, kept as measured
        result.update({k: done[k] for k in ("floor_runs", "floor_s", "full") if k in done})
        result["full_per_floor"] = round(result["full"]["s"] / result["floor_s"], 2)
        result["resumed"] = {"at": time.strftime("%H:%M UTC", time.gmtime()), "load": _load()}
        per_code = result["full"]["per_code_s"]
        log(f"{households}: resuming after the full recompute of {done['machine']['date']}")
        save()
    else:
        floor("before the full recompute")
        load = _load()
        full, fill = ir.full_recompute(municipality_id, today, codes=codes)
        per_code = fill.seconds
        result["full"] = {
            "s": round(full, 2),
            "load_before": load,
            "load_after": _load(),
            "per_code_s": {
                k: round(v, 2) for k, v in sorted(per_code.items(), key=lambda x: -x[1])
            },
        }
        log(f"{households}: full recompute {full:.1f} s, load {load}")
        save()
        floor("after the full recompute")
    folder = OUT / "explain" / (f"{households}-{key}" if key else str(households))
    folder.mkdir(parents=True, exist_ok=True)
    # Each indicator alone: its fill statement under EXPLAIN (ANALYZE, BUFFERS) on one connection
    # (rolled back), heaviest first by the full recompute's times. The statement's execution
    # time (instrumented, the same way at both sizes) is the per-indicator figure compared
    # between sizes; at 400,000 one more plain run of every indicator would cost another 20
    # minutes. BENCH_SCALE_EXPLAIN_S bounds the time spent; the indicators left out are listed.
    # A statement under REPEAT_UNDER_S runs REPEAT times and its figure is the median: one run
    # of a 50 ms statement varied by up to a factor 2 between runs minutes apart (which of its
    # pages the statements before it left in the buffers), so its growth factor between sizes
    # was decided by the draw (the eleventh follow-up, docs/benchmarks/scale.md).
    budget = float(os.environ.get("BENCH_SCALE_EXPLAIN_S") or "inf")
    stop_at = float(os.environ.get("BENCH_SCALE_STOP_AT") or "inf")  # epoch seconds
    floor_s = result["floor_runs"][0]["s"]
    alone: dict[str, dict] = {}
    result["alone"] = alone
    result["alone_skipped"] = []
    started_all = time.monotonic()
    for code in sorted(per_code, key=lambda c: -per_code[c]):
        # (a statement takes about as long as in the full recompute, plus the last floor)
        too_late = time.time() + per_code[code] + 1.2 * floor_s > stop_at
        if time.monotonic() - started_all >= budget or too_late:  # 0: none
            result["alone_skipped"].append(code)
            continue
        load = _load()
        runs: list[float] = []
        walls: list[float] = []
        while True:
            started = time.monotonic()
            text = explain.explain(code, municipality=municipality_id)
            walls.append(time.monotonic() - started)
            seconds = _executed_s(text)
            if seconds is None:
                break
            runs.append(seconds)
            if len(runs) >= REPEAT or runs[0] >= REPEAT_UNDER_S:
                break
        (folder / f"{code}.txt").write_text(text)  # (the plan of its last run)
        alone[code] = {
            "s": round(statistics.median(runs), 3) if runs else None,
            "runs_s": [round(r, 3) for r in runs],
            "wall_s": round(sum(walls), 2),
            "load": load,
        }
        log(f"{households}: {code} alone (EXPLAIN ANALYZE) {alone[code]['s']} s, load {load}")
        save()
    last_floor = os.environ.get("BENCH_SCALE_LAST_FLOOR") != "0"
    if last_floor and time.time() + 1.2 * floor_s < stop_at:  # else the median of the first two
        floor("after the indicators alone")
    # the floor's plan last (at 400,000 it runs as long as the floor: 10 minutes)
    if time.time() + 1.2 * floor_s < stop_at:
        (folder / "floor.txt").write_text(explain.explain_floor(municipality=municipality_id))
    else:
        result["floor_explain_skipped"] = True
    result["alone_sum_s"] = round(sum(v["s"] or 0 for v in alone.values()), 2)
    save()
    result["explain"] = str(folder.relative_to(OUT))
    result["load_end"] = _load()
    save()
    return result


# --- the report ---------------------------------------------------------------------------------


def _growth(small: float | None, large: float | None) -> float | None:
    if not small or large is None:
        return None
    return round(large / small, 1)


def _runs_kept(d: dict) -> list[str]:
    """The keys of the runs stored next to a size's first run (``BENCH_SCALE_KEY``)."""
    return [k for k, v in d.items() if isinstance(v, dict) and "floor_runs" in v]


def markdown(data: dict) -> str:
    sizes = sorted(int(k) for k in data)
    lo, hi = str(sizes[0]), str(sizes[-1])
    a, b = data[lo], data[hi]
    lines = [
        "# National-size indicator recompute (issue 19): measured results",
        "",
        "Written by `bench/run.py --scale` (`bench/scale.py`); analysis in [scale.md](scale.md).",
        "",
    ]
    lines += _paired_tables()  # the newest evidence of the growth factors first
    lines += ["## The first run", ""]
    lines += _run_tables(a, b, lo, hi)
    lines += _reruns(a, b, lo, hi)
    for key in _runs_kept(a):
        if key in b:
            lines += [f"## Run `{key}` (`BENCH_SCALE_KEY={key}`)", ""]
            lines += _run_tables(a[key], b[key], lo, hi, key)
    return "\n".join(lines)


def _paired_tables() -> list[str]:
    """The runs of :func:`paired` (``scale-paired.json``), newest first."""
    path = OUT / "scale-paired.json"
    if not path.exists():
        return []
    lines: list[str] = []
    for tag, run in reversed(json.loads(path.read_text()).items()):
        lo, hi = run["sizes"]
        codes = run["codes"]
        over = [c for c, v in codes.items() if v["growth"] is None or v["growth"] > MAX_GROWTH]
        m = run["machine"]
        lines += [
            f"## Each indicator at both sizes side by side (`bench/scale.py --paired {tag}`)",
            "",
            f"Commit {m.get('git_commit')}, {m.get('date')}; {run['rounds']} rounds, the two "
            f"sizes alternating (the order swapped every round), one connection per size; load "
            f"average at start {run['load_start']}, at end {run.get('load_end')}. Median "
            f"execution time of the fill statement (`EXPLAIN (ANALYZE, BUFFERS)`, rolled back) "
            f"and of the server process's CPU seconds. **{len(codes) - len(over)} of "
            f"{len(codes)} indicators grow at most {MAX_GROWTH:g}x**"
            + (": over it " + ", ".join(f"`{c}`" for c in over) if over else "")
            + ".",
            "",
            f"| indicator | {lo:,} | {hi:,} | growth (time) | growth (CPU) | runs at {lo:,} |"
            f" runs at {hi:,} | <= {MAX_GROWTH:g}x |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for code, v in sorted(codes.items(), key=lambda x: -(x[1]["growth"] or 0)):

            def runs(size: int, v: dict = v) -> str:
                return ", ".join(f"{r['s']:.3f}" for r in v["runs"][str(size)])

            ok = v["growth"] is not None and v["growth"] <= MAX_GROWTH
            lines.append(
                f"| `{code}` | {v['small_s']} s | {v['large_s']} s | {v['growth']}x | "
                f"{v['growth_cpu']}x | {runs(lo)} | {runs(hi)} | "
                f"{'met' if ok else '**missed**'} |"
            )
        lines.append("")
    return lines


def _run_tables(a: dict, b: dict, lo: str, hi: str, key: str | None = None) -> list[str]:
    """One run at both sizes: the floors, the full recompute, each indicator alone and in it."""
    lines: list[str] = []
    for size, d in ((lo, a), (hi, b)):
        m = d.get("machine", {})
        seed = d.get("seed", {})
        codes = d.get("codes")
        lines.append(
            f"* {int(size):,} households: {d.get('code') or 'commit ' + str(m.get('git_commit'))}, "
            f"{m.get('date')}; "
            f"{d.get('benefits'):,} benefits, years {d.get('years')}, {d.get('periods')} periods; "
            f"work_mem {d.get('work_mem')} (server {m.get('postgresql_work_mem')}), "
            f"{d.get('workers')} indicators at once; load average at start {d.get('load_start')}, "
            f"at end {d.get('load_end')}"
            + (f"; today {d['today']}" if d.get("today") else "")
            + (f"; {len(codes)} indicators recomputed" if isinstance(codes, list) else "")
            + (
                f"; seeded in {seed['wall_s']} s (load {seed.get('load_start')} to "
                f"{seed.get('load_end')}), {seed.get('database_mb')} MB"
                if seed.get("wall_s")
                else ""
            )
        )
    lines += [
        "",
        f"| figure | {int(lo):,} | {int(hi):,} | growth | acceptance |",
        "|---|---|---|---|---|",
    ]

    def floor_cell(d: dict) -> str:
        runs = ", ".join(f"{r['s']} s (load {r['load'][0]})" for r in d.get("floor_runs", []))
        return f"{d.get('floor_s')} s (runs: {runs})"

    lines.append(
        f"| floor (median of the runs) | {floor_cell(a)} | {floor_cell(b)} | "
        f"{_growth(a.get('floor_s'), b.get('floor_s'))}x | |"
    )
    fa, fb = a.get("full", {}), b.get("full", {})
    ok = b.get("full_per_floor") is not None and b["full_per_floor"] <= MAX_FULL_PER_FLOOR
    lines.append(
        f"| full recompute | {fa.get('s')} s = {a.get('full_per_floor')}x floor "
        f"(load {fa.get('load_before')}) | {fb.get('s')} s = {b.get('full_per_floor')}x floor "
        f"(load {fb.get('load_before')}) | {_growth(fa.get('s'), fb.get('s'))}x | "
        f"<= {MAX_FULL_PER_FLOOR}x floor at {int(hi):,}: {'met' if ok else '**missed**'} |"
    )
    if a.get("alone") or b.get("alone"):
        lines.append(
            f"| indicators alone (EXPLAIN ANALYZE execution time), sum | {a.get('alone_sum_s')} s | {b.get('alone_sum_s')} s | "
            f"{_growth(a.get('alone_sum_s'), b.get('alone_sum_s'))}x | |"
        )
    codes = sorted(
        set(a.get("alone", {})) | set(b.get("alone", {})),
        key=lambda c: -(b.get("alone", {}).get(c, {}).get("s") or 0),
    )
    pa, pb = fa.get("per_code_s", {}), fb.get("per_code_s", {})
    for code in codes:
        x, y = a.get("alone", {}).get(code, {}), b.get("alone", {}).get(code, {})
        growth = _growth(x.get("s"), y.get("s"))
        verdict = "" if growth is None else ("met" if growth <= MAX_GROWTH else "**missed**")
        lines.append(
            f"| `{code}` alone | {x.get('s')} s (load {x.get('load', [None])[0]}) | {y.get('s')} s "
            f"(load {y.get('load', [None])[0]}) | {growth}x | <= {MAX_GROWTH:g}x: {verdict} |"
        )
    for size, d in ((lo, a), (hi, b)):
        if d.get("alone_skipped"):
            lines.append(
                f"\nNot measured alone at {int(size):,} (BENCH_SCALE_EXPLAIN_S, "
                "BENCH_SCALE_STOP_AT): " + ", ".join(f"`{c}`" for c in d["alone_skipped"])
            )
    lines += [
        "",
        "Each indicator's own wall time inside the full recompute (two at once, so each shares "
        "the cores with its neighbour):",
        "",
        f"| indicator | {int(lo):,} | {int(hi):,} | growth |",
        "|---|---|---|---|",
    ]
    for code in sorted(set(pa) | set(pb), key=lambda c: -(pb.get(c) or 0)):
        lines.append(
            f"| `{code}` | {pa.get(code)} s | {pb.get(code)} s | "
            f"{_growth(pa.get(code), pb.get(code))}x |"
        )
    suffix = f"-{key}" if key else ""
    lines.append("")
    if a.get("alone") or b.get("alone"):  # none when no indicator was measured alone
        lines += [
            f"Plans: `docs/benchmarks/explain/{int(lo)}{suffix}/` and "
            f"`docs/benchmarks/explain/{int(hi)}{suffix}/` "
            "(`EXPLAIN (ANALYZE, BUFFERS)`, rolled back, taken after the timings).",
            "",
        ]
    return lines


def _reruns(a: dict, b: dict, lo: str, hi: str) -> list[str]:
    """The indicators measured again (``--explain``) after a change, per tag: the figures at
    both sizes (and a second pass at the small size when there is one) with their growth."""
    tags = sorted(set(b.get("rerun", {})))
    if not tags:
        return []
    lines = [
        "## Measured again after a change (`bench/scale.py --explain`)",
        "",
        "Execution time of the `EXPLAIN (ANALYZE, BUFFERS)` statement, the server process's CPU "
        "seconds for it, and the load average before it. Growth: the large size over the small "
        "one, by execution time and by CPU time (at the small size the mean of the passes).",
        "",
    ]
    for tag in tags:
        large = b["rerun"][tag]
        passes = [
            a.get("rerun", {}).get(t, {}) for t in sorted(a.get("rerun", {})) if t.startswith(tag)
        ]
        lines += [
            f"### `{tag}`",
            "",
            f"| indicator | {int(lo):,} | {int(hi):,} | growth (time) | growth (CPU) |",
            "|---|---|---|---|---|",
        ]
        for code, y in large.items():
            xs = [p[code] for p in passes if code in p]

            def cell(e: dict) -> str:
                return (
                    f"{e['s']} s, CPU {e.get('backend_cpu_s')} s (load {e['load'][0]}, {e['at']})"
                )

            def mean(key: str, xs: list[dict] = xs) -> float | None:
                values = [x.get(key) for x in xs if x.get(key)]
                return sum(values) / len(values) if values else None

            growth, cpu = (
                _growth(mean("s"), y["s"]),
                _growth(mean("backend_cpu_s"), y.get("backend_cpu_s")),
            )
            lines.append(
                f"| `{code}` | {'<br>'.join(cell(x) for x in xs)} | {cell(y)} | "
                f"{f'{growth}x' if growth else '-'} | {f'{cpu}x' if cpu else '-'} |"
            )
        lines.append("")
    return lines


def report() -> None:
    path = OUT / "scale.json"
    data = json.loads(path.read_text())
    if len(data) >= 2:
        (OUT / "scale-results.md").write_text(markdown(data))
        log(f"wrote {OUT / 'scale-results.md'}")


def main(argv: list[str]) -> None:
    reuse = "--reuse" in argv
    drop = "--drop" in argv
    server = benv.server_url()
    redis = benv.redis_url()
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "scale.json"
    for households in SIZES:
        url, seeded = seed(server, households, reuse=reuse)
        part = Path(tempfile.gettempdir()) / f"bench_scale_{households}.json"
        environ = benv.child_env(url, redis, TWO_FACTOR_ENFORCED="false")
        subprocess.run(  # noqa: S603 - this file, fixed arguments
            [benv.PY, __file__, "--measure", str(households), str(part)],
            cwd=ROOT,
            env=environ,
            check=True,
        )
        result = json.loads(part.read_text())
        result["seed"] = seeded
        data = json.loads(path.read_text()) if path.exists() else {}
        key = os.environ.get("BENCH_SCALE_KEY")
        if key:  # next to the earlier run of this size
            data.setdefault(str(households), {})[key] = result
        else:
            data[str(households)] = result
        path.write_text(json.dumps(data, indent=2) + "\n")
        log(f"{households}: wrote {path}")
        if drop:
            benv.database_drop(server, db_name(households))
    report()


# --- some indicators again, on a database seeded before (issue 19's follow-up) -----------------


def _setup(households: int) -> int:
    """Django on ``bench_scale_<households>``; the municipality's id (read without the ORM's
    model, so that a database seeded before a later migration of ``caseload`` still serves)."""
    os.environ["DATABASE_URL"] = benv.with_database(benv.server_url(), db_name(households))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM caseload_municipality WHERE cbs_code = 'GM0402'")
        return cursor.fetchone()[0]


def _executed_s(plan: str) -> float | None:
    """The execution time of an ``EXPLAIN ANALYZE`` output, in seconds (None: not executed)."""
    executed = re.search(r"Execution Time: ([\d.]+) ms", plan)
    return float(executed.group(1)) / 1000 if executed else None


def _backend_pid() -> int:
    """The server process of Django's connection (whose CPU seconds :func:`_cpu` reads)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _cpu(pid: int) -> tuple[float, float]:
    """CPU seconds (user, system) the server process ``pid`` has used so far: on a machine
    shared with others the statement's own work, which the load average stretches less than its
    wall time (the server runs on this machine: the embedded one). System time is mostly the
    reads of pages that are not in PostgreSQL's shared buffers."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return int(fields[11]) / tick, int(fields[12]) / tick


def _register_former() -> None:
    """Register the form before issue 19's rewrite of the rewritten definitions (kept as the
    oracle in ``tests/indicators/test_scale_rewrites.py``) as ``former.<code>``, to measure
    both forms one after the other at the same load."""
    import dataclasses

    from indicators.registry import indicator_get, indicator_register
    from tests.indicators.test_scale_rewrites import FORMER_SQL, _former

    for code, sql in FORMER_SQL.items():
        defn = indicator_get(code)
        attrs = {
            f.name: getattr(defn, f.name)
            for f in dataclasses.fields(defn)
            if f.name not in ("code", "sql")
        }
        indicator_register(code=_former(code), **attrs)(lambda sql=sql: sql)


def explain_codes(households: int, codes: list[str], tag: str) -> None:
    """``EXPLAIN (ANALYZE, BUFFERS)`` of each of ``codes`` (``floor`` for the floor), one after
    the other on one connection, as step 3 of :func:`measure` (rolled back): the plan to
    ``explain/<households>/<code>.txt`` (``explain/<households>-<BENCH_SCALE_KEY>/``; with
    ``BENCH_SCALE_TODAY`` the clock fixed as in :func:`measure`), the execution time with the load average before it to
    ``scale.json`` under ``<households>.rerun.<tag>``, with the server process's CPU seconds
    for the statement (read from ``/proc``: the embedded server on this machine).
    ``former.<code with _ for .>`` measures the form before issue 19's rewrite."""
    import explain

    _setup(households)
    _clock_fix()
    municipality = explain.municipality_id()
    if any(code.startswith("former.") for code in codes):
        _register_former()
    key = os.environ.get("BENCH_SCALE_KEY")
    folder = OUT / "explain" / (f"{households}-{key}" if key else str(households))
    folder.mkdir(parents=True, exist_ok=True)
    path = OUT / "scale.json"
    backend = _backend_pid()
    for code in codes:
        load = _load()
        user, system = _cpu(backend)
        started = time.monotonic()
        text = (
            explain.explain_floor(municipality=municipality)
            if code == "floor"
            else explain.explain(code, municipality=municipality)
        )
        wall = time.monotonic() - started
        user_after, system_after = _cpu(backend)
        user, system = user_after - user, system_after - system
        (folder / f"{code}.txt").write_text(text)
        seconds = _executed_s(text)
        entry = {
            "s": round(seconds, 2) if seconds is not None else None,
            "wall_s": round(wall, 2),
            "backend_cpu_s": round(user + system, 2),
            "backend_system_s": round(system, 2),
            "load": load,
            "at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        }
        data = json.loads(path.read_text()) if path.exists() else {}
        data.setdefault(str(households), {}).setdefault("rerun", {}).setdefault(tag, {})[code] = (
            entry
        )
        path.write_text(json.dumps(data, indent=2) + "\n")
        log(
            f"{households}: {code} (EXPLAIN ANALYZE) {entry['s']} s, "
            f"backend CPU {entry['backend_cpu_s']} s (system {system:.2f} s), load {load}"
        )


def serve(households: int) -> None:
    """One connection on ``bench_scale_<households>`` for :func:`paired`: each code read from
    stdin is answered on stdout with one JSON line, its fill statement's execution time
    (``EXPLAIN (ANALYZE, BUFFERS)``, rolled back, as in step 3 of :func:`measure`) and the
    server process's CPU seconds for it."""
    import explain

    municipality = _setup(households)
    _clock_fix()
    backend = _backend_pid()
    for line in sys.stdin:
        code = line.strip()
        load = _load()
        cpu_before = sum(_cpu(backend))
        text = explain.explain(code, municipality=municipality)
        answer = {
            "s": _executed_s(text),
            "cpu_s": sum(_cpu(backend)) - cpu_before,
            "load": load[0],
        }
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


def _paired_codes(args: list[str]) -> list[str]:
    """The codes named, or ``alone=<key>``: those measured alone in that run of the largest
    size in ``scale.json`` (``BENCH_SCALE_KEY``), heaviest first."""
    if len(args) == 1 and args[0].startswith("alone="):
        run = json.loads((OUT / "scale.json").read_text())[str(SIZES[-1])][args[0][6:]]
        return sorted(run["alone"], key=lambda c: -(run["alone"][c]["s"] or 0))
    return args


def paired(codes: list[str], tag: str) -> None:
    """Each indicator's growth measured side by side: its statement alternately at the smallest
    and the largest size of ``BENCH_SCALE_SIZES``, ``BENCH_SCALE_PAIRED_ROUNDS`` (3) rounds,
    the order of the two sizes swapped every round, on one kept connection per size
    (:func:`serve`); the growth is the median at the large size over the median at the small
    one. Two full runs minutes apart see a different machine (the twelfth follow-up of
    ``scale.md``: in one run most statements at 400,000 were 10-40 % slower than in the run an
    hour before); pairs measured seconds apart see the same one. Results:
    ``scale-paired.json`` under ``tag``, and a section of ``scale-results.md``."""
    small, large = SIZES[0], SIZES[-1]
    rounds = int(os.environ.get("BENCH_SCALE_PAIRED_ROUNDS") or "3")
    environ = {**os.environ, "BENCH_SERVER_URL": benv.server_url()}
    servers = {
        size: subprocess.Popen(  # noqa: S603 - this file, fixed arguments
            [benv.PY, __file__, "--serve", str(size)],
            cwd=ROOT,
            env=environ,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for size in (small, large)
    }

    def run(size: int, code: str) -> dict:
        server = servers[size]
        assert server.stdin is not None and server.stdout is not None
        server.stdin.write(code + "\n")
        server.stdin.flush()
        answer = server.stdout.readline()
        if not answer:
            raise SystemExit(f"the connection at {size:,} households stopped at {code}")
        return json.loads(answer)

    path = OUT / "scale-paired.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    result: dict = {
        "sizes": [small, large],
        "rounds": rounds,
        "machine": benv.machine(benv.server_url()),
        "load_start": _load(),
        "codes": {},
    }
    data[tag] = result
    for code in codes:
        runs: dict[int, list[dict]] = {small: [], large: []}
        for round_ in range(rounds):
            for size in (small, large) if round_ % 2 == 0 else (large, small):
                runs[size].append(run(size, code))
        a = statistics.median(r["s"] for r in runs[small])
        b = statistics.median(r["s"] for r in runs[large])
        cpu_a = statistics.median(r["cpu_s"] for r in runs[small])
        cpu_b = statistics.median(r["cpu_s"] for r in runs[large])
        result["codes"][code] = {
            "small_s": round(a, 3),
            "large_s": round(b, 3),
            "growth": _growth(a, b),
            "growth_cpu": _growth(cpu_a, cpu_b),
            "runs": {str(size): runs[size] for size in runs},
        }
        log(f"{code}: {a:.3f} s -> {b:.3f} s = {_growth(a, b)}x (CPU {_growth(cpu_a, cpu_b)}x)")
        path.write_text(json.dumps(data, indent=2) + "\n")
    result["load_end"] = _load()
    path.write_text(json.dumps(data, indent=2) + "\n")
    for server in servers.values():
        assert server.stdin is not None
        server.stdin.close()
        server.wait()
    report()


def fill_codes(households: int, codes: list[str]) -> None:
    """Store ``codes``' values again with the fill service (for ``bench/values_compare.py``);
    with ``BENCH_SCALE_TODAY`` on that day, as :func:`measure` and :func:`explain_codes` have it
    (the values compared keep their reference date after midnight). ``former.<code>`` stores the
    form before issue 19's rewrite under that code."""
    municipality_id = _setup(households)
    _clock_fix()
    from common import clock
    from indicators.services import indicator_values_fill

    if any(code.startswith("former.") for code in codes):
        _register_former()
    load = _load()
    started = time.monotonic()
    result = indicator_values_fill(
        municipality_id=municipality_id, codes=codes, today=clock.today()
    )
    log(
        f"{households}: filled {len(result.codes)} indicators, {result.rows} values written in "
        f"{time.monotonic() - started:.1f} s, load {load}"
    )


if __name__ == "__main__":
    if len(sys.argv) > 4 and sys.argv[1] == "--explain":  # households tag code...
        explain_codes(int(sys.argv[2]), sys.argv[4:], sys.argv[3])
    elif len(sys.argv) > 3 and sys.argv[1] == "--fill":  # households code...
        fill_codes(int(sys.argv[2]), sys.argv[3:])
    elif len(sys.argv) in (4, 5) and sys.argv[1] == "--measure":  # [--resume]
        sys.path.insert(0, str(ROOT))
        measure(int(sys.argv[2]), Path(sys.argv[3]), resume=sys.argv[4:] == ["--resume"])
    elif len(sys.argv) == 3 and sys.argv[1] == "--serve":  # households
        serve(int(sys.argv[2]))
    elif len(sys.argv) > 3 and sys.argv[1] == "--paired":  # tag code... (or "measured")
        paired(_paired_codes(sys.argv[3:]), sys.argv[2])
    elif sys.argv[1:] == ["--report"]:
        report()
    else:
        main(sys.argv[1:])
