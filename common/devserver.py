"""``make run``: start embedded PostgreSQL and Redis when no URLs are given, set up the database,
print the demo logins, then run web + worker + beat (honcho, from the Procfile) in the foreground.

Ctrl-C reaches honcho, which stops its processes; this process then stops the servers it started.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def main() -> int:
    os.chdir(BASE_DIR)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ.setdefault("DEMO_MODE", "1")
    os.environ.setdefault("DEMO_PASSWORD", "demo-wachtwoord-2026")
    os.environ["PYTHON"] = sys.executable
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"

    from common import embedded

    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = embedded.postgres_url()
        print("PostgreSQL (embedded) running, data in .local/pgdata")
    if not os.environ.get("REDIS_URL"):
        os.environ["REDIS_URL"] = embedded.redis_url()
        print(f"Redis (embedded) running at {os.environ['REDIS_URL']}")

    subprocess.run(["bin/entrypoint", "setup"], check=True)  # noqa: S607
    subprocess.run([sys.executable, "manage.py", "demo_logins"], check=True)  # noqa: S603

    # Ctrl-C goes to the whole foreground process group; honcho handles it for its children.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_: None)
    honcho = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "honcho", "start", "-f", "Procfile"],
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # noqa: PLW1509
    )
    code = honcho.wait()
    print("All processes stopped.")
    return code


if __name__ == "__main__":
    sys.exit(main())
