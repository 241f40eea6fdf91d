"""Fit the match score's weights on the training split (issue 18).

    .venv/bin/python -m bench.matching_eval --dump-train /tmp/matching_train.csv
    python3 bench/matching_fit.py /tmp/matching_train.csv     # needs numpy (not in the venv)

The CSV holds, for every training placement (the oldest 70 % per municipality, see
``bench/matching_eval.py``), one row per pool profile: vacancy, placed (0/1) and the six credits
the ranking computes (occupation, hours, distance, education, group, barriers). The model is a
conditional logit: per vacancy, P(placed = i) = exp(w . credits_i) / sum over the pool, fitted by
gradient ascent on standardised credits with a small ridge penalty (1e-3, fixed beforehand,
not tuned) until the gradient is flat. A credit that does not vary
in the data (the barriers: the demo has no completed intakes) gets weight 0 and keeps its
hand-set share (10 points); the others are scaled to the remaining 90 points and rounded. The
held-out placements are not in the file, so nothing is tuned on them.
"""

from __future__ import annotations

import sys

import numpy as np

NAMES = ("occupation", "hours", "distance", "education", "group", "barriers")
FIXED = {"barriers": 10}


def fit(
    path: str, iterations: int = 800, rate: float = 1.0, ridge: float = 1e-3
) -> dict[str, float]:
    data = np.loadtxt(path, delimiter=",")
    vacancy, placed, credits = data[:, 0], data[:, 1], data[:, 2:]
    _, group = np.unique(vacancy, return_inverse=True)
    groups = group.max() + 1
    mean, spread = credits.mean(0), credits.std(0)
    varies = spread > 1e-9
    z = np.where(varies, (credits - mean) / np.where(varies, spread, 1), 0.0)
    w = np.zeros(credits.shape[1])
    for _ in range(iterations):
        s = z @ w
        top = np.full(groups, -np.inf)
        np.maximum.at(top, group, s)
        e = np.exp(s - top[group])
        p = e / np.bincount(group, e, groups)[group]
        gradient = (z * (placed - p)[:, None]).sum(0) / groups - ridge * w
        w += rate * gradient
    loglik = np.log(p[placed == 1]).sum() / groups
    raw = np.where(varies, w / np.where(varies, spread, 1), 0.0)
    print(
        f"{groups} vacancies, {len(data)} pairs, mean log-likelihood {loglik:.4f},"
        f" largest gradient {np.abs(gradient).max():.2e}"
    )
    return dict(zip(NAMES, raw, strict=True))


def weights(raw: dict[str, float]) -> dict[str, int]:
    free = {k: max(v, 0.0) for k, v in raw.items() if k not in FIXED}
    points = 100 - sum(FIXED.values())
    total = sum(free.values())
    return {**{k: round(v / total * points) for k, v in free.items()}, **FIXED}


if __name__ == "__main__":
    raw = fit(sys.argv[1])
    print("fitted (per unit of credit):", {k: round(float(v), 2) for k, v in raw.items()})
    print("WEIGHTS =", weights(raw))
