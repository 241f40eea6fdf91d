"""Row-level security: the database keeps each municipality's personal data its own (issue 17).

The application scopes every read itself; these tests take that scoping away (raw SQL, an
unscoped queryset in a view) and show that PostgreSQL still returns nothing of another
municipality to the application role, and nothing at all without the request's municipality.
The owner role (migrations, the indicator fill) is not bound by the policies.
docs/row-level-security.md.
"""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest
from django.apps import apps
from django.db import connection
from django.http import JsonResponse, StreamingHttpResponse
from django.urls import path

from caseload.models import Resident
from common import rls
from indicators.models import IndicatorValue
from indicators.tasks import indicators_recompute_task
from tests import factories

APP_ROLE = rls.app_role()


def _count(cursor, table: str) -> int:
    cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed table names
    return cursor.fetchone()[0]


@pytest.fixture
def two_municipalities(db):
    """Municipality A and B, each with a team, a consulent and two residents with a benefit."""
    rls.policies_apply()  # idempotent; a reused test database made before the policies
    made = {}
    for key, code in (("a", "GM9001"), ("b", "GM9002")):
        team = factories.TeamFactory(
            municipality=factories.MunicipalityFactory(cbs_code=code, name=f"Gemeente {key}")
        )
        consulent = factories.UserFactory(team=team)
        residents = [
            factories.ResidentFactory(
                team=team, consulent=consulent, household__municipality=team.municipality
            )
            for _ in range(2)
        ]
        for resident in residents:
            factories.BenefitFactory(applicant=resident)
            factories.ContactMomentFactory(resident=resident)
        made[key] = (team.municipality, consulent, residents)
    return made


# --- the declarations and the roles -----------------------------------------------------------


def _points_at_personal_data(model) -> list[str]:
    protected = set(rls.PROTECTED)
    return [
        f.name
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model is not None
        if f.related_model._meta.label in protected
    ]


def test_every_model_with_personal_data_has_a_policy_or_a_reason():
    """A model that refers to a resident's data (a foreign key to a protected model) is declared
    protected or exempt with a reason: a new table about residents cannot slip past."""
    undeclared = [
        f"{model._meta.label} ({', '.join(fields)})"
        for model in apps.get_models()
        if (fields := _points_at_personal_data(model))
        and model._meta.label not in rls.PROTECTED
        and model._meta.label not in rls.EXEMPT
    ]
    assert undeclared == [], (
        "declare these models in common.rls.PROTECTED (or rls_protect in the app's ready()) "
        f"or EXEMPT with the reason: {undeclared}"
    )
    for label in rls.PROTECTED:
        apps.get_model(label)  # every declaration names a real model


def test_declarations_refuse_a_conflicting_second_one():
    from django.core.exceptions import ImproperlyConfigured

    rls.rls_protect("caseload.Resident", path="municipality")  # the same again: accepted
    with pytest.raises(ImproperlyConfigured):
        rls.rls_protect("caseload.Resident", path="household__municipality")


@pytest.mark.django_db
def test_every_protected_table_has_its_policy_and_the_app_role_no_bypass():
    rls.policies_apply()
    tables = [p.table for p in rls.policies()]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, "
            "(SELECT count(*) FROM pg_policies p WHERE p.tablename = c.relname "
            " AND p.policyname = 'municipality_isolation') "
            "FROM pg_class c WHERE c.relname = ANY(%s) AND c.relkind = 'r'",
            [tables],
        )
        found = {name: (enabled, forced, n) for name, enabled, forced, n in cursor.fetchall()}
        # enabled, not forced: the owner (migrations, fill) is not bound; one policy each
        assert found == dict.fromkeys(tables, (True, False, 1))
        cursor.execute(
            "SELECT rolsuper, rolbypassrls, "
            "(SELECT count(*) FROM pg_class WHERE relowner = r.oid) "
            "FROM pg_roles r WHERE rolname = %s",
            [APP_ROLE],
        )
        assert cursor.fetchone() == (False, False, 0)  # no superuser, no bypass, owns nothing


@pytest.mark.django_db
def test_the_database_check_names_a_table_without_its_policy(settings):
    rls.policies_apply()
    assert rls.database_check(databases=["default"]) == []
    with connection.cursor() as cursor:
        cursor.execute("DROP POLICY municipality_isolation ON caseload_contactmoment")
    (warning,) = rls.database_check(databases=["default"])
    assert warning.id == "rls.W002" and "caseload_contactmoment" in warning.msg
    settings.DATABASE_APP_ROLE = "no_such_role"
    assert {w.id for w in rls.database_check(databases=["default"])} == {"rls.W001", "rls.W002"}


@pytest.mark.django_db
def test_every_policy_compares_a_column_of_the_row_without_a_subquery():
    """Issue 17, "Scale": a policy that looked its parent up (``resident_id IN (SELECT id FROM
    caseload_resident)``) hashed every resident of the municipality for each point look-up of the
    dossier. Every declared table now carries its municipality (its own column, or the copy a
    trigger keeps) and the policy is one array test on it."""
    for policy in rls.policies():
        assert " IN (" not in policy.condition, policy.condition
        assert policy.condition.startswith(f"{policy.table}."), policy.condition


@pytest.mark.django_db
def test_the_copied_municipality_follows_its_parents(two_municipalities):
    """The copy is written by the database on every insert (also by the owner, also by a bulk
    load), passed down two levels (household, benefit, payment) and follows a changed parent."""
    (mun_a, _, (resident, _)), (mun_b, _, _) = two_municipalities["a"], two_municipalities["b"]
    benefit = resident.benefits.get()
    payment = factories.BenefitPaymentFactory(benefit=benefit)

    def copies() -> tuple:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT (SELECT rls_municipality_id FROM caseload_benefit WHERE id = %s), "
                "(SELECT rls_municipality_id FROM caseload_benefitpayment WHERE id = %s), "
                "(SELECT rls_municipality_id FROM caseload_contactmoment WHERE resident_id = %s)",
                [benefit.pk, payment.pk, resident.pk],
            )
            return cursor.fetchone()

    assert copies() == (mun_a.pk, mun_a.pk, mun_a.pk)
    with connection.cursor() as cursor:
        # a copy set by hand is taken from the parent again
        cursor.execute(
            "UPDATE caseload_benefitpayment SET rls_municipality_id = %s WHERE id = %s",
            [mun_b.pk, payment.pk],
        )
        assert copies() == (mun_a.pk, mun_a.pk, mun_a.pk)
        # the household and the resident of another municipality: every copy follows
        cursor.execute(
            "UPDATE caseload_household SET municipality_id = %s WHERE id = %s",
            [mun_b.pk, resident.household_id],
        )
        cursor.execute(
            "UPDATE caseload_resident SET municipality_id = %s WHERE id = %s",
            [mun_b.pk, resident.pk],
        )
    assert copies() == (mun_b.pk, mun_b.pk, mun_b.pk)


# --- a connection as the application role ----------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_application_role_sees_only_the_municipalities_of_its_session(two_municipalities):
    """A separate login as the application role: without the request's municipality a query
    returns nothing; with A set, B's residents, households, benefits and contacts are invisible
    and a row for B cannot be written."""
    (mun_a, _, residents_a), (mun_b, _, residents_b) = (
        two_municipalities["a"],
        two_municipalities["b"],
    )
    params = {
        k: v
        for k, v in connection.get_connection_params().items()
        if k in ("dbname", "host", "port", "sslmode")
    }
    with psycopg.connect(**params, user=APP_ROLE, autocommit=True) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT current_user, current_setting('is_superuser')")
        assert cursor.fetchone() == (APP_ROLE, "off")

        tables = [p.table for p in rls.policies()]
        for table in tables:  # nothing at all without a municipality
            assert _count(cursor, table) == 0, table

        cursor.execute("SELECT set_config(%s, %s, false)", [rls.SETTING, str(mun_a.pk)])
        cursor.execute("SELECT id FROM caseload_resident ORDER BY id")
        assert [r[0] for r in cursor.fetchall()] == sorted(r.pk for r in residents_a)
        cursor.execute(
            "SELECT count(*) FROM caseload_benefit b JOIN caseload_household h "
            "ON h.id = b.household_id WHERE h.municipality_id = %s",
            [mun_b.pk],
        )
        assert cursor.fetchone()[0] == 0
        assert _count(cursor, "caseload_contactmoment") == 2
        cursor.execute("SELECT count(*) FROM caseload_resident WHERE id = %s", [residents_b[0].pk])
        assert cursor.fetchone()[0] == 0

        # moving A's contact to B's resident while acting for A: refused by WITH CHECK
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            cursor.execute(
                "UPDATE caseload_contactmoment SET resident_id = %s WHERE resident_id = %s",
                [residents_b[0].pk, residents_a[0].pk],
            )
        # nor can B's rows be changed or deleted: they are not there for this session
        cursor.execute(
            "UPDATE caseload_resident SET first_name = 'x' WHERE id = %s", [residents_b[0].pk]
        )
        assert cursor.rowcount == 0

        cursor.execute("SELECT set_config(%s, %s, false)", [rls.SETTING, f"{mun_a.pk},{mun_b.pk}"])
        assert _count(cursor, "caseload_resident") == 4

    # the owner (the Django connection of the tests, like migrations and the fill) sees all
    assert Resident.objects.count() == 4


# --- a web request ---------------------------------------------------------------------------


def forgetful_view(request):
    """A view that forgot to scope: every resident, by ORM and by raw SQL."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT municipality_id FROM caseload_resident")
        raw = sorted({row[0] for row in cursor.fetchall()})
        cursor.execute("SELECT current_user")
        role = cursor.fetchone()[0]
    orm = sorted(set(Resident.objects.values_list("municipality_id", flat=True)))
    return JsonResponse({"raw": raw, "orm": orm, "role": role})


def streamed_view(request):
    """An export: the rows are read while the body is generated, after the view returned."""

    def rows():
        with connection.cursor() as cursor:
            cursor.execute("SELECT municipality_id FROM caseload_resident ORDER BY 1")
            for (municipality_id,) in cursor.fetchall():
                yield f"{municipality_id}\n"

    return StreamingHttpResponse(rows())


urlpatterns = [path("forgetful/", forgetful_view), path("streamed/", streamed_view)]


@pytest.fixture
def enforced(settings):
    settings.RLS_ENFORCED = True
    settings.ROOT_URLCONF = __name__


def test_a_request_of_a_user_of_a_cannot_see_b_even_if_the_view_forgot_to_scope(
    client, enforced, two_municipalities
):
    (mun_a, consulent_a, _), (mun_b, _, _) = two_municipalities["a"], two_municipalities["b"]
    client.force_login(consulent_a)
    body = client.get("/forgetful/").json()
    assert body == {"raw": [mun_a.pk], "orm": [mun_a.pk], "role": APP_ROLE}
    # after the request the session is back to the login role with no municipality
    assert rls.scope_current() == ("none", "")
    assert Resident.objects.filter(municipality=mun_b).count() == 2


def test_a_streamed_export_is_scoped_and_an_unread_one_leaves_nothing_behind(
    client, enforced, two_municipalities
):
    (mun_a, consulent_a, _) = two_municipalities["a"]
    client.force_login(consulent_a)
    unread = client.get("/streamed/")  # the body is never read: nothing may stay set
    assert rls.scope_current() == ("none", "")
    assert connection.execute_wrappers == []
    body = b"".join(client.get("/streamed/").streaming_content).decode()
    assert body.split() == [str(mun_a.pk)] * 2
    assert rls.scope_current() == ("none", "")
    unread.close()


def test_an_anonymous_request_sees_no_resident(client, enforced, two_municipalities):
    body = client.get("/forgetful/").json()
    assert body == {"raw": [], "orm": [], "role": APP_ROLE}


def test_a_manager_of_the_installation_and_a_regional_user(client, enforced, two_municipalities):
    (mun_a, _, _), (mun_b, _, _) = two_municipalities["a"], two_municipalities["b"]
    manager = factories.UserFactory(team=None, role="manager")
    client.force_login(manager)
    assert client.get("/forgetful/").json()["orm"] == sorted([mun_a.pk, mun_b.pk])
    # staff bound to one municipality without a team: that one (issue 17's User.municipality)
    if hasattr(manager, "municipality_id"):
        manager.municipality = mun_b
        manager.save(update_fields=["municipality"])
        assert client.get("/forgetful/").json()["orm"] == [mun_b.pk]
    regional = factories.UserFactory(team=None, role="regio")
    client.force_login(regional)
    assert client.get("/forgetful/").json()["orm"] == []


def test_an_api_key_bound_to_a_municipality_reads_that_one_only(
    client, enforced, two_municipalities
):
    """The API's user is known only after DRF authenticated the key, inside the view: the
    scope follows the user (and the key's municipality) from the next query on."""
    (mun_a, _, _), (mun_b, _, _) = two_municipalities["a"], two_municipalities["b"]
    manager = factories.UserFactory(team=None, role="manager")
    token = type("Token", (), {"municipality_id": mun_b.pk})()
    assert rls.user_municipality_ids(manager, token) == [mun_b.pk]
    assert sorted(rls.user_municipality_ids(manager, None)) == sorted([mun_a.pk, mun_b.pk])


def test_the_dossier_page_through_the_real_stack_under_the_policies(
    client, settings, two_municipalities
):
    """A real page under the application role: the own resident's dossier opens, B's is refused
    (the application's scoping and the database's agree)."""
    settings.RLS_ENFORCED = True
    (_, consulent_a, residents_a), (_, _, residents_b) = (
        two_municipalities["a"],
        two_municipalities["b"],
    )
    client.force_login(consulent_a)
    from django.urls import reverse

    own = client.get(reverse("caseload:dossier", args=[residents_a[0].pk]))
    assert own.status_code == 200
    other = client.get(reverse("caseload:dossier", args=[residents_b[0].pk]))
    assert other.status_code in (403, 404)


# --- tasks -----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_fill_task_sees_every_municipality(settings, two_municipalities):
    """The indicator fill is not a task that acts for one municipality's user: it runs as the
    worker's login, the owner, and counts B's caseload while nothing is set on the session."""
    settings.RLS_ENFORCED = True
    mun_b = two_municipalities["b"][0]
    assert rls.scope_current() == ("none", "")
    indicators_recompute_task.apply(
        kwargs={"municipality_id": mun_b.pk, "codes": ["caseload.size"]}
    ).get()
    values = IndicatorValue.objects.filter(municipality=mun_b, code="caseload.size")
    assert values.exists()
    this_year = [v for v in values if v.period_end >= dt.date.today().replace(month=1, day=1)]
    assert this_year and max(v.value for v in this_year) == 2


def test_a_task_that_acts_for_a_municipality_runs_as_the_application_role(
    settings, two_municipalities
):
    """The Celery hook: a declared task runs as the application role for its row's municipality
    and restores the session after."""
    settings.RLS_ENFORCED = True
    mun_a = two_municipalities["a"][0]
    seen = {}

    class Task:
        name = "test.acts_for_a"

    rls.task_scope_register("test.acts_for_a", model="caseload.Household", argument="pk")
    household = two_municipalities["a"][2][0].household
    try:
        rls.task_prerun(task_id="t1", task=Task, args=(), kwargs={"pk": household.pk})
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            seen["role"] = cursor.fetchone()[0]
        seen["municipalities"] = sorted(
            set(Resident.objects.values_list("municipality_id", flat=True))
        )
        rls.task_postrun(task_id="t1", task=Task)
    finally:
        rls.TASK_SCOPES.pop("test.acts_for_a", None)
    assert seen == {"role": APP_ROLE, "municipalities": [mun_a.pk]}
    assert rls.scope_current() == ("none", "")
