"""Core pages: login with second factor, home, error pages. Thin: parse, call a service, render."""

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import services, services_auth
from .forms import LoginForm, TokenForm


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["session_expired"] = getattr(self.request, "session_expired", False) or "verlopen" in self.request.GET
        return context


@require_http_methods(["POST"])
def logout_view(request):
    from django.contrib.auth import logout

    logout(request)
    messages.info(request, _("U bent uitgelogd."))
    return redirect("core:login")


def _next_url(request):
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}):
        return candidate
    return settings.LOGIN_REDIRECT_URL


@login_required
def otp_verify(request):
    if request.user.is_verified() or not request.user.requires_second_factor:
        return redirect(_next_url(request))
    has_device = services_auth.has_confirmed_device(request.user)
    if not has_device and services_auth.session_enrolment_link(request) is not None:
        return redirect("core:otp_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and has_device and form.is_valid():
        if services.verify_second_factor(request, form.cleaned_data["token"]):
            return redirect(_next_url(request))
        form.add_error("token", _("Deze code klopt niet of is al gebruikt. Wacht op de volgende code."))
    context = {"form": form, "has_device": has_device}
    return render(request, "core/otp_verify.html", context, status=400 if form.errors else 200)


@login_required
def otp_setup(request):
    """Couple an authenticator: only with the existing factor (a verified session, from the account page) or a
    one-time enrolment link from an administrator. A password alone never reaches a secret (SEC-01)."""
    if not request.user.requires_second_factor:
        return redirect(settings.LOGIN_REDIRECT_URL)
    if not services.may_enrol(request):
        services_auth.refuse_enrolment(request)
        messages.error(
            request,
            _(
                "U kunt alleen een authenticator-app koppelen met uw huidige app (log eerst "
                "helemaal in) of met een koppellink van de beheerder van uw gemeente."
            ),
        )
        return redirect("core:otp_verify")
    replacing = services_auth.has_confirmed_device(request.user)
    device = services.pending_totp_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.confirm_totp_device(request, form.cleaned_data["token"]):
            messages.success(request, _("De tweede inlogstap is ingesteld."))
            return redirect(settings.LOGIN_REDIRECT_URL)
        form.add_error("token", _("Deze code klopt niet. Controleer de tijd op uw telefoon en probeer het opnieuw."))
    qr = segno.make(device.config_url, error="m")
    context = {
        "form": form,
        "qr_data_uri": qr.svg_data_uri(scale=4, dark="#000", light="#fff"),
        "secret": _group(device_secret_base32(device)),
        "replacing": replacing,
    }
    response = render(request, "core/otp_setup.html", context, status=400 if form.errors else 200)
    response["Cache-Control"] = "no-store"
    return response


def enrolment_link(request, token):
    """The page an administrator's one-time link opens: remembered in the session, then log in and couple."""
    link = services_auth.open_enrolment_link(request, token)
    if link is None:
        return render(request, "core/enrolment_link_invalid.html", status=404)
    if request.user.is_authenticated:
        return redirect("core:otp_setup")
    messages.info(request, _("Log in met uw gebruikersnaam en wachtwoord. Daarna koppelt u uw authenticator-app."))
    return redirect("core:login")


def device_secret_base32(device) -> str:
    from base64 import b32encode

    return b32encode(device.bin_key).decode()


def _group(text: str) -> str:
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@login_required
def home(request):
    if settings.HOME_VIEW:  # an app's page (the work inbox, issue 16) replaces the list of links; core imports no app
        return import_string(settings.HOME_VIEW)(request)
    return render(request, "core/home.html")


def accessibility_statement(request):
    return render(request, "core/accessibility.html")


def csrf_failure(request, reason=""):
    from .access import log_forbidden

    log_forbidden(request, reason="csrf")  # a refused write of a logged-in user is an access event
    return render(request, "403_csrf.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)


def permission_denied(request, exception=None):
    from .access import log_forbidden

    log_forbidden(request, exception)  # NEN 7513: a refusal is an access event (reason "forbidden" or "role")
    return render(request, "403.html", status=403)


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)
