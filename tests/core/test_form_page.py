"""core.views_forms.form_page: the one form page every app uses (issue 11)."""

import pytest
from django import forms
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import RequestFactory, override_settings

from doorbraak.core.errors import RuleError
from doorbraak.core.form_tokens import REPLAY_MESSAGE, DuplicateSubmission, ForeignToken
from doorbraak.core.views_forms import form_page

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "OPTIONS": {
            "loaders": [
                (
                    "django.template.loaders.locmem.Loader",
                    {
                        "page.html": (
                            "<h1>{{ title }}</h1>{% for e in form.non_field_errors %}<p>{{ e }}</p>{% endfor %}"
                            '<input name="name" value="{{ form.name.value|default:\'\' }}">'
                            "{% for e in form.name.errors %}<p>{{ e }}</p>{% endfor %}"
                        )
                    },
                )
            ]
        },
    }
]

pytestmark = pytest.mark.usefixtures("locmem_templates")


@pytest.fixture
def locmem_templates():
    with override_settings(TEMPLATES=TEMPLATES):
        yield


class NameForm(forms.Form):
    name = forms.CharField(max_length=20)


def _request(method="get", data=None):
    factory = RequestFactory()
    request = factory.post("/x/", data or {}) if method == "post" else factory.get("/x/")
    request._messages = CookieStorage(request)
    return request


def _messages(request):
    return [(m.level, str(m)) for m in request._messages]


def _page(request, save, **kwargs):
    kwargs.setdefault("redirect_to", "/done/")
    return form_page(
        request,
        NameForm(request.POST or None),
        template="page.html",
        context={"title": "Naam geven"},
        save=save,
        done_message=kwargs.pop("done_message", "Opgeslagen."),
        **kwargs,
    )


def _never(form):
    raise AssertionError("save must not run")


def test_get_renders_the_form_with_the_context_and_saves_nothing():
    response = _page(_request(), _never)
    assert response.status_code == 200
    assert b"<h1>Naam geven</h1>" in response.content
    assert b'name="name"' in response.content


def test_invalid_post_shows_the_errors_with_status_400_and_saves_nothing():
    response = _page(_request("post", {"name": "x" * 30}), _never)
    assert response.status_code == 400
    assert b"x" * 30 in response.content  # what was typed stays


def test_valid_post_saves_says_so_and_redirects():
    saved = []
    request = _request("post", {"name": "Fatima"})
    response = _page(request, lambda form: saved.append(form.cleaned_data["name"]))
    assert saved == ["Fatima"]
    assert (response.status_code, response["Location"]) == (302, "/done/")
    assert _messages(request) == [(messages.SUCCESS, "Opgeslagen.")]


def test_redirect_and_message_may_depend_on_what_save_returned():
    request = _request("post", {"name": "Fatima"})
    response = _page(
        request,
        lambda form: 42,
        redirect_to=lambda pk: f"/items/{pk}/",
        replay_to="/items/",
        done_message=lambda pk: f"Nummer {pk} opgeslagen.",
    )
    assert response["Location"] == "/items/42/"
    assert _messages(request) == [(messages.SUCCESS, "Nummer 42 opgeslagen.")]


def test_a_rule_error_on_a_field_stands_next_to_that_field_and_keeps_the_input():
    captured = {}

    def save(form):
        captured["form"] = form
        raise RuleError("Deze naam bestaat al.", field="name")

    request = _request("post", {"name": "Fatima"})
    response = _page(request, save)
    assert response.status_code == 400
    assert captured["form"].errors["name"] == ["Deze naam bestaat al."]
    assert "Deze naam bestaat al." in response.content.decode()
    assert 'value="Fatima"' in response.content.decode()
    assert _messages(request) == []


@pytest.mark.parametrize("field", [None, "no_such_field"])
def test_a_rule_error_without_a_known_field_stands_at_the_top_of_the_form(field):
    captured = {}

    def save(form):
        captured["form"] = form
        raise RuleError("De casus is gesloten.", field=field)

    response = _page(_request("post", {"name": "Fatima"}), save)
    assert response.status_code == 400
    assert captured["form"].non_field_errors() == ["De casus is gesloten."]
    assert "De casus is gesloten." in response.content.decode()


def test_a_double_submit_says_nothing_was_saved_again_and_goes_to_the_replay_target():
    def save(form):
        raise DuplicateSubmission

    request = _request("post", {"name": "Fatima"})
    response = _page(request, save, redirect_to=lambda result: f"/items/{result}/", replay_to="/items/")
    assert (response.status_code, response["Location"]) == (302, "/items/")
    assert _messages(request) == [(messages.INFO, str(REPLAY_MESSAGE))]


def test_a_token_of_someone_else_carries_its_own_message_and_goes_to_redirect_to_by_default():
    def save(form):
        raise ForeignToken

    request = _request("post", {"name": "Fatima"})
    response = _page(request, save)
    assert response["Location"] == "/done/"
    assert _messages(request) == [(messages.INFO, str(ForeignToken.message))]


def test_a_callable_redirect_needs_a_replay_target():
    with pytest.raises(TypeError):
        _page(_request("post", {"name": "Fatima"}), _never, redirect_to=lambda result: "/x/")
