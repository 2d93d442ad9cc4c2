"""Configuring API clients (an administrator's job: `manage.py create_api_client`, the demo loader)."""

import secrets

from django.db import transaction
from django.utils.translation import gettext as _

from doorbraak.core.errors import RuleError

from .models import SCOPES, ApiClient, new_secret, secret_hash


@transaction.atomic
def create_client(municipality, *, name, scopes, acting_users, client_id=None, secret=None) -> tuple[ApiClient, str]:
    """A new client and its secret (returned once; only the hash is stored). Every acting user must be an active
    account of the client's municipality."""
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown or not scopes:
        raise RuleError(_("Onbekende scope: %(s)s.") % {"s": ", ".join(unknown) or "-"}, field="scopes")
    users = list(acting_users)
    if any(u.municipality_id != municipality.pk or not u.is_active for u in users):
        raise RuleError(_("Een client handelt alleen namens actieve gebruikers van de eigen gemeente."), field="users")
    secret = secret or new_secret()
    client = ApiClient.objects.create(
        municipality=municipality,
        name=name,
        client_id=client_id or f"client-{secrets.token_hex(8)}",
        secret_hash=secret_hash(secret),
        scopes=" ".join(sorted(set(scopes))),
    )
    client.acting_users.set(users)
    return client, secret
