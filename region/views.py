"""The region's pages (issue 17): its indicators, the comparison of its municipalities and the
regional BUIG overview. Thin: permission check, validate the query, call one selector, render.
No page links to a resident, a dossier or a worklist."""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from common import clock
from common.dates import year_param

from . import selectors
from .permissions import RegionPermission

_DIGITS = re.compile(r"[0-9]{1,18}")


def _year(request: HttpRequest, *, warn: bool = False) -> int:
    return year_param(request, warn=warn)


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
        "year": _year(request, warn=True),
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
