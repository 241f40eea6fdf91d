"""``manage.py brp_simulator``: serve the BRP Personen Bevragen simulator (``make run`` starts it
from the Procfile). ``--list`` prints the BSNs the simulator knows but the gemeente does not, each
with the demo municipality the person is registered in (a consulent registers only the residents
of their own municipality), then the BSNs that answer with an error, and stops."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from registers.brp.simulator import (
    ERROR_BSNS,
    BrpSimulator,
    demo_municipalities,
    make_simulator_server,
    unknown_applicants,
)


class Command(BaseCommand):
    help = "Serve the BRP Personen Bevragen simulator (Haal Centraal, version 2) over HTTP."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8001)
        parser.add_argument(
            "--delay",
            type=float,
            default=max(10.0, float(settings.BRP_TIMEOUT) * 3),
            help="seconds the timeout BSN waits before it answers",
        )
        parser.add_argument("--list", action="store_true", help="print the demo BSNs and stop")

    def handle(self, *args, host, port, delay, list, **options):  # noqa: A002
        if list:
            for municipality in demo_municipalities():
                place = f"{municipality.city} ({municipality.cbs_code})"
                for bsn in unknown_applicants(municipality.cbs_code):
                    self.stdout.write(f"{bsn}  {place}  onbekend bij de gemeente, bekend in de BRP")
            for bsn, outcome in ERROR_BSNS.items():
                self.stdout.write(f"{bsn}  antwoordt: {outcome}")
            return
        app = BrpSimulator(
            api_key=settings.BRP_API_KEY, api_key_header=settings.BRP_API_KEY_HEADER, delay=delay
        )
        server = make_simulator_server(app, host=host, port=port, quiet=False)
        self.stdout.write(f"BRP-simulator op http://{host}:{port}/haalcentraal/api/brp/personen")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
