"""The region's pages (issue 17): its indicators, the comparison of its municipalities and the
regional BUIG overview. Thin: permission check, validate the query, call one selector, render.
No page links to a resident, a dossier or a worklist."""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from common import clock, tabular
from common.dates import year_param

from . import selectors
from .permissions import RegionPermission

_DIGITS = re.compile(r"[0-9]{1,18}")


def _region(request: HttpRequest):
    """The region of the page: ``regio`` must be a plain number (else 404), else the first."""
    raw = request.GET.get("regio")
    if not raw:
        return selectors.region_for(user=request.user)
    if not _DIGITS.fullmatch(raw):
        raise Http404
    return selectors.region_for(user=request.user, region_id=int(raw))


def _context(request: HttpRequest, **extra) -> dict:
    region, choices = _region(request)
    this_year = clock.today().year
    user = request.user
    return {
        "region": region,
        "regions": choices,
        "year": year_param(request, warn=True),
        "years": list(range(this_year, this_year - 11, -1)),
        "can_view_region": user.has_perm(RegionPermission.VIEW_REGION),
        "can_compare": user.has_perm(RegionPermission.VIEW_COMPARISON),
        "can_view_budget": user.has_perm(RegionPermission.VIEW_REGION_BUDGET),
        **extra,
    }


@login_required
@require_GET
@permission_required(RegionPermission.VIEW_REGION, raise_exception=True)
def overview(request: HttpRequest) -> HttpResponse:
    ctx = _context(request)
    if ctx["region"] is None:
        return render(request, "region/no_region.html", ctx)
    ctx["table"] = selectors.region_indicators(
        user=request.user, region=ctx["region"], year=ctx["year"]
    )
    return render(request, "region/overview.html", ctx)


@login_required
@require_GET
@permission_required(RegionPermission.VIEW_COMPARISON, raise_exception=True)
def comparison(request: HttpRequest) -> HttpResponse:
    ctx = _context(request)
    if ctx["region"] is None:
        return render(request, "region/no_region.html", ctx)
    ctx["table"] = selectors.region_comparison(
        user=request.user, region=ctx["region"], year=ctx["year"]
    )
    return render(request, "region/comparison.html", ctx)


@login_required
@require_GET
@permission_required(RegionPermission.VIEW_REGION_BUDGET, raise_exception=True)
def budget(request: HttpRequest) -> HttpResponse:
    ctx = _context(request)
    if ctx["region"] is None:
        return render(request, "region/no_region.html", ctx)
    ctx["budget"] = selectors.region_budget(
        user=request.user, region=ctx["region"], year=ctx["year"]
    )
    return render(request, "region/budget.html", ctx)


def _comparison_file(table: selectors.RegionTable) -> tuple[list[str], list[list[str]]]:
    """The comparison as it reads on the page, for a download: a row per indicator (and one
    per 1,000 inwoners where the page shows it), a column per municipality and the region's;
    the cells are the page's texts, so a suppressed figure is an "x" here too (the walk of
    4 December: the region's pages had no export, the municipalities' dashboards do)."""
    header = [
        _("Indicator"),
        _("Eenheid"),
        *[m.name for m in table.municipalities],
        table.region.name,
    ]
    rows: list[list[str]] = [
        [
            _("Inwoners"),
            _("aantal"),
            *["-" if i.population is None else str(i.population) for i in table.inhabitants],
            "-" if table.population is None else str(table.population),
        ]
    ]
    for row in table.rows:
        label, unit = str(row.defn.label), str(row.defn.unit_label)
        rows.append([label, unit, *[c.text for c in row.municipalities], row.region_text])
        if row.per_inhabitant:
            rows.append(
                [
                    _("%(label)s per 1.000 inwoners") % {"label": label},
                    unit,
                    *[c.per_1000_text or "-" for c in row.municipalities],
                    row.region_per_1000_text or "-",
                ]
            )
    return header, rows


@login_required
@require_GET
@permission_required(RegionPermission.VIEW_COMPARISON, raise_exception=True)
def comparison_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The comparison as CSV or XLSX, through the shared writer (no cell becomes a formula); the
    CSV as the dashboards' export: semicolons and a byte order mark for Dutch Excel."""
    region, _choices = _region(request)
    if region is None:  # as the page: it says there is no region
        return render(request, "region/no_region.html", _context(request))
    table = selectors.region_comparison(user=request.user, region=region, year=year_param(request))
    header, rows = _comparison_file(table)
    filename = f"vergelijking-{slugify(table.region.name)}-{table.year}.{fmt}"
    if fmt == "csv":
        return tabular.csv_response(rows, header=header, filename=filename, bom=True)
    sheet = tabular.Sheet(_("Vergelijking %(year)s") % {"year": table.year}, rows, header=header)
    return tabular.xlsx_response([sheet], filename=filename)
