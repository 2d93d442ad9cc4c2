"""Reads for the admin site: what an administrator may see (own municipality; superusers everything)."""

import re

from .models import AccessEvent, RoleChangeRequest, User
from .services_admin import is_administrator


def users_for_admin(actor, queryset=None):
    qs = User.objects.all() if queryset is None else queryset
    if actor.is_superuser:
        return qs
    if not is_administrator(actor):
        return qs.none()
    return qs.filter(municipality_id=actor.municipality_id, is_superuser=False)


def devices_for_admin(actor, queryset=None):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    qs = TOTPDevice.objects.all() if queryset is None else queryset
    qs = qs.select_related("user")
    if actor.is_superuser:
        return qs
    if not is_administrator(actor):
        return qs.none()
    return qs.filter(user__municipality_id=actor.municipality_id, user__is_superuser=False)


def access_events_for_admin(actor, queryset=None):
    qs = AccessEvent.objects.all() if queryset is None else queryset
    if actor.is_superuser:
        return qs
    if not is_administrator(actor):
        return qs.none()
    return qs.filter(municipality_code=actor.municipality.code)


def role_changes_for_admin(actor, queryset=None):
    qs = RoleChangeRequest.objects.all() if queryset is None else queryset
    qs = qs.select_related("user", "requested_by", "decided_by", "old_team", "new_team")
    if actor.is_superuser:
        return qs
    if not is_administrator(actor):
        return qs.none()
    return qs.filter(municipality_id=actor.municipality_id)


def pending_role_change(user) -> RoleChangeRequest | None:
    return RoleChangeRequest.objects.filter(user=user, status=RoleChangeRequest.Status.PENDING).first()


PSEUDONYM = re.compile(r"^[0-9a-f]{32}$")


def search_access_events(queryset, term: str):
    """The access log's search box: what the term is decides the one column it is matched on, exactly, so each
    search reads one index in the changelist's order (newest first) however long the log is: 32 hexadecimal
    characters are a person's pseudonym (core.pseudonyms), digits an object id, anything else a user name. A part
    of a name finds nothing (a LIKE '%…%' over tens of millions of rows would scan them all)."""
    term = (term or "").strip()
    if not term:
        return queryset
    if PSEUDONYM.match(term.lower()):
        return queryset.filter(subject_pseudonym=term.lower())
    if term.isdigit():
        return queryset.filter(object_id=term)
    return queryset.filter(actor_username=term)
