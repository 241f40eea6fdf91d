"""One rule per figure (issue 15): the realised business case counts outflows to work exactly as
the indicator ``outflow.to_work`` does, return rule included, for every year of a generated
history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from budget import selectors
from caseload.demo import generate_demo
from caseload.models import CbsEndReason, Municipality
from indicators.fill import indicator_values_fill
from indicators.models import IndicatorValue
from tests import factories

TODAY = dt.date(2026, 11, 22)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("seed", [11])
def test_realised_business_case_count_equals_outflow_to_work_every_year(seed):
    """Issue 15: the business case counted a full outflow that the indicator drops because the
    household was back on benefit within the return window."""
    generate_demo(households=300, seed=seed, today=TODAY, years=5, password="test-wachtwoord")
    municipality = Municipality.objects.get()
    # a full outflow to work in 2025, and the household back on benefit 20 days later (within
    # the 30-day return window): neither figure may count it
    left = factories.BenefitFactory(
        applicant__household__municipality=municipality,
        start_date=dt.date(2024, 1, 1),
        end_date=dt.date(2025, 4, 30),
        end_reason=CbsEndReason.EMPLOYMENT,
    )
    factories.OutflowEventFactory(benefit=left, occurred_on=dt.date(2025, 4, 30))
    factories.BenefitFactory(
        applicant=left.applicant, household=left.household, start_date=dt.date(2025, 5, 20)
    )
    indicator_values_fill(municipality_id=municipality.pk, codes=["outflow.to_work"], today=TODAY)
    finance = factories.UserFactory(finance=True)
    years = range(TODAY.year - 4, TODAY.year + 1)
    compared = 0
    for year in years:
        row = IndicatorValue.objects.filter(
            municipality=municipality,
            code="outflow.to_work",
            period_kind="year",
            period_start=dt.date(year, 1, 1),
            dimension="",
        ).first()
        rows, case = selectors.realised_business_case(
            user=finance, municipality=municipality, year=year
        )
        if case is None:  # no average cost recorded for the year
            continue
        assert row is not None
        assert case.total_count == int(row.value), year
        assert len(rows) == int(row.value), year
        compared += 1
    assert compared >= 3
    # the rule is not vacuous: the history holds full outflows to work that the return rule drops
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM caseload_outflowevent WHERE reason = 'werk' "
            "AND occurred_on BETWEEN %s AND %s",
            [dt.date(years.start, 1, 1), TODAY],
        )
        all_work = cursor.fetchone()[0]
    counted = sum(
        int(v)
        for v in IndicatorValue.objects.filter(
            municipality=municipality,
            code="outflow.to_work",
            period_kind="year",
            dimension="",
            period_start__year__in=list(years),
        ).values_list("value", flat=True)
    )
    assert all_work > counted


@pytest.mark.django_db
def test_the_page_shows_the_realised_count_as_the_indicator_counts_it(client):
    """Issue 15: the realised count is visible on the business-case page, named as the count of
    the indicator outflow.to_work (one rule, with the return window), with a link to it."""
    municipality = Municipality.objects.create(name="Testgemeente", cbs_code="GM9999")
    factories.MunicipalityYearFactory(
        municipality=municipality, year=2025, average_benefit_cost=14400
    )
    benefit = factories.BenefitFactory(
        applicant__household__municipality=municipality,
        start_date=dt.date(2024, 1, 1),
        end_date=dt.date(2025, 4, 30),
        end_reason=CbsEndReason.EMPLOYMENT,
    )
    factories.OutflowEventFactory(benefit=benefit, occurred_on=dt.date(2025, 4, 30))
    client.force_login(factories.UserFactory(finance=True))
    page = client.get(
        f"/budget/businesscase/?jaar=2025&gemeente={municipality.pk}"
    ).content.decode()
    assert "1 keer uitstroom naar werk in 2025: dezelfde telling als de indicator" in page
    assert "/indicatoren/outflow.to_work/?jaar=2025" in page
