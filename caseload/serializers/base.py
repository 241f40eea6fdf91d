"""The serializer bases every caseload resource shares."""

from __future__ import annotations

from rest_framework import serializers

from caseload.models import Resident, User

ID_HELP = "Technisch id; stabiel, zonder betekenis."


class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A related id whose queryset comes from the view's context (what the caller may see).

    Every id a write references goes through one of these (issue 12, finding 3): an object
    outside the scope answers exactly like a nonexistent id ("bestaat niet"), so the answer
    does not reveal that it exists. Without a request (schema generation) the queryset is
    empty. Without a ``help_text`` of its own the field describes itself with the model
    field's."""

    def __init__(self, *, scope: str, model, **kwargs):
        self.scope = scope
        kwargs.setdefault("queryset", model.objects.none())
        super().__init__(**kwargs)

    def bind(self, field_name, parent):
        super().bind(field_name, parent)
        model = getattr(getattr(parent, "Meta", None), "model", None)
        if self.help_text is None and model is not None:
            self.help_text = model_help_text(model, self.source)

    def get_queryset(self):
        scopes = self.context.get("scopes") or {}
        factory = scopes.get(self.scope)
        return factory() if factory is not None else super().get_queryset()

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


def model_help_text(model, field_name: str):
    """The ``help_text`` of a model field, or None: for a serializer field declared by hand."""
    return model._meta.get_field(field_name).help_text or None


class ReadSerializer(serializers.ModelSerializer):
    """Output only. Keeps ``allow_blank`` on read-only fields (DRF drops it), so the schema
    documents that a blank choice ("" for 'not set') can be returned."""

    # (this docstring is the schema's description of every read component; the field
    # descriptions come from the model fields' help_text, ``id``'s from ID_HELP)

    def get_extra_kwargs(self):
        extra_kwargs = super().get_extra_kwargs()
        if "id" in self.Meta.fields:
            extra_kwargs["id"] = {"help_text": ID_HELP, **extra_kwargs.get("id", {})}
        return extra_kwargs

    def include_extra_kwargs(self, kwargs, extra_kwargs):
        allow_blank = kwargs.get("allow_blank", False)
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if allow_blank:
            kwargs["allow_blank"] = True
        return kwargs


class ServiceSerializer(serializers.ModelSerializer):
    """A ModelSerializer used for input only: ``save()`` calls ``perform(validated_data)``."""

    def perform(self, data: dict):  # pragma: no cover - overridden
        raise NotImplementedError

    def create(self, validated_data):
        return self.perform(validated_data)

    @property
    def user(self) -> User:
        return self.context["request"].user


def resident_field() -> ScopedPrimaryKeyField:
    """The resident a new record belongs to: one the caller may see."""
    return ScopedPrimaryKeyField(scope="residents", model=Resident)
