"""Review of `983324c` (issue 17 round), finding 7 (these tests fail on `983324c`): the upload limit of every CSV/XLSX import counts
the compressed bytes of an XLSX, not what it expands to (an XLSX bomb).

``common/tabular_read.py`` ``read_table`` compares ``len(content)`` with
``TABULAR_IMPORT_MAX_BYTES`` (100 MB by default) and hands the zip to openpyxl, which inflates
the sheet and loads the whole shared-strings part into memory even in read-only mode. Deflate
reaches ~1000:1 on repetitive XML, so a file under the limit can expand to tens of gigabytes in
the web process (the vacancy import ``/werkgevers/<id>/vacatures/import/`` reads it in the
request; its form has no size check of its own, unlike the caseload import's 20 MB). Here a
~60 kB workbook that expands to ~6 MB is read although the limit is set to 1 MB.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from common.tabular_read import TabularFileError, read_table


def _workbook(rows: int, width: int) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["titel", "isco", "uren", "postcode", "startdatum"])
    for i in range(rows):
        sheet.append([("a" * width) + str(i), "5322", 24, "1211AB", "2026-12-01"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_xlsx_that_expands_past_the_limit_is_refused(settings):
    settings.TABULAR_IMPORT_MAX_BYTES = 1_000_000
    settings.TABULAR_IMPORT_MAX_UNPACKED_BYTES = 2 * 1024 * 1024
    content = _workbook(rows=200, width=30_000)
    expanded = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(content)).infolist())
    assert len(content) < settings.TABULAR_IMPORT_MAX_BYTES  # the premise
    assert expanded > settings.TABULAR_IMPORT_MAX_UNPACKED_BYTES
    with pytest.raises(TabularFileError):
        table = read_table(content, filename="vacatures.xlsx")
        for _row in table:
            pass
