"""No BSN in a log line: masking for Django's loggers and gunicorn's access log (issue 12).

Every run of exactly nine digits (the shape of a BSN, whether or not it passes the 11-test), and
every BSN typed with separators (``common.bsn.BSN_SHAPED``), is replaced by ``*********`` before
a record is written:

* :class:`BsnMaskingFilter` is a ``logging.Filter`` on the handlers in ``LOGGING`` (settings),
  so it covers every logger that reaches them, ``django.server`` and ``django.request``
  included, and the formatted traceback of a record with ``exc_info`` (a database error's
  DETAIL line names the key that failed, e.g. a BSN);
* the Celery worker and beat configure their logging from ``LOGGING`` too (``config.celery``:
  a ``setup_logging`` receiver, so Celery installs no unfiltered handlers of its own);
* :class:`GunicornLogger` is gunicorn's logger class (``config/gunicorn.conf.py``): the access
  log's request line, query string, referer and headers are masked, and its error log gets the
  same filter.
"""

from __future__ import annotations

import logging

from gunicorn.glogging import Logger as _GunicornBaseLogger

from common.bsn import mask_bsns


def mask_bsn_shaped(text: str) -> str:
    """``text`` with every run of exactly nine digits replaced by ``*********``, and every BSN
    typed with separators ("111 222 333", "111.222.333", "111+222+333" in a URL)."""
    return mask_bsns(text, every_nine_digit_run=True)


class BsnMaskingFilter(logging.Filter):
    """Masks nine-digit runs in the message, its arguments and its traceback. Never drops a
    record. The message is formatted here once (``msg % args``) and stored masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string is the handler's to report
            return True
        masked = mask_bsn_shaped(message)
        if masked != message or record.args:
            record.msg = masked
            record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_bsn_shaped(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_bsn_shaped(record.stack_info)
        return True


def mask_handlers(logger: logging.Logger) -> None:
    """Put a :class:`BsnMaskingFilter` on every handler of ``logger`` that has none (a handler
    someone else configured, e.g. Celery's own when it sets up a worker's loggers)."""
    for handler in logger.handlers:
        if not any(isinstance(f, BsnMaskingFilter) for f in handler.filters):
            handler.addFilter(BsnMaskingFilter())


class RefusalWithoutTracebackFilter(logging.Filter):
    """A refused request (403, 404: a permission or scope check doing its job) is logged by
    ``django.request`` as one warning line, without the traceback Django attaches to it, so that
    the expected refusals do not bury the errors in the log. A 4xx other than these and every
    5xx keep their traceback. Never drops a record."""

    QUIET = frozenset({403, 404})

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "django.request" and getattr(record, "status_code", None) in self.QUIET:
            record.exc_info = None
            record.exc_text = None
        return True


class GunicornLogger(_GunicornBaseLogger):
    """gunicorn's logger with nine-digit runs masked in every access-log atom (the request line
    ``%(r)s``, path, query string, referer, user agent and headers) and in the error log."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            if not any(isinstance(f, BsnMaskingFilter) for f in log.filters):
                log.addFilter(BsnMaskingFilter())

    def atoms(self, resp, req, environ, request_time) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        return {k: mask_bsn_shaped(v) if isinstance(v, str) else v for k, v in atoms.items()}
