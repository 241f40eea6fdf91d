"""Indicator pages: overview, detail, drill-down, exports and targets. Thin: permission check,
validate input, call one selector or service, render."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from common import clock, tabular
from common.dates import YEAR_MAX, YEAR_MIN, year_param
from privacy.context import note_residents
from privacy.decorators import processing_logged
from privacy.models import Action

from . import dashboard_cache, selectors, services
from .forms import TargetFormSet
from .models import Target
from .permissions import IndicatorPermission
from .registry import indicator_all


def _municipality(request: HttpRequest):
    """The municipality of the page: ``gemeente`` must be a plain number (ASCII digits; anything
    else is answered like an unknown municipality, 404), else the user's default."""
    raw = request.GET.get("gemeente") or request.POST.get("gemeente")
    if not raw:
        return selectors.municipality_for(user=request.user, municipality_id=None)
    if not _DIGITS.fullmatch(raw) or len(raw) > 18:
        raise Http404
    return selectors.municipality_for(user=request.user, municipality_id=int(raw))


_DIGITS = re.compile(r"[0-9]+")


def _context(request: HttpRequest, **extra) -> dict:
    year = year_param(request, warn=True)
    this_year = clock.today().year
    municipality = extra.pop("municipality")
    return {
        "year": year,
        "records_note": selectors.records_note(municipality=municipality, year=year),
        "year_is_current": year == this_year,
        "years": list(range(this_year, this_year - 11, -1)),
        "municipality": municipality,
        "municipalities": extra.pop("municipalities"),
        "can_edit_targets": request.user.has_perm(IndicatorPermission.EDIT_TARGETS),
        "exact_counts": selectors.has_case_access(request.user),
        **extra,
    }


def _demo_scale(municipality) -> float | None:
    """In the demo, the share of its real caseload and inhabitants a municipality was loaded at
    (``caseload.demo.parameters.DEMO_SCALE``) when below 1; the seeds' targets are its real
    council's, so the dashboard says why its counts stay far below them."""
    if not settings.DEMO_MODE:
        return None
    # the demo generator is loaded in demo mode only, not by every production web process
    from caseload.demo.parameters import profile_for

    try:
        scale = profile_for(municipality.cbs_code).scale
    except KeyError:
        return None
    return scale if scale < 1 else None


def _demo_scale_percent(municipality) -> int | None:
    scale = _demo_scale(municipality)
    return round(scale * 100) if scale is not None else None


@login_required
@require_GET
@permission_required(IndicatorPermission.VIEW_DASHBOARDS, raise_exception=True)
def overview(request: HttpRequest) -> HttpResponse:
    municipality, choices = _municipality(request)
    year = year_param(request)
    context = _context(request, municipality=municipality, municipalities=choices)
    context["demo_scale_percent"] = _demo_scale_percent(municipality)
    # each card rendered once per state of its stored figures (indicators/dashboard_cache.py)
    keys = dashboard_cache.card_keys(
        municipality_id=municipality.pk,
        year=year,
        exact=context["exact_counts"],
        today=clock.today(),
    )
    cached = dashboard_cache.cached_many(list(keys.values()))
    missing = [code for code, key in keys.items() if key not in cached]
    if missing:
        fresh = {
            keys[card.defn.code]: (
                render_to_string(
                    "indicators/_overview_card.html", {**context, "card": card}, request=request
                ),
                card.chart,
            )
            for card in selectors.dashboard_overview(
                user=request.user, municipality=municipality, year=year, codes=missing
            )
        }
        dashboard_cache.store_many(fresh)
        cached.update(fresh)
    cards = [cached[key] for key in keys.values() if key in cached]
    context["cards_html"] = mark_safe("".join(html for html, _ in cards))  # noqa: S308 - ours
    context["charts"] = [chart for _, chart in cards]
    return render(request, "indicators/overview.html", context)


@login_required
@require_GET
@permission_required(IndicatorPermission.VIEW_DASHBOARDS, raise_exception=True)
def detail(request: HttpRequest, code: str) -> HttpResponse:
    municipality, choices = _municipality(request)
    data = selectors.indicator_detail(
        user=request.user, municipality=municipality, code=code, year=year_param(request)
    )
    return render(
        request,
        "indicators/detail.html",
        _context(
            request,
            municipality=municipality,
            municipalities=choices,
            detail=data,
            card=data.card,
            charts=[data.card.chart],
            # the demo's scale on the detail page too (the walk of 3 December: 42 against 138
            # without the note the overview has)
            demo_scale_percent=_demo_scale_percent(municipality),
        ),
    )


@login_required
@require_GET
@processing_logged(object_type="indicator_residents", action=Action.SEARCH)
@permission_required(IndicatorPermission.VIEW_DASHBOARDS, raise_exception=True)
def residents(request: HttpRequest, code: str) -> HttpResponse:
    municipality, choices = _municipality(request)
    people = list(
        selectors.indicator_residents(
            user=request.user, municipality=municipality, code=code, year=year_param(request)
        )
    )
    note_residents(p.pk for p in people)
    data = selectors.indicator_detail(
        user=request.user, municipality=municipality, code=code, year=year_param(request)
    )
    return render(
        request,
        "indicators/residents.html",
        _context(
            request,
            municipality=municipality,
            municipalities=choices,
            detail=data,
            residents=people,
        ),
    )


def _export_filename(municipality, year: int, ext: str) -> str:
    return f"indicatoren-{municipality.cbs_code}-{year}.{ext}"


@login_required
@require_GET
@permission_required(IndicatorPermission.VIEW_DASHBOARDS, raise_exception=True)
def export_csv(request: HttpRequest) -> HttpResponse:
    (municipality, _choices), year = _municipality(request), year_param(request)
    rows = selectors.export_rows(user=request.user, municipality=municipality, year=year)
    # through the shared writer: no cell from user input becomes a formula (issue 12, finding
    # 6); semicolons and decimal commas, as Dutch Excel reads them (16.0000 was read as 160000,
    # walk of 3 December), with a byte order mark for its UTF-8
    return tabular.csv_response(
        (selectors.export_file_row(row) for row in rows),
        header=[selectors.EXPORT_HEADERS[key] for key in selectors.EXPORT_COLUMNS],
        filename=_export_filename(municipality, year, "csv"),
        delimiter=";",
        decimal_comma=True,
        bom=True,
    )


@login_required
@require_GET
@permission_required(IndicatorPermission.VIEW_DASHBOARDS, raise_exception=True)
def export_xlsx(request: HttpRequest) -> HttpResponse:
    (municipality, _choices), year = _municipality(request), year_param(request)
    rows = selectors.export_rows(user=request.user, municipality=municipality, year=year)
    sheet = tabular.Sheet(
        f"Indicatoren {year}",
        [selectors.export_file_row(row) for row in rows],
        header=[selectors.EXPORT_HEADERS[key] for key in selectors.EXPORT_COLUMNS],
    )
    return tabular.xlsx_response([sheet], filename=_export_filename(municipality, year, "xlsx"))


@login_required
@require_http_methods(["GET", "POST"])
@permission_required(IndicatorPermission.EDIT_TARGETS, raise_exception=True)
def targets(request: HttpRequest) -> HttpResponse:
    """Functioneel beheer sets nulmeting and streefwaarde per indicator for a year: one formset
    (a row per indicator) saved by ``services.targets_save``, all or nothing."""
    municipality, choices = _municipality(request)
    year = year_param(request)
    definitions = indicator_all()
    if request.method == "POST":
        posted = request.POST.get("jaar", "")
        if not _DIGITS.fullmatch(posted) or not YEAR_MIN <= int(posted[:5]) <= YEAR_MAX:
            messages.error(
                request,
                _("Kies een geldig jaar (%(lo)s tot en met %(hi)s).")
                % {"lo": YEAR_MIN, "hi": YEAR_MAX},
            )
            context = _context(request, municipality=municipality, municipalities=choices)
            context["rows"] = TargetFormSet(definitions=definitions).rows()
            return render(request, "indicators/targets.html", context, status=400)
        year = int(posted)
    current = {t.code: t for t in Target.objects.filter(municipality=municipality, year=year)}
    initial = [
        {"baseline": t.baseline, "target": t.target, "note": t.note}
        if (t := current.get(defn.code))
        else {}
        for defn in definitions
    ]
    formset = TargetFormSet(
        request.POST if request.method == "POST" else None,
        definitions=definitions,
        initial=initial,
    )
    valid = True
    if request.method == "POST":
        valid = formset.is_valid()
        if not valid:
            # the rules of the rows that are well-formed, with the other rows' format errors
            for form in formset:
                if not form.errors and hasattr(form, "cleaned_data"):
                    for problem in services.target_problems(
                        code=form.definition.code,
                        baseline=form.cleaned_data["baseline"],
                        target=form.cleaned_data["target"],
                    ):
                        form.add_domain_error(problem)
        if valid:
            rows = [
                services.TargetRow(
                    code=form.definition.code,
                    baseline=form.cleaned_data["baseline"],
                    target=form.cleaned_data["target"],
                    note=form.cleaned_data["note"],
                )
                for form in formset
            ]
            try:
                services.targets_save(
                    municipality_id=municipality.pk, year=year, rows=rows, by=request.user
                )
            except services.TargetsRefused as exc:
                valid = False
                for form in formset:
                    if error := exc.errors.get(form.definition.code):
                        form.add_domain_error(error)
        if valid:
            messages.success(request, _("De streefwaarden zijn opgeslagen."))
            return redirect(f"{request.path}?jaar={year}&gemeente={municipality.pk}")
    context = _context(
        request, municipality=municipality, municipalities=choices, rows=formset.rows()
    )
    context["year"] = year
    return render(request, "indicators/targets.html", context, status=200 if valid else 422)
