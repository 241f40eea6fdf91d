"""Issue 14, visual pass: the main menu marks the section of the page being shown."""

import pytest
from django.urls import reverse

from common.navigation import nav_for

pytestmark = pytest.mark.django_db


def test_menu_marks_the_section_of_a_nested_page(consulent):
    """Issue 14: on a dossier (under the caseload), 'Mijn caseload' is the current entry, and
    only that one; without a path nothing is marked."""
    worklist = reverse("caseload:worklist")
    items = nav_for(consulent, f"{worklist}123/")
    current = [i["url"] for i in items if i.get("current")]
    assert current == [worklist]
    assert not any(i.get("current") for i in nav_for(consulent))


def test_menu_in_the_page_has_aria_current(client, consulent):
    client.force_login(consulent)
    html = client.get(reverse("caseload:worklist")).content.decode()
    assert 'class="utrecht-nav-bar app-nav"' in html
    assert f'href="{reverse("caseload:worklist")}" aria-current="page"' in html


@pytest.mark.parametrize(
    ("url_name", "permission"),
    [
        ("region:overview", "region.view_region"),
        ("region:comparison", "region.view_comparison"),
        ("region:budget", "region.view_budget"),
    ],
)
def test_region_menu_entries_follow_the_permission_their_view_checks(url_name, permission):
    """Walk-through finding: the regio login could open /regio/buig/ but had no menu entry for
    it. Every role sees a region entry exactly when it holds the permission its view checks."""
    from caseload.models import Role, User

    for role in Role.values:
        user = User(username=f"nav-{role}", role=role, is_active=True)
        in_menu = url_name in {item["url_name"] for item in nav_for(user)}
        assert in_menu == user.has_perm(permission), (role, url_name)
