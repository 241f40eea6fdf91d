"""Forms of the indicator pages (validation only; saving goes through the services)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import BaseForm, DutchDecimalField, FixedFormSet

from .registry import IndicatorDefinition


def _figure_field(label: str) -> DutchDecimalField:
    """A baseline or target: optional, not negative, two decimals, typed the Dutch way."""
    return DutchDecimalField(
        label=label,
        required=False,
        max_digits=14,
        decimal_places=2,
        min_value=0,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


class TargetForm(BaseForm):
    """One row of the targets page: the nulmeting and streefwaarde of one indicator."""

    baseline = _figure_field(_("Nulmeting"))
    target = _figure_field(_("Streefwaarde"))
    note = forms.CharField(
        label=_("Toelichting of bron"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"inputmode": "text"}),
    )

    def __init__(self, *args: Any, definition: IndicatorDefinition, **kwargs: Any) -> None:
        self.definition = definition
        super().__init__(*args, **kwargs)


def target_prefix(code: str) -> str:
    """The prefix of one indicator's row: its code with ``_`` for ``.`` (``outflow_to_work``)."""
    return code.replace(".", "_")


class BaseTargetFormSet(FixedFormSet):
    """One :class:`TargetForm` per indicator definition, in registry order.

    The rows are fixed (one per definition), so the browser posts no management form, and each
    row keeps the prefix of its code: the field names stay ``<code>-baseline``, ``<code>-target``
    and ``<code>-note``.
    """

    def __init__(
        self, *args: Any, definitions: Sequence[IndicatorDefinition], **kwargs: Any
    ) -> None:
        self.definitions = list(definitions)
        super().__init__(*args, **kwargs)

    def row_count(self) -> int:
        return len(self.definitions)

    def _construct_form(self, i: int, **kwargs: Any) -> forms.Form:
        defn = self.definitions[i]
        return super()._construct_form(
            i, definition=defn, prefix=target_prefix(defn.code), **kwargs
        )

    def rows(self) -> list[tuple[IndicatorDefinition, forms.Form]]:
        return list(zip(self.definitions, self.forms, strict=True))


TargetFormSet = forms.formset_factory(TargetForm, formset=BaseTargetFormSet, extra=0)
