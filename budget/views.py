"""Budget pages (financien, beheer and superusers only). Thin: permission check, validate input,
call one service or selector, render."""

from __future__ import annotations

import datetime as dt
import functools
import re
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from caseload.permissions import CaseloadPermission
from common import clock, tabular
from common.dates import YEAR_MAX, YEAR_MIN
from common.exceptions import DomainError

from . import calculations as calc
from . import selectors, services
from .api import simulate
from .forms import (
    AllocationForm,
    AverageCostForm,
    BusinessCaseForm,
    CorrectionForm,
    LedgerUploadForm,
    PaymentMappingForm,
    PaymentUploadForm,
    ReconciliationSignForm,
    ReportForm,
    SimulatorForm,
)
from .ledger import COLUMN_HELP
from .ledger_import import ledger_imports_expire
from .permissions import BudgetPermission
from .reports import buig_reports_expire


class BadQuery(Exception):
    """A query parameter that is not what the page expects: a Dutch 400 page (never a 500)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


#: ASCII digits only: ``str.isdigit()`` also accepts "²" (which ``int()`` refuses) and ``int()``
#: accepts "١" and " 7 "; an id or a year in a URL is plain 0-9
_NUMBER = re.compile(r"[0-9]{1,9}", flags=re.ASCII)


def _query_number(request: HttpRequest, name: str) -> int | None:
    """The whole number in ``?name=`` (or the form field), None when absent or empty."""
    raw = request.GET.get(name) or request.POST.get(name) or ""
    if not raw:
        return None
    if not _NUMBER.fullmatch(raw):
        raise BadQuery(_("Ongeldige waarde voor '%(name)s': verwacht een getal.") % {"name": name})
    return int(raw)


def _year(request: HttpRequest) -> int:
    year = _query_number(request, "jaar")
    if year is None:
        return timezone.localdate().year
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise BadQuery(
            _("Ongeldige waarde voor 'jaar': kies een jaar van %(lo)s tot en met %(hi)s.")
            % {"lo": YEAR_MIN, "hi": YEAR_MAX}
        )
    return year


def _base(request: HttpRequest) -> dict:
    municipality_id = _query_number(request, "gemeente")
    year = _year(request)
    municipality, choices = selectors.municipality_for(
        user=request.user, municipality_id=municipality_id, team_bound=False
    )
    this_year = timezone.localdate().year
    return {
        "year": year,
        "years": list(range(this_year + 1, this_year - 10, -1)),
        "municipality": municipality,
        "municipalities": choices,
    }


def bad_query_is_400(view):
    """Render a :class:`BadQuery` as the Dutch 400 page of the budget pages."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except BadQuery as exc:
            return render(
                request, "budget/bad_request.html", {"error_message": exc.message}, status=400
            )

    return wrapped


def _back(name: str, ctx: dict) -> str:
    return f"{reverse(name)}?jaar={ctx['year']}&gemeente={ctx['municipality'].pk}"


def post_permission_required(permission: str):
    """A POST (a write) also needs ``permission``; a GET needs only the view's own permission
    (security review of 3 December: every budget write checked ``budget.view_budget`` alone, so
    an installation that granted viewing granted every write)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method == "POST" and not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _form_errors(form, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@login_required
@require_http_methods(["GET", "POST"])
@bad_query_is_400
@permission_required(BudgetPermission.VIEW_BUDGET, raise_exception=True)
@post_permission_required(BudgetPermission.CHANGE_BUDGET)
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
@bad_query_is_400
@permission_required(BudgetPermission.VIEW_BUDGET, raise_exception=True)
def vangnet(request: HttpRequest) -> HttpResponse:
    ctx = _base(request)
    overview = selectors.budget_overview(
        user=request.user, municipality=ctx["municipality"], year=ctx["year"]
    )
    forecast_result, forecast_note = selectors.vangnet_for_forecast(
        user=request.user, municipality=ctx["municipality"], overview=overview
    )
    inputs = selectors.vangnet_inputs(
        user=request.user, municipality=ctx["municipality"], year=ctx["year"], overview=overview
    )
    form = SimulatorForm.prefilled(inputs)
    simulated = None
    status = 200
    if request.method == "POST":
        form = SimulatorForm(request.POST)
        form.describe(inputs)
        if form.is_valid():
            try:
                simulated = simulate(form.cleaned_data)
            except DomainError as exc:
                _form_errors(form, exc)
                status = 422
        else:
            status = 422
    ctx.update(
        # a closed year's figures are realised, not a forecast (the heading; walk of 3 December)
        year_closed=ctx["year"] < clock.today().year,
        forecast_result=forecast_result,
        forecast_note=forecast_note,
        form=form,
        simulated=simulated,
        rules=selectors.vangnet_rule_table(user=request.user),
    )
    return render(request, "budget/vangnet.html", ctx, status=status)


@login_required
@require_http_methods(["GET", "POST"])
@bad_query_is_400
@permission_required(BudgetPermission.VIEW_BUDGET, raise_exception=True)
def business_case(request: HttpRequest) -> HttpResponse:
    ctx = _base(request)
    average = selectors.average_cost_get(
        user=request.user, municipality=ctx["municipality"], year=ctx["year"]
    )
    can_set_cost = request.user.has_perm(CaseloadPermission.CONFIGURE)
    cost_form = None
    if can_set_cost:
        cost_form = AverageCostForm(
            prefix="cost", initial={"average_cost": average.amount, "source": average.source}
        )
    cost = average.amount
    form = BusinessCaseForm(
        initial={"average_cost": cost or settings.BUSINESS_CASE_DEFAULT_AVERAGE_COST}
    )
    planned = None
    budgeted = None
    status = 200
    if request.method == "POST" and request.POST.get("action") == "cost":
        if not can_set_cost:
            raise PermissionDenied
        cost_form = AverageCostForm(request.POST, prefix="cost")
        if cost_form.is_valid():
            try:
                services.average_cost_set(
                    municipality=ctx["municipality"],
                    year=ctx["year"],
                    amount=cost_form.cleaned_data["average_cost"],
                    source=cost_form.cleaned_data["source"],
                    by=request.user,
                )
                messages.success(request, _("De gemiddelde kosten zijn opgeslagen."))
                return redirect(_back("budget:business_case", ctx))
            except DomainError as exc:
                _form_errors(cost_form, exc)
        status = 422
    elif request.method == "POST":
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
    realised_rows, realised = selectors.realised_business_case(
        user=request.user, municipality=ctx["municipality"], year=ctx["year"]
    )
    ctx.update(
        form=form,
        planned=planned,
        budgeted=budgeted,
        realised=realised,
        realised_rows=realised_rows,
        average_cost=cost,
        average=average,
        cost_form=cost_form,
        plan_round_figure=settings.BUSINESS_CASE_PLAN_ROUND_FIGURE,
    )
    return render(request, "budget/business_case.html", ctx, status=status)


@login_required
@require_http_methods(["GET", "POST"])
@bad_query_is_400
@permission_required(BudgetPermission.VIEW_BUDGET, raise_exception=True)
@post_permission_required(BudgetPermission.IMPORT_LEDGER)
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
    ledger_imports_expire(municipality_id=ctx["municipality"].pk)  # issue 13, finding 5
    ctx.update(
        form=form,
        items=selectors.ledger_imports(user=request.user, municipality=ctx["municipality"]),
        columns=COLUMN_HELP,
    )
    return render(request, "budget/imports.html", ctx, status=status)


@login_required
@require_GET
@permission_required(BudgetPermission.VIEW_BUDGET, raise_exception=True)
def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.ledger_import_get(user=request.user, import_id=pk)
    if ledger_imports_expire(municipality_id=item.municipality_id, import_id=item.pk):
        item.refresh_from_db()  # its worker died: it ended failed just now (issue 13, finding 5)
    return render(request, "budget/_import_row.html", {"item": item})


@login_required
@require_http_methods(["GET", "POST"])
@bad_query_is_400
@permission_required(BudgetPermission.VIEW_BUDGET, raise_exception=True)
@post_permission_required(BudgetPermission.EXPORT_REPORTS)
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
    buig_reports_expire(municipality_id=ctx["municipality"].pk)  # issue 13, finding 5
    ctx.update(
        form=form,
        items=selectors.buig_reports(user=request.user, municipality=ctx["municipality"]),
        sisa=selectors.sisa_overview(user=request.user, year=ctx["year"]),
        can_set_sisa=request.user.has_perm("budget.change_sisalabel"),
    )
    # said before the report is made: its SiSa column stays empty where no code is set (the
    # walk of 4 December)
    ctx["sisa_missing"] = sum(1 for line in ctx["sisa"] if not line.is_set)
    return render(request, "budget/reports.html", ctx, status=status)


@login_required
@require_GET
@permission_required(BudgetPermission.VIEW_BUDGET, raise_exception=True)
def report_status(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.buig_report_get(user=request.user, report_id=pk)
    return render(request, "budget/_report_row.html", {"report": report})


@login_required
@require_GET
@permission_required(BudgetPermission.VIEW_BUDGET, raise_exception=True)
@permission_required(BudgetPermission.EXPORT_REPORTS, raise_exception=True)
def report_download(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    report = selectors.buig_report_get(user=request.user, report_id=pk)
    field = {"xlsx": report.xlsx_file, "csv": report.csv_file}.get(fmt)
    if field is None or not field:
        raise Http404
    name = f"buig-{report.municipality.cbs_code}-{report.year}.{fmt}"
    # the shared writer's types: the CSV says its charset (the walk of 4 December: without it
    # a tool that believes the header shows the byte-order mark as "ï»¿")
    content_type = tabular.CSV_CONTENT_TYPE if fmt == "csv" else tabular.XLSX_CONTENT_TYPE
    return FileResponse(
        field.open("rb"), as_attachment=True, filename=name, content_type=content_type
    )


# Payments feed (issue 15) -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@bad_query_is_400
@permission_required(BudgetPermission.VIEW_BUDGET, raise_exception=True)
@post_permission_required(BudgetPermission.IMPORT_LEDGER)
def payments(request: HttpRequest) -> HttpResponse:
    """The payments feed: the column mapping of the municipality's export, the upload, and the
    recent imports with their progress and every rejected row."""
    ctx = _base(request)
    municipality = ctx["municipality"]
    mapping_form = PaymentMappingForm(
        prefix="map",
        initial=selectors.payment_column_mapping(user=request.user, municipality=municipality),
    )
    upload_form = PaymentUploadForm(prefix="upload")
    status = 200
    if request.method == "POST":
        if request.POST.get("action") == "mapping":
            mapping_form = PaymentMappingForm(request.POST, prefix="map")
            if mapping_form.is_valid():
                try:
                    services.payment_column_mapping_set(
                        municipality=municipality,
                        columns=mapping_form.cleaned_data,
                        by=request.user,
                    )
                    messages.success(request, _("De kolomindeling is opgeslagen."))
                    return redirect(_back("budget:payments", ctx))
                except DomainError as exc:
                    _form_errors(mapping_form, exc)
        else:
            upload_form = PaymentUploadForm(request.POST, request.FILES, prefix="upload")
            if upload_form.is_valid():
                upload = upload_form.cleaned_data["file"]
                try:
                    _item, created = services.payments_import_start(
                        municipality=municipality,
                        filename=upload.name,
                        content=upload.read(),
                        by=request.user,
                    )
                    if created:
                        messages.success(request, _("Het bestand staat in de wachtrij."))
                    else:
                        messages.info(
                            request,
                            _(
                                "Dit bestand is al eerder aangeboden; het wordt niet opnieuw "
                                "verwerkt."
                            ),
                        )
                    return redirect(_back("budget:payments", ctx))
                except DomainError as exc:
                    _form_errors(upload_form, exc)
        status = 422
    ctx.update(
        mapping_form=mapping_form,
        upload_form=upload_form,
        items=selectors.payment_imports(user=request.user, municipality=municipality),
    )
    return render(request, "budget/payments.html", ctx, status=status)


@login_required
@require_GET
@permission_required(BudgetPermission.VIEW_BUDGET, raise_exception=True)
def payment_import_status(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.payment_import_get(user=request.user, import_id=pk)
    return render(request, "budget/_payment_import_row.html", {"item": item})


@login_required
@require_http_methods(["GET", "POST"])
@bad_query_is_400
@permission_required(BudgetPermission.VIEW_BUDGET, raise_exception=True)
@post_permission_required(BudgetPermission.CHANGE_BUDGET)
def reconciliation(request: HttpRequest) -> HttpResponse:
    """Payments feed against the ledger per month and regime, with the controller's sign-off."""
    ctx = _base(request)
    status = 200
    failed: tuple[str, str] | None = None
    form = None
    if request.method == "POST":
        form = ReconciliationSignForm(request.POST)
        if form.is_valid():
            try:
                services.reconciliation_sign(
                    municipality=ctx["municipality"],
                    month=form.cleaned_data["month"],
                    regime=form.cleaned_data["regime"],
                    note=form.cleaned_data["note"],
                    by=request.user,
                )
                messages.success(request, _("Het verschil is afgetekend."))
                return redirect(_back("budget:reconciliation", ctx))
            except DomainError as exc:
                _form_errors(form, exc)
        failed = (request.POST.get("month", ""), request.POST.get("regime", ""))
        status = 422
    rows = selectors.reconciliation(
        user=request.user, municipality=ctx["municipality"], year=ctx["year"]
    )

    def sign_form(row) -> ReconciliationSignForm:
        """The bound form of the row just posted with an error; a fresh one for the others."""
        if form is not None and failed == (row.month.isoformat(), row.regime):
            return form
        return ReconciliationSignForm(
            initial={
                "month": row.month,
                "regime": row.regime,
                "note": row.signoff.note if row.signoff else "",
            },
            auto_id=f"id_%s_{row.month:%Y%m}_{row.regime}",
        )

    ctx.update(
        rows=[(row, sign_form(row)) for row in rows],
        open_rows=[r for r in rows if r.status in ("verschil", "herbeoordelen")],
    )
    return render(request, "budget/reconciliation.html", ctx, status=status)
