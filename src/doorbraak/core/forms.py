"""Form rendering with NL Design System (Utrecht) classes, and the login forms."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _


class UtrechtFormRenderer(TemplatesSetting):
    """Renders every form with templates/django/forms/*.html, which emit utrecht-* classes,
    an error summary, labels and aria-describedby for help and errors."""

    form_template_name = "django/forms/div.html"
    field_template_name = "django/forms/field.html"


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
