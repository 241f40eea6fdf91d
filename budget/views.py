"""Budget pages (financien, beheer and superusers only). Thin: permission check, validate input,
call one service or selector, render."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from common.exceptions import DomainError

from . import calculations as calc
from . import selectors, services
from .api import simulate
from .forms import (
    AllocationForm,
    BusinessCaseForm,
    CorrectionForm,
    LedgerUploadForm,
    ReportForm,
    SimulatorForm,
)

PLAN_ROUND_FIGURE = Decimal("550000")


def _guard(request: HttpRequest) -> None:
    if not selectors.can_view_budget(request.user):
        raise PermissionDenied


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("jaar") or request.POST.get("jaar") or ""
    try:
        year = int(raw)
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _base(request: HttpRequest) -> dict:
    _guard(request)
    raw = request.GET.get("gemeente") or request.POST.get("gemeente")
    municipality, choices = selectors.municipality_for(
        user=request.user, municipality_id=int(raw) if raw and raw.isdigit() else None
    )
    this_year = timezone.localdate().year
    return {
        "year": _year(request),
        "years": list(range(this_year + 1, this_year - 10, -1)),
        "municipality": municipality,
        "municipalities": choices,
    }


def _back(name: str, ctx: dict) -> str:
    return f"{reverse(name)}?jaar={ctx['year']}&gemeente={ctx['municipality'].pk}"


def _form_errors(form, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@login_required
@require_http_methods(["GET", "POST"])
def overview(request: HttpRequest) -> HttpResponse:
    ctx = _base(request)
    allocation_form = AllocationForm(prefix="alloc")
    correction_form = CorrectionForm(prefix="corr")
    status = 200
    if request.method == "POST":
        if "alloc-moment" in request.POST:
            allocation_form = AllocationForm(request.POST, prefix="alloc")
            if allocation_form.is_valid():
                try:
                    services.budget_allocation_record(
                        municipality=ctx["municipality"],
                        year=ctx["year"],
                        by=request.user,
                        **allocation_form.cleaned_data,
                    )
                    messages.success(request, _("Budget vastgelegd."))
                    return redirect(_back("budget:overview", ctx))
                except DomainError as exc:
                    _form_errors(allocation_form, exc)
        else:
            correction_form = CorrectionForm(request.POST, prefix="corr")
            if correction_form.is_valid():
                data = correction_form.cleaned_data
                try:
                    services.journal_correction_record(
                        municipality=ctx["municipality"],
                        regime=data["regime"],
                        month=dt.date(ctx["year"], data["month"], 1),
                        kind=data["kind"],
                        amount=data["amount"],
                        reason=data["reason"],
                        by=request.user,
                    )
                    messages.success(request, _("Memoriaalboeking vastgelegd."))
                    return redirect(_back("budget:overview", ctx))
                except DomainError as exc:
                    _form_errors(correction_form, exc)
        status = 422
    overview = selectors.budget_overview(
        user=request.user, municipality=ctx["municipality"], year=ctx["year"]
    )
    ctx.update(
        overview=overview,
        allocation_form=allocation_form,
        correction_form=correction_form,
        month_numbers=list(range(1, 13)),
    )
    return render(request, "budget/overview.html", ctx, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def vangnet(request: HttpRequest) -> HttpResponse:
    ctx = _base(request)
    overview = selectors.budget_overview(
        user=request.user, municipality=ctx["municipality"], year=ctx["year"]
    )
    forecast_result, forecast_note = selectors.vangnet_for_forecast(
        user=request.user, municipality=ctx["municipality"], overview=overview
    )
    form = SimulatorForm(initial={"year": ctx["year"]})
    simulated = None
    status = 200
    if request.method == "POST":
        form = SimulatorForm(request.POST)
        if form.is_valid():
            try:
                simulated = simulate(form.cleaned_data)
            except DomainError as exc:
                _form_errors(form, exc)
                status = 422
        else:
            status = 422
    ctx.update(
        forecast_result=forecast_result,
        forecast_note=forecast_note,
        form=form,
        simulated=simulated,
        rules=selectors.vangnet_rule_table(user=request.user),
    )
    return render(request, "budget/vangnet.html", ctx, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def business_case(request: HttpRequest) -> HttpResponse:
    ctx = _base(request)
    realised_rows, realised = selectors.realised_business_case(
        user=request.user, municipality=ctx["municipality"], year=ctx["year"]
    )
    cost = selectors.average_cost(municipality=ctx["municipality"], year=ctx["year"])
    form = BusinessCaseForm(initial={"average_cost": cost or Decimal("14400")})
    planned = None
    budgeted = None
    status = 200
    if request.method == "POST":
        form = BusinessCaseForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            planned = calc.business_case_calculate(
                average_cost=data["average_cost"],
                lines=[
                    calc.OutflowLine(_("Volledige uitstroom"), data["full_count"], Decimal("1")),
                    calc.OutflowLine(
                        _("Gedeeltelijke uitstroom"),
                        data["partial_count"],
                        data["partial_percentage"] / 100,
                    ),
                ],
            )
            budgeted = data.get("budgeted")
        else:
            status = 422
    ctx.update(
        form=form,
        planned=planned,
        budgeted=budgeted,
        realised=realised,
        realised_rows=realised_rows,
        average_cost=cost,
        plan_round_figure=PLAN_ROUND_FIGURE,
    )
    return render(request, "budget/business_case.html", ctx, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def imports(request: HttpRequest) -> HttpResponse:
    ctx = _base(request)
    form = LedgerUploadForm()
    status = 200
    if request.method == "POST":
        form = LedgerUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                item, created = services.ledger_import_start(
                    municipality=ctx["municipality"],
                    filename=upload.name,
                    content=upload.read(),
                    by=request.user,
                )
                if created:
                    messages.success(request, _("Het bestand staat in de wachtrij."))
                else:
                    messages.info(
                        request,
                        _("Dit bestand is al eerder aangeboden; het wordt niet opnieuw verwerkt."),
                    )
                return redirect(_back("budget:imports", ctx))
            except DomainError as exc:
                _form_errors(form, exc)
        status = 422
    ctx.update(
        form=form,
        items=selectors.ledger_imports(user=request.user, municipality=ctx["municipality"]),
    )
    return render(request, "budget/imports.html", ctx, status=status)


@login_required
@require_GET
def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    _guard(request)
    item = selectors.ledger_import_get(user=request.user, import_id=pk)
    return render(request, "budget/_import_row.html", {"item": item})


@login_required
@require_http_methods(["GET", "POST"])
def reports(request: HttpRequest) -> HttpResponse:
    ctx = _base(request)
    form = ReportForm(initial={"year": ctx["year"]})
    status = 200
    if request.method == "POST":
        form = ReportForm(request.POST)
        if form.is_valid():
            try:
                services.buig_report_request(
                    municipality=ctx["municipality"],
                    year=form.cleaned_data["year"],
                    by=request.user,
                )
                messages.success(request, _("Het rapport wordt gemaakt."))
                return redirect(_back("budget:reports", ctx))
            except DomainError as exc:
                _form_errors(form, exc)
        status = 422
    ctx.update(
        form=form,
        items=selectors.buig_reports(user=request.user, municipality=ctx["municipality"]),
    )
    return render(request, "budget/reports.html", ctx, status=status)


@login_required
@require_GET
def report_status(request: HttpRequest, pk: int) -> HttpResponse:
    _guard(request)
    report = selectors.buig_report_get(user=request.user, report_id=pk)
    return render(request, "budget/_report_row.html", {"report": report})


@login_required
@require_GET
def report_download(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    _guard(request)
    report = selectors.buig_report_get(user=request.user, report_id=pk)
    field = {"xlsx": report.xlsx_file, "csv": report.csv_file}.get(fmt)
    if field is None or not field:
        raise Http404
    name = f"buig-{report.municipality.cbs_code}-{report.year}.{fmt}"
    return FileResponse(field.open("rb"), as_attachment=True, filename=name)
