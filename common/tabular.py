"""Tabular exports (CSV and XLSX) in which no cell from user input is ever a formula.

Every CSV or XLSX file the system produces is written through this module (issue 12, finding
6: CSV/XLSX formula injection). Spreadsheets evaluate a cell that starts with ``=``, ``+``,
``-`` or ``@`` (and strip a leading tab or carriage return first), so a SiSa label, a reason or
a resident's name such as ``=HYPERLINK("http://x","y")`` would otherwise run as a formula on
the desk of whoever opens the export.

The rules, applied to every text cell (anything that is not a number, a date or empty):

* **CSV**: a cell starting with one of ``= + - @ \\t \\r`` gets a leading ``'`` (the OWASP
  recommendation). The same is done after an embedded list separator or line break (``,``
  ``;`` tab, CR, LF) inside the cell, so the file stays safe when a spreadsheet set to another
  list separator (Dutch Excel: ``;``) splits it differently from how it was written.
* **XLSX**: the cell is written explicitly as a string (``data_type = "s"``; openpyxl on its
  own turns a string starting with ``=`` into a formula and ``#N/A`` into an error), and it
  gets the same leading ``'`` so that the value stays harmless when the sheet is copied or
  saved as CSV. Characters XML cannot hold are replaced by U+FFFD.
* Numbers (``int``, ``float``, ``Decimal``, ``bool``) stay numbers, also negative ones; dates
  and times stay dates and times.

Use the response helpers for a download (``csv_response``, ``xlsx_response``), the byte
helpers for a file that is stored (``csv_bytes``, ``xlsx_bytes``), and ``CsvWriter`` /
``xlsx_append`` where a caller builds the file itself (a styled workbook)::

    from common import tabular

    return tabular.csv_response(rows, header=["code", "label"], filename="x.csv")
    return tabular.xlsx_response([tabular.Sheet("Indicatoren", rows, header)], filename="x.xlsx")
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TextIO

from django.http import HttpResponse

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet
    from openpyxl.worksheet.worksheet import Worksheet

#: a spreadsheet treats a cell starting with one of these as a formula (tab and CR are skipped)
FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
#: what a neutralised cell starts with
ESCAPE = "'"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Number = int | float | Decimal
#: a cell value as callers hand it in; any other object is written as its ``str()`` (text)
Value = str | Number | dt.date | dt.datetime | dt.time | None

_TRIGGER_CLASS = "[" + re.escape("".join(FORMULA_TRIGGERS)) + "]"
_AT_START = re.compile(rf"^(?={_TRIGGER_CLASS})")
_AT_START_OR_AFTER_SEPARATOR = re.compile(rf"(?:^|(?<=[,;\t\r\n]))(?={_TRIGGER_CLASS})")


def neutralise(text: str) -> str:
    """``text`` with a leading ``'`` if it starts with a formula trigger (the XLSX rule)."""
    return _AT_START.sub(ESCAPE, text)


def neutralise_csv(text: str) -> str:
    """``text`` with a ``'`` before every formula trigger at its start or right after an
    embedded list separator or line break (the CSV rule)."""
    return _AT_START_OR_AFTER_SEPARATOR.sub(ESCAPE, text)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | Decimal)  # bool is an int


def _is_temporal(value: object) -> bool:
    return isinstance(value, dt.date | dt.time)  # datetime is a date


def csv_cell(value: Value, *, decimal_comma: bool = False) -> str | Number:
    """One CSV cell: numbers as they are (with ``decimal_comma`` a decimal comma and no
    exponent, as a Dutch spreadsheet reads them: ``-1234,50``), ``None`` empty, dates in ISO
    form, text neutralised."""
    if value is None:
        return ""
    if _is_number(value):
        if decimal_comma and not isinstance(value, bool):
            text = str(value) if isinstance(value, int) else format(value, "f")
            return text.replace(".", ",")  # a number: never neutralised
        return value  # type: ignore[return-value]
    if _is_temporal(value):
        return value.isoformat()  # type: ignore[union-attr]
    return neutralise_csv(str(value))


class CsvWriter:
    """``csv.writer`` whose every text cell is neutralised; rows are sequences of values."""

    def __init__(
        self, stream: TextIO, *, delimiter: str = ";", decimal_comma: bool = False
    ) -> None:
        self._writer = csv.writer(stream, delimiter=delimiter, lineterminator="\r\n")
        self._decimal_comma = decimal_comma

    def writerow(self, row: Iterable[Value]) -> None:
        self._writer.writerow([csv_cell(value, decimal_comma=self._decimal_comma) for value in row])

    def writerows(self, rows: Iterable[Iterable[Value]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_bytes(
    rows: Iterable[Iterable[Value]],
    *,
    header: Sequence[str] | None = None,
    delimiter: str = ";",
    bom: bool = False,
    decimal_comma: bool = False,
) -> bytes:
    """A whole CSV file, UTF-8 (with a byte order mark for Excel when ``bom``; with
    ``decimal_comma`` numbers as Dutch Excel reads them, see :func:`csv_cell`)."""
    out = io.StringIO(newline="")
    writer = CsvWriter(out, delimiter=delimiter, decimal_comma=decimal_comma)
    if header is not None:
        writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig" if bom else "utf-8")


def csv_response(
    rows: Iterable[Iterable[Value]],
    *,
    filename: str,
    header: Sequence[str] | None = None,
    delimiter: str = ";",
    bom: bool = False,
    decimal_comma: bool = False,
) -> HttpResponse:
    """A CSV download (``Content-Disposition: attachment``)."""
    content = csv_bytes(
        rows, header=header, delimiter=delimiter, bom=bom, decimal_comma=decimal_comma
    )
    return _attachment(HttpResponse(content, content_type=CSV_CONTENT_TYPE), filename)


# --- XLSX ---------------------------------------------------------------------------------------


def xlsx_cell(sheet: Worksheet | WriteOnlyWorksheet, value: Value) -> Any:
    """One XLSX cell value for ``sheet.append``: numbers, dates and ``None`` as they are, text
    as an explicit string cell (never a formula or an error), neutralised."""
    if value is None or _is_number(value) or _is_temporal(value):
        return value
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

    text = neutralise(ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(value)))
    cell = Cell(sheet, row=1, column=1, value=text)  # append() sets the position
    cell.data_type = "s"
    return cell


def xlsx_append(sheet: Worksheet | WriteOnlyWorksheet, row: Iterable[Value]) -> None:
    """``sheet.append(row)`` with every text cell written as a neutralised string; works for
    ordinary and write-only worksheets."""
    sheet.append([xlsx_cell(sheet, value) for value in row])


@dataclass(frozen=True)
class Sheet:
    """One worksheet of an XLSX file: a title (cut to Excel's 31 characters), an optional
    header row and the rows."""

    title: str
    rows: Iterable[Iterable[Value]]
    header: Sequence[str] | None = None
    column_widths: Sequence[float] = field(default_factory=tuple)


def xlsx_bytes(sheets: Iterable[Sheet]) -> bytes:
    """A whole XLSX file (write-only workbook: memory stays flat for long sheets); an empty
    workbook gets one empty sheet named "leeg"."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    for spec in sheets:
        sheet = workbook.create_sheet(title=spec.title[:31])
        for index, width in enumerate(spec.column_widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        if spec.header is not None:
            xlsx_append(sheet, spec.header)
        for row in spec.rows:
            xlsx_append(sheet, row)
    if not workbook.worksheets:
        workbook.create_sheet("leeg")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx_response(sheets: Iterable[Sheet], *, filename: str) -> HttpResponse:
    """An XLSX download (``Content-Disposition: attachment``)."""
    return _attachment(HttpResponse(xlsx_bytes(sheets), content_type=XLSX_CONTENT_TYPE), filename)


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
