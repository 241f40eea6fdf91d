"""API serializers for the caseload, one module per resource. Thin: they validate input and
call one service.

Field descriptions come from the model fields' ``help_text`` (``caseload/models.py``), which
ModelSerializer copies and the OpenAPI schema shows; a serializer states a text only for a field
the model does not have or whose meaning differs on input (a default, for instance). Querysets of
related ids come from the view (``context["scopes"]``), trimmed to what the caller may see.
"""
