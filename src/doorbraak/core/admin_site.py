"""Admin site configuration: login goes through /inloggen/ (password + second factor); every model admin is
audited; django-otp's device admin is replaced; a NUL byte anywhere in an admin request is a 400."""

from functools import wraps

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import SuspiciousOperation
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode


def _has_nul(request) -> bool:
    if "\x00" in request.path:
        return True
    for data in (request.GET, request.POST) if request.method == "POST" else (request.GET,):
        for key, values in data.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return True
    return False


def audit_every_model_admin(site) -> None:
    """Re-register every model admin that is not audited yet (other apps', Django's, libraries') with
    AuditedAdminMixin in front, so reads and writes through any admin page reach the access log."""
    from .admin import AuditedAdminMixin

    for model, model_admin in list(site._registry.items()):
        if isinstance(model_admin, AuditedAdminMixin):
            continue
        cls = type(model_admin)
        audited = type(f"Audited{cls.__name__}", (AuditedAdminMixin, cls), {"__module__": cls.__module__})
        site.unregister(model)
        site.register(model, audited)


def configure_admin(site):
    from .admin import install_device_admin

    def login(request, extra_context=None):
        next_url = request.GET.get(REDIRECT_FIELD_NAME, reverse("admin:index"))
        return redirect(f"{reverse('core:login')}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")

    def password_change(request, extra_context=None):
        # One place to change a password: the account page (re-authentication, strength check, notice, log).
        return redirect("core:password_change")

    site.password_change = password_change
    original_admin_view = site.admin_view

    def admin_view(view, cacheable=False):
        inner = original_admin_view(view, cacheable)

        @wraps(inner)
        def guarded(request, *args, **kwargs):
            if _has_nul(request):
                raise SuspiciousOperation("NUL byte in an admin request")
            return inner(request, *args, **kwargs)

        return guarded

    if not getattr(site, "doorbraak_configured", False):
        site.admin_view = admin_view
        site.doorbraak_configured = True
    install_device_admin(site)
    audit_every_model_admin(site)
    site.login = login
    site.site_title = "Doorbraak"
    site.index_title = "Beheer"
