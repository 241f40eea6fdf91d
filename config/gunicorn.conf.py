"""gunicorn settings for ``bin/entrypoint web`` (the command line there sets bind and workers).

The access log goes to stdout through ``common.logging.GunicornLogger``, which masks every run
of nine digits (a BSN's shape) in the request line, query string, referer and headers (#12).
"""

logger_class = "common.logging.GunicornLogger"
accesslog = "-"
errorlog = "-"
graceful_timeout = 10
