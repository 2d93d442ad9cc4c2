"""The form renderer writes the plain widgets in Python (issue 15: the case list's filter form was a sixth of the
page). What a browser gets must be what Django's own widget templates give, to the byte: every widget kind, value
and attribute that matters (escaping, True/False attributes, selected options, optgroups, multiple choice)."""

import datetime

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import mark_safe

from doorbraak.core.forms import UtrechtFormRenderer

NASTY = 'Fien & "Jan" <script>alert(1)</script> \' é'


class Everything(forms.Form):
    text = forms.CharField(max_length=20, help_text="uitleg")
    number = forms.IntegerField(min_value=0, required=False)
    email = forms.EmailField(required=False)
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    password = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)
    search = forms.CharField(widget=forms.TextInput(attrs={"type": "search", "autofocus": True, "x": False}))
    check = forms.BooleanField(required=False)
    area = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    choice = forms.ChoiceField(choices=[("", "Alle"), ("a", NASTY), (1, "een"), ("b", "B")], required=False)
    grouped = forms.ChoiceField(
        choices=[("", "Kies"), ("Wonen", [("huur", "Huur"), ("koop", "Koop <>")]), ("Anders", [("x", "X")])],
        required=False,
    )
    many = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B"), ("c", "C")], required=False)
    safe = forms.CharField(required=False, widget=forms.TextInput(attrs={"placeholder": mark_safe("<b>vet</b>")}))


VALUES = [
    {},
    {
        "text": NASTY,
        "number": "12",
        "email": "a@b.nl",
        "date": "2026-12-02",
        "hidden": NASTY,
        "password": NASTY,
        "search": "",
        "check": "on",
        "area": NASTY + "\nregel 2",
        "choice": "a",
        "grouped": "koop",
        "many": ["a", "c"],
        "safe": "x",
    },
    {"number": "-x", "choice": "1", "many": ["b"], "area": "", "text": "a" * 30},  # invalid: errors, values kept
]


def render_all(renderer, data):
    form = Everything(data or None, initial={"date": datetime.date(2026, 1, 5), "text": "begin"}, renderer=renderer)
    form.is_valid() if data else None
    return {name: str(form[name]) for name in form.fields}


@pytest.mark.parametrize("data", VALUES)
def test_every_plain_widget_renders_as_djangos_templates_do(data):
    ours = render_all(UtrechtFormRenderer(), data)
    django_own = render_all(TemplatesSetting(), data)
    assert ours == django_own
    assert "&lt;script&gt;" in "".join(ours.values()) or not data.get("text")


def test_the_python_path_is_taken_and_other_widgets_still_use_templates(monkeypatch):
    renderer = UtrechtFormRenderer()
    used = []
    original = TemplatesSetting.render
    monkeypatch.setattr(
        TemplatesSetting, "render", lambda self, name, ctx, request=None: used.append(name) or original(self, name, ctx)
    )

    class Other(forms.Form):
        text = forms.CharField()
        radio = forms.ChoiceField(widget=forms.RadioSelect, choices=[("a", "A")])

    form = Other(renderer=renderer)
    str(form["text"]), str(form["radio"])
    assert "django/forms/widgets/text.html" not in used  # written in Python
    assert "django/forms/widgets/radio.html" in used  # not a plain widget: Django's template
