"""Reads for the core app."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .models import Role, User

# Navigation per role: (label, url name). Apps add their pages by url name; names that do not
# resolve (an app not yet installed) are skipped, so core imports no app.
NAVIGATION = [
    (_("Overzicht"), "core:home", None),
    (_("Casussen"), "cases:list", {Role.PROFESSIONAL, Role.LEAD, Role.APPROVER}),
    (_("Budget"), "budget:overview", {Role.LEAD, Role.APPROVER}),
    (_("Kostenkengetallen"), "budget:catalogue", {Role.PROFESSIONAL, Role.LEAD, Role.APPROVER, Role.POLICY}),
    (_("Leren"), "learning:home", {Role.POLICY, Role.LEAD}),
    (_("Verhalen"), "learning:stories", {Role.PROFESSIONAL, Role.LEAD, Role.APPROVER, Role.POLICY}),
    (_("Moderatie"), "initiatives:moderation", {Role.MODERATOR}),
    (_("Initiatieven"), "initiatives:list", None),
    (_("Beheer"), "admin:index", {Role.ADMIN}),
]


def navigation_for(user) -> list[dict]:
    if user is None or not user.is_authenticated:
        return []
    items = []
    for label, name, roles in NAVIGATION:
        if roles is not None and user.role not in roles and not (name == "admin:index" and user.is_superuser):
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
