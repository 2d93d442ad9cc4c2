"""Reads for the core app."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from . import permissions
from .models import User

# The main menu: (label, url name, rule). An entry shows exactly when its rule (core.permissions, registered by the
# owning app's permissions.py) allows the user: the same rule the page and its services ask, so the menu never
# offers a page that refuses, nor hides one that opens (an administrator who may open /budget/ sees "Budget").
# None = every logged-in user. An entry whose rule is not registered or whose url name does not resolve (an app
# not installed) is skipped, so core imports no app.
NAVIGATION = [
    (_("Overzicht"), "core:home", None),
    (_("Casussen"), "cases:list", "cases.search"),
    (_("Budget"), "budget:overview", "budget.view_overview"),
    (_("Kostenkengetallen"), "budget:catalogue", "budget.read_catalogue"),
    (_("Leren"), "learning:home", "learning.view_insights"),
    (_("Verhalen"), "learning:stories", "learning.view_stories"),
    (_("Moderatie"), "initiatives:moderation", "initiatives.moderate"),
    (_("Initiatieven"), "initiatives:list", None),
    (_("Beheer"), "admin:index", "core.administer"),
    # --- issue 17: import and export ---
    (_("Gegevens"), "transfer:home", "transfer.view"),
]


def _shows(rule: str | None, user) -> bool:
    if rule is None:
        return True
    try:
        return permissions.allowed(rule, user)
    except KeyError:  # the rule is not registered (its app is not installed)
        return False


def navigation_for(user) -> list[dict]:
    if user is None or not user.is_authenticated:
        return []
    items = []
    for label, name, rule in NAVIGATION:
        if not _shows(rule, user):
            continue
        try:
            items.append({"label": label, "url": reverse(name)})
        except NoReverseMatch:
            continue
    return items


def users_of_municipality(municipality, *, roles=None):
    qs = User.objects.filter(municipality=municipality, is_active=True)
    if roles:
        qs = qs.filter(role__in=roles)
    return qs.select_related("organisation", "team").order_by("last_name", "first_name")
