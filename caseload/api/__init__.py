"""The caseload REST API (/api/v1/caseload/): one module per resource, routed by
``caseload/api_urls.py``; the shared pagination, scoping and base viewsets are in ``base``."""
