"""Celery application. Tasks are thin adapters: they take ids and call one service.

The broker transport is kombu's Redis transport with one repair (:class:`RedisTransport`, set as
``CELERY_BROKER_TRANSPORT``); the settings that make the worker ride out a broker or database
outage are in ``config/settings/base.py`` (Celery section) and docs/reliability.md.
"""

import logging
import os
from pathlib import Path

from celery import Celery
from celery.signals import (
    after_setup_logger,
    after_setup_task_logger,
    beat_init,
    celeryd_after_setup,
    setup_logging,
)
from kombu.transport import redis as kombu_redis

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

logger = logging.getLogger(__name__)


class _QoS(kombu_redis.QoS):
    """Issue 13, finding 2. When the broker connection drops while the worker holds
    unacknowledged messages (a running ``acks_late`` task, an ETA task waiting in the worker),
    celery 5.7 / kombu 5.7 (the newest releases) tear the connection down in two steps
    (``Consumer.on_connection_error_after_connected``: ``collect()`` detaches the transport,
    then ``close()`` closes the task channel). Closing the channel restores its unacknowledged
    messages through the detached transport and fails with
    ``AttributeError: 'NoneType' object has no attribute 'hostname'``, which is no connection
    error, so the worker stops ("Unrecoverable error").

    Nothing can be restored at that moment anyway (the broker is gone), and nothing needs to be:
    the Redis transport keeps every delivered, unacknowledged message in its ``unacked`` hash,
    and a worker moves it back to the queue once it is older than the visibility timeout
    (``CELERY_VISIBILITY_TIMEOUT``). So when the transport is detached the restore is skipped,
    with a warning, instead of crashing the worker."""

    def _detached(self) -> bool:
        transport = self.channel.connection
        return transport is None or transport.client is None

    def _left_to_timeout(self, delivery_tag, what: str) -> bool:
        """The fault run of 3 December: a task that ended while the broker was away is
        acknowledged (or rejected, ``task_reject_on_worker_lost``) on its old channel once the
        worker has reconnected; that channel's transport is detached, and kombu failed with
        ``AttributeError: 'NoneType' object has no attribute 'client'`` and stopped the worker
        (and every task it was running). On a detached channel the message is left in Redis's
        ``unacked`` hash: it comes back after the visibility timeout and its task then finds
        its work done (a job is claimed once, a recompute drains an empty outbox)."""
        if not self._detached():
            return False
        logger.warning(
            "%s on a channel of a lost broker connection skipped; the message is delivered "
            "again after the visibility timeout.",
            what,
        )
        self._delivered.pop(delivery_tag, None)
        return True

    def ack(self, delivery_tag):
        if not self._left_to_timeout(delivery_tag, "Acknowledgement"):
            super().ack(delivery_tag)

    def reject(self, delivery_tag, requeue=False):
        if not self._left_to_timeout(delivery_tag, "Rejection"):
            super().reject(delivery_tag, requeue=requeue)

    def restore_unacked(self, client=None):
        if client is None and self._detached():
            logger.warning(
                "Broker connection lost with %d unacknowledged message(s); they stay in Redis "
                "and are delivered again after the visibility timeout.",
                len(self._delivered),
            )
            self._delivered.clear()
            return
        return super().restore_unacked(client)


class _Channel(kombu_redis.Channel):
    QoS = _QoS


class RedisTransport(kombu_redis.Transport):
    """kombu's Redis transport with :class:`_QoS` (``CELERY_BROKER_TRANSPORT``)."""

    Channel = _Channel


@setup_logging.connect
def _configure_logging(**_kwargs) -> None:
    """The worker and beat log through ``settings.LOGGING``, as the web processes do (review of
    4 December, finding 2). Without a receiver of this signal Celery configures logging itself
    when a worker or beat starts: it empties the root logger's handlers (``worker_hijack_root_
    logger``) and installs its own, unfiltered ones, so the BSN mask
    (:class:`common.logging.BsnMaskingFilter`) was gone from every task failure and traceback.
    With this receiver Celery configures nothing: the task loggers (``celery.task``) and the
    redirected stdout/stderr (``celery.redirected``) propagate to the root's masked console."""
    from django.conf import settings
    from django.utils.log import configure_logging

    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)


@celeryd_after_setup.connect
def _redirect_stdouts(sender, instance, **_kwargs) -> None:
    """A worker whose logging a ``setup_logging`` receiver configured does not send its stdout
    and stderr (a task's ``print``, a stray traceback) to the logger ``celery.redirected``: do
    that here, as Celery would (``worker_redirect_stdouts``), so they pass the BSN mask too. Sent
    in the main process before the pool's processes start (they inherit it); the banner is
    written to ``sys.__stdout__`` and is not affected."""
    if instance.redirect_stdouts:
        instance.app.log.redirect_stdouts(instance.redirect_stdouts_level)


@after_setup_logger.connect
@after_setup_task_logger.connect
def _mask_celery_handlers(logger, **_kwargs) -> None:
    """A second line of defence: should Celery ever configure its loggers itself (these signals
    are sent only then), every handler it installs masks BSNs too."""
    from common.logging import mask_handlers

    mask_handlers(logger)


@beat_init.connect
def _beat_heartbeat(sender, **_kwargs) -> None:
    """With ``BEAT_HEARTBEAT_FILE`` set (docker-compose), beat touches that file at the start of
    every turn of its loop, a few seconds apart (also while the database is down: the scheduler
    then returns quickly). A stale file means beat is stuck; the health check reads its age."""
    path = os.environ.get("BEAT_HEARTBEAT_FILE")
    if not path:
        return
    heartbeat = Path(path)
    scheduler = sender.scheduler
    tick = scheduler.tick

    def tick_with_heartbeat(*args, **kwargs):
        heartbeat.touch()
        return tick(*args, **kwargs)

    scheduler.tick = tick_with_heartbeat


app = Celery("caseload")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
