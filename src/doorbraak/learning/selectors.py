"""Reads of the learning app. Only counts leave this module, always through suppress_table (AVG-09)."""

from django.db.models import Count
from django.utils.translation import gettext as _

from doorbraak.platforms.models import PlatformBlocker

from .models import Theme, ThemeBlocker
from .suppression import suppress_table

LEARNING_ROLES = {"policy", "lead"}


def may_see_learning(user) -> bool:
    return bool(user.is_authenticated and user.role in LEARNING_ROLES and user.municipality_id)


def barrier_counts(municipality) -> dict[str, int | str]:
    """Number of evaluation blockers per barrier theme in the municipality, suppressed.

    Blocker codes not mapped to a theme are counted under "Zonder thema". The last entry is the total.
    Counts only: no case, household or person is named.
    """
    theme_of = dict(ThemeBlocker.objects.filter(municipality=municipality).values_list("code", "theme__name"))
    rows: dict[str, int] = {name: 0 for name in Theme.objects.filter(municipality=municipality)
                            .order_by("name").values_list("name", flat=True)}
    unthemed = _("Zonder thema")
    counts = (PlatformBlocker.objects.filter(municipality=municipality)
              .values("code").annotate(n=Count("id")).order_by("code"))
    for row in counts:
        label = theme_of.get(row["code"], unthemed)
        rows[label] = rows.get(label, 0) + row["n"]
    return suppress_table(rows, total_label=_("Totaal"))


# === stories (draft from a closed case, edit, approve, publish; public precedents) ===


# === themes, proposals and learning sessions ===
