"""Machine authentication (issue 17 point 2): OAuth2 client credentials with opaque bearer tokens, plus the ZGW
convention of naming the acting user in a header. Every call runs as that user, so need-to-know, tenancy and the
rule book apply unchanged; the client's scopes limit what the call may touch on top of that."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission

from .models import ApiClient, ApiToken, new_secret, secret_hash

ACTING_USER_HEADER = "Acting-User"
_ACTING_USER_META = "HTTP_ACTING_USER"


class ActingUserRefused(exceptions.PermissionDenied):
    default_detail = _("De client mag niet handelen namens deze gebruiker, of de gebruiker is onbekend of niet actief.")
    default_code = "acting_user"


def issue_token(client_id: str, client_secret: str) -> tuple[ApiClient, str, int] | None:
    """A new access token for valid client credentials (None otherwise: the caller says invalid_client)."""
    client = ApiClient.objects.filter(client_id=client_id[:64], is_active=True).first()
    # Compare hashes of equal length either way, so an unknown client costs the same as a wrong secret.
    expected = client.secret_hash if client else secret_hash("")
    if not _same(expected, secret_hash(client_secret)) or client is None:
        return None
    token = new_secret()
    now = timezone.now()
    lifetime = settings.API_TOKEN_LIFETIME_SECONDS
    ApiToken.objects.create(
        client=client,
        token_hash=secret_hash(token),
        created_at=now,
        expires_at=now + datetime.timedelta(seconds=lifetime),
    )
    ApiToken.objects.filter(client=client, expires_at__lt=now).delete()  # housekeeping
    return client, token, lifetime


def _same(a: str, b: str) -> bool:
    import hmac

    return hmac.compare_digest(a, b)


def client_of(request) -> ApiClient | None:
    token = getattr(request, "auth", None)
    return token.client if isinstance(token, ApiToken) else None


def acting_for(request) -> str:
    """The access log's `on_behalf_of` value of an API call: the client id."""
    client = client_of(request)
    return f"api:{client.client_id}" if client else ""


class BearerTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer <token>` plus `Acting-User: <username>`. A missing or unknown token is 401; a token
    whose client may not act for the named user is 403."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        keyword, _sep, token = header.partition(" ")
        token = token.strip()
        if keyword.lower() != self.keyword.lower() or not token or len(token) > 200:
            raise exceptions.AuthenticationFailed(_("Geef een geldig toegangstoken mee (Authorization: Bearer ...)."))
        row = (
            ApiToken.objects.select_related("client", "client__municipality")
            .filter(token_hash=secret_hash(token), expires_at__gt=timezone.now(), client__is_active=True)
            .first()
        )
        if row is None:
            raise exceptions.AuthenticationFailed(_("Het toegangstoken is onbekend of verlopen."))
        username = request.META.get(_ACTING_USER_META, "").strip()[:150]
        if not username:
            raise ActingUserRefused(_("Noem de gebruiker namens wie de client handelt (header Acting-User)."))
        user = (
            get_user_model()
            .objects.filter(
                username=username,
                is_active=True,
                municipality_id=row.client.municipality_id,
                pk__in=row.client.acting_users.values("pk"),
            )
            .select_related("municipality", "team", "organisation")
            .first()
        )
        if user is None:
            raise ActingUserRefused()
        return user, row

    def authenticate_header(self, request):
        return f'{self.keyword} realm="doorbraak"'


class HasScope(BasePermission):
    """The view's `required_scopes[method]` must all be granted to the calling client."""

    message = _("Deze client heeft niet de scope die deze bewerking vraagt.")

    def has_permission(self, request, view):
        client = client_of(request)
        if client is None:
            return False
        needed = getattr(view, "required_scopes", {}).get(request.method, set())
        return set(needed) <= client.scope_set
