"""The BRP simulator served over real HTTP in a thread, and the settings that point the client at
it (the same client and settings the running system uses)."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import pytest

from registers.brp.simulator import BrpSimulator, make_simulator_server

API_KEY = "test-brp-key"


@dataclass
class BrpServer:
    url: str
    app: BrpSimulator


@pytest.fixture
def brp_server(settings):
    app = BrpSimulator(api_key=API_KEY, api_key_header="X-API-Key", delay=3.0)
    server = make_simulator_server(app, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}/haalcentraal/api/brp"
    settings.BRP_BASE_URL = url
    settings.BRP_API_KEY = API_KEY
    settings.BRP_API_KEY_HEADER = "X-API-Key"
    settings.BRP_TIMEOUT = 1.0
    try:
        yield BrpServer(url=url, app=app)
    finally:
        server.shutdown()
        server.server_close()
