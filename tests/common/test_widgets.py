"""CompactSelect renders the same choices and selection as Django's Select, in one loop."""

from django import forms

from common.widgets import CompactSelect

CHOICES = [("", "---------"), ("1", "Anna de Vries"), ("2", "Bram van 't Hof")]


class _Form(forms.Form):
    person = forms.ChoiceField(choices=CHOICES, widget=CompactSelect, required=False)


def test_options_and_selection_are_rendered():
    html = str(_Form(data={"person": "2"})["person"])
    assert html.startswith('<select name="person" id="id_person">')
    assert '<option value="1">Anna de Vries</option>' in html
    assert '<option value="2" selected>Bram van &#x27;t Hof</option>' in html
    assert html.count("<option") == 3


def test_required_and_described_by_attributes_stay_on_the_select():
    form = _Form()
    html = form["person"].as_widget(attrs={"aria-describedby": "hint"})
    assert 'aria-describedby="hint"' in html.split(">")[0]
