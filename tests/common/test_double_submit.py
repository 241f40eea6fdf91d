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
from common.double_submit import FIELD, form_submissions_purge
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
    assert "Dit formulier was al verzonden; het is één keer verwerkt." in said
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
    assert FormSubmission.objects.filter(nonce=nonce).count() == 2
