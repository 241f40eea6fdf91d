"""The one reader of uploaded tables (CSV and XLSX) every import goes through.

The writer's sibling (``common/tabular.py`` writes every export; issue 16, point 7). An import
asks for a :class:`Table` and gets the same answers to the same questions whatever it imports:

* **Format**: by the file name, ``.xlsx`` is a workbook (first sheet, openpyxl read-only, cached
  values instead of formulas), anything else is CSV. A CSV that is really a workbook is refused.
* **Encoding** (CSV): UTF-8 with or without a byte order mark; UTF-16 with a byte order mark
  (Excel's "Unicode-tekst"); otherwise Windows-1252 (Excel's "CSV (gescheiden door lijstscheidingsteken)"
  on a Dutch Windows). Bytes that are none of these give a Dutch :class:`TabularFileError`,
  never a silently garbled name.
* **Delimiter** (CSV): ``;`` (Dutch Excel), ``,`` or tab, whichever splits the header row into
  the most columns; a tie goes to ``;``.
* **Header**: the first row. Names are normalised (:func:`header_name`: trimmed, lower case,
  inner spaces to ``_``); a missing required column or a name used twice is an error of the
  file as a whole.
* **Rows**: every row that is not entirely empty, with its **line number** as the user sees it
  (the header is line 1; a CSV record spanning lines gets the line it starts on), a dict of
  ``{column: raw value}`` (CSV: the string; XLSX: the cell's value, a whole float as ``int``,
  an empty cell as ``""``) and the number of cells the source row has.
* **Limits**: at most ``TABULAR_IMPORT_MAX_BYTES`` bytes, ``TABULAR_IMPORT_MAX_ROWS`` data rows
  and :data:`MAX_COLUMNS` columns; a workbook also at most ``TABULAR_IMPORT_MAX_UNPACKED_BYTES``
  once unpacked (the sizes its zip declares, which bound what it inflates to: an XLSX of a few
  megabytes can otherwise unpack to gigabytes, and openpyxl holds the shared strings in memory).
  Over a limit the whole file is refused before any row is validated.

Cell values are never put into an error message: a column may hold a BSN.

    table = tabular_read.read_table(content, filename="export.csv", required=("bsn",))
    for row in table:
        form = MyRowForm(data=row.values)
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS

#: delimiters a CSV may use, in the order that wins a tie
DELIMITERS: tuple[str, ...] = (";", "\t", ",")
#: more header columns than this is no export of ours
MAX_COLUMNS = 500

CellValue = str | int | float | bool | dt.date | dt.datetime | dt.time


#: a header without rows was "Verwerkt: 0 regels", as if the file had been read (the walk of
#: 4 December)
HEADER_ONLY = "Het bestand bevat alleen de kopregel, geen gegevensregels."


class TabularFileError(Exception):
    """The file as a whole cannot be read; ``str()`` is a Dutch message without cell values."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class Row:
    """One data row: its line number in the file, ``{column: raw value}`` for every named
    column the row reaches, and the number of cells the source row has."""

    line: int
    values: dict[str, Any]
    width: int


@dataclass
class Table:
    """A validated header and the data rows, read as they are iterated (memory stays flat for
    a long file). ``total`` is the number of data rows: exact for a CSV, from the sheet's
    dimension (an upper bound) for a workbook."""

    header: tuple[str, ...]
    total: int
    format: str
    encoding: str | None = None
    delimiter: str | None = None
    max_rows: int = 0
    _rows: Callable[[], Iterator[Row]] = field(default=lambda: iter(()), repr=False)

    def __iter__(self) -> Iterator[Row]:
        for count, row in enumerate(self._rows(), start=1):
            if self.max_rows and count > self.max_rows:
                raise TabularFileError(_too_many_rows(self.max_rows))
            yield row


def header_name(value: object) -> str:
    """A header cell as a column name: trimmed, lower case, runs of spaces as one ``_``."""
    text = "" if value is None else str(value)
    return re.sub(r"\s+", "_", text.replace("\ufeff", "").strip().lower())


def read_table(
    content: bytes,
    *,
    filename: str,
    required: Iterable[str] = (),
    max_rows: int | None = None,
    max_bytes: int | None = None,
) -> Table:
    """Read ``content`` (named ``filename``) as a table; :class:`TabularFileError` when the file
    as a whole is unusable. ``max_rows``/``max_bytes`` default to the settings."""
    max_rows = settings.TABULAR_IMPORT_MAX_ROWS if max_rows is None else max_rows
    max_bytes = settings.TABULAR_IMPORT_MAX_BYTES if max_bytes is None else max_bytes
    if max_bytes and len(content) > max_bytes:
        raise TabularFileError(
            f"Het bestand is groter dan {_megabytes(max_bytes)}; splits het in kleinere bestanden."
        )
    if not content.strip():
        raise TabularFileError("Het bestand is leeg.")
    if filename.lower().endswith(".xlsx"):
        _check_unpacked(content, settings.TABULAR_IMPORT_MAX_UNPACKED_BYTES)
        table = _read_xlsx(content)
    else:
        table = _read_csv(content)
    _check_header(table.header, required)
    if max_rows and table.total > max_rows:
        raise TabularFileError(_too_many_rows(max_rows))
    table.max_rows = max_rows
    return table


# --- validating a row ---------------------------------------------------------------------------


class _SharedFields(dict):
    """The fields of a row form, shared by all its instances: ``deepcopy`` returns the dict
    itself. A row form validates and never renders, and a field keeps no per-form state, so the
    per-instance copy Django makes for a page form is pure cost here (it was most of the time of
    a 500,000-row ledger import)."""

    def __deepcopy__(self, memo: dict[int, Any]) -> _SharedFields:
        return self


class _RowFormMetaclass(forms.forms.DeclarativeFieldsMetaclass):
    def __new__(mcs, name, bases, attrs):  # noqa: N804 - the metaclass convention
        new_class = super().__new__(mcs, name, bases, attrs)
        new_class.base_fields = _SharedFields(new_class.base_fields)  # type: ignore[attr-defined]  # set by DeclarativeFieldsMetaclass, unknown to the stubs
        return new_class


class RowForm(forms.BaseForm, metaclass=_RowFormMetaclass):
    """Base of the ``forms.Form`` per row kind that every import validates its rows with: the
    field names are the normalised column names, so ``form.errors`` is keyed by column and the
    messages are Django's Dutch field messages or the form's own. Bind it with ``row.values``.

    Its fields are shared between instances (see ``_SharedFields``): never change
    ``self.fields`` in a subclass's ``__init__``."""

    def __init__(self, data: dict[str, Any]) -> None:
        super().__init__(data=data, label_suffix="")

    def _clean_fields(self) -> None:
        # Django's own loop builds a BoundField (rendering state) per field and row; a row form
        # needs the value only. Same contract: field.clean, then clean_<name>, errors per field.
        for name, form_field in self.fields.items():
            try:
                self.cleaned_data[name] = form_field.clean(self.data.get(name))
                if hasattr(self, f"clean_{name}"):
                    self.cleaned_data[name] = getattr(self, f"clean_{name}")()
            except forms.ValidationError as error:
                self.add_error(name, error)

    def row_errors(self) -> list[tuple[str | None, str]]:
        """Every error of the row as (column or None for the row as a whole, message)."""
        return [
            (None if name == NON_FIELD_ERRORS else name, str(message))
            for name, messages in self.errors.items()
            for message in messages
        ]


# --- CSV ----------------------------------------------------------------------------------------


def decode(content: bytes) -> tuple[str, str]:
    """(text, encoding name) by the encoding policy above; :class:`TabularFileError` else."""
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return content.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    else:
        try:
            return content.decode("utf-8-sig"), "utf-8"
        except UnicodeDecodeError:
            pass
        try:
            return content.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            pass
    raise TabularFileError(
        "De tekens in het bestand zijn niet te lezen. Sla het op als CSV in UTF-8 "
        "(of Windows-1252), of als XLSX."
    )


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first record into the most cells (``;`` on a tie)."""

    def width(delimiter: str) -> int:
        try:
            return len(next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), []))
        except csv.Error:
            return 0

    return max(DELIMITERS, key=width)  # max() keeps the first of equals: ';' before tab and ','


def _read_csv(content: bytes) -> Table:
    if zipfile.is_zipfile(io.BytesIO(content)):
        raise TabularFileError(
            "Dit is geen CSV-bestand maar een werkmap; geef het bestand de extensie .xlsx."
        )
    text, encoding = decode(content)
    if "\x00" in text:
        raise TabularFileError("Het bestand bevat binaire gegevens; dit is geen CSV-bestand.")
    delimiter = sniff_delimiter(text)

    def records() -> Iterator[tuple[int, list[str]]]:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        line = 1
        try:
            for values in reader:
                yield line, values
                line = reader.line_num + 1
        except csv.Error as exc:
            raise TabularFileError(
                f"Het CSV-bestand is niet leesbaar vanaf regel {line} (bijvoorbeeld een "
                "aanhalingsteken dat niet wordt gesloten)."
            ) from exc

    first = next(records(), None)
    if first is None:
        raise TabularFileError("Het bestand is leeg.")
    header = _header(first[1])
    total = sum(1 for _, values in records() if _has_data(values)) - 1
    if total <= 0:
        raise TabularFileError(HEADER_ONLY)

    def rows() -> Iterator[Row]:
        iterator = records()
        next(iterator)
        for line, values in iterator:
            if _has_data(values):
                yield Row(line, _as_dict(header, values), len(values))

    return Table(
        header=header,
        total=max(total, 0),
        format="csv",
        encoding=encoding,
        delimiter=delimiter,
        _rows=rows,
    )


# --- XLSX ---------------------------------------------------------------------------------------


def _check_unpacked(content: bytes, limit: int) -> None:
    """Refuse a workbook whose parts unpack to more than ``limit`` bytes. The sizes are those
    the zip declares; Python's zipfile stops inflating a part at its declared size (and fails
    its CRC check beyond it), so a part cannot unpack to more than this sum."""
    if not limit:
        return
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise TabularFileError("Dit is geen leesbaar XLSX-bestand.") from exc
    if unpacked > limit:
        raise TabularFileError(
            f"Het bestand is uitgepakt groter dan {_megabytes(limit)}; splits het in kleinere "
            "bestanden."
        )


def _read_xlsx(content: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        first = next(sheet.iter_rows(values_only=True), None)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for a broken file
        raise TabularFileError("Dit is geen leesbaar XLSX-bestand.") from exc
    if first is None or not _has_data(first):
        workbook.close()
        raise TabularFileError("Het bestand is leeg.")
    header = _header(first)
    total = max((sheet.max_row or 1) - 1, 0)
    if not any(_has_data(values) for values in sheet.iter_rows(min_row=2, values_only=True)):
        workbook.close()
        raise TabularFileError(HEADER_ONLY)

    def rows() -> Iterator[Row]:
        try:
            iterator = sheet.iter_rows(values_only=True)
            next(iterator)
            for line, values in enumerate(iterator, start=2):
                if _has_data(values):
                    cells = [_xlsx_value(v) for v in values[: len(header)]]
                    yield Row(line, _as_dict(header, cells), max(len(values), len(header)))
        finally:
            workbook.close()

    return Table(header=header, total=total, format="xlsx", _rows=rows)


def _xlsx_value(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# --- shared -------------------------------------------------------------------------------------


def _has_data(values: Iterable[object]) -> bool:
    return any(v is not None and str(v).strip() for v in values)


def _header(cells: Iterable[object]) -> tuple[str, ...]:
    names = [header_name(c) for c in cells]
    while names and not names[-1]:
        names.pop()  # a workbook's formatted but empty columns
    if len(names) > MAX_COLUMNS:
        raise TabularFileError(f"De kopregel heeft meer dan {MAX_COLUMNS} kolommen.")
    return tuple(names)


def _check_header(header: tuple[str, ...], required: Iterable[str]) -> None:
    seen: set[str] = set()
    repeated: set[str] = set()
    for name in header:
        if name and name in seen:
            repeated.add(name)
        seen.add(name)
    twice = sorted(repeated)
    if twice:
        raise TabularFileError(
            "Deze kolom staat meer dan eens in de kopregel: " + ", ".join(twice) + "."
        )
    missing = [c for c in required if c not in seen]
    if missing:
        raise TabularFileError("Verplichte kolommen ontbreken: " + ", ".join(missing) + ".")


def _as_dict(header: tuple[str, ...], values: Iterable[object]) -> dict[str, Any]:
    return {name: value for name, value in zip(header, values, strict=False) if name}


def _too_many_rows(limit: int) -> str:
    return f"Het bestand heeft meer dan {limit:,} regels met gegevens; splits het.".replace(
        ",", "."
    )


def _megabytes(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB"
