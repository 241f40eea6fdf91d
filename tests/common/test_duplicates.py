"""Issue 16, point 12: one 11-test and one ``municipality_for`` rule (a source scan).

The BSN 11-test lives in :mod:`common.bsn` (``is_valid_bsn``, ``bsn_complete``); the database's
own CHECK (``resident_bsn_elfproef``, in the caseload migrations) is the database's and stays.
The municipality a page shows is :func:`caseload.selectors.municipality_for`; indicators and
budget re-export it. A second implementation of either fails here."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("common", "caseload", "intake", "indicators", "budget", "apiauth", "privacy", "config")
EXTRA = ("bench",)

BSN_HOME = Path("common/bsn.py")
#: names of a BSN check function (``validate_bsn``, DRF's field hook that calls common.bsn, is fine)
BSN_CHECK_NAMES = {
    "is_valid_bsn",
    "valid_bsn",
    "bsn_valid",
    "bsn_is_valid",
    "check_bsn",
    "bsn_check",
}
MUNICIPALITY_HOME = Path("caseload/selectors.py")
MUNICIPALITY_NAMES = {"municipality_for", "_municipality_for", "municipality_of"}


def _sources() -> list[tuple[Path, ast.Module]]:
    out = []
    for package in (*PACKAGES, *EXTRA):
        for path in sorted((ROOT / package).rglob("*.py")):
            rel = path.relative_to(ROOT)
            if "migrations" in rel.parts:
                continue  # the database's CHECK constraint is the database's
            out.append((rel, ast.parse(path.read_text(encoding="utf-8"), filename=str(rel))))
    return out


def _is_int(node: ast.AST, value: int) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) is int and node.value == value


def eleven_test_sites(tree: ast.Module) -> list[int]:
    """Lines that compute an 11-test: ``... % 11``, the weights ``9, 8, 7, ...`` as a literal, or a
    function named like a BSN check or the elfproef."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and _is_int(node.right, 11):
            lines.append(node.lineno)
        elif isinstance(node, ast.Tuple | ast.List) and len(node.elts) >= 3:
            if all(_is_int(e, v) for e, v in zip(node.elts[:3], (9, 8, 7), strict=True)):
                lines.append(node.lineno)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            # range(9, 1, -1) and the like: the weights built on the fly
            args = node.args
            if node.func.id == "range" and len(args) >= 2 and _is_int(args[0], 9):
                lines.append(node.lineno)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            name = node.name.lower()
            if "elfproef" in name or "eleven" in name or name.strip("_") in BSN_CHECK_NAMES:
                lines.append(node.lineno)
    return lines


def municipality_rule_sites(tree: ast.Module) -> list[int]:
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name in MUNICIPALITY_NAMES
    ]


def test_point_12_one_eleven_test():
    """Issue 16, point 12: the 11-test is computed in common/bsn.py only; everything else calls
    ``common.bsn.is_valid_bsn`` / ``bsn_complete`` / ``generate_fake_bsn``."""
    elsewhere = {
        f"{path}:{line}"
        for path, tree in _sources()
        if path != BSN_HOME
        for line in eleven_test_sites(tree)
    }
    assert not elsewhere, f"a second 11-test implementation; call common.bsn: {sorted(elsewhere)}"
    assert eleven_test_sites(ast.parse((ROOT / BSN_HOME).read_text())), "the scan finds nothing"


def test_point_12_one_municipality_for():
    """Issue 16, point 12: one ``municipality_for`` rule, in caseload/selectors.py."""
    sites = {
        f"{path}:{line}" for path, tree in _sources() for line in municipality_rule_sites(tree)
    }
    home = [s for s in sites if s.startswith(f"{MUNICIPALITY_HOME}:")]
    assert len(home) == 1 and sites == set(home), sorted(sites)


def test_point_12_scan_sees_a_copy():
    """The scan recognises the shapes it forbids (so an empty result means something)."""
    copy = ast.parse(
        "W = (9, 8, 7, 6, 5, 4, 3, 2, -1)\n"
        "def bsn_is_valid(v):\n"
        "    return sum(int(d) * w for d, w in zip(v, W)) % 11 == 0\n"
        "def municipality_for(*, user):\n"
        "    return None\n"
    )
    assert sorted(eleven_test_sites(copy)) == [1, 2, 3]
    assert municipality_rule_sites(copy) == [4]
