"""Throwaway databases and helpers shared by ``bench/run.py`` and ``bench/seed_scale.py``.

The benchmark never touches the development database: it creates its own database (``bench_*``)
on the same PostgreSQL server (the embedded one unless ``DATABASE_URL`` is set) and a private
embedded Redis, and hands both to every child process (seed_demo, gunicorn, the Celery worker)
through ``DATABASE_URL`` and ``REDIS_URL``.
"""

from __future__ import annotations

import os
import platform
import re
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PY = os.environ.get("BENCH_PYTHON") or sys.executable


def seed_one_municipality(households: int, years: int) -> list[str]:
    """The ``manage.py seed_demo`` arguments of the one-municipality runs (``make bench``,
    ``--scale``, the seed sizes): Hilversum alone, the municipality they measure. Without
    ``--municipality`` the demo loads all four municipalities, Hilversum at ``--households`` and
    the other three in proportion (Groningen alone at 1.5x), so "40,000 households" seeded about
    2.7 times as many and the runs measured Hilversum's share of a region (noticed on
    4 December). The regional run (``region_seed``) and the runs that need several
    municipalities (``rls_cost``, ``matching_*``) seed the region on purpose."""
    return [
        "seed_demo",
        "--households",
        str(households),
        "--years",
        str(years),
        "--force",
        "--municipality",
        "GM0402",
    ]


def server_url() -> str:
    """URL of the project database on the server (started embedded when DATABASE_URL is unset)."""
    url = os.environ.get("BENCH_SERVER_URL") or os.environ.get("DATABASE_URL")
    if url:
        return url
    from common import embedded

    return embedded.postgres_url()


def redis_url() -> str:
    url = os.environ.get("BENCH_REDIS_URL")
    if url:
        return url
    from common import embedded

    return embedded.redis_url()


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _admin(url: str):
    import psycopg

    parts = urlsplit(url)
    params = dict(p.split("=", 1) for p in parts.query.split("&") if "=" in p)
    return psycopg.connect(
        dbname="postgres",
        host=params.get("host") or parts.hostname,
        port=parts.port,
        user=parts.username or "postgres",
        password=parts.password,
        autocommit=True,
    )


def database_create(url: str, name: str) -> str:
    """Drop and create database ``name`` (must start with ``bench_``); return its URL."""
    if not re.fullmatch(r"bench_[a-z0-9_]+", name):
        raise ValueError("benchmark databases are named bench_*")
    with _admin(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return with_database(url, name)


def database_drop(url: str, name: str) -> None:
    if not name.startswith("bench_"):
        raise ValueError("only benchmark databases are dropped")
    with _admin(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def child_env(database_url: str, redis: str, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis,
        DJANGO_SETTINGS_MODULE="bench.settings",
        PYTHONPATH=str(ROOT),
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def manage(args: list[str], env: dict[str, str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - fixed interpreter and arguments
        [PY, "manage.py", *args], cwd=ROOT, env=env, check=True, **kwargs
    )


def timed_manage(args: list[str], env: dict[str, str], log: Path) -> dict:
    """Run ``manage.py args`` under ``/usr/bin/time -v``: wall seconds and peak RSS (MB)."""
    started = time.monotonic()
    with log.open("w") as out:
        cmd = [PY, "manage.py", *args]
        if Path("/usr/bin/time").exists():
            cmd = ["/usr/bin/time", "-v", *cmd]
        proc = subprocess.run(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
    wall = time.monotonic() - started
    text = log.read_text()
    if proc.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed; see {log}:\n{text[-3000:]}")
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    cpu = [float(x) for x in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", text)]
    return {
        "wall_s": round(wall, 1),
        "python_cpu_s": round(sum(cpu), 1) if cpu else None,
        "peak_rss_mb": round(int(rss.group(1)) / 1024) if rss else None,
    }


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def machine(database_url: str) -> dict:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem_kb = int(line.split()[1])
    import psycopg

    with psycopg.connect(_libpq(database_url)) as conn:
        pg = conn.execute("SHOW server_version").fetchone()[0]
        shared = conn.execute("SHOW shared_buffers").fetchone()[0]
        work_mem = conn.execute("SHOW work_mem").fetchone()[0]
    if os.environ.get("BENCH_GIT_COMMIT"):  # a run from an exported snapshot of that commit
        commit = os.environ["BENCH_GIT_COMMIT"]
        dirty = ""
    else:
        commit, dirty = _git()
    return {
        "cpu": cpu or platform.processor(),
        "cores": os.cpu_count(),
        "ram_gb": round(mem_kb / 1024 / 1024, 1),
        "postgresql": pg,
        "postgresql_shared_buffers": shared,
        "postgresql_work_mem": work_mem,
        "python": platform.python_version(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "git_commit": commit + (" (working tree modified)" if dirty else ""),
    }


def _git() -> tuple[str, str]:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return commit, dirty


def _libpq(url: str) -> str:
    """psycopg accepts URLs, but the embedded one has its socket directory in the query."""
    return url
