"""Summarise py-spy ``--format raw`` (collapsed stacks): where the samples are, inclusive.

    .venv/bin/python bench/profile_summary.py prof.txt [top]

Prints the share of samples under each project function and under a few framework layers.
"""

from __future__ import annotations

import re
import sys
from collections import Counter

# Each sample is put under the first layer (in this order) with a frame on its stack.
LAYERS = {
    "PostgreSQL round trips (psycopg)": re.compile(r"\(psycopg/"),
    "form widget rendering": re.compile(r"\(django/forms/"),
    "template rendering": re.compile(r"\(django/template/"),
    "ORM (SQL compile, model build)": re.compile(r"\(django/db/"),
    "Redis": re.compile(r"\(redis/"),
}
APPS = ("caseload", "intake", "indicators", "budget", "apiauth", "privacy", "common", "config")


def summary(path: str, top: int = 15) -> str:
    total = 0
    own: Counter[str] = Counter()
    layers: Counter[str] = Counter()
    for line in open(path):  # noqa: SIM115
        stack, _, count = line.rstrip().rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = stack.split(";")
        seen = set()
        for frame in frames:
            m = re.match(r"(\S+) \(([^:]+):\d+\)", frame)
            if m and m.group(2).split("/")[0] in APPS:
                key = f"{m.group(2)}:{m.group(1)}"
                if key not in seen:
                    seen.add(key)
                    own[key] += n
        layer = "other (Python: middleware, views, serialisation, start-up)"
        for name, pattern in LAYERS.items():  # in priority order
            if any(pattern.search(f) for f in frames):
                layer = name
                break
        layers[layer] += n
    lines = [f"{total} samples"]
    for name, n in layers.most_common():
        lines.append(f"  {100 * n / total:5.1f}%  {name}")
    lines.append("project functions (inclusive: samples with the function on the stack):")
    for name, n in own.most_common(top):
        lines.append(f"  {100 * n / total:5.1f}%  {name}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(summary(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 15))
