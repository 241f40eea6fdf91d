"""The shared table reader (issue 16, point 7): encoding and delimiter policy, XLSX, header
normalisation, line numbers, limits. Pure: no database."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from common import tabular
from common.tabular_read import TabularFileError, header_name, read_table

HEADER = "Naam;Woon Plaats;bedrag"


def xlsx(*rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for values in rows:
        sheet.append(list(values))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def rows_of(content: bytes, filename: str = "a.csv", **kwargs):
    table = read_table(content, filename=filename, **kwargs)
    return table, [(r.line, r.values) for r in table]


ONE = {"naam": "Zoë", "woon_plaats": "Hilversum", "bedrag": "1,5"}


@pytest.mark.parametrize(
    ("content", "encoding", "delimiter"),
    [
        pytest.param(f"{HEADER}\nZoë;Hilversum;1,5\n".encode(), "utf-8", ";", id="utf8-semicolon"),
        pytest.param(
            f"\ufeff{HEADER}\r\nZoë;Hilversum;1,5\r\n".encode(), "utf-8", ";", id="utf8-bom-crlf"
        ),
        pytest.param(f"{HEADER}\nZoë;Hilversum;1,5\n".encode("cp1252"), "cp1252", ";", id="cp1252"),
        pytest.param(
            'Naam,Woon Plaats,bedrag\nZoë,Hilversum,"1,5"\n'.encode(), "utf-8", ",", id="comma"
        ),
        pytest.param(
            "Naam\tWoon Plaats\tbedrag\nZoë\tHilversum\t1,5\n".encode("utf-16"),
            "utf-16",
            "\t",
            id="utf16-tab",
        ),
        pytest.param(
            "Naam\tWoon Plaats\tbedrag\nZoë\tHilversum\t1,5\n".encode(), "utf-8", "\t", id="tab"
        ),
    ],
)
def test_point_7_csv_encoding_and_delimiter_policy(content, encoding, delimiter):
    """Issue 16, point 7: UTF-8 with or without BOM, Windows-1252, UTF-16; ; , or tab."""
    table, rows = rows_of(content)
    assert (table.encoding, table.delimiter, table.format) == (encoding, delimiter, "csv")
    assert table.header == ("naam", "woon_plaats", "bedrag")
    assert rows == [(2, ONE)]
    assert table.total == 1


def test_point_7_semicolon_wins_a_tie_and_quoted_delimiters_do_not_count():
    """Issue 16, point 7: a header with as many ; as , splits on ; (Dutch exports)."""
    table, rows = rows_of(b'"a,b";c,d\n1;2\n')
    assert table.delimiter == ";"
    assert table.header == ("a,b", "c,d")
    assert rows == [(2, {"a,b": "1", "c,d": "2"})]


def test_point_7_undecodable_bytes_are_a_dutch_file_error():
    """Issue 16, point 7: bytes that are neither UTF-8 nor Windows-1252 are refused."""
    with pytest.raises(TabularFileError, match="tekens in het bestand zijn niet te lezen"):
        read_table(b"naam;plaats\n\x81\x8d;x\n", filename="a.csv")


def test_point_7_line_numbers_skip_empty_rows_and_follow_multi_line_records():
    """Issue 16, point 7: the line number is the line the record starts on in the file."""
    content = b'naam;opmerking\n\n;\n"Jan";"twee\nregels"\nPiet;x\n'
    table, rows = rows_of(content)
    assert rows == [(4, {"naam": "Jan", "opmerking": "twee\nregels"}), (6, ONE_PIET)]
    assert table.total == 2


ONE_PIET = {"naam": "Piet", "opmerking": "x"}


def test_point_7_short_rows_and_extra_cells():
    """Issue 16, point 7: a short row lacks the missing columns; ``width`` counts its cells."""
    table = read_table(b"a;b;c\n1\n1;2;3;4\n", filename="a.csv")
    assert [(r.values, r.width) for r in table] == [
        ({"a": "1"}, 1),
        ({"a": "1", "b": "2", "c": "3"}, 4),
    ]


def test_point_7_xlsx_first_sheet_values_and_line_numbers():
    """Issue 16, point 7: XLSX read-only: typed values, whole floats as int, empty as ""."""
    content = xlsx(
        [" Naam ", "Geboren", "Aantal", "Leeg", None],
        ["Zoë", dt.date(1990, 5, 1), 3.0, None],
        [None, None, None, None],
        ["=1+1", dt.datetime(2024, 1, 2, 0, 0), 2.5, "x"],
    )
    table, rows = rows_of(content, filename="Export.XLSX")
    assert table.format == "xlsx" and table.header == ("naam", "geboren", "aantal", "leeg")
    born = dt.datetime(1990, 5, 1)
    assert rows[0] == (2, {"naam": "Zoë", "geboren": born, "aantal": 3, "leeg": ""})
    assert rows[1][0] == 4
    # a formula is never evaluated: the cached value counts, and openpyxl's file has none
    assert rows[1][1]["naam"] == ""
    assert rows[1][1]["aantal"] == 2.5


def test_point_7_xlsx_written_by_the_shared_writer_reads_back():
    """Issue 16, point 7: what the writer exports, the reader imports (neutralised text)."""
    content = tabular.xlsx_bytes([tabular.Sheet("s", [["Jan", 4]], header=["Naam", "Aantal"])])
    assert [r.values for r in read_table(content, filename="s.xlsx")] == [
        {"naam": "Jan", "aantal": 4}
    ]


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        pytest.param(b"", "a.csv", "Het bestand is leeg", id="empty"),
        pytest.param(b" \r\n\r\n", "a.csv", "Het bestand is leeg", id="blank"),
        pytest.param(xlsx(), "a.xlsx", "Het bestand is leeg", id="empty-xlsx"),
        pytest.param(b"not a zip", "a.xlsx", "geen leesbaar XLSX", id="broken-xlsx"),
        pytest.param(xlsx(["a"], ["1"]), "a.csv", "extensie .xlsx", id="xlsx-named-csv"),
        pytest.param(b"a;b\x00\n1;2\n", "a.csv", "binaire gegevens", id="nul-bytes"),
        pytest.param(b'a;b\n"1;2\n', "a.csv", None, id="open-quote-is-one-cell"),
        pytest.param(b"a;A ;b\n1;2;3\n", "a.csv", "meer dan eens in de kopregel: a", id="twice"),
        pytest.param(b"naam;x\nJan;1\n", "a.csv", "ontbreken: bsn, plaats", id="required"),
        # the walk of 4 December: a header alone was "Verwerkt: 0 regels"
        pytest.param(b"naam;bsn;plaats\n", "a.csv", "alleen de kopregel", id="header-only"),
        pytest.param(
            xlsx(["naam", "bsn", "plaats"]), "a.xlsx", "alleen de kopregel", id="header-only-xlsx"
        ),
    ],
)
def test_point_7_file_errors(content, filename, message):
    """Issue 16, point 7: a file that cannot be read as a whole gives one Dutch message."""
    if message is None:
        read_table(content, filename=filename)  # csv lets a quote run to the end: no error
        return
    with pytest.raises(TabularFileError, match=message):
        read_table(content, filename=filename, required=("naam", "bsn", "plaats"))


@pytest.mark.parametrize(
    ("content", "filename"),
    [
        pytest.param(b"a;b\n1;2\n3;4\n5;6\n", "a.csv", id="csv"),
        pytest.param(xlsx(["a", "b"], [1, 2], [3, 4], [5, 6]), "a.xlsx", id="xlsx"),
    ],
)
def test_point_7_too_many_rows_is_refused_before_any_row(content, filename):
    """Issue 16, point 7: more data rows than the limit refuses the whole file."""
    assert read_table(content, filename=filename, max_rows=3).total == 3
    with pytest.raises(TabularFileError, match="meer dan 2 regels"):
        read_table(content, filename=filename, max_rows=2)


def test_point_7_a_workbook_whose_dimension_lies_is_still_cut_off_while_reading():
    """Issue 16, point 7: the row limit holds while iterating too (not only by the dimension)."""
    table = read_table(xlsx(["a"], [1], [2], [3]), filename="a.xlsx", max_rows=10)
    table.max_rows = 2
    with pytest.raises(TabularFileError, match="meer dan 2 regels"):
        list(table)


def test_point_7_too_many_bytes_and_the_settings_default(settings):
    """Issue 16, point 7: the byte limit; both limits come from the settings by default."""
    settings.TABULAR_IMPORT_MAX_BYTES = 1024 * 1024
    settings.TABULAR_IMPORT_MAX_ROWS = 1
    with pytest.raises(TabularFileError, match="groter dan 1 MB"):
        read_table(b"a\n" + b"1\n" * 600_000, filename="a.csv")
    with pytest.raises(TabularFileError, match="meer dan 1 regels"):
        read_table(b"a\n1\n2\n", filename="a.csv")


@pytest.mark.parametrize(
    ("cell", "name"),
    [
        ("BSN", "bsn"),
        ("  Rol huishouden ", "rol_huishouden"),
        ("Rol  \t huishouden", "rol_huishouden"),
        ("\ufeffbsn", "bsn"),
        (None, ""),
        (2024, "2024"),
    ],
)
def test_point_7_header_names_are_normalised(cell, name):
    """Issue 16, point 7: header cells are trimmed, lower case, inner spaces as one ``_``."""
    assert header_name(cell) == name
