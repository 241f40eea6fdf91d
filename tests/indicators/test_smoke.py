import datetime as dt

import pytest

pytestmark = pytest.mark.django_db


def test_all_indicators_run(world):
    r, b = world.on_benefit(start=dt.date(2024, 3, 1))
    world.outflow(r, dt.date(2025, 4, 10))
    result = world.fill()
    assert result.rows > 0
    assert world.value("outflow.to_work", "2025").numerator == 1
