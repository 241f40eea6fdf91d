"""Issue 16, point 2: anonymisation and subject access are a registry each app fills
(common.personal_data), so privacy imports no app whose data it anonymises but caseload."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from common import personal_data
from common.personal_data import personal_data_holders, personal_data_register

#: apps with resident data that register no holder, and why
NOT_REGISTERED = {
    # the processing log and the grants are the accountability record itself: exported as the
    # subject-access section "verwerkingen", kept when the dossier is anonymised
    "privacy",
}


def _project_apps() -> list:
    root = str(settings.BASE_DIR)
    return [c for c in apps.get_app_configs() if str(c.path).startswith(root)]


def _holds_resident_data(model, depth: int = 2) -> bool:
    """A relation to Resident or Household, directly or one relation further."""
    resident = apps.get_model("caseload", "Resident")
    household = apps.get_model("caseload", "Household")
    if model in (resident, household):
        return True
    if depth == 0:
        return False
    return any(
        (field.many_to_one or field.one_to_one)
        and field.concrete
        and field.related_model is not None
        and field.related_model is not model
        and _holds_resident_data(field.related_model, depth - 1)
        for field in model._meta.get_fields()
    )


def test_point_2_every_app_holding_resident_data_registers():
    """Issue 16, point 2: every project app with a model about a resident registers its
    anonymiser and subject-access sections (or is named, with the reason, above)."""
    holding = {
        config.label
        for config in _project_apps()
        if any(_holds_resident_data(m) for m in config.get_models())
    }
    registered = {h.app_label for h in personal_data_holders()}
    assert {"caseload", "intake"} <= holding
    assert holding - NOT_REGISTERED == registered


def test_point_2_registry_refuses_a_second_registration_for_an_app(monkeypatch):
    """Issue 16, point 2: a second, different anonymiser for one app is refused; the same
    functions again (ready() run twice) change nothing."""
    monkeypatch.setattr(personal_data, "_holders", dict(personal_data._holders))
    holder = next(h for h in personal_data_holders() if h.app_label == "intake")
    personal_data_register(app_label="intake", anonymise=holder.anonymise, sections=holder.sections)
    with pytest.raises(ImproperlyConfigured, match="intake"):
        personal_data_register(app_label="intake", anonymise=lambda rid: None, sections=dict)
    assert [h for h in personal_data_holders() if h.app_label == "intake"] == [holder]


def test_point_2_privacy_imports_no_app_whose_data_it_anonymises():
    """Issue 16, point 2: privacy reaches intake's tables only through the registry."""
    import grimp

    graph = grimp.build_graph("privacy", "intake", cache_dir=None)
    assert not graph.chain_exists(importer="privacy", imported="intake", as_packages=True)
