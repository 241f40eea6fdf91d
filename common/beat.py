"""Celery beat's scheduler: django-celery-beat's database scheduler that survives a database
outage of any length (issue 13, finding 3).

The stock ``DatabaseScheduler`` (django-celery-beat 2.9.0) catches database errors in
``schedule_changed`` and ``sync``, but not where it reads the whole schedule
(``all_as_schedule``: at start and at the forced reload every 300 s), so beat died with
``OperationalError`` when PostgreSQL was down at that moment, or when it started during an
outage. Its ``sync`` also forgets the entry it was saving when the database fails.

:class:`ResilientDatabaseScheduler` keeps beat running:

* every database error (``DatabaseError``, ``InterfaceError``) in ``setup_schedule``,
  ``all_as_schedule``, ``schedule_changed``, ``sync`` and, as a last resort, ``tick`` is caught;
  the broken connection is closed (the next query opens a new one) and one warning is logged
  per outage (no personal data: beat holds none);
* meanwhile beat keeps the last schedule it read and sends what falls due from it (the tasks
  themselves retry or are re-sent; the outbox drain runs again a minute later). A beat started
  during an outage has no schedule yet and sends nothing until the database answers;
* run times that could not be saved stay pending and are written once the database answers;
* when the database answers again, the schedule is read at once (not up to 300 s later), and a
  start-up that could not install the entries of ``config/schedule.py`` does so then.

``CELERY_BEAT_SCHEDULER`` names this class; ``bin/entrypoint beat`` passes it too.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
from typing import Any

from django.db import DatabaseError, InterfaceError, connection
from django_celery_beat.schedulers import DatabaseScheduler

logger = logging.getLogger(__name__)

#: the errors of a database that is down, restarting or unreachable
DATABASE_ERRORS = (DatabaseError, InterfaceError)
#: seconds beat sleeps after a tick that met a database error
RETRY_INTERVAL = 5.0


class ResilientDatabaseScheduler(DatabaseScheduler):
    """``DatabaseScheduler`` that outlives the database (see the module doc)."""

    #: True while the database is known to be down (one warning per outage)
    _database_down = False
    #: the schedule must be read from the database as soon as it answers
    _reload_pending = False
    #: the entries of ``beat_schedule`` are not installed yet (start-up during an outage)
    _setup_pending = False

    # --- helpers --------------------------------------------------------------------------------

    def _lost(self, where: str, exc: BaseException) -> None:
        """A database error in ``where``: close the connection, remember to reload, warn once."""
        with contextlib.suppress(Exception):  # the connection is broken already
            connection.close()
        self._reload_pending = True
        if not self._database_down:
            self._database_down = True
            logger.warning(
                "beat: database unavailable in %s (%s); keeping the last known schedule and "
                "retrying",
                where,
                type(exc).__name__,
            )

    def _database_answers(self) -> bool:
        """One cheap query; a stale connection (the server restarted since the last tick) is
        replaced and asked once more."""
        for attempt in (1, 2):
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT 1")
                break
            except DATABASE_ERRORS as exc:
                if attempt == 2 or self._database_down:
                    self._lost("check", exc)
                    return False
                with contextlib.suppress(Exception):
                    connection.close()
        if self._database_down:
            self._database_down = False
            logger.warning("beat: database available again; reading the schedule")
        return True

    # --- the scheduler's database touch points ---------------------------------------------------

    def setup_schedule(self) -> None:
        if not self._database_answers():
            self._setup_pending = True
            self._schedule: dict[str, Any] = {}
            self._initial_read = False
            self._last_full_sync = datetime.datetime.now()
            return
        try:
            super().setup_schedule()
            self._setup_pending = False
        except DATABASE_ERRORS as exc:
            self._setup_pending = True
            self._lost("setup_schedule", exc)

    def all_as_schedule(self) -> dict[str, Any]:
        try:
            schedule = super().all_as_schedule()
        except DATABASE_ERRORS as exc:
            self._lost("all_as_schedule", exc)
            return dict(self._schedule or {})
        self._reload_pending = False
        return schedule

    def schedule_changed(self) -> bool:
        if not self._database_answers():
            return False
        if self._reload_pending:
            return True  # read the schedule as soon as the database is back, not 300 s later
        try:
            return bool(super().schedule_changed())
        except DATABASE_ERRORS as exc:
            self._lost("schedule_changed", exc)
            return False

    def sync(self) -> None:
        if not self._dirty:
            return
        if not self._database_answers():
            return  # the run times stay pending (the stock sync drops the one it was saving)
        try:
            super().sync()
        except DATABASE_ERRORS as exc:
            self._lost("sync", exc)

    @property
    def schedule(self) -> dict[str, Any]:
        if self._setup_pending and self._database_answers():
            # the start-up met an outage: install the entries and read everything now (the
            # setup reads self.schedule, which then takes the initial read below)
            self._setup_pending = False
            self._initial_read = True
            self.setup_schedule()
        try:
            return DatabaseScheduler.schedule.fget(self)
        except DATABASE_ERRORS as exc:
            self._lost("schedule", exc)
            return self._schedule or {}

    def tick(self, *args: Any, **kwargs: Any) -> float:
        try:
            return super().tick(*args, **kwargs)
        except DATABASE_ERRORS as exc:
            self._lost("tick", exc)
            return RETRY_INTERVAL
