"""Issue 12, finding 6: no export contains a cell that a spreadsheet evaluates as a formula.

Text that users enter (a SiSa label, a break-the-glass reason, a username, a team name, a
resident's name, a contact summary, a municipality name) is planted with formula payloads; every
CSV and XLSX export of the system is downloaded through its endpoint and read back:

* XLSX (openpyxl): no cell is a formula, and no text cell starts with ``= + - @ \\t \\r``;
* CSV (csv module): no cell starts with those characters unless it is a plain number, read with
  the delimiter the file was written with **and** with the other usual list separators (``,``
  ``;`` tab), as a spreadsheet set to another separator splits the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from budget import services as budget_services
from budget.models import SisaLabel
from caseload.models import BenefitPayment, Regime
from indicators.models import IndicatorValue
from privacy.models import Action, Purpose
from privacy.services import processing_record_write
from tests import factories

pytestmark = pytest.mark.django_db

PAYLOADS = ['=HYPERLINK("http://x","y")', "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1"]
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"-?\d+([.,]\d+)?")  # the BUIG CSV writes a Dutch decimal comma
YEAR = 2025


def _short(payload: str) -> str:
    """The payload without its trigger characters, to find where it was planted."""
    return payload.lstrip("".join(TRIGGERS))


def assert_csv_has_no_formula(content: bytes, *, delimiter: str, payload: str) -> None:
    text = content.decode("utf-8-sig")
    for separator in dict.fromkeys([delimiter, ",", ";", "\t"]):
        cells = [
            cell
            for row in csv.reader(io.StringIO(text, newline=""), delimiter=separator)
            for cell in row
        ]
        formulas = [c for c in cells if c.startswith(TRIGGERS) and not NUMBER.fullmatch(c)]
        assert not formulas, f"read with {separator!r}: {formulas[:5]}"
        if separator == delimiter:  # the payload did reach the file (else this proves nothing)
            assert any(_short(payload) in cell for cell in cells)


def assert_xlsx_has_no_formula(content: bytes, *, payload: str) -> None:
    workbook = load_workbook(io.BytesIO(content))
    found = False
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                where = f"{sheet.title}!{cell.coordinate}"
                assert cell.data_type != "f", f"{where} is a formula: {cell.value!r}"
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(TRIGGERS), f"{where}: {cell.value!r}"
                    found = found or _short(payload) in cell.value
    assert found, "the payload did not reach the workbook"


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return _world


def _world(payload: str):
    """Every user-text field that reaches an export, planted with ``payload``."""
    municipality = factories.MunicipalityFactory(cbs_code="GM0401", name=payload)
    team = factories.TeamFactory(municipality=municipality, name=payload)
    consulent = factories.UserFactory(
        team=team, username=payload, first_name=payload, last_name=payload
    )
    resident = factories.ResidentFactory(
        team=team,
        consulent=consulent,
        household__municipality=municipality,
        household__street=payload,
        first_name=payload,
        last_name=payload,
    )
    factories.ContactMomentFactory(resident=resident, by=consulent, summary=payload)
    processing_record_write(
        user=consulent,
        action=Action.READ,
        object_type="resident",
        object_id=resident.pk,
        purpose=Purpose.BREAK_GLASS,
        resident_ids=[resident.pk],
        reason=payload,
        break_glass=True,
        route=payload,
    )
    # indicators: a team name as dimension value (also after an embedded list separator)
    IndicatorValue.objects.create(
        municipality=municipality,
        code="outflow.to_work",
        period_kind="year",
        period_start=dt.date(YEAR, 1, 1),
        period_end=dt.date(YEAR, 12, 31),
        dimension="team",
        dimension_value=f"Jongeren,{payload};{payload}",
        value=Decimal(7),
        numerator=Decimal(7),
        denominator=None,
        changed_at=timezone.now(),
        definition_version=1,
    )
    # budget: the SiSa labels are edited by functional admin; a negative amount stays a number
    SisaLabel.objects.update(label=payload)
    benefit = factories.BenefitFactory(
        regime=Regime.ALGEMENE_BIJSTAND,
        start_date=dt.date(YEAR - 1, 1, 1),
        applicant=resident,
    )
    BenefitPayment.objects.create(
        benefit=benefit, month=dt.date(YEAR, 1, 1), amount_paid=Decimal("1200.00")
    )
    finance = factories.UserFactory(finance=True)
    budget_services.journal_correction_record(
        municipality=municipality,
        regime=Regime.ALGEMENE_BIJSTAND,
        month=dt.date(YEAR, 2, 1),
        kind="besteding",
        amount=Decimal("-10.00"),
        reason=payload,
        by=finance,
    )
    report = budget_services.buig_report_request(municipality=municipality, year=YEAR, by=finance)
    budget_services.buig_report_generate(report_id=report.pk)
    return {
        "municipality": municipality,
        "resident": resident,
        "finance": finance,
        "report": report,
        "privacy": factories.UserFactory(privacy=True),
        "manager": factories.UserFactory(manager=True),
    }


def _download(client, user, url: str) -> bytes:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("payload", PAYLOADS, ids=repr)
def test_finding_6_privacy_log_exports_have_no_formulas(client, world, payload):
    """Issue 12, finding 6: the privacy officer's log export (CSV and XLSX) of a resident."""
    w = world(payload)
    pk = w["resident"].pk
    url = reverse("privacy:log_resident_export", args=[pk, "csv"])
    content = _download(client, w["privacy"], url)
    assert_csv_has_no_formula(content, delimiter=";", payload=payload)
    url = reverse("privacy:log_resident_export", args=[pk, "xlsx"])
    assert_xlsx_has_no_formula(_download(client, w["privacy"], url), payload=payload)


@pytest.mark.parametrize("payload", PAYLOADS, ids=repr)
def test_finding_6_subject_access_xlsx_has_no_formulas(client, world, payload):
    """Issue 12, finding 6: the AVG inzage export (XLSX) with the resident's own names."""
    w = world(payload)
    url = reverse("privacy:subject_access_export", args=[w["resident"].pk, "xlsx"])
    assert_xlsx_has_no_formula(_download(client, w["privacy"], url), payload=payload)


@pytest.mark.parametrize("payload", PAYLOADS, ids=repr)
def test_finding_6_indicator_exports_have_no_formulas(client, world, payload):
    """Issue 12, finding 6: the indicator export (CSV and XLSX) with a team name."""
    w = world(payload)
    query = f"?jaar={YEAR}&gemeente={w['municipality'].pk}"
    content = _download(client, w["manager"], reverse("indicators:export_csv") + query)
    assert_csv_has_no_formula(content, delimiter=";", payload=payload)
    content = _download(client, w["manager"], reverse("indicators:export_xlsx") + query)
    assert_xlsx_has_no_formula(content, payload=payload)


@pytest.mark.parametrize("payload", PAYLOADS, ids=repr)
def test_finding_6_buig_report_has_no_formulas(client, world, payload):
    """Issue 12, finding 6: the BUIG report (XLSX and CSV) with edited SiSa labels and a
    municipality name; the amounts stay numbers (also a negative correction)."""
    w = world(payload)
    report = w["report"]
    url = reverse("budget:report_download", args=[report.pk, "xlsx"])
    content = _download(client, w["finance"], url)
    assert_xlsx_has_no_formula(content, payload=payload)
    sheet = load_workbook(io.BytesIO(content))["Per maand"]
    amounts = [r[2] for r in sheet.iter_rows(min_row=3, values_only=True) if r[1] == "februari"]
    assert Decimal("-10") in [Decimal(str(a)) for a in amounts]
    url = reverse("budget:report_download", args=[report.pk, "csv"])
    content = _download(client, w["finance"], url)
    assert_csv_has_no_formula(content, delimiter=";", payload=payload)
    assert ";-10,00;" in content.decode("utf-8-sig")  # a number with a Dutch decimal comma


WRITER_PATTERNS = re.compile(
    r"csv\.writer\(|csv\.DictWriter\(|xlsxwriter|text/csv|spreadsheetml"
    r"|\b(?:ws|sheet|worksheet)\.append\("
)


def test_finding_6_every_export_is_written_through_common_tabular():
    """Issue 12, finding 6: CSV and XLSX files are written by ``common/tabular.py`` only, so a
    new export cannot bypass the neutralisation (a workbook that needs styling appends its
    rows with ``tabular.xlsx_append``)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    skip = {"tests", "node_modules", "bench", "static", "templates", "docs"}
    offenders = [
        f"{path.relative_to(root)}:{number}: {line.strip()}"
        for path in root.rglob("*.py")
        if not (
            set(path.relative_to(root).parts[:1]) & skip
            or path.parts[-2:] == ("common", "tabular.py")
        )
        and not any(part.startswith(".") for part in path.relative_to(root).parts)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if WRITER_PATTERNS.search(line)
    ]
    assert not offenders, "\n".join(offenders)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("-1+1", "'-1+1"),
        ("\t=1", "'\t'=1"),
        ("Jongeren,=1;@SUM(A1)", "Jongeren,'=1;'@SUM(A1)"),
        ("regel 1\n+31 6 1234", "regel 1\n'+31 6 1234"),
        ("Noord-Oost, - geen -", "Noord-Oost, - geen -"),
        (Decimal("-10.00"), Decimal("-10.00")),
        (-3, -3),
        (None, ""),
        (dt.date(2025, 1, 31), "2025-01-31"),
    ],
)
def test_finding_6_csv_cell_rules(value, expected):
    """Issue 12, finding 6: text is neutralised at its start and after an embedded separator or
    line break; numbers (also negative ones) stay numbers."""
    from common.tabular import csv_cell

    assert csv_cell(value) == expected


def test_finding_6_xlsx_cells_are_strings_numbers_and_dates():
    """Issue 12, finding 6: openpyxl makes "=..." a formula and "#N/A" an error on its own; the
    shared writer makes them strings, keeps numbers and dates, and drops characters XML cannot
    hold instead of failing."""
    from common import tabular

    content = tabular.xlsx_bytes(
        [
            tabular.Sheet(
                "t",
                [["=1+1", "#N/A", "a\x01b", Decimal("-2.5"), dt.date(2025, 1, 1), None]],
                header=["a", "b", "c", "d", "e", "f"],
            )
        ]
    )
    row = next(load_workbook(io.BytesIO(content))["t"].iter_rows(min_row=2))
    assert [c.data_type for c in row[:3]] == ["s", "s", "s"]
    assert [c.value for c in row[:3]] == ["'=1+1", "#N/A", "a\ufffdb"]
    assert row[3].value == -2.5 and row[3].data_type == "n"
    assert row[4].value == dt.datetime(2025, 1, 1)
    assert row[5].value is None
