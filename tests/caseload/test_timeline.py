"""Issue 14, timeline: newest first in a stable order, readable labels, the contract type."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from caseload import selectors
from common.timeline import TimelineEntry, timeline_sorted
from tests import factories

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 2)


def test_finding_timeline_stable_order_same_day(resident, consulent):
    """Issue 14, timeline: newest first; on one day the entries come in a fixed order (by time
    of recording where known, then the order of the work, then the row id), not in the order
    the providers happened to add them."""
    inst = factories.InstrumentFactory(name="Werkfit")
    factories.ContactMomentFactory(resident=resident, by=consulent, occurred_on=DAY)
    factories.TrajectoryFactory(
        resident=resident, instrument=inst, created_by=consulent, started_on=DAY
    )
    factories.GroupAssignmentFactory(
        resident=resident, decided_by=consulent, decided_on=DAY, reassess_on=DAY + dt.timedelta(365)
    )
    factories.LadderScoreFactory(resident=resident, by=consulent, measured_on=DAY)
    factories.ContactMomentFactory(
        resident=resident, by=consulent, occurred_on=DAY + dt.timedelta(days=1)
    )
    first = selectors.resident_timeline(user=consulent, resident=resident)
    kinds = [e.kind for e in first]
    assert kinds == ["contact", "ladder", "contact", "trajectory_start", "group"]
    assert [e.date for e in first] == sorted((e.date for e in first), reverse=True)
    again = selectors.resident_timeline(user=consulent, resident=resident)
    assert [(e.kind, e.seq) for e in again] == [(e.kind, e.seq) for e in first]


def test_timeline_sorted_by_recording_time_then_id():
    """Two entries of one day: the later recorded first; without a time, the higher id first;
    the input order does not matter."""
    t = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    a = TimelineEntry(DAY, "outflow", "a", recorded_at=t, seq=1)
    b = TimelineEntry(DAY, "outflow", "b", recorded_at=t + dt.timedelta(hours=2), seq=2)
    c = TimelineEntry(DAY, "contact", "c", seq=5)
    d = TimelineEntry(DAY, "contact", "d", seq=7)
    for entries in ([a, b, c, d], [d, c, b, a], [c, a, d, b]):
        assert [e.title for e in timeline_sorted(entries)] == ["b", "a", "d", "c"]


def test_finding_timeline_readable_labels_and_contract_type(client, resident, consulent):
    """Issue 14, timeline: no "trede 4: 4", no double parentheses, the contract type shown."""
    factories.LadderScoreFactory(resident=resident, by=consulent, step=4, measured_on=DAY)
    factories.OutflowEventFactory(
        benefit=factories.BenefitFactory(applicant=resident),
        recorded_by=consulent,
        occurred_on=DAY,
        kind="gedeeltelijk",
        reason="werk",
        employer="Zorggroep De Linde",
        contract_type="tijdelijk",
        hours_per_week=Decimal("12.5"),
    )
    client.force_login(consulent)
    html = client.get(reverse("caseload:dossier", args=[resident.pk])).content.decode()
    timeline = html[html.index('id="tijdlijn"') :]
    assert "trede 4, onbetaald werk" in timeline
    assert "trede 4: 4" not in timeline and "4 Onbetaald" not in timeline
    assert "((" not in timeline and "))" not in timeline
    assert "Gedeeltelijke uitstroom" in timeline
    assert "Tijdelijk contract" in timeline and "12,5 uur per week" in timeline
