"""Form widgets shared by the apps."""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

_SELECTED = mark_safe(" selected")  # noqa: S308 - a constant attribute


class CompactSelect(forms.Select):
    """A ``<select>`` whose options are built in one pass in Python instead of through two
    template includes per option (Django's ``select_option.html`` and ``attrs.html``).

    For long option lists such as the consulenten of a large team on the worklist filter (230
    at 40,000 households, 2,290 at 400,000), where rendering the options was a third of the
    worklist's time (docs/benchmarks/README.md). No option groups, no per-option attributes;
    the ``<select>``'s own attributes (id, aria-describedby, required) are kept.
    """

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        selected = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((str(v), _SELECTED if str(v) in selected else "", label) for v, label in self.choices),
        )
        final_attrs = self.build_attrs(self.attrs, attrs)
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final_attrs), options)
