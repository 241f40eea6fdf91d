"""The regional pages in the browser (issue 17): the regional login sees the region's figures
and the comparison, finance the regional BUIG overview; axe-core finds no violations."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from budget.demo import demo_budget_allocations_load
from caseload import models as m
from caseload.demo import generate_region
from caseload.demo.parameters import AMERSFOORT, HILVERSUM
from indicators.fill import indicator_values_fill
from tests.browser.conftest import assert_accessible
from tests.browser.test_workspace import PASSWORD, login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_regional_pages_are_accessible(page, live_server):
    today = dt.date.today()
    generate_region(
        today=today,
        seed=9,
        reference_households=60,
        years=1,
        profiles=[HILVERSUM, AMERSFOORT],
        password=PASSWORD,
    )
    codes = ["outflow.to_work", "outflow.pct_caseload", "caseload.size"]
    for municipality in m.Municipality.objects.all():
        indicator_values_fill(
            municipality_id=municipality.pk, codes=codes, year=today.year, today=today
        )
    call_command("refresh_payment_totals", stdout=StringIO())
    finance = m.User.objects.get(username="financien")
    for municipality in m.Municipality.objects.all():
        demo_budget_allocations_load(municipality=municipality, by=finance, today=today)
    base = live_server.url

    login(page, base, "regio")
    page.goto(f"{base}/regio/")
    assert page.locator("h1").inner_text().startswith("Cijfers van Regio (demo)")
    assert page.locator("#regio-outflow\\.to_work").count() == 1
    assert_accessible(page)
    page.get_by_role("link", name="Gemeenten vergelijken").click()
    page.wait_for_load_state()
    assert "per 1.000 inwoners" in page.content()
    assert_accessible(page)
    # no worklist for the regional login
    assert page.goto(f"{base}/caseload/").status == 403
    # the regional BUIG overview (region.view_budget), but no budget page
    page.goto(f"{base}/regio/buig/")
    assert "Regio (demo) (som)" in page.content()
    assert page.goto(f"{base}/budget/").status == 403

    page.context.clear_cookies()
    login(page, base, "financien")
    page.goto(f"{base}/regio/buig/")
    assert "Regio (demo) (som)" in page.content()
    assert_accessible(page)
