"""The project's own catalogue (locale/nl, LOCALE_PATHS): the Dutch for strings Django 5.2 ships
without it, e.g. the admin index's column headers (walk-through finding)."""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission

from caseload.demo import BEHEER_APPS, BEHEER_MODELS
from tests import factories

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "nl" / "LC_MESSAGES"


@pytest.mark.django_db
def test_the_admin_index_is_dutch_for_the_functioneel_beheerder(client):
    user = factories.UserFactory(beheer=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="caseload", content_type__model__in=BEHEER_MODELS
        )
        | Permission.objects.filter(content_type__app_label__in=BEHEER_APPS)
    )
    client.force_login(user)
    html = client.get("/beheer/", headers={"accept-language": "nl"}).content.decode()
    for english, dutch in [
        ("Model name", "Modelnaam"),
        ("Add link", "Toevoegen"),
        ("Change or view list link", "Wijzigen of lijst bekijken"),
    ]:
        assert english not in html
        assert f'<th scope="col">{dutch}</th>' in html
    # the product's name, not Django's "Websitebeheer" (the walk of 3 December)
    assert "Websitebeheer" not in html and "Werk en Inkomen: beheer" in html


def test_the_compiled_catalogue_matches_its_source():
    """The .mo is committed: every translation in the .po is in it (recompile after an edit)."""
    source = (CATALOGUE / "django.po").read_text()
    pairs = re.findall(r'^msgid "(.+)"\nmsgstr "(.*)"$', source, flags=re.MULTILINE)
    assert pairs
    with (CATALOGUE / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    assert {msgid: compiled.gettext(msgid) for msgid, _ in pairs} == dict(pairs)
