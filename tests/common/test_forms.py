"""One form-rendering path (issue 16, point 8): the renderer, the field template, the base form."""

import importlib
import inspect

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import get_default_renderer

from common.forms import BaseForm, BaseModelForm, FormRenderer

UI_FORM_MODULES = [
    "caseload.forms",
    "intake.forms",
    "indicators.forms",
    "budget.forms",
    "privacy.forms",
    "apiauth.forms",
    "registers.forms",
]


def test_point_8_every_ui_form_inherits_the_base_form():
    """Issue 16, point 8: every form class of the apps' forms modules inherits
    ``common.forms.BaseForm`` or ``BaseModelForm`` (Utrecht classes, one error marking)."""
    found, stray = [], []
    for name in UI_FORM_MODULES:
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != name or not issubclass(cls, forms.BaseForm):
                continue
            found.append(cls)
            if not issubclass(cls, (BaseForm, BaseModelForm)):
                stray.append(f"{name}.{cls.__name__}")
    assert len(found) > 20
    assert stray == []


def test_point_8_the_project_renderer_is_the_form_renderer():
    """Issue 16, point 8: ``FORM_RENDERER`` names the project renderer, whose field template is
    the one accessible field template."""
    assert settings.FORM_RENDERER == "common.forms.FormRenderer"
    renderer = get_default_renderer()
    assert isinstance(renderer, FormRenderer)
    assert renderer.field_template_name == "common/forms/field.html"


class _Example(BaseForm):
    name = forms.CharField(label="Naam", help_text="Zoals in de BRP.")
    note = forms.CharField(label="Notitie", required=False, widget=forms.Textarea)
    agreed = forms.BooleanField(label="Akkoord", required=False)
    kind = forms.ChoiceField(label="Soort", choices=[("a", "A"), ("b", "B")])


def _tag(html: str, start: str) -> str:
    at = html.index(start)
    return html[at : html.index(">", at) + 1]


def test_point_8_field_template_ties_label_help_and_errors_to_the_input():
    """Issue 16, point 8: the field template puts ``label for`` on the input's id,
    ``aria-describedby`` on the help and error ids that it renders, ``aria-invalid`` on error,
    marks a required field, and the base form puts the Utrecht classes on the widgets."""
    form = _Example({"name": "", "kind": "a"})
    assert not form.is_valid()
    html = form["name"].as_field_group()
    assert '<label class="utrecht-form-label" for="id_name">' in html
    assert "(verplicht)" in html
    assert 'id="id_name_helptext"' in html and 'id="id_name_error"' in html
    tag = _tag(html, "<input")
    assert 'id="id_name"' in tag and 'aria-invalid="true"' in tag
    assert 'aria-describedby="id_name_helptext id_name_error"' in tag
    assert "utrecht-textbox utrecht-textbox--html-input utrecht-textbox--invalid" in tag
    assert "utrecht-form-field--invalid" in html

    valid = _Example({"name": "Jan", "kind": "a"})
    assert valid.is_valid()
    html = valid["name"].as_field_group()
    tag = _tag(html, "<input")
    assert "aria-invalid" not in tag and 'aria-describedby="id_name_helptext"' in tag
    assert "id_name_error" not in html

    note = valid["note"].as_field_group()
    assert "(verplicht)" not in note and "utrecht-textarea--html-textarea" in note
    assert "utrecht-checkbox--html-input" in valid["agreed"].as_field_group()
    assert "utrecht-select--html-select" in valid["kind"].as_field_group()


@pytest.mark.parametrize("field", ["name", "kind"])
def test_point_8_form_renders_every_field_through_the_field_template(field):
    """Issue 16, point 8: ``{{ form }}`` renders each field through the one field template."""
    html = str(_Example())
    assert f'id="field-id_{field}"' in html and f'for="id_{field}"' in html


def test_point_8_plan_actions_are_a_formset_with_the_old_field_names():
    """Issue 16, point 8: the three actions of a new plan van aanpak are a formset
    (``intake.forms.PlanActionFormSet``) instead of nine hand-added fields; the names and ids
    stay ``action_<n>_<field>``, a row's error stays on its field and in the summary list, and a
    service's error on ``action_<n>_<field>`` goes to that row."""
    from common.exceptions import DomainError
    from common.templatetags.error_summary import error_summary
    from intake.forms import PlanActionFormSet, PlanForm

    form = PlanForm(
        {
            "goals": "Werk",
            "commitments": "Solliciteren",
            "expected_outflow": "geen",
            "action_1_description": "Cv maken",
            "action_1_owner": "inwoner",
            "action_2_owner": "inwoner",
            "action_3_owner": "inwoner",
        }
    )
    assert isinstance(form.actions, PlanActionFormSet)
    assert not form.is_valid()
    summary = error_summary(form, form.actions)["items"]  # the intake's summary (_errors.html)
    assert [item["href"] for item in summary] == ["#id_action_1_due_on"]
    html = form.actions[0]["due_on"].as_field_group()
    assert 'name="action_1_due_on"' in html and 'id="id_action_1_due_on_error"' in html
    assert "Uiterste datum actie 1" in html

    form.add_domain_error(DomainError("Te laat.", field="action_2_description"))
    assert form.actions[1].errors == {"description": ["Te laat."]}
