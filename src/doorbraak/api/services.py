"""Configuring API clients (an administrator's job: the admin screen /beheer/api/apiclient/, `manage.py
create_api_client`, the demo loader)."""

import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from doorbraak.core.errors import RuleError

from .models import SCOPES, ApiClient, ApiToken, new_secret, secret_hash


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


# --- The administrator's screen (/beheer/api/apiclient/, api/admin.py) ------------------------------------------


def may_manage(actor, client=None) -> bool:
    """An administrator manages the clients of their own municipality (a superuser: of every municipality)."""
    from doorbraak.core.services_admin import is_administrator

    if not is_administrator(actor):
        return False
    return client is None or actor.is_superuser or client.municipality_id == actor.municipality_id


def _require_manager(actor, client=None) -> None:
    if not may_manage(actor, client):
        raise PermissionDenied(_("Alleen een beheerder van de gemeente van deze client mag dit."))


@transaction.atomic
def update_client(actor, client, *, name, scopes, acting_users) -> ApiClient:
    """Name, scopes and acting users of an existing client (the checks of create_client)."""
    _require_manager(actor, client)
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown or not scopes:
        raise RuleError(_("Onbekende scope: %(s)s.") % {"s": ", ".join(unknown) or "-"}, field="scopes")
    users = list(acting_users)
    if any(u.municipality_id != client.municipality_id or not u.is_active for u in users):
        raise RuleError(_("Een client handelt alleen namens actieve gebruikers van de eigen gemeente."), field="users")
    client.name, client.scopes = name, " ".join(sorted(set(scopes)))
    client.save(update_fields=["name", "scopes"])
    client.acting_users.set(users)
    return client


@transaction.atomic
def rotate_secret(actor, client) -> str:
    """A new secret (returned once); the old secret and every token issued with it stop working at once."""
    _require_manager(actor, client)
    if not client.is_active:
        raise RuleError(_("Deze client is ingetrokken; maak een nieuwe client."))
    secret = new_secret()
    ApiClient.objects.filter(pk=client.pk).update(secret_hash=secret_hash(secret))
    ApiToken.objects.filter(client=client).delete()
    return secret


@transaction.atomic
def revoke_client(actor, client) -> ApiClient:
    """The client stops at once: inactive, its tokens deleted. The row stays (the access log names its client id)."""
    _require_manager(actor, client)
    ApiClient.objects.filter(pk=client.pk).update(is_active=False)
    ApiToken.objects.filter(client=client).delete()
    client.is_active = False
    return client
