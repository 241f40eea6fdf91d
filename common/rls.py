"""Row-level security: every table with personal data is isolated per municipality in PostgreSQL.

The application scopes every read itself (``Resident.objects.visible_to``,
``caseload.selectors.municipality_for``); this module is the second fence, in the database
(issue 17, docs/row-level-security.md). A protected table has a policy that shows and accepts only
rows of the municipalities in the setting ``app.municipalities`` (a comma-separated list of
municipality ids) of the current database session. An unset or empty setting shows nothing.

* **Which tables.** :data:`PROTECTED` names each model with personal data and the path from its
  row to a municipality id (``"municipality"``, or a chain of foreign keys such as
  ``"resident__municipality"``). A new app declares its own with :func:`rls_protect` in its
  ``AppConfig.ready()``; :data:`EXEMPT` names models that reference a resident but hold no
  personal data, each with the reason. ``tests/security/test_rls.py`` fails for a model that
  points at a protected model and is in neither list.
* **The policies** are (re)written from the declarations after every ``migrate``
  (:func:`policies_apply`, connected to ``post_migrate``), so a new app's tables are covered by
  declaring them. Policies bind every role; the owner of the tables (migrations, the indicator
  fill, the demo loader) is not subject to them because RLS is enabled, not forced.
* **Who sets the scope.** :class:`RowLevelSecurityMiddleware` for each web request (from the
  user, or the API key's municipality) and :func:`acting_for` for a Celery task that acts for a
  municipality (the task hook :func:`task_scope_register`). Both switch the session to the
  application role :data:`APP_ROLE` (``SET ROLE``), which has no ``BYPASSRLS`` and owns nothing.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

logger = logging.getLogger(__name__)

#: the setting the policies read (a custom GUC, so it needs a dot)
SETTING = "app.municipalities"
#: SQL function every policy calls: the municipality ids of the session, an empty array when unset
FUNCTION = "rls_municipalities"

FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS bigint[]
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT coalesce(
    string_to_array(nullif(current_setting('{SETTING}', true), ''), ',')::bigint[],
    '{{}}'::bigint[]
  )
$$;
"""


#: the one deliberate look-up across municipalities: who holds a BSN (id and municipality only),
#: for a registration refused by the BSN's unique constraint (``caseload.services.
#: resident_register`` logs the holder's pseudonym and answers a neutral conflict). It runs as
#: its owner (``SECURITY DEFINER``), whom the policies do not bind.
BSN_HOLDER_SQL = """
CREATE OR REPLACE FUNCTION rls_bsn_holder(p_bsn text)
RETURNS TABLE (id bigint, municipality_id bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT r.id, r.municipality_id FROM caseload_resident r WHERE r.bsn = p_bsn
$$;
REVOKE ALL ON FUNCTION rls_bsn_holder(text) FROM PUBLIC;
"""


#: the application role may only read and add rows of this table (the processing log)
APPEND_ONLY_TABLE = "privacy_processingrecord"


def bsn_holder(bsn: str) -> dict[str, int] | None:
    """The resident holding ``bsn`` in any municipality (``{"pk", "municipality_id"}``), or
    None. Only for a BSN the unique constraint already refused: it tells no more than that."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, municipality_id FROM rls_bsn_holder(%s)", [bsn])
        row = cursor.fetchone()
    return None if row is None else {"pk": row[0], "municipality_id": row[1]}


def app_role() -> str:
    """The role the application's requests and municipality tasks run as (no BYPASSRLS)."""
    return getattr(settings, "DATABASE_APP_ROLE", "caseload_app")


def enforced() -> bool:
    """Whether requests and tasks switch to the application role (``RLS_ENFORCED``)."""
    return bool(getattr(settings, "RLS_ENFORCED", True))


# --------------------------------------------------------------------------------------------
# Declarations
# --------------------------------------------------------------------------------------------

#: model label -> path from the row to a municipality id (``__``-separated foreign keys)
PROTECTED: dict[str, str] = {
    # caseload: the resident, the household and everything recorded about them
    "caseload.Household": "municipality",
    "caseload.Resident": "municipality",
    "caseload.Benefit": "household__municipality",
    "caseload.BenefitPayment": "benefit__household__municipality",
    "caseload.Application": "resident__municipality",
    "caseload.GroupAssignment": "resident__municipality",
    "caseload.Trajectory": "resident__municipality",
    "caseload.OutflowEvent": "resident__municipality",
    "caseload.ContactMoment": "resident__municipality",
    "caseload.LadderScore": "resident__municipality",
    "caseload.FraudInvestigation": "resident__municipality",
    "caseload.DebtCase": "resident__municipality",
    "caseload.Correction": "resident__municipality",
    # intake: the broad intake (health and capacity), the plan van aanpak
    "intake.Intake": "resident__municipality",
    "intake.CapacityAssessment": "intake__resident__municipality",
    "intake.PlanVanAanpak": "resident__municipality",
    "intake.PlanAction": "plan__resident__municipality",
    # budget: the benefits administration's payment rows (BSN, amounts) and their uploaded file
    "budget.PaymentImport": "municipality",
    "budget.PaymentRecord": "payment_import__municipality",
    # apiauth: the caseload import's stored file (residents' data)
    "apiauth.ImportJob": "municipality",
    # privacy: who broke the glass for which resident; which residents were anonymised
    "privacy.BreakGlassGrant": "resident__municipality",
    "privacy.AnonymisedResident": "resident__municipality",
    # employers: the contact persons of an employer (names, phone, e-mail)
    "employers.EmployerContact": "employer__municipality",
    # matching (issue 18): the resident's profile, consents, proposals and placements
    "matching.Profile": "resident__municipality",
    "matching.SoughtOccupation": "profile__resident__municipality",
    "matching.WorkExperience": "profile__resident__municipality",
    "matching.Consent": "resident__municipality",
    "matching.Proposal": "resident__municipality",
    "matching.Placement": "proposal__resident__municipality",
}

#: model label -> why a model that refers to residents' data holds none itself, or cannot be
#: isolated per municipality
EXEMPT: dict[str, str] = {
    "privacy.ProcessingRecord": (
        "pseudonymised subjects only, no municipality column; one hash chain over all "
        "municipalities that every write extends; readable only by the privacy officer "
        "(docs/privacy.md)"
    ),
}

_lock = threading.Lock()


def rls_protect(model_label: str, *, path: str) -> None:
    """Declare a model with personal data and its path to a municipality id, once.

    Call it from the app's ``AppConfig.ready()``; the policy is written by the next ``migrate``.
    A second, different declaration for the same model is refused."""
    with _lock:
        existing = PROTECTED.get(model_label)
        if existing is not None and existing != path:
            raise ImproperlyConfigured(
                f"row-level security of {model_label!r} is already declared with path {existing!r}"
            )
        if model_label in EXEMPT:
            raise ImproperlyConfigured(
                f"{model_label!r} is declared exempt from row-level security"
            )
        PROTECTED[model_label] = path


# --------------------------------------------------------------------------------------------
# Policies
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Policy:
    table: str
    condition: str
    #: the denormalised municipality column and how it is kept (tables reached through a
    #: foreign key); None for a table with its own municipality column
    copy: MunicipalityCopy | None = None

    @property
    def name(self) -> str:
        return "municipality_isolation"


#: the session's municipalities, computed once per statement (an InitPlan), not once per row
MUNICIPALITIES = f"(SELECT {FUNCTION}())::bigint[]"
#: the column a table reached through a foreign key carries: its row's municipality, copied
#: from its parent by a trigger (not a model field: the database keeps it, the policy reads it)
COLUMN = "rls_municipality_id"


@dataclass(frozen=True)
class MunicipalityCopy:
    """How ``table``'s :data:`COLUMN` is kept: from ``parent``'s ``source`` column (its own
    municipality column or its own copy) of the row that ``fk`` points at."""

    table: str
    fk: str
    parent: str
    parent_pk: str
    source: str
    depth: int

    @property
    def function(self) -> str:
        return f"rls_copy_{self.table}"[:63]

    @property
    def cascade_function(self) -> str:
        return f"rls_cascade_{self.table}"[:63]

    @property
    def index(self) -> str:
        return f"{self.table}_rls_municipality"[:63]


def _municipality_column(model, path: str) -> tuple[str, int] | None:
    """The column of ``model`` that holds its municipality for ``path`` (the foreign key
    itself for a one-step path, else the copy) and the depth of the chain; None when the
    parent of a longer path does not carry the municipality itself (then the policy keeps the
    subquery form)."""
    steps = path.split("__")
    if len(steps) == 1:
        return model._meta.get_field(steps[0]).column, 0
    parent = model._meta.get_field(steps[0]).related_model
    rest = "__".join(steps[1:])
    if len(steps) == 2:
        return COLUMN, 1
    if PROTECTED.get(parent._meta.label) != rest:
        return None
    found = _municipality_column(parent, rest)
    return None if found is None else (COLUMN, found[1] + 1)


def _copy(model, path: str) -> MunicipalityCopy | None:
    steps = path.split("__")
    if len(steps) == 1:
        return None
    field = model._meta.get_field(steps[0])
    parent = field.related_model
    rest = "__".join(steps[1:])
    if len(steps) == 2:
        source, depth = parent._meta.get_field(steps[1]).column, 1
    elif PROTECTED.get(parent._meta.label) == rest and _municipality_column(parent, rest):
        source, depth = COLUMN, _municipality_column(model, path)[1]  # type: ignore[index]
    else:
        return None
    return MunicipalityCopy(
        table=model._meta.db_table,
        fk=field.column,
        parent=parent._meta.db_table,
        parent_pk=parent._meta.pk.column,
        source=source,
        depth=depth,
    )


def _condition(model, path: str, alias: str, depth: int = 0) -> str:
    """The SQL condition on ``alias`` (a row of ``model``) for ``path``, used when no copy of
    the municipality can be kept (a parent that does not carry it): the last step is the
    municipality foreign key, compared with the session's set; each step before it is an
    ``IN`` over the referenced table's rows of those municipalities, which PostgreSQL runs as
    one hashed subplan per statement. A referenced table that is protected with the same path
    is filtered by its own policy, so the ``IN`` reads it without a condition."""
    steps = path.split("__")
    field = model._meta.get_field(steps[0])
    column = f"{alias}.{connection.ops.quote_name(field.column)}"
    if len(steps) == 1:
        return f"{column} = ANY ({MUNICIPALITIES})"
    target = field.related_model
    inner = f"r{depth}"
    rest = "__".join(steps[1:])
    target_pk = connection.ops.quote_name(target._meta.pk.column)
    table = connection.ops.quote_name(target._meta.db_table)
    select = f"SELECT {inner}.{target_pk} FROM {table} {inner}"  # noqa: S608 - model metadata
    if PROTECTED.get(target._meta.label) == rest:
        return f"{column} IN ({select})"
    return f"{column} IN ({select} WHERE {_condition(target, rest, inner, depth + 1)})"


def policies() -> list[Policy]:
    """The policy of every declared model whose app is installed: the row's municipality
    column (its own, or the copy a trigger keeps) compared with the session's set, one array
    test per row and no subquery (issue 17: the subquery form hashed every parent row of the
    municipality for each point look-up, 2-3x the page time at 10,000 households)."""
    result = []
    for label, path in PROTECTED.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        table = model._meta.db_table
        found = _municipality_column(model, path)
        if found is None:
            result.append(Policy(table=table, condition=_condition(model, path, table)))
            continue
        column = connection.ops.quote_name(found[0])
        result.append(
            Policy(
                table=table,
                condition=f"{table}.{column} = ANY ({MUNICIPALITIES})",
                copy=_copy(model, path),
            )
        )
    return sorted(result, key=lambda policy: policy.copy.depth if policy.copy else 0)


def _copy_apply(cursor, qn, copy: MunicipalityCopy) -> None:
    """Add and keep ``copy.table``'s municipality column: a trigger copies it from the parent
    row on insert and when the foreign key changes (as the inserting role: a parent the
    session may not see gives no municipality, and the policy's check refuses the row), a
    trigger on the parent passes a changed municipality down; rows without one yet are filled
    from their parents (set-based, once: later rows come through the trigger)."""
    table, column = qn(copy.table), qn(COLUMN)
    parent, source = qn(copy.parent), qn(copy.source)
    fk, parent_pk = qn(copy.fk), qn(copy.parent_pk)
    cursor.execute(
        "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() "
        "AND table_name = %s AND column_name = %s",
        [copy.table, COLUMN],
    )
    if cursor.fetchone() is None:  # (an ALTER TABLE is refused inside a transaction that
        # has written rows of the table: only when the column is new)
        cursor.execute(f"ALTER TABLE {table} ADD COLUMN {column} bigint")
    cursor.execute(
        f"""CREATE OR REPLACE FUNCTION {qn(copy.function)}() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            NEW.{column} := (SELECT p.{source} FROM {parent} p WHERE p.{parent_pk} = NEW.{fk});
            RETURN NEW;
        END $$"""  # noqa: S608 - model metadata
    )
    cursor.execute(
        f"CREATE OR REPLACE TRIGGER rls_copy BEFORE INSERT OR UPDATE OF {fk}, {column} ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {qn(copy.function)}()"
    )
    cursor.execute(
        f"""CREATE OR REPLACE FUNCTION {qn(copy.cascade_function)}() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE {table} SET {column} = NEW.{source} WHERE {fk} = NEW.{parent_pk};
            RETURN NULL;
        END $$"""  # noqa: S608 - model metadata
    )
    trigger = qn(f"rls_cascade_{copy.table}"[:63])
    cursor.execute(
        f"CREATE OR REPLACE TRIGGER {trigger} AFTER UPDATE OF {source} ON {parent} FOR EACH ROW "
        f"WHEN (OLD.{source} IS DISTINCT FROM NEW.{source}) "
        f"EXECUTE FUNCTION {qn(copy.cascade_function)}()"
    )
    cursor.execute(
        f"UPDATE {table} c SET {column} = p.{source} FROM {parent} p "  # noqa: S608
        f"WHERE p.{parent_pk} = c.{fk} AND c.{column} IS NULL AND p.{source} IS NOT NULL"
    )
    # the municipality's rows by index: for the policy's test, and for the indicator fill, which
    # reaches one municipality's rows of these tables through it in a regional installation
    # (``indicators.definitions``: without it each fill scanned the whole region's rows)
    cursor.execute(f"CREATE INDEX IF NOT EXISTS {qn(copy.index)} ON {table} ({column})")


def _existing_tables(cursor) -> set[str]:
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()",
    )
    return {row[0] for row in cursor.fetchall()}


def _role_exists(cursor, role: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
    return cursor.fetchone() is not None


def _role_create(conn, cursor, role: str) -> None:
    """Create the application role when the owner may (a superuser owner, as in docker-compose
    and the embedded server; a managed server's operator creates it, docs/row-level-security.md):
    ``NOLOGIN`` (the sessions of this login switch to it with ``SET ROLE``), ``NOBYPASSRLS``."""
    from django.db import transaction

    try:
        with transaction.atomic(using=conn.alias):
            cursor.execute(
                f"CREATE ROLE {conn.ops.quote_name(role)} NOLOGIN NOSUPERUSER NOBYPASSRLS"
            )
    except Exception:  # no CREATEROLE: the operator creates it; requests fail until then
        logger.warning("row-level security: role %s does not exist and cannot be created", role)


def policies_apply(*, using: str = "default") -> list[str]:
    """Install the function, enable row-level security and (re)write the policy on every
    declared table that exists, and grant the application role its privileges. Idempotent;
    run by ``post_migrate``. Returns the protected tables."""
    from django.db import connections

    conn = connections[using]
    qn = conn.ops.quote_name
    done = []
    with conn.cursor() as cursor:
        cursor.execute(FUNCTION_SQL)
        existing = _existing_tables(cursor)
        if "caseload_resident" in existing:
            cursor.execute(BSN_HOLDER_SQL)
        for policy in policies():
            if policy.table not in existing:
                continue  # a partial migrate: the next one covers it
            table = qn(policy.table)
            if policy.copy is not None:
                _copy_apply(cursor, qn, policy.copy)
            cursor.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
            cursor.execute(f"DROP POLICY IF EXISTS {policy.name} ON {table}")
            cursor.execute(
                f"CREATE POLICY {policy.name} ON {table} FOR ALL "
                f"USING ({policy.condition}) WITH CHECK ({policy.condition})"
            )
            done.append(policy.table)
        role = app_role()
        if not _role_exists(cursor, role):
            _role_create(conn, cursor, role)
        if _role_exists(cursor, role):
            grantee = qn(role)
            cursor.execute(
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {grantee}"
            )
            if APPEND_ONLY_TABLE in existing:
                # the processing log: reading and adding only (docs/privacy.md); the blanket
                # grant above gave UPDATE and DELETE back on every migrate (security review of
                # 3 December), the append-only trigger being the only guard left
                cursor.execute(
                    f"REVOKE UPDATE, DELETE, TRUNCATE ON {qn(APPEND_ONLY_TABLE)} FROM {grantee}"
                )
            cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {grantee}")
            cursor.execute(f"GRANT EXECUTE ON FUNCTION {FUNCTION}() TO {grantee}")
            if "caseload_resident" in existing:
                cursor.execute(f"GRANT EXECUTE ON FUNCTION rls_bsn_holder(text) TO {grantee}")
    return done


def policies_remove(*, using: str = "default") -> None:
    """Drop every policy and disable row-level security (the bench's "without" run; tests)."""
    from django.db import connections

    conn = connections[using]
    qn = conn.ops.quote_name
    with conn.cursor() as cursor:
        existing = _existing_tables(cursor)
        for policy in policies():
            if policy.table in existing:
                cursor.execute(f"DROP POLICY IF EXISTS {policy.name} ON {qn(policy.table)}")
                cursor.execute(f"ALTER TABLE {qn(policy.table)} DISABLE ROW LEVEL SECURITY")


def on_post_migrate(sender, using: str = "default", **kwargs: Any) -> None:
    """Once per ``migrate`` (and per flush): Django sends ``post_migrate`` for every app with a
    models module, after all migrations ran; the last of them applies the policies."""
    last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    if sender.label == last.label:
        policies_apply(using=using)


# --------------------------------------------------------------------------------------------
# The session's scope
# --------------------------------------------------------------------------------------------


def _scope_text(municipality_ids: Iterable[int]) -> str:
    return ",".join(str(int(pk)) for pk in sorted(set(municipality_ids)))


def _raw_execute(sql: str, params: list[Any]) -> tuple:
    """Run on the raw cursor: not through the execute wrappers (the middleware's is one)."""
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def scope_set(municipality_ids: Iterable[int] | None, *, role: str | None = None) -> None:
    """Set the session's municipalities (``None``: none) and, when given, switch to ``role``."""
    text = "" if municipality_ids is None else _scope_text(municipality_ids)
    if role is None:
        _raw_execute("SELECT set_config(%s, %s, false)", [SETTING, text])
    else:
        _raw_execute(
            "SELECT set_config('role', %s, false), set_config(%s, %s, false)", [role, SETTING, text]
        )


def scope_current() -> tuple[str, str]:
    """The session's role (``none`` when not switched) and its municipality setting."""
    return _raw_execute(
        "SELECT current_setting('role'), coalesce(current_setting(%s, true), '')", [SETTING]
    )


def scope_restore(previous: tuple[str, str]) -> None:
    role, text = previous
    _raw_execute(
        "SELECT set_config('role', %s, false), set_config(%s, %s, false)", [role, SETTING, text]
    )


@contextlib.contextmanager
def acting_for(municipality_ids: Iterable[int]) -> Iterator[None]:
    """Run the block as the application role for these municipalities, then restore what was.

    For work outside a request that acts for a municipality (a Celery task through
    :func:`task_scope_register`, a management command). Works when the session's login role is
    the application role itself (production web) or a member of it (the owner, dev)."""
    previous = scope_current()
    scope_set(municipality_ids, role=app_role())
    try:
        yield
    finally:
        if connection.connection is not None and not connection.needs_rollback:
            scope_restore(previous)
        elif connection.connection is not None:
            connection.close()  # a broken transaction: a fresh connection starts unscoped


#: roles that never see a resident's row whatever the municipality (the regional role, #17)
NO_RESIDENT_ROLES = frozenset({"regio"})

#: every municipality of the installation, as the setting's text
_ALL = "(SELECT coalesce(string_agg(id::text, ',' ORDER BY id), '') FROM caseload_municipality)"
_TEAM = "(SELECT municipality_id::text FROM caseload_team WHERE id = %s)"


def scope_sql(user, auth: Any = None) -> tuple[str, list[Any]]:
    """The municipalities whose residents' rows a request may touch, as an SQL expression for
    the setting's text: the application's own scoping (``caseload.selectors.municipality_for``)
    as a set. An API key bound to a municipality: that one. Staff in a team (not superuser): the
    team's municipality. Staff bound to one municipality (``User.municipality``: a manager or
    finance of one municipality): that one. The regional role works with aggregates (stored
    indicator values, budgets), never a resident: none. Every other signed-in user (manager,
    finance, beheer, privacy officer, superuser): every municipality of the installation.
    Anonymous or inactive: none. An expression, so that the middleware sets the scope in the
    same statement that looks it up: one round trip, no query of its own in the request's log."""
    bound = getattr(auth, "municipality_id", None)
    if bound is not None:
        return "%s", [str(int(bound))]
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return "''", []
    if user.is_superuser:
        return _ALL, []
    if getattr(user, "team_id", None) is not None:
        return _TEAM, [user.team_id]
    if getattr(user, "municipality_id", None) is not None:
        return "%s", [str(int(user.municipality_id))]
    if getattr(user, "role", None) in NO_RESIDENT_ROLES:
        return "''", []
    return _ALL, []


def user_municipality_ids(user, auth: Any = None) -> list[int]:
    """:func:`scope_sql` evaluated: the municipality ids, sorted."""
    expression, params = scope_sql(user, auth)
    (text,) = _raw_execute(f"SELECT coalesce({expression}, '')", params)  # noqa: S608
    return sorted(int(pk) for pk in text.split(",") if pk)


def scope_set_for(user, auth: Any = None, *, role: str | None = None) -> None:
    """Set the session's municipalities for ``user`` (and ``auth``) in one statement."""
    expression, params = scope_sql(user, auth)
    value = f"coalesce({expression}, '')"
    if role is None:
        _raw_execute(f"SELECT set_config(%s, {value}, false)", [SETTING, *params])  # noqa: S608
    else:
        _raw_execute(
            f"SELECT set_config('role', %s, false), set_config(%s, {value}, false)",  # noqa: S608
            [role, SETTING, *params],
        )


# --------------------------------------------------------------------------------------------
# Web requests
# --------------------------------------------------------------------------------------------


class _RequestScope:
    """An execute wrapper: before a query runs, makes sure the session holds the scope of the
    request's current user. The user can change during the request (the session user is
    resolved lazily; DRF replaces it with the API key's user), so the check runs per query: an
    identity comparison, and one ``set_config`` only when the user changed."""

    def __init__(self, request) -> None:
        self.request = request
        self.applied_for: tuple[int, int] | None = None
        self.applied_at: tuple[bool, tuple[str, ...]] = (False, ())
        self.busy = False

    def _user(self):
        """The request's user if resolved. The middleware resolves the session user before the
        view runs (a view that forgot to scope still has its user's municipalities); an
        unresolved lazy user here (not expected) counts as nobody until it is resolved, as
        resolving it inside a query would run its queries twice."""
        user = self.request.__dict__.get("user")
        wrapped = getattr(user, "_wrapped", None) if user is not None else None
        if wrapped is not None and type(wrapped) is object:
            return None
        return user

    def _still_applied(self) -> bool:
        """A ``set_config`` inside a transaction or savepoint that was rolled back since is
        undone by PostgreSQL: apply again then."""
        in_atomic, savepoints = self.applied_at
        if not in_atomic:
            return True
        if not connection.in_atomic_block:
            return False
        current = tuple(connection.savepoint_ids)
        return current[: len(savepoints)] == savepoints

    def apply(self) -> None:
        auth = self.request.__dict__.get("auth")
        resolved = self._user()
        key = (id(resolved), id(auth))
        if self.applied_for is not None and self.applied_for == key and self._still_applied():
            return
        self.busy = True
        try:
            scope_set_for(resolved, auth, role=app_role() if enforced() else None)
        finally:
            self.busy = False
        self.applied_for = key
        self.applied_at = (connection.in_atomic_block, tuple(connection.savepoint_ids))

    def __call__(self, execute, sql, params, many, context):
        if not self.busy:
            self.apply()
        return execute(sql, params, many, context)


def _scope_end(scope: _RequestScope) -> None:
    """Take ``scope``'s wrapper off the connection and reset the session if it set anything."""
    with contextlib.suppress(ValueError):
        connection.execute_wrappers.remove(scope)
    if scope.applied_for is not None and connection.connection is not None:
        scope.applied_for = None
        try:
            _raw_execute(
                "SELECT set_config('role', 'none', false), set_config(%s, '', false)", [SETTING]
            )
        except Exception:
            connection.close()  # cannot reset: never reuse this session


class RowLevelSecurityMiddleware:
    """Sets the request's municipalities (and the application role) on the database session.

    Placed after the authentication and OTP middleware (which wrap ``request.user``). The scope
    is applied before the first query of the request and whenever the user changes; when the
    view has returned, the session is reset, so a persistent connection carries nothing into
    the next request. A streamed response (an export) applies the scope again while its body is
    generated and resets it when the body ends or is closed; a body nobody reads sets nothing."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        for stale in [w for w in connection.execute_wrappers if isinstance(w, _RequestScope)]:
            _scope_end(stale)  # an earlier request's body on this thread was never finished
        user = getattr(request, "user", None)
        if user is not None:
            user.is_authenticated  # noqa: B018 - resolve the lazy session user before the view
        scope = _RequestScope(request)
        connection.execute_wrappers.append(scope)
        try:
            response = self.get_response(request)
        finally:
            _scope_end(scope)
        if getattr(response, "streaming", False):
            response.streaming_content = self._scoped(scope, response.streaming_content)
        return response

    @staticmethod
    def _scoped(scope: _RequestScope, content):
        connection.execute_wrappers.append(scope)
        try:
            yield from content
        finally:
            _scope_end(scope)


# --------------------------------------------------------------------------------------------
# Celery tasks
# --------------------------------------------------------------------------------------------

#: task name -> (model label of the row named by the task's argument, argument name)
TASK_SCOPES: dict[str, tuple[str, str]] = {
    "budget.payments_import_run": ("budget.PaymentImport", "import_id"),
    "apiauth.caseload_import_job_run": ("apiauth.ImportJob", "job_id"),
}

_task_state = threading.local()


def task_scope_register(task_name: str, *, model: str, argument: str) -> None:
    """Declare a task that acts for one municipality: the municipality of the row of ``model``
    whose id is the task's ``argument``. The task then runs as the application role with that
    municipality (:func:`task_prerun`). Tasks not declared (the indicator fill and its outbox
    drain, retention, the job sweep) run as the worker's login role, the owner."""
    TASK_SCOPES[task_name] = (model, argument)


def _task_municipality(task, args, kwargs) -> int | None:
    declared = TASK_SCOPES.get(task.name)
    if declared is None:
        return None
    label, argument = declared
    if argument in (kwargs or {}):
        pk = kwargs[argument]
    elif args:
        pk = args[0]
    else:
        return None
    model = apps.get_model(label)
    return model.objects.filter(pk=pk).values_list("municipality_id", flat=True).first()


def task_prerun(sender=None, task_id=None, task=None, args=None, kwargs=None, **extra) -> None:
    if not enforced() or task is None or task.name not in TASK_SCOPES:
        return
    municipality_id = _task_municipality(task, args, kwargs)
    stack = getattr(_task_state, "stack", [])
    _task_state.stack = stack
    manager = acting_for([] if municipality_id is None else [municipality_id])
    manager.__enter__()
    stack.append((task_id, manager))


def task_postrun(sender=None, task_id=None, task=None, **extra) -> None:
    stack = getattr(_task_state, "stack", [])
    if stack and stack[-1][0] == task_id:
        _, manager = stack.pop()
        manager.__exit__(None, None, None)


def database_check(app_configs=None, databases=None, **kwargs: Any) -> list:
    """``manage.py check --database default`` (and ``migrate``): the application role exists and
    this login may switch to it, and every declared table has its policy. Warnings: ``migrate``
    itself creates the role and the policies, so they are missing before a first migrate."""
    from django.core.checks import Warning as CheckWarning
    from django.db import connections

    found = []
    for alias in databases or []:
        conn = connections[alias]
        with conn.cursor() as cursor:
            role = app_role()
            cursor.execute(
                "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = %s) AND "
                "(pg_has_role(session_user, %s, 'MEMBER') OR "
                "(SELECT rolsuper FROM pg_roles WHERE rolname = session_user))",
                [role, role],
            )
            if enforced() and not cursor.fetchone()[0]:
                found.append(
                    CheckWarning(
                        f"Database role {role!r} is missing or this login may not SET ROLE to "
                        "it: every request will fail (docs/row-level-security.md, Roles).",
                        id="rls.W001",
                    )
                )
            cursor.execute(
                "SELECT tablename FROM pg_policies WHERE policyname = 'municipality_isolation'"
            )
            covered = {row[0] for row in cursor.fetchall()}
            missing = sorted(
                p.table
                for p in policies()
                if p.table in _existing_tables(cursor) and p.table not in covered
            )
            if missing:
                found.append(
                    CheckWarning(
                        f"Tables with personal data without their row-level security policy: "
                        f"{', '.join(missing)}. Run manage.py migrate.",
                        id="rls.W002",
                    )
                )
    return found


def install() -> None:
    """Connect the hooks (``CommonConfig.ready``)."""
    from django.core.checks import Tags, register

    register(database_check, Tags.database)
    from celery.signals import task_postrun as postrun
    from celery.signals import task_prerun as prerun
    from django.db.models.signals import post_migrate

    post_migrate.connect(on_post_migrate, dispatch_uid="common.rls.post_migrate")
    prerun.connect(task_prerun, dispatch_uid="common.rls.task_prerun", weak=False)
    postrun.connect(task_postrun, dispatch_uid="common.rls.task_postrun", weak=False)


def declared_task_scopes() -> dict[str, tuple[str, str]]:
    return dict(TASK_SCOPES)
