"""Issue 16, point 9: the caseload API is split per resource, and its field descriptions are the
model fields' ``help_text`` instead of dictionaries of help texts repeated in the serializers."""

import importlib
import inspect
import pkgutil
from pathlib import Path

from rest_framework import serializers

import caseload.api
import caseload.serializers
from caseload.serializers.base import ID_HELP, ReadSerializer, ServiceSerializer
from tests.security.conftest import url_routes

ROOT = Path(__file__).resolve().parents[2]


def _modules(package):
    return [
        importlib.import_module(f"{package.__name__}.{info.name}")
        for info in pkgutil.iter_modules(package.__path__)
    ]


def _serializer_classes():
    found = {}
    for module in _modules(caseload.serializers):
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, serializers.ModelSerializer) and cls.__module__ == module.__name__:
                found[cls.__qualname__] = cls
    return found.values()


def test_point_9_serializers_and_api_are_one_module_per_resource():
    """Issue 16, point 9: no 1,000-line serializers.py or 700-line api.py; every routed caseload
    viewset lives in a module of the caseload.api package, none in its __init__."""
    assert not (ROOT / "caseload/serializers.py").exists()
    assert not (ROOT / "caseload/api.py").exists()
    for package in ("caseload/api", "caseload/serializers"):
        for path in (ROOT / package).glob("*.py"):
            assert len(path.read_text().splitlines()) < 300, path
    viewsets = {
        route.callback.cls
        for route in url_routes(unnamed=True)
        if getattr(route.callback, "cls", None) is not None
        and route.callback.cls.__module__.startswith("caseload.")
    }
    assert viewsets
    for cls in viewsets:
        assert cls.__module__.startswith("caseload.api."), cls


def test_point_9_model_fields_describe_themselves_from_the_model():
    """Issue 16, point 9: every model field a caseload serializer shows or takes is described by
    the model field's help_text (which the OpenAPI schema shows), not by a text repeated in the
    serializer; ``id`` by the one ID_HELP."""
    checked = 0
    missing = []
    for cls in _serializer_classes():
        if not issubclass(cls, (ReadSerializer, ServiceSerializer)) or not hasattr(cls, "Meta"):
            continue
        assert "help_text" not in str(getattr(cls.Meta, "extra_kwargs", {})), cls
        model = cls.Meta.model
        model_fields = {f.name: f for f in model._meta.get_fields() if hasattr(f, "help_text")}
        for name, field in cls().fields.items():
            source = field.source or name
            if name == "id":
                assert field.help_text == ID_HELP, cls
                continue
            if (
                source not in model_fields
                or name in cls._declared_fields
                and (field.help_text != model_fields[source].help_text)
            ):
                continue  # a field the model does not have, or a meaning of its own on input
            checked += 1
            if not model_fields[source].help_text:
                missing.append(f"{model.__name__}.{source}")
            assert field.help_text == model_fields[source].help_text, (cls, name)
    assert missing == []
    assert checked > 100
