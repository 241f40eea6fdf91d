"""Load profile for ``bench/run.py`` (locust, headless).

Two restricted roles, never a superuser: consulenten (worklist, dossier, intake save, API list and
create) and managers (the indicator dashboard). Both also hit the framework floor: ``/health/``
(one ``SELECT 1`` and a Redis PING) and a static file, served by the same gunicorn.

Input comes from the JSON file in ``BENCH_LOCUST_DATA`` (written by run.py): logins, the
residents the consulent may see (with an intake draft), the API token and the dashboard year.
"""

from __future__ import annotations

import json
import os
import random
import uuid

from locust import HttpUser, between, task

DATA = json.loads(open(os.environ["BENCH_LOCUST_DATA"]).read())  # noqa: SIM115
CSRF_SECRET = "".join(random.choices("abcdefghijklmnopqrstuvwxyz0123456789", k=32))
# Think time per simulated user (seconds); run.py passes BENCH_WAIT.
WAIT = [float(x) for x in os.environ.get("BENCH_WAIT", "1,2").split(",")]


class _Session(HttpUser):
    abstract = True
    wait_time = between(*WAIT)
    username = ""

    def on_start(self) -> None:
        # A session made by run.py (Django's force_login): the PBKDF2 login (~0.5 s of CPU) is
        # not part of what is measured. The CSRF secret is ours: cookie and form field agree.
        session = DATA["sessions"][self.username].pop()
        self.client.cookies.set("sessionid", session)
        self.csrf = CSRF_SECRET
        self.client.cookies.set("csrftoken", CSRF_SECRET)

    @task(1)
    def floor_health(self) -> None:
        self.client.get("/health/", name="floor: /health/")

    @task(1)
    def floor_static(self) -> None:
        self.client.get(DATA["static_url"], name="floor: static file")


class Consulent(_Session):
    weight = 3
    username = DATA["consulent"]

    @task(3)
    def worklist(self) -> None:
        self.client.get("/caseload/", name="worklist")

    @task(3)
    def dossier(self) -> None:
        rid = random.choice(DATA["residents"])
        self.client.get(f"/caseload/inwoners/{rid}/", name="dossier")

    @task(1)
    def intake_save(self) -> None:
        rid = random.choice(DATA["intake_residents"])
        with self.client.post(
            f"/intake/{rid}/stap/1/",
            {
                "score": str(random.randint(1, 5)),
                "notes": "Kan 4 uur per dag zittend werk.",
                "csrfmiddlewaretoken": self.csrf,
            },
            headers={"Referer": self.host + f"/intake/{rid}/stap/1/"},
            name="intake save",
            allow_redirects=False,
            catch_response=True,
        ) as r:
            if r.status_code != 302:
                r.failure(f"intake save: {r.status_code}")

    @task(1)
    def api_list(self) -> None:
        self.client.get(
            "/api/v1/caseload/residents/?page_size=50",
            headers={"Authorization": f"Bearer {DATA['token']}"},
            name="API list residents",
        )

    @task(1)
    def api_create(self) -> None:
        with self.client.post(
            "/api/v1/caseload/contact-moments/",
            json={
                "resident": random.choice(DATA["residents"]),
                "occurred_on": DATA["today"],
                "channel": "telefoon",
                "summary": "Telefonisch contact over sollicitaties.",
            },
            headers={
                "Authorization": f"Bearer {DATA['token']}",
                "Idempotency-Key": str(uuid.uuid4()),
            },
            name="API create contact",
            catch_response=True,
        ) as r:
            if r.status_code != 201:
                r.failure(f"API create: {r.status_code} {r.text[:200]}")


class Manager(_Session):
    weight = 1
    username = DATA["manager"]

    @task(4)
    def dashboard(self) -> None:
        self.client.get(f"/indicatoren/?jaar={DATA['year']}", name="dashboard")
