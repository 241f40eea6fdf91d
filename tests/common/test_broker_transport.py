"""``config.celery.RedisTransport``'s repair of kombu's Redis QoS on a channel whose transport
a reconnect detached (issue 13, finding 2; the fault run of 3 December). The scenario with the
real worker and Redis is in tests/faults (test_worker.py, test_job_outage.py); its timing
decides whether kombu still had the channel's pool, so the repair itself is held here."""

from __future__ import annotations

import logging

from kombu.transport import redis as kombu_redis

from config.celery import RedisTransport, _QoS


def _detached_channel() -> kombu_redis.Channel:
    """kombu's Redis channel as ``collect()`` leaves it: its ``connection`` (the transport) is
    gone and its connection pool not made yet."""
    channel = kombu_redis.Channel.__new__(kombu_redis.Channel)
    channel.connection = None
    channel._pool = None
    channel.do_restore = False
    return channel


def test_the_project_transport_uses_the_repaired_qos():
    assert RedisTransport.Channel.QoS is _QoS
    assert issubclass(_QoS, kombu_redis.QoS)


def test_ack_and_reject_on_a_detached_channel_leave_the_message_to_the_timeout(caplog):
    qos = _QoS(_detached_channel())
    qos._delivered["a"] = "message a"
    qos._delivered["b"] = "message b"
    with caplog.at_level(logging.WARNING, logger="config.celery"):
        qos.ack("a")  # kombu: AttributeError 'NoneType' object has no attribute 'client'
        qos.reject("b", requeue=True)
    assert dict(qos._delivered) == {}
    assert "Acknowledgement on a channel of a lost broker connection skipped" in caplog.text
    assert "Rejection on a channel of a lost broker connection skipped" in caplog.text


def test_kombus_own_ack_fails_there():
    """The failure the repair takes away (kombu 5.7): the acknowledgement reaches for the lost
    transport's connection details."""
    qos = kombu_redis.QoS(_detached_channel())
    qos._delivered["a"] = "message a"
    try:
        qos.ack("a")
    except AttributeError as exc:
        assert "'NoneType' object has no attribute 'client'" in str(exc)
        return
    raise AssertionError("kombu acknowledged on a detached channel: the repair may go")
