"""Bulk import: all or nothing with line-numbered errors, idempotent re-import, CSV and XLSX,
the management command and the beheer page with its Celery job."""

import io
import random

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from apiauth import imports
from apiauth.models import ImportJob
from caseload.importers import COLUMNS, caseload_import
from caseload.models import Benefit, Household, Resident
from common.bsn import generate_fake_bsn
from tests import factories

pytestmark = pytest.mark.django_db

HEADER = list(COLUMNS)


def bsns(n, seed=1):
    rng = random.Random(seed)
    return [generate_fake_bsn(rng) for _ in range(n)]


def row(team_obj, bsn, /, **overrides):
    values = {
        "bsn": bsn,
        "voornaam": "Sanne",
        "tussenvoegsel": "de",
        "achternaam": "Vries",
        "geboortedatum": "1988-03-14",
        "rol_huishouden": "aanvrager",
        "opleidingsniveau": "mbo2",
        "startkwalificatie": "ja",
        "statushouder": "nee",
        "doelgroepregister": "nee",
        "taalniveau": "moedertaal",
        "team": team_obj.name,
        "consulent": "",
        "huishouden": "HH-1",
        "leefvorm": "alleenstaand",
        "straat": "Kerkstraat",
        "huisnummer": "1",
        "postcode": "1211 AB",
        "woonplaats": "Hilversum",
        "wijk": "",
        "kinderen": "0",
        "regeling": "pw",
        "ingangsdatum": "2024-01-01",
        "einddatum": "",
        "reden_einde": "",
    }
    values.update(overrides)
    return values


def to_csv(rows) -> bytes:
    lines = [";".join(HEADER)] + [";".join(str(r[c]) for c in HEADER) for r in rows]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def beheerder_user(db):
    return factories.UserFactory(beheer=True)


@pytest.fixture
def good_rows(team):
    a, b, c = bsns(3)
    return [
        row(team, a),
        row(team, b, voornaam="Kees", rol_huishouden="partner", regeling="", ingangsdatum=""),
        row(
            team,
            c,
            voornaam="Ali",
            huishouden="HH-2",
            straat="Laan",
            huisnummer="5",
            postcode="1212AB",
            regeling="ioaw",
            ingangsdatum="01-02-2023",
            einddatum="2025-06-30",
            reden_einde="11",
        ),
    ]


def run(content, team, user, filename="export.csv"):
    return caseload_import(
        content=content, filename=filename, municipality=team.municipality, by=user
    )


def test_import_creates_residents_households_and_benefits(team, beheerder_user, good_rows):
    result = run(to_csv(good_rows), team, beheerder_user)
    assert result.ok, [str(e) for e in result.errors]
    assert result.counts["residents_created"] == 3
    assert result.counts["households_created"] == 2
    assert result.counts["benefits_created"] == 2
    sanne = Resident.objects.get(bsn=good_rows[0]["bsn"])
    kees = Resident.objects.get(bsn=good_rows[1]["bsn"])
    assert sanne.household_id == kees.household_id
    assert kees.household_role == "partner"
    ended = Benefit.objects.get(regime="ioaw")
    assert ended.end_date.isoformat() == "2025-06-30" and ended.end_reason == "11"


def test_reimport_is_idempotent(team, beheerder_user, good_rows):
    content = to_csv(good_rows)
    assert run(content, team, beheerder_user).ok
    snapshot = (Resident.objects.count(), Household.objects.count(), Benefit.objects.count())
    again = run(content, team, beheerder_user)
    assert again.ok, [str(e) for e in again.errors]
    assert again.counts["residents_created"] == 0
    assert again.counts["residents_unchanged"] == 3
    assert again.counts["benefits_unchanged"] == 2
    assert (Resident.objects.count(), Household.objects.count(), Benefit.objects.count()) == (
        snapshot
    )


def test_reimport_updates_changed_rows_and_ends_benefit(team, beheerder_user, good_rows):
    assert run(to_csv(good_rows), team, beheerder_user).ok
    good_rows[0].update(taalniveau="b1", einddatum="2025-01-31", reden_einde="11")
    result = run(to_csv(good_rows), team, beheerder_user)
    assert result.ok, [str(e) for e in result.errors]
    assert result.counts["residents_updated"] == 1
    assert result.counts["benefits_ended"] == 1
    assert Resident.objects.get(bsn=good_rows[0]["bsn"]).language_level == "b1"
    assert Benefit.objects.filter(end_date__isnull=True).count() == 0


def test_bad_rows_are_all_reported_with_line_numbers_and_nothing_is_written(
    team, beheerder_user, good_rows
):
    bad_bsn = "123456789"
    rows = [
        *good_rows,
        row(team, bad_bsn, huishouden="HH-3"),  # line 5: 11-test
        row(team, bsns(1, seed=9)[0], voornaam="", huishouden="HH-4"),  # line 6
        row(team, bsns(1, seed=10)[0], team="Onbekend", huishouden="HH-5"),  # line 7
        row(team, bsns(1, seed=11)[0], geboortedatum="31-31-1990", huishouden="HH-6"),  # 8
        row(team, good_rows[0]["bsn"], huishouden="HH-7"),  # line 9: duplicate in file
    ]
    result = run(to_csv(rows), team, beheerder_user)
    assert not result.ok
    by_line = {(e.line, e.column) for e in result.errors}
    assert by_line == {
        (5, "bsn"),
        (6, "voornaam"),
        (7, "team"),
        (8, "geboortedatum"),
        (9, "bsn"),
    }
    assert all(bad_bsn not in str(e) and good_rows[0]["bsn"] not in str(e) for e in result.errors)
    assert "regel 2" in str(next(e for e in result.errors if e.line == 9))
    assert not Resident.objects.exists() and not Household.objects.exists()


def test_service_refusal_during_apply_rolls_back_everything(team, beheerder_user, good_rows):
    # the resident of line 2 is already registered in another municipality
    factories.ResidentFactory(
        bsn=good_rows[0]["bsn"],
        household__municipality=factories.MunicipalityFactory(cbs_code="GM0002", name="Elders"),
    )
    result = run(to_csv(good_rows), team, beheerder_user)
    assert [e.line for e in result.errors] == [2]
    assert Resident.objects.count() == 1  # only the pre-existing one


def test_failing_row_in_apply_phase_undoes_earlier_rows(team, beheerder_user, good_rows):
    # line 4 passes the row checks but the service refuses it (birth date in the future)
    good_rows[2]["geboortedatum"] = "2099-01-01"
    result = run(to_csv(good_rows), team, beheerder_user)
    assert [(e.line, e.column) for e in result.errors] == [(4, "geboortedatum")]
    assert not Resident.objects.exists()
    assert not Benefit.objects.exists()


def test_missing_required_column_is_reported_on_line_1(team, beheerder_user):
    result = run(b"bsn;voornaam\n999999990;x\n", team, beheerder_user)
    assert result.errors[0].line == 1 and "achternaam" in result.errors[0].message


def test_xlsx_import(team, beheerder_user, good_rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for values in good_rows:
        sheet.append([values[c] for c in HEADER])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = run(buffer.getvalue(), team, beheerder_user, filename="export.xlsx")
    assert result.ok, [str(e) for e in result.errors]
    assert Resident.objects.count() == 3


def test_management_command(tmp_path, team, beheerder_user, good_rows, capsys):
    path = tmp_path / "export.csv"
    path.write_bytes(to_csv(good_rows))
    call_command("import_caseload", str(path), "--municipality", team.municipality.cbs_code)
    assert "3 regels ingelezen" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_bytes(to_csv([row(team, "123456789")]))
    with pytest.raises(CommandError, match="niets ingelezen"):
        call_command("import_caseload", str(bad), "--municipality", team.municipality.cbs_code)
    err = capsys.readouterr().err
    assert "regel 2, kolom 'bsn'" in err and "123456789" not in err


def test_import_page_queues_job_and_shows_progress_and_result(
    client, team, beheerder_user, good_rows, django_capture_on_commit_callbacks
):
    client.force_login(beheerder_user)
    assert client.get("/beheer/import/").status_code == 200
    upload = io.BytesIO(to_csv(good_rows))
    upload.name = "export.csv"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            "/beheer/import/",
            {"municipality": team.municipality.pk, "file": upload},
        )
    assert response.status_code == 302
    assert len(callbacks) == 1  # the Celery task, queued after commit
    job = ImportJob.objects.get()
    status = client.get(response["Location"], HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 2s"' in status.content.decode()

    assert imports.import_job_run(job_id=job.pk) == ImportJob.Status.SUCCEEDED
    assert imports.import_job_run(job_id=job.pk) == "skipped"  # safe to run twice
    job.refresh_from_db()
    assert job.content is None and job.summary["residents_created"] == 3
    done = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in done and "residents_created" not in done
    assert "Inwoners geregistreerd" in done  # the counts by their Dutch names (walk, 3 December)


def test_import_page_forbidden_for_consulent(client, consulent):
    client.force_login(consulent)
    assert client.get("/beheer/import/").status_code == 403


def test_finding_16_crashed_caseload_import_deletes_the_upload(team, beheerder_user, monkeypatch):
    """Issue 12, finding 16: the caseload upload (BSNs) is dropped after a crash as well."""
    job = ImportJob.objects.create(
        municipality=team.municipality,
        filename="export.csv",
        content=to_csv([row(team, bsn) for bsn in bsns(2, seed=3)]),
        created_by=beheerder_user,
    )

    def crash(**kwargs):
        raise RuntimeError("verbinding verbroken")

    monkeypatch.setattr(imports, "caseload_import", crash)
    with pytest.raises(RuntimeError):
        imports.import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.content is None
    assert job.finished_at is not None


def test_point_7_caseload_import_reads_tab_separated_windows_1252(team, beheerder_user, good_rows):
    """Issue 16, point 7: the shared reader: a tab-separated Windows-1252 export imports."""
    good_rows[0]["voornaam"] = "Zoë"
    lines = ["\t".join(HEADER)] + ["\t".join(str(r[c]) for c in HEADER) for r in good_rows]
    result = run(("\r\n".join(lines) + "\r\n").encode("cp1252"), team, beheerder_user)
    assert result.ok, [str(e) for e in result.errors]
    assert Resident.objects.get(bsn=good_rows[0]["bsn"]).first_name == "Zoë"


def test_point_7_every_error_of_a_row_by_column_with_the_form_messages(team, beheerder_user):
    """Issue 16, point 7: one form per row: every bad cell of the row is reported under its
    column (also a too-long name, which named the model field before), nothing is written."""
    bad = row(
        team,
        bsns(1, seed=5)[0],
        voornaam="x" * 61,
        geboortedatum="1990-02-30",
        kinderen="31",
        startkwalificatie="misschien",
        regeling="",
        ingangsdatum="2024-01-01",
    )
    result = run(to_csv([bad]), team, beheerder_user)
    assert sorted((e.line, e.column) for e in result.errors) == [
        (2, "geboortedatum"),
        (2, "kinderen"),
        (2, "regeling"),
        (2, "startkwalificatie"),
        (2, "voornaam"),
    ]
    messages = {e.column: e.message for e in result.errors}
    # Django's own Dutch field messages, as every page form shows them
    for column, field, value in (
        ("voornaam", forms.CharField(max_length=60), "x" * 61),
        ("kinderen", forms.IntegerField(max_value=30), "31"),
    ):
        with pytest.raises(ValidationError) as django_says:
            field.clean(value)
        assert messages[column] == django_says.value.messages[0]
    assert not Resident.objects.exists()


def test_an_older_file_never_overwrites_a_newer_one_already_read_in(
    client, team, beheerder_user, good_rows, django_capture_on_commit_callbacks
):
    """The fault run of 3 December: a file offered while the broker was down stayed queued; the
    user offered the corrected file, which ran at once; minutes later beat's sweep sent the
    first one, which ran and put the old names back. An older file no longer runs after a newer
    one of the same municipality was read in; it ends with the reason on its page."""
    client.force_login(beheerder_user)

    def offer(rows):
        upload = io.BytesIO(to_csv(rows))
        upload.name = "export.csv"
        with django_capture_on_commit_callbacks(execute=False):
            response = client.post(
                "/beheer/import/", {"municipality": team.municipality.pk, "file": upload}
            )
        assert response.status_code == 302
        return ImportJob.objects.latest("pk"), response["Location"]

    old, old_page = offer(good_rows)
    corrected = [dict(good_rows[0], achternaam="Verbeterd"), *good_rows[1:]]
    new, _ = offer(corrected)
    queued = client.get(old_page).content.decode()
    assert "bied het bestand niet opnieuw aan" in queued
    assert imports.import_job_run(job_id=new.pk) == ImportJob.Status.SUCCEEDED
    assert imports.import_job_run(job_id=old.pk) == ImportJob.Status.REJECTED
    assert Resident.objects.get(bsn=good_rows[0]["bsn"]).last_name == "Verbeterd"
    old.refresh_from_db()
    assert old.content is None
    page = client.get(old_page).content.decode()
    assert f"(import {new.pk}," in page and "zou die gegevens overschrijven" in page
    assert "Herstel deze regels" not in page
    # a newer file that did not go through does not block the older one
    third, _ = offer(good_rows)
    ImportJob.objects.filter(pk=third.pk).update(status=ImportJob.Status.FAILED)
    fourth_rows = [dict(good_rows[0], achternaam="Vierde"), *good_rows[1:]]
    fourth, _ = offer(fourth_rows)
    fifth, _ = offer(good_rows)
    ImportJob.objects.filter(pk=fifth.pk).update(status=ImportJob.Status.REJECTED)
    assert imports.import_job_run(job_id=fourth.pk) == ImportJob.Status.SUCCEEDED
