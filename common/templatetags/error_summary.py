"""``{% error_summary form ... %}``: at the top of a long page, every error of its forms as a
link to the field (the walk of 4 December: on the targets page and the budget page a refused
save came back at the top with the only message thousands of pixels further down).

Each argument is a form, or a list of forms, or a list of ``(thing, form)`` pairs whose
``thing.label`` (or text) names the row (the targets page: one form per indicator)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django import template
from django.forms import BaseForm

register = template.Library()


def _forms(group) -> Iterator[tuple[str, BaseForm]]:
    if group is None or group == "":
        return
    if isinstance(group, BaseForm):
        yield "", group
        return
    if isinstance(group, Iterable):
        for item in group:
            if isinstance(item, BaseForm):
                yield "", item
            elif isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], BaseForm):
                yield str(getattr(item[0], "label", item[0])), item[1]


@register.inclusion_tag("common/_error_summary.html")
def error_summary(*groups) -> dict:
    items: list[dict[str, str]] = []
    for group in groups:
        for row, form in _forms(group):
            if not form.is_bound:
                continue
            for error in form.non_field_errors():
                items.append({"label": row, "text": error, "href": ""})
            for field in form:
                for error in field.errors:
                    label = f"{row}, {field.label}" if row else str(field.label)
                    items.append({"label": label, "text": error, "href": f"#{field.auto_id}"})
    return {"items": items}
