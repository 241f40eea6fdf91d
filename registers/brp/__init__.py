"""The BRP (Basisregistratie Personen) through the Haal Centraal "BRP Personen Bevragen" API:
the client (``client.py``) and a simulator of the API (``simulator.py``)."""
