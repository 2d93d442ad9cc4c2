"""Admin site configuration: login goes through /inloggen/ (password + second factor)."""

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode


def configure_admin(site):
    def login(request, extra_context=None):
        next_url = request.GET.get(REDIRECT_FIELD_NAME, reverse("admin:index"))
        return redirect(f"{reverse('core:login')}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")

    site.login = login
    site.site_title = "Doorbraak"
    site.index_title = "Beheer"
