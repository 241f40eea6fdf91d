"""The targets page's one service, ``targets_save``, and its formset (issue 16, point 8)."""

from decimal import Decimal

import pytest

from indicators import services
from indicators.forms import TargetFormSet
from indicators.models import Target
from indicators.registry import indicator_all
from indicators.services import TargetRow, TargetsRefused, targets_save


@pytest.mark.django_db
def test_point_8_targets_save_is_all_or_nothing_with_a_dutch_error_per_row(world):
    """Issue 16, point 8: the targets view is a thin view over one service, ``targets_save``:
    all rows or none, and each refused row is named with its own Dutch error."""
    m = world.municipality.pk
    rows = [
        TargetRow(code="outflow.to_work", baseline=Decimal(214), target=Decimal(267)),
        TargetRow(code="contact.in_beeld", baseline=None, target=Decimal(120), note="x"),
    ]
    with pytest.raises(TargetsRefused) as exc:
        targets_save(municipality_id=m, year=2025, rows=rows)
    assert set(exc.value.errors) == {"contact.in_beeld"}
    error = exc.value.errors["contact.in_beeld"]
    assert error.field == "target" and "percentage" in error.message
    assert not Target.objects.filter(municipality_id=m).exists()

    saved = targets_save(municipality_id=m, year=2025, rows=rows[:1])
    assert [(t.code, t.baseline, t.target) for t in saved] == [
        ("outflow.to_work", Decimal(214), Decimal(267))
    ]


@pytest.mark.django_db
def test_point_8_targets_save_skips_empty_new_rows_and_clears_existing_ones(world):
    """Issue 16, point 8: an empty row for an indicator without a target is skipped; an empty
    row for one that has a target clears it (as the page did before)."""
    m = world.municipality.pk
    services.target_set(
        municipality_id=m, year=2025, code="outflow.to_work", baseline=Decimal(1), target=None
    )
    targets_save(
        municipality_id=m,
        year=2025,
        rows=[
            TargetRow(code="outflow.to_work", baseline=None, target=None),
            TargetRow(code="contact.in_beeld", baseline=None, target=None),
        ],
    )
    assert list(Target.objects.filter(municipality_id=m).values_list("code", "baseline")) == [
        ("outflow.to_work", None)
    ]


def test_point_8_targets_formset_keeps_the_field_names_and_gives_back_what_was_typed():
    """Issue 16, point 8: the targets form is a formset of one row per indicator; the names stay
    ``<code>-baseline`` (no management form from the browser) and an invalid row comes back
    with what was typed, marked invalid."""
    definitions = indicator_all()
    formset = TargetFormSet(
        {"outflow_to_work-baseline": "tien", "outflow_to_work-target": "267"},
        definitions=definitions,
    )
    assert not formset.is_valid()
    rows = {defn.code: form for defn, form in formset.rows()}
    assert len(rows) == len(definitions)
    html = str(rows["outflow.to_work"]["baseline"])
    assert 'name="outflow_to_work-baseline"' in html and 'value="tien"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_outflow_to_work-baseline_error"' in html
    assert "utrecht-textbox--invalid" in html
    assert all(form.is_valid() for code, form in rows.items() if code != "outflow.to_work")
