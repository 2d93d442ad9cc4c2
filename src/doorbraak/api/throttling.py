"""Rate limits per client (authenticated) or per address (anonymous), counted in the shared cache (429)."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from .auth import client_of


class _SettingsRate(SimpleRateThrottle):
    def get_rate(self):
        return settings.API_RATE_LIMITS[self.scope]  # read per request, so a test can override it


class ClientRateThrottle(_SettingsRate):
    scope = "api_client"

    def get_cache_key(self, request, view):
        client = client_of(request)
        if client is None:
            return None  # anonymous calls: AnonymousRateThrottle
        return self.cache_format % {"scope": self.scope, "ident": client.client_id}


class AnonymousRateThrottle(_SettingsRate):
    scope = "api_anonymous"

    def get_cache_key(self, request, view):
        if client_of(request) is not None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
