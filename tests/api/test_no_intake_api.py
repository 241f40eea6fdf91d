"""Issue 16, point 12: the intake API had no operations; its router and scopes are gone."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import NoReverseMatch, reverse

from apiauth.forms import TokenCreateForm
from apiauth.scopes import RESIDENT_SCOPES, SCOPES, validate_scopes

pytestmark = pytest.mark.django_db


def test_point_12_no_intake_scope_can_be_issued(municipality):
    """Issue 16, point 12: no key can be issued for the (empty) intake API."""
    assert not any(code.startswith("intake:") for code in (*SCOPES, *RESIDENT_SCOPES))
    with pytest.raises(ValueError):
        validate_scopes(["intake:read"])
    with pytest.raises(CommandError):
        call_command(
            "issue_api_token", "dwh", "--scopes", "intake:write",
            "--service-account", municipality.cbs_code,
        )  # fmt: skip
    choices = dict(TokenCreateForm.base_fields["scopes"].choices)
    assert "intake:read" not in choices and "caseload:read" in choices


def test_point_12_no_intake_api_router(client):
    """Issue 16, point 12: the empty ``intake-api`` namespace is not routed."""
    with pytest.raises(NoReverseMatch):
        reverse("intake-api:anything")
    assert client.get("/api/v1/intake/").status_code in (401, 403, 404)
