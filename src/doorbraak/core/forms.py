"""Form rendering with NL Design System (Utrecht) classes, and the login forms."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm
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
        locked_before = self.request is not None and bool(username) and not AxesProxyHandler.is_allowed(
            self.request, {"username": username})
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
    error_messages = {**SetPasswordForm.error_messages,
                      "password_mismatch": _("De twee nieuwe wachtwoorden zijn niet gelijk.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _label_new_password_fields(self)


def _label_new_password_fields(form):
    from django.core.validators import MaxLengthValidator

    for name in ("old_password", "new_password1", "new_password2"):
        if name in form.fields:  # Argon2 of a huge input is a cheap denial of service
            form.fields[name].validators.append(
                MaxLengthValidator(4096, message=_("Een wachtwoord is hoogstens 4096 tekens.")))
    form.fields["new_password1"].label = _("Nieuw wachtwoord")
    form.fields["new_password1"].widget.attrs.pop("autofocus", None)
    form.fields["new_password1"].help_text = _(
        "Minstens 12 tekens en moeilijk te raden; een zin van vier of meer losse woorden werkt goed. Geen "
        "veelgebruikt wachtwoord en niet lijkend op uw naam.")
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
