"""Form rendering with NL Design System (Utrecht) classes, and the login forms."""

import functools
from pathlib import Path

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape
from django.utils.translation import gettext_lazy as _

# Django's widget templates that are only `{% include "django/forms/widgets/input.html" %}` plus a newline.
_INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in ("checkbox color date datetime email file hidden number password search tel text time url".split())
)
_SELECT = "django/forms/widgets/select.html"
_TEXTAREA = "django/forms/widgets/textarea.html"
_OPTION = "django/forms/widgets/select_option.html"
_DJANGO_FORMS_TEMPLATES = str(Path(forms.__file__).resolve().parent / "templates")


def _attrs(attrs) -> str:
    """django/forms/widgets/attrs.html: ` name="value"`, a bare name for True, nothing for False."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {conditional_escape(name)}" if value is True else f' {conditional_escape(name)}="{_s(value)}"')
    return "".join(out)


def _s(value) -> str:
    """`{{ value|stringformat:'s' }}` under autoescape."""
    return str(conditional_escape(value))


def _input(w) -> str:
    value = "" if w["value"] is None else f' value="{_s(w["value"])}"'
    kind, name = conditional_escape(w["type"]), conditional_escape(w["name"])
    return f'<input type="{kind}" name="{name}"{value}{_attrs(w["attrs"])}>'


def _select(w) -> str:
    out = [f'<select name="{conditional_escape(w["name"])}"{_attrs(w["attrs"])}>']
    for group_name, group_choices, _index in w["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            if option["template_name"] != _OPTION:
                return None  # a custom option template: Django renders the whole select
            out.append(
                f'\n  <option value="{_s(option["value"])}"{_attrs(option["attrs"])}>'
                f"{conditional_escape(option['label'])}</option>\n"
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


def _textarea(w) -> str:
    value = conditional_escape(w["value"]) if w["value"] else ""
    return f'<textarea name="{conditional_escape(w["name"])}"{_attrs(w["attrs"])}>\n{value}</textarea>'


class UtrechtFormRenderer(TemplatesSetting):
    """Renders every form with templates/django/forms/*.html, which emit utrecht-* classes,
    an error summary, labels and aria-describedby for help and errors.

    The plain widgets (inputs, selects, textareas with Django's own templates) are written here in Python, to the
    byte what Django's templates give (tests/core/test_form_renderer.py compares them): a select of 13 options was 14
    template renders, and the case list's filter form alone cost a sixth of the page (issue 15). Any other template,
    or a project that overrides one of these, goes through the template engine as before."""

    form_template_name = "django/forms/div.html"
    field_template_name = "django/forms/field.html"

    @functools.cache  # noqa: B019 - one renderer per process (django.forms.renderers.get_default_renderer)
    def _django_own(self, template_name) -> bool:
        """The template and the ones it includes resolve to Django's own files (no project or app overrides)."""
        included = {"django/forms/widgets/attrs.html", "django/forms/widgets/input.html", _OPTION}
        return all(
            str(Path(self.get_template(name).template.origin.name).resolve()).startswith(_DJANGO_FORMS_TEMPLATES)
            for name in {template_name, *included}
        )

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        fast = template_name in _INPUT_TEMPLATES or template_name in (_SELECT, _TEXTAREA)
        if widget is not None and request is None and fast and self._django_own(template_name):
            html = None
            if template_name in _INPUT_TEMPLATES:
                html = _input(widget)
            elif template_name == _SELECT:
                html = _select(widget)
            elif template_name == _TEXTAREA:
                html = _textarea(widget)
            if html is not None:
                return html  # as BaseRenderer.render gives it: without the templates' trailing newlines
        return super().render(template_name, context, request)


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Gebruikersnaam of wachtwoord klopt niet. Let op hoofdletters."),
        "inactive": _("Dit account is niet actief. Neem contact op met uw beheerder."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Gebruikersnaam")
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        self.fields["username"].widget.attrs.pop("autofocus", None)  # keep the skip link the first stop
        self.fields["password"].label = _("Wachtwoord")

    def clean_username(self):
        # AuthenticationForm sets max_length without a validator; an over-long name reached axes' varchar(255).
        username = self.cleaned_data.get("username") or ""
        if len(username) > 150:
            raise forms.ValidationError(_("Een gebruikersnaam is hoogstens 150 tekens."), code="max_length")
        return username

    def clean_password(self):
        # Hashing a huge input with Argon2 is a cheap denial of service.
        password = self.cleaned_data.get("password") or ""
        if len(password) > 4096:
            raise forms.ValidationError(_("Een wachtwoord is hoogstens 4096 tekens."), code="max_length")
        return password

    def clean(self):
        """Refusals are access events (auth.login_failed / auth.locked_out); a locked-out attempt does the same
        password-hash work as a real check, so the answer takes as long as a wrong password (constant time)."""
        from axes.handlers.proxy import AxesProxyHandler

        from . import services_auth

        # Cleaned values only: a NUL byte or an over-long name never reaches a query (the fields refuse them).
        username = self.cleaned_data.get("username") or ""
        password = self.cleaned_data.get("password") or ""
        locked_before = (
            self.request is not None
            and bool(username)
            and not AxesProxyHandler.is_allowed(self.request, {"username": username})
        )
        if locked_before:
            services_auth.equalise_password_work(password)
        try:
            return super().clean()
        except forms.ValidationError:
            if self.request is not None and username and password:
                services_auth.record_login_failure(self.request, username, locked_before=locked_before)
            raise


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code uit uw authenticator-app"),
        min_length=6,
        max_length=6,
        help_text=_("Zes cijfers, bijvoorbeeld 123456."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_token(self):
        token = self.cleaned_data["token"].strip().replace(" ", "")
        if not token.isdigit():
            raise forms.ValidationError(_("De code bestaat alleen uit cijfers."))
        return token


class DutchPasswordChangeForm(PasswordChangeForm):
    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": _("Uw huidige wachtwoord klopt niet. Vul het opnieuw in."),
        "password_mismatch": _("De twee nieuwe wachtwoorden zijn niet gelijk."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Huidig wachtwoord")
        self.fields["old_password"].widget.attrs.pop("autofocus", None)
        _label_new_password_fields(self)


class DutchSetPasswordForm(SetPasswordForm):
    error_messages = {
        **SetPasswordForm.error_messages,
        "password_mismatch": _("De twee nieuwe wachtwoorden zijn niet gelijk."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _label_new_password_fields(self)


def _label_new_password_fields(form):
    from django.core.validators import MaxLengthValidator

    for name in ("old_password", "new_password1", "new_password2"):
        if name in form.fields:  # Argon2 of a huge input is a cheap denial of service
            form.fields[name].validators.append(
                MaxLengthValidator(4096, message=_("Een wachtwoord is hoogstens 4096 tekens."))
            )
    form.fields["new_password1"].label = _("Nieuw wachtwoord")
    form.fields["new_password1"].widget.attrs.pop("autofocus", None)
    form.fields["new_password1"].help_text = _(
        "Minstens 12 tekens en moeilijk te raden; een zin van vier of meer losse woorden werkt goed. Geen "
        "veelgebruikt wachtwoord en niet lijkend op uw naam."
    )
    form.fields["new_password2"].label = _("Nieuw wachtwoord nogmaals")
    form.fields["new_password2"].help_text = ""


class QuietPasswordResetForm(PasswordResetForm):
    """The reset request: the page never says whether an account exists; mails go through services_auth."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("E-mailadres")
        self.fields["email"].max_length = 254

    def save(self, request=None, **kwargs):
        from . import services_auth

        for user in self.get_users(self.cleaned_data["email"]):
            services_auth.send_reset_email(user, request=request)
            services_auth.log_reset_requested(request, user)


# --------------------------------------------------------------------------------------------------
# Choice fields of model rows that refuse ids beyond the database's 64-bit integers (SQLite raised
# OverflowError, a 500, for "99999999999999999999" in a multi-select).
# --------------------------------------------------------------------------------------------------

MAX_DB_INTEGER = 2**63 - 1


def _integer_key(field) -> bool:
    from django.db import models

    model_field = (
        field.queryset.model._meta.get_field(field.to_field_name)
        if field.to_field_name
        else field.queryset.model._meta.pk
    )
    return isinstance(model_field, models.IntegerField | models.AutoField)


def key_out_of_range(field, value) -> bool:
    """True if `value` cannot be a key of the field's model: not an ASCII integer within 64 bits."""
    if value in field.empty_values or hasattr(value, "_meta") or not _integer_key(field):
        return False
    text = str(value).strip()
    if not text.isascii() or not text.lstrip("-").isdigit() or len(text) > 20:
        return True
    return not -MAX_DB_INTEGER <= int(text) <= MAX_DB_INTEGER


class BoundedModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if key_out_of_range(self, value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": str(value)[:40]}
            )
        return super().to_python(value)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        try:
            values = frozenset(value)
        except TypeError:
            return super()._check_values(value)
        for pk in values:
            if key_out_of_range(self, pk):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": str(pk)[:40]}
                )
        return super()._check_values(value)


# --------------------------------------------------------------------------------------------------
# Text fields: bounded and free of invisible control characters
# --------------------------------------------------------------------------------------------------

TEXT_MAX_LENGTH = 20_000  # free text (TextField in the database) is never longer than this in a form


class SafeTextMixin:
    """Every CharField of the form refuses control characters and bidi overrides; names (the fields listed in
    `name_fields`, and every one-line CharField with "name" or "title" in its name) also refuse directional
    marks. A CharField without max_length (a Textarea over a TextField) gets TEXT_MAX_LENGTH."""

    name_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        from django.core.validators import MaxLengthValidator

        from doorbraak.core.validators import validate_name_characters, validate_text_characters

        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if not isinstance(field, forms.CharField) or isinstance(field, forms.UUIDField):
                continue
            if field.max_length is None and not isinstance(field.widget, forms.PasswordInput):
                field.max_length = TEXT_MAX_LENGTH
                field.validators.append(MaxLengthValidator(TEXT_MAX_LENGTH))
                field.widget.attrs.setdefault("maxlength", str(TEXT_MAX_LENGTH))
            is_name = name in self.name_fields or (
                not isinstance(field.widget, forms.Textarea) and ("name" in name or "title" in name)
            )
            field.validators.append(validate_name_characters if is_name else validate_text_characters)
