"""One form-rendering path: the project's form renderer and the base form classes.

Every UI form inherits :class:`BaseForm` (or :class:`BaseModelForm`): it puts the CSS classes of
the Utrecht components on the widgets and marks a field with an error as invalid. Django itself
adds ``aria-invalid="true"`` and ``aria-describedby`` (``<id>_helptext``, ``<id>_error``) to the
widget; the one field template (``templates/common/forms/field.html``, chosen by
:class:`FormRenderer`) renders the label tied to the input, the help text and the errors with
exactly those ids, and marks a required field. Templates render a field with
``{{ field.as_field_group }}`` and a form with ``{{ form }}``.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms.formsets import (
    INITIAL_FORM_COUNT,
    MAX_NUM_FORM_COUNT,
    MIN_NUM_FORM_COUNT,
    TOTAL_FORM_COUNT,
    ManagementForm,
)
from django.forms.renderers import TemplatesSetting
from django.forms.widgets import Input
from django.utils.functional import cached_property
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from common.exceptions import DomainError
from common.numbers import AmbiguousNumber, NotANumber, format_dutch, parse_dutch_decimal

FIELD_TEMPLATE = "common/forms/field.html"
FORM_TEMPLATE = "common/forms/form.html"

#: The Utrecht component class per widget kind, first match wins (subclasses before bases).
WIDGET_CLASSES: tuple[tuple[type[forms.Widget], str], ...] = (
    (forms.CheckboxInput, "utrecht-checkbox utrecht-checkbox--html-input"),
    (forms.Select, "utrecht-select utrecht-select--html-select"),
    (forms.Textarea, "utrecht-textarea utrecht-textarea--html-textarea"),
    (forms.FileInput, "utrecht-textbox"),
    (Input, "utrecht-textbox utrecht-textbox--html-input"),
)

_INVALID_BASES = ("utrecht-textbox", "utrecht-textarea", "utrecht-select")


class FormRenderer(TemplatesSetting):
    """The project's renderer (``FORM_RENDERER``): the project's template engine, one form
    template and one accessible field template."""

    form_template_name = FORM_TEMPLATE
    field_template_name = FIELD_TEMPLATE


def widget_class(widget: forms.Widget) -> str:
    """The Utrecht CSS class for ``widget`` ("" for hidden inputs and unknown widgets)."""
    if widget.is_hidden:
        return ""
    for kind, css in WIDGET_CLASSES:
        if isinstance(widget, kind):
            return css
    return ""


#: a value that is none of a choice field's options (a posted value the form did not offer):
#: Django's "Selecteer een geldige keuze. 9 is geen beschikbare keuze." echoed the value in
#: other words than the rest of the forms (the walk of 4 December)
INVALID_CHOICE = _("Kies een van de mogelijkheden uit de lijst.")


_STOCK_INVALID_CHOICE = (
    forms.ChoiceField.default_error_messages["invalid_choice"],
    forms.MultipleChoiceField.default_error_messages["invalid_choice"],
)


def _plain_invalid_choice(field: forms.Field) -> None:
    """Give a plain choice field (not a model choice, whose scoped "does not exist" stays) the
    message :data:`INVALID_CHOICE`, unless it set its own."""
    if (
        isinstance(field, forms.ChoiceField)
        and not isinstance(field, forms.ModelChoiceField)
        and field.error_messages.get("invalid_choice") in _STOCK_INVALID_CHOICE
    ):
        field.error_messages = {**field.error_messages, "invalid_choice": INVALID_CHOICE}


class UtrechtFormMixin:
    """Utrecht classes on every widget; the ``--invalid`` modifier on a field with an error;
    a service's :class:`DomainError` attached to the field it names."""

    fields: dict[str, forms.Field]
    _errors: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():
            css = widget_class(field.widget)
            if css:
                field.widget.attrs.setdefault("class", css)
            _plain_invalid_choice(field)

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        self._mark_errors()

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)  # type: ignore[misc]
        self._mark_errors()

    def add_domain_error(self, exc: DomainError) -> None:
        """Attach a service's error to the field it names, or to the form as a whole."""
        field = exc.field if exc.field in self.fields else None
        self.add_error(field, exc.message)

    def add_problems(self, problems: Sequence[DomainError | None]) -> None:
        """A service's rule checks (``*_problems``, each a list of ``DomainError`` or None) on
        the form, all at once: the first problem of every field that has no error of its own
        yet, and of the form as a whole. The service checks the same rules again when it saves
        (the API's guard, which refuses with the first)."""
        first: dict[str | None, DomainError] = {}
        for problem in problems:
            if problem is not None:
                first.setdefault(problem.field, problem)
        for field, problem in first.items():
            if field is None or (field in self.fields and field not in self.errors):
                self.add_domain_error(problem)

    def _mark_errors(self) -> None:
        if getattr(self, "_errors", None) is None:
            return
        for name, field in self.fields.items():
            if name not in self._errors:
                continue
            css = field.widget.attrs.get("class", "")
            for base in _INVALID_BASES:
                if css.startswith(base) and f"{base}--invalid" not in css:
                    field.widget.attrs["class"] = f"{css} {base}--invalid"


class DutchDecimalField(forms.DecimalField):
    """An amount or other decimal typed the Dutch way (``11.500.000,00``, ``14.400``; see
    :mod:`common.numbers`); an ambiguous ``14.40`` is refused, never read as 14,40. The value
    shown in the input (a pre-filled one included) uses the same separators."""

    widget = forms.TextInput(attrs={"inputmode": "decimal"})
    default_error_messages = {
        "invalid": _("Vul een getal in, bijvoorbeeld 1.250,50."),
        "ambiguous": _(
            "Schrijf decimalen met een komma (14,40) en duizendtallen met een punt (14.400): "
            "“%(value)s” kan beide betekenen."
        ),
    }

    def __init__(self, *args: Any, example: str | None = None, **kwargs: Any) -> None:
        """``example``: the number the error of an unreadable value shows (default an amount,
        ``1.250,50``; ``"24,5"`` for hours per week), unless ``error_messages`` gives one."""
        super().__init__(*args, **kwargs)
        # the limits in Dutch notation ("minstens 0,01", not Django's "0.01"; the walk of
        # 3 December)
        for index, validator in enumerate(self.validators):
            if isinstance(validator, MinValueValidator | MaxValueValidator):
                limit = validator.limit_value
                text = format_dutch(Decimal(limit)) if isinstance(limit, Decimal | int) else limit
                message = (
                    _("Vul een waarde in van minstens %(limit)s.")
                    if isinstance(validator, MinValueValidator)
                    else _("Vul een waarde in van hoogstens %(limit)s.")
                ) % {"limit": text}
                self.validators[index] = type(validator)(limit, message=message)
        if example is not None and "invalid" not in (kwargs.get("error_messages") or {}):
            self.error_messages["invalid"] = format_lazy(
                _("Vul een getal in, bijvoorbeeld {example}."), example=example
            )

    def to_python(self, value: Any) -> Decimal | None:
        if value in self.empty_values:
            return None
        if isinstance(value, (Decimal, int)):
            return Decimal(value)
        text = str(value).strip()
        try:
            number = parse_dutch_decimal(text)
        except AmbiguousNumber:
            raise ValidationError(
                self.error_messages["ambiguous"], code="ambiguous", params={"value": text}
            ) from None
        except NotANumber:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not number.is_finite():  # pragma: no cover - the parser admits digits only
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, (Decimal, int, float)) and not isinstance(value, bool):
            return format_dutch(value)
        return value


class DutchIntegerField(forms.IntegerField):
    """A whole number typed the Dutch way (``10.000``); ``grouping=False`` for years and months,
    which are shown without a thousands point."""

    widget = forms.TextInput(attrs={"inputmode": "numeric"})
    default_error_messages = {
        "invalid": _("Vul een geheel getal in, bijvoorbeeld 12."),
        "ambiguous": DutchDecimalField.default_error_messages["ambiguous"],
    }

    def __init__(self, *args: Any, grouping: bool = True, **kwargs: Any) -> None:
        self.grouping = grouping
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        text = str(value).strip()
        try:
            number = parse_dutch_decimal(text)
        except AmbiguousNumber:
            raise ValidationError(
                self.error_messages["ambiguous"], code="ambiguous", params={"value": text}
            ) from None
        except NotANumber:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if number != number.to_integral_value():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return int(number)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return format_dutch(value, grouping=self.grouping)
        return value


class PersonChoiceField(forms.ModelChoiceField):
    """A colleague chosen by name (the full name, else the login): a select of users showed
    logins (the walk of 4 December: "accountmanager" in the employer form)."""

    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


def required_choice(label, choices, *, empty, required, typed: bool = False) -> forms.ChoiceField:
    """A choice that records a fact: it starts on an empty option ("— kies … —") and must be
    chosen, with ``required`` as its message. A select without an empty option shows its first
    choice, and a user who filled in only a date recorded a trajectory result, an outflow reason
    or a ladder step nobody chose (the walk of 3 December, night). ``typed``: coerced to int."""
    field = forms.TypedChoiceField if typed else forms.ChoiceField
    extra = {"coerce": int} if typed else {}
    return field(
        label=label,
        choices=[("", empty), *choices],
        error_messages={"required": required},
        **extra,
    )


TABLE_UPLOAD_ERRORS = {
    "extension": _("Alleen CSV- of XLSX-bestanden."),
    "too_large": _("Het bestand is groter dan %(size)s MB; splits het in kleinere bestanden."),
}


def check_table_upload(upload: Any, *, max_bytes: int | None = None, messages=None) -> None:
    """The checks of an uploaded table before anything reads it into memory, for a page
    (:class:`TableFileField`) and an API (``budget.api``) alike: a ``.csv`` or ``.xlsx`` name, and
    at most ``max_bytes`` (default ``settings.TABULAR_IMPORT_MAX_BYTES``). ``ValidationError``
    (code ``extension`` or ``too_large``) otherwise; ``messages`` overrides
    :data:`TABLE_UPLOAD_ERRORS`. The workbook's unpacked size is checked when the import reads
    the file (``common.tabular_read.read_table``)."""
    messages = messages or TABLE_UPLOAD_ERRORS
    if not upload.name.lower().endswith((".csv", ".xlsx")):
        raise ValidationError(messages["extension"], code="extension")
    limit = max_bytes if max_bytes is not None else settings.TABULAR_IMPORT_MAX_BYTES
    if limit and upload.size > limit:
        raise ValidationError(
            messages["too_large"],
            code="too_large",
            params={"size": f"{limit / (1024 * 1024):g}"},
        )


class TableFileField(forms.FileField):
    """An uploaded table for an import (:mod:`common.tabular_read`): a ``.csv`` or ``.xlsx``
    name, and at most ``max_bytes`` (default ``settings.TABULAR_IMPORT_MAX_BYTES``), checked
    before the view reads the file into memory (:func:`check_table_upload`)."""

    default_error_messages = TABLE_UPLOAD_ERRORS

    def __init__(self, *args: Any, max_bytes: int | None = None, **kwargs: Any) -> None:
        self.max_bytes = max_bytes
        kwargs.setdefault("widget", forms.FileInput(attrs={"accept": ".csv,.xlsx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if upload is None or upload is False:
            return upload
        check_table_upload(upload, max_bytes=self.max_bytes, messages=self.error_messages)
        return upload


class BaseForm(UtrechtFormMixin, forms.Form):
    """The base of every UI form (a test walks the forms modules)."""


class BaseModelForm(UtrechtFormMixin, forms.ModelForm):
    """The base of every UI model form."""


class FixedFormSet(forms.BaseFormSet):
    """A formset whose rows are fixed by the server (``row_count``), such as one row per
    indicator or the three actions of a new plan: it builds its own management form, so the
    browser posts none, and each row may keep field names of its own (its ``add_prefix``)."""

    def row_count(self) -> int:
        raise NotImplementedError

    @cached_property
    def management_form(self) -> ManagementForm:
        count = self.row_count()
        form = ManagementForm(
            {
                self.add_prefix(TOTAL_FORM_COUNT): count,
                self.add_prefix(INITIAL_FORM_COUNT): count,
                self.add_prefix(MIN_NUM_FORM_COUNT): 0,
                self.add_prefix(MAX_NUM_FORM_COUNT): count,
            },
            auto_id=self.auto_id,
            prefix=self.prefix,
            renderer=self.renderer,
        )
        form.full_clean()
        return form

    def total_form_count(self) -> int:
        return self.row_count()

    def initial_form_count(self) -> int:
        return self.row_count()


class FourEyesDecisionForm(BaseForm):
    """The privacy officer's decision on one pending item (an API key, a staff account's new
    access): a subclass adds the field that names the item; the buttons are
    ``templates/common/_four_eyes_decision.html``."""

    APPROVE = "goedkeuren"
    REJECT = "afwijzen"

    decision = forms.ChoiceField(
        label=_("Besluit"), choices=[(APPROVE, _("Goedkeuren")), (REJECT, _("Afwijzen"))]
    )
