"""Machine clients of the API (issue 17): an organisation's system, bound to one municipality, a set of scopes
and the users it may act for; opaque bearer tokens stored only as SHA-256 hashes."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SCOPES = {
    "casussen.lezen": _("casussen, casusplatforms en zoeken lezen"),
    "casussen.schrijven": _("casussen openen en casusplatforms bijeenroepen"),
    "budget.lezen": _("maatwerkplannen en fondsen lezen"),
    "leren.lezen": _("geaggregeerde leercijfers van de eigen gemeente lezen"),
}


def secret_hash(value: str) -> str:
    """Client secrets and tokens are 256-bit random values: a plain SHA-256 is a safe, constant-cost lookup key."""
    return hashlib.sha256(value.encode()).hexdigest()


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class ApiClient(models.Model):
    """A municipality's (or a partner's) system that calls the API with OAuth2 client credentials."""

    municipality = models.ForeignKey("core.Municipality", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("naam"), max_length=120)
    client_id = models.CharField(_("client-id"), max_length=64, unique=True)
    secret_hash = models.CharField(max_length=64, editable=False)
    scopes = models.CharField(_("scopes"), max_length=200, help_text=_("door spaties gescheiden"))
    acting_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", blank=True, verbose_name=_("mag handelen namens")
    )
    is_active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("API-client")
        verbose_name_plural = _("API-clients")

    def __str__(self) -> str:
        return f"{self.name} ({self.client_id})"

    @property
    def scope_set(self) -> set[str]:
        return set(self.scopes.split())


class ApiToken(models.Model):
    """An opaque access token: only its hash is stored."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(expires_at__gt=models.F("created_at")), name="token_expiry")]

    def __str__(self) -> str:
        return f"token of {self.client.client_id} until {self.expires_at:%Y-%m-%d %H:%M}"
