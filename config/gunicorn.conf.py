"""gunicorn settings for ``bin/entrypoint web`` (the command line there sets bind and workers).

The access log goes to stdout through ``common.logging.GunicornLogger``, which masks every run
of nine digits (a BSN's shape) in the request line, query string, referer and headers (#12).

Keep-alive (issue 13, finding 7): gunicorn closes an idle kept-alive connection after
``keepalive`` seconds, 2 by default. A reverse proxy or client that reuses its idle connection a
moment later sends its request into a connection the server is closing and gets a reset (a 502
from the proxy). The server's idle timeout must therefore be longer than that of everything in
front of it: ``GUNICORN_KEEPALIVE`` seconds, 75 by default, above the common 60 s of nginx'
``keepalive_timeout`` to upstreams, HAProxy and cloud load balancers (docs/deployment.md).
Keep-alive applies to the threaded workers ``bin/entrypoint web`` starts (``--threads``).
"""

import os

logger_class = "common.logging.GunicornLogger"
accesslog = "-"
errorlog = "-"
graceful_timeout = 10
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "75"))
