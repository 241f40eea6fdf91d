"""A page's form does its write once, however often it is sent (``common.double_submit``; the
fault run of 3 December: two POSTs of one contact form 0.3 s apart recorded two contacts)."""

from __future__ import annotations

import datetime as dt
import re
import threading

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from caseload.models import ContactMoment
from common.double_submit import FIELD, form_submissions_purge, nonce_key
from common.models import FormSubmission

TODAY = dt.date.today().isoformat()


def _nonce(client, url: str) -> str:
    page = client.get(url).content.decode()
    match = re.search(rf'name="{FIELD}" value="([0-9a-f]{{32}})"', page)
    assert match, "the form carries no form_nonce"
    return match.group(1)


@pytest.mark.django_db
def test_the_same_form_sent_twice_records_once_and_says_so(client, consulent, resident):
    client.force_login(consulent)
    url = reverse("caseload:contact_record", args=[resident.pk])
    data = {
        "occurred_on": TODAY,
        "channel": "telefoon",
        "summary": "Gebeld",
        FIELD: _nonce(client, url),
    }
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert ContactMoment.objects.filter(resident=resident).count() == 1
    said = [str(m) for m in get_messages(second.wsgi_request)]
    assert "Dit formulier was al verzonden; het is één keer afgehandeld." in said
    # a new render is a new form: it records again
    again = {**data, FIELD: _nonce(client, url)}
    assert client.post(url, again).status_code == 302
    assert ContactMoment.objects.filter(resident=resident).count() == 2


@pytest.mark.django_db
def test_a_form_that_came_back_with_an_error_can_be_sent_again(client, consulent, resident):
    client.force_login(consulent)
    url = reverse("caseload:contact_record", args=[resident.pk])
    nonce = _nonce(client, url)
    refused = client.post(url, {"occurred_on": "", "channel": "telefoon", FIELD: nonce})
    assert refused.status_code == 422
    assert not FormSubmission.objects.exists()
    done = client.post(url, {"occurred_on": TODAY, "channel": "telefoon", FIELD: nonce})
    assert done.status_code == 302
    assert ContactMoment.objects.filter(resident=resident).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_sends_at_once_record_once(consulent, resident):
    """A double click: both sends arrive while the first runs; one writes, the other waits for
    it and answers with its redirect."""
    url = reverse("caseload:contact_record", args=[resident.pk])
    clients = [Client(), Client()]
    for c in clients:
        c.force_login(consulent)
    data = {"occurred_on": TODAY, "channel": "telefoon", "summary": "Gebeld", FIELD: "a" * 32}
    barrier = threading.Barrier(2)
    answers: list = []

    def send(c):
        try:
            barrier.wait()
            answers.append(c.post(url, data))
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=send, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert [a.status_code for a in answers] == [302, 302]
    assert answers[0]["Location"] == answers[1]["Location"]
    assert ContactMoment.objects.filter(resident=resident).count() == 1


@pytest.mark.django_db
def test_without_a_nonce_nothing_is_guarded_and_old_submits_are_forgotten(
    client, consulent, resident
):
    client.force_login(consulent)
    url = reverse("caseload:contact_record", args=[resident.pk])
    data = {"occurred_on": TODAY, "channel": "telefoon"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert ContactMoment.objects.filter(resident=resident).count() == 2
    FormSubmission.objects.create(user=consulent, nonce="b" * 32, location="/")
    FormSubmission.objects.update(created_at=timezone.now() - dt.timedelta(hours=25))
    FormSubmission.objects.create(user=consulent, nonce="c" * 32, location="/")
    assert form_submissions_purge() == 1
    assert list(FormSubmission.objects.values_list("nonce", flat=True)) == ["c" * 32]


@pytest.mark.django_db
def test_the_same_form_with_other_content_is_a_submit_of_its_own(client, consulent, resident):
    """A form reached again by the browser's back button has the nonce of its first render: with
    other content it is not a repeat (a search for another resident must not be answered with
    the first search's dossier), with the same content it is."""
    client.force_login(consulent)
    url = reverse("caseload:contact_record", args=[resident.pk])
    nonce = _nonce(client, url)
    data = {"occurred_on": TODAY, "channel": "telefoon", "summary": "Gebeld", FIELD: nonce}
    assert client.post(url, data).status_code == 302
    assert client.post(url, {**data, "summary": "Teruggebeld"}).status_code == 302
    assert client.post(url, data).status_code == 302  # the first content again: a repeat
    summaries = sorted(
        ContactMoment.objects.filter(resident=resident).values_list("summary", flat=True)
    )
    assert summaries == ["Gebeld", "Teruggebeld"]
    assert FormSubmission.objects.filter(nonce=nonce_key(nonce)).count() == 2


@pytest.mark.django_db
def test_what_is_stored_cannot_be_tried_against_the_bsn_searched_for(client, consulent, resident):
    """The worklist's BSN search is a form with a nonce: the stored row holds neither the nonce
    nor a digest that the BSN and the project's secret key alone reproduce (review of the
    re-landed guard: a digest keyed with the secret key could be tried against every BSN)."""
    import hashlib
    import hmac

    from django.utils.crypto import salted_hmac

    client.force_login(consulent)
    url = reverse("caseload:worklist")
    nonce = _nonce(client, url)
    found = client.post(url, {"bsn-bsn": resident.bsn, FIELD: nonce})
    assert found.status_code == 302
    (row,) = FormSubmission.objects.all()
    assert row.nonce == hashlib.sha256(nonce.encode()).hexdigest() and nonce not in row.nonce
    message = "\x1f".join([url, f"bsn-bsn={resident.bsn}"])
    assert row.digest == hmac.new(nonce.encode(), message.encode(), hashlib.sha256).hexdigest()
    for key in ("common.double_submit", "", "double_submit"):
        assert row.digest != salted_hmac(key, message + nonce, algorithm="sha256").hexdigest()
    assert row.digest != hmac.new(row.nonce.encode(), message.encode(), hashlib.sha256).hexdigest()


@pytest.mark.django_db
def test_a_corrected_file_of_the_same_name_and_size_is_a_submit_of_its_own(client, consulent):
    """Two uploads of the same form, same file name and size, other content: both run (the
    digest reads the content, not the size)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import RequestFactory

    from common.double_submit import content_digest

    def request(content: bytes):
        upload = SimpleUploadedFile("betalingen.csv", content)
        req = RequestFactory().post("/budget/betalingen/", {"upload-file": upload, FIELD: "a" * 32})
        return req

    first, corrected = request(b"bsn;bedrag\n1;1234\n"), request(b"bsn;bedrag\n1;1243\n")
    assert content_digest(first, "a" * 32) != content_digest(corrected, "a" * 32)
    again = request(b"bsn;bedrag\n1;1234\n")
    assert content_digest(first, "a" * 32) == content_digest(again, "a" * 32)
    # the view still reads the whole file after the digest
    assert first.FILES["upload-file"].read() == b"bsn;bedrag\n1;1234\n"
