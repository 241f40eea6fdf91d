"""Importing a CBS StatLine series: the committed snapshot as published, whole file or nothing."""

from __future__ import annotations

import datetime as dt
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from common.exceptions import DomainError
from statline.calculations import period_label
from statline.models import NationalSeries, NationalSeriesValue
from statline.services import series_import

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "data" / "cbs"
SNAPSHOT = DATA / "85585NED-personen-met-bijstand.csv"
NOTE = tomllib.loads((DATA / "85585NED-personen-met-bijstand.source.toml").read_text("utf-8"))

#: the figures of CBS StatLine 85585NED as published (Personen met bijstand, every total)
PUBLISHED = {
    "2019KW01": 431_550,
    "2019KW02": 425_460,
    "2019KW03": 416_320,
    "2019KW04": 414_610,
    "2020KW01": 421_300,
    "2020KW02": 429_850,
    "2020KW03": 424_400,
    "2020KW04": 428_020,
    "2021KW01": 430_200,
    "2021KW02": 423_150,
    "2021KW03": 411_780,
    "2021KW04": 408_130,
    "2022KW01": 405_860,
    "2022KW02": 401_710,
    "2022KW03": 396_670,
    "2022KW04": 396_720,
}

HEADER = (
    '"Geslacht";"Leeftijd";"Duur van de uitkeringssituatie";"Herkomstland";'
    '"Geboorteland (ouders)";"Perioden";"Personen met bijstand (aantal)"'
)
TOTALS = '"Totaal mannen en vrouwen";"Totaal";"Uitkeringsduur, totaal";"Totaal";"Totaal"'


def _csv(*rows: str) -> bytes:
    return ("\r\n".join([HEADER, *rows]) + "\r\n").encode("utf-8")


def test_the_snapshot_is_imported_exactly_as_published():
    call_command("import_cbs_series", str(SNAPSHOT), "--no-recompute")
    series = NationalSeries.objects.get()
    assert series.code == "cbs.85585ned.personen_met_bijstand"
    assert (series.table_id, series.measure) == ("85585NED", "Personen met bijstand (aantal)")
    assert series.url == "https://www.cbs.nl/nl-nl/cijfers/detail/85585NED"
    assert series.licence == "CC BY 4.0"
    assert series.retrieved_on == dt.date(2026, 12, 2)
    assert series.selection["Duur van de uitkeringssituatie"] == "Uitkeringsduur, totaal"
    stored = {v.period_code: v.value for v in NationalSeriesValue.objects.filter(series=series)}
    assert stored == {code: Decimal(n) for code, n in PUBLISHED.items()}
    q = NationalSeriesValue.objects.get(period_code="2020KW02")
    assert (q.period_kind, q.period_start, q.period_end) == (
        "quarter",
        dt.date(2020, 4, 1),
        dt.date(2020, 6, 30),
    )


def test_the_page_form_is_read_too_and_a_new_snapshot_replaces_the_old():
    call_command("import_cbs_series", str(SNAPSHOT), "--no-recompute")
    content = _csv(
        f'{TOTALS};"2019 1e kwartaal";"431.550"',
        f'{TOTALS};"2019 2e kwartaal*";"425.460"',
        f'{TOTALS};"2019 3e kwartaal";"."',
    )
    result = series_import(content=content, filename="page.csv", note=NOTE)
    assert result.errors == [] and result.written == 2
    values = NationalSeriesValue.objects.order_by("period_start")
    assert [(v.period_code, v.value, v.provisional) for v in values] == [
        ("2019KW01", Decimal(431_550), False),
        ("2019KW02", Decimal(425_460), True),
    ]  # "." is CBS's "no figure": nothing stored, the older snapshot's values are gone
    assert NationalSeries.objects.get().source_file == "page.csv"


def test_every_bad_row_is_reported_and_nothing_is_written():
    call_command("import_cbs_series", str(SNAPSHOT), "--no-recompute")
    content = _csv(
        f'{TOTALS};"2023KW01";"390000"',
        '"Mannen";"Totaal";"Uitkeringsduur, totaal";"Totaal";"Totaal";"2023KW02";"1"',
        f'{TOTALS};"2023KW05";"391000"',
        f'{TOTALS};"2023KW03";"12.5"',
        f'{TOTALS};"2023KW01";"392000"',
        f'{TOTALS};"2023KW04";""',
    )
    result = series_import(content=content, filename="bad.csv", note=NOTE)
    assert [(line, column) for line, column, _message in result.errors] == [
        (3, "geslacht"),
        (4, "perioden"),
        (5, "personen_met_bijstand_(aantal)"),
        (6, "perioden"),
        (7, "personen_met_bijstand_(aantal)"),
    ]
    assert "regel 2" in result.errors[3][2]
    # the earlier snapshot is untouched
    assert NationalSeriesValue.objects.count() == 16
    assert not NationalSeriesValue.objects.filter(period_start__year=2023).exists()


def test_a_file_without_the_columns_of_the_note_is_refused_whole():
    content = b'"Perioden";"Waarde"\r\n"2019KW01";"1"\r\n'
    with pytest.raises(DomainError) as exc:
        series_import(content=content, filename="x.csv", note=NOTE)
    assert exc.value.code == "file_invalid"
    assert "geslacht" in exc.value.message
    assert not NationalSeries.objects.exists()


def test_a_note_without_licence_or_date_is_refused():
    note = {k: v for k, v in NOTE.items() if k != "licence"}
    with pytest.raises(DomainError, match="licence"):
        series_import(content=SNAPSHOT.read_bytes(), filename=SNAPSHOT.name, note=note)
    with pytest.raises(DomainError, match="retrieved_on"):
        series_import(
            content=SNAPSHOT.read_bytes(),
            filename=SNAPSHOT.name,
            note={**NOTE, "retrieved_on": "gisteren"},
        )


def test_the_command_reports_every_bad_row_and_fails(tmp_path, capsys):
    bad = tmp_path / "85585NED-fout.csv"
    bad.write_bytes(_csv(f'{TOTALS};"2019KW01";"abc"', f'{TOTALS};"2019";"1"'))
    (tmp_path / "85585NED-fout.source.toml").write_text(
        (DATA / "85585NED-personen-met-bijstand.source.toml").read_text("utf-8"), "utf-8"
    )
    with pytest.raises(CommandError, match="Niets ingelezen: 1 fout"):
        call_command("import_cbs_series", str(bad), "--no-recompute")
    assert "regel 2, kolom personen_met_bijstand_(aantal)" in capsys.readouterr().err
    assert not NationalSeries.objects.exists()
    lone = tmp_path / "zonder-notitie.csv"
    lone.write_bytes(SNAPSHOT.read_bytes())
    with pytest.raises(CommandError, match="bronnotitie"):
        call_command("import_cbs_series", str(lone), "--no-recompute")
    with pytest.raises(CommandError, match="niet te lezen"):
        call_command("import_cbs_series", str(tmp_path / "elders.csv"), "--no-recompute")


def test_period_labels_as_a_dutch_reader_says_them():
    assert period_label("2022KW04") == "4e kwartaal 2022"
    assert period_label("2019KW01*") == "1e kwartaal 2019"
    assert period_label("2022MM03") == "maart 2022"
    assert period_label("2022JJ00") == "2022"
