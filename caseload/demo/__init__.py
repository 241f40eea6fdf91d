"""Generator for the synthetic demo municipalities: "Hilversum (demo)" (CBS code GM0402) and,
since issue 17, Groningen, 's-Hertogenbosch and Amersfoort beside it, each sized and shaped after
its policy seed (``parameters.PROFILES``), grouped in one region with a regional login
(``generate_region``). What follows describes one municipality's load.

``generate_demo`` builds a municipality with districts, teams and staff, and a benefit caseload
with several years of history: benefits that ended in the window (with CBS end reasons), the open
caseload at the anchor date, payments per month, applications (also those that did not lead to a
benefit), group assignments, trajectories, outflow, contacts, ladder scores, fraud investigations
and debt cases. Every resident is fictional (``is_fake``) with a generated BSN.

How it stays fast and memory-bounded:

* first a light *plan* per household (dates, group, team; a few small fields) is drawn for the
  whole municipality, so that the number of consulenten per team is known before any row is
  written;
* then households are generated in chunks; each chunk's rows are written per table with
  PostgreSQL ``COPY`` using primary keys allocated here, and the id sequences are moved past the
  highest id at the end.

The model is a stationary stock-and-flow process (M/G/infinity per work-readiness group): the
open caseload at the anchor date is exactly ``households``; ended benefits arrive at the rate
that keeps the caseload steady. Determinism: one ``random.Random(seed)`` and one seeded
``Faker('nl_NL')``, consumed in a fixed order; nothing iterates over a set.

The modules, in the order a load uses them:

* ``parameters``: the municipality's figures, sizes, rates and weighted tables;
* ``state``: the seeded random source, the calendar of the window and the COPY buffers;
* ``organisation``: instrument catalogue, municipality, districts, teams and staff (ORM);
* ``plan``: the stochastic plan (who gets which benefit, trajectory and outflow, when);
* ``rows``: the row writers per table group (households and residents, benefits and payments,
  the journey, outflow, fraud and debt, and the Vso/Pro school-leavers guided without a
  benefit, written after every planned household);
* ``copy_writer``: COPY text format, the per-table buffers and the id sequences;
* ``load``: the order of the steps and the public entry points re-exported here.

The demo's BUIG budgets are written by ``budget.demo`` (``manage.py seed_demo_budget``):
``caseload`` does not import ``budget`` (docs/architecture.md).
"""

from .load import (
    clear_demo_data,
    demo_logins,
    generate_demo,
    generate_region,
    has_demo_data,
    region_load,
)
from .parameters import (
    BEHEER_APPS,
    BEHEER_MODELS,
    DEFAULT_PASSWORD,
    DEMO_USERS,
    MUNICIPALITY_CODE,
    MUNICIPALITY_NAME,
    PROFILES,
    REGION_NAME,
    REGION_USER,
    MunicipalityProfile,
)

__all__ = [
    "BEHEER_APPS",
    "BEHEER_MODELS",
    "DEFAULT_PASSWORD",
    "DEMO_USERS",
    "MUNICIPALITY_CODE",
    "MUNICIPALITY_NAME",
    "PROFILES",
    "REGION_NAME",
    "REGION_USER",
    "MunicipalityProfile",
    "clear_demo_data",
    "demo_logins",
    "generate_demo",
    "generate_region",
    "has_demo_data",
    "region_load",
]
