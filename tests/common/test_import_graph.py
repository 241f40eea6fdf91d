"""Issue 16, point 3: imports between the project's modules run one way.

The module graph (every import statement, also those inside functions and under
``TYPE_CHECKING``) is built with grimp, import-linter's graph library; a strongly connected
component of more than one module is an import cycle. The import-linter contracts of
``.importlinter`` (named in docs/architecture.md) run here too, as in ``make lint``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("common", "caseload", "intake", "indicators", "budget", "apiauth", "privacy", "config")

#: import cycles that are known and allowed for now, each with the reason: frozenset of modules
ALLOWED_CYCLES: dict[frozenset[str], str] = {}


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(*PACKAGES, cache_dir=None)


def import_cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append(
                        (child, iter(sorted(graph.find_modules_directly_imported_by(child))))
                    )
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return sorted(found)


def test_point_3_no_import_cycles_between_modules(graph):
    """Issue 16, point 3: no import cycle between modules of the project (function-level
    imports count), apart from the allow-list above."""
    cycles = [c for c in import_cycles(graph) if frozenset(c) not in ALLOWED_CYCLES]
    assert cycles == [], "import cycles:\n" + "\n".join(" <-> ".join(c) for c in cycles)


def test_point_3_the_cycle_finder_finds_a_cycle():
    """The check above is not vacuous: a graph with a cycle through a function-level import
    reports it."""
    graph = grimp.ImportGraph()
    for importer, imported in [("a.services", "a.tasks"), ("a.tasks", "a.services")]:
        graph.add_import(importer=importer, imported=imported)
    graph.add_import(importer="a.views", imported="a.services")
    assert import_cycles(graph) == [["a.services", "a.tasks"]]


def test_point_3_function_level_imports_are_in_the_graph(graph):
    """grimp reads imports inside functions: ``privacy.apps`` imports ``privacy.admin_logging``
    only inside ``ready()``."""
    assert graph.direct_import_exists(importer="privacy.apps", imported="privacy.admin_logging")


def test_point_3_import_linter_contracts_are_kept():
    """Issue 16, point 3: the contracts of .importlinter (layers between apps, forbidden
    imports, layers inside an app) hold, as ``make lint`` checks with ``lint-imports``."""
    result = subprocess.run(  # noqa: S603 (the venv's own script, fixed arguments)
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout
