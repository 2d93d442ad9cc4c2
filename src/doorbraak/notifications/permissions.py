"""The rule book of the notifications app: `notifications.*` (core.permissions)."""

from __future__ import annotations

import rules

from doorbraak.core.permissions import define


@rules.predicate
def works_in_a_municipality(user) -> bool:
    """A logged-in, active user of a municipality: everyone with a work inbox, notifications and a calendar."""
    return bool(
        user is not None and user.is_authenticated and user.is_active and getattr(user, "municipality_id", None)
    )


RULES = {
    "notifications.view_inbox": works_in_a_municipality,
    "notifications.manage_own": works_in_a_municipality,  # own preferences, own calendar feed, mark own as read
}


def register() -> None:
    for name, predicate in RULES.items():
        define(name, predicate)
