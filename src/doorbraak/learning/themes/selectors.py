"""Reads of system-barrier themes, policy proposals and learning sessions. Case counts come only from the
protected release layer (learning.insights.protected, all-time cells "t:<theme id>"), issue 13."""

from django.db.models import Count
from django.utils.translation import gettext as _

from doorbraak.core import permissions as rulebook
from doorbraak.core.access import get_visible_or_404
from doorbraak.core.choices import Funder
from doorbraak.platforms.models import BlockerTag

from ..insights import protected
from ..insights.protection import shown
from ..models import LearningSession, PolicyProposal, Story, Theme, ThemeBlocker
from ..permissions import require_read

# Case counts per theme and the funders/laws of those cases are protected cells (perturbed, "<10" below 10), built
# by the facts refresh for the themes as they were then: a new theme or a changed mapping shows after it. Cases
# are counted, never named or linked. Proposal counts and the attendees of a session are not counts of people in
# the case files (each proposal is listed in full anyway) and are shown exactly.


DISCUSSABLE_STORY_STATUSES = (Story.Status.APPROVED, Story.Status.PUBLISHED)


def may_manage_themes(user, theme=None) -> bool:
    """Themes (create, edit, codes) and decisions on proposals: the policy officer only (learning.manage_themes)."""
    return rulebook.allowed("learning.manage_themes", user, theme)


def _require_learning(user) -> None:
    require_read("learning.view_insights", user)


def get_theme_for(user, pk) -> Theme:
    """A theme of the user's own municipality; Http404 for anything else (existence is not revealed)."""
    _require_learning(user)
    return get_visible_or_404(
        user, Theme.objects.filter(municipality_id=user.municipality_id), pk, purpose="learning_themes"
    )


def get_proposal_for(user, pk) -> PolicyProposal:
    _require_learning(user)
    return get_visible_or_404(
        user,
        PolicyProposal.objects.select_related("theme", "decided_by").filter(municipality_id=user.municipality_id),
        pk,
        purpose="learning_themes",
    )


def get_session_for(user, pk) -> LearningSession:
    _require_learning(user)
    return get_visible_or_404(
        user,
        LearningSession.objects.select_related("theme").filter(municipality_id=user.municipality_id),
        pk,
        purpose="learning_themes",
    )


def _theme_cells(municipality) -> dict[str, int]:
    """measure "t:<id>" -> published all-time count for the whole municipality (one query)."""
    return {
        measure: count for (_value, measure), count in protected.read_all_time(municipality, "t:", dimension="").items()
    }


def _in_tag_order(codes) -> list[str]:
    """Blocker codes in the order of BlockerTag (the order the evaluation form shows them)."""
    return sorted(codes, key=BlockerTag.values.index)


def _codes_of(municipality_id) -> dict[int, list[str]]:
    codes: dict[int, list[str]] = {}
    for theme_id, code in ThemeBlocker.objects.filter(municipality_id=municipality_id).values_list("theme_id", "code"):
        codes.setdefault(theme_id, []).append(code)
    return {theme_id: _in_tag_order(theme_codes) for theme_id, theme_codes in codes.items()}


def themes_overview(user) -> list[dict]:
    """Every theme of the user's municipality with its blocker codes, its number of cases (suppressed) and its
    proposals per status."""
    _require_learning(user)
    municipality = user.municipality
    codes = _codes_of(municipality.pk)
    per_status: dict[int, dict[str, int]] = {}
    for row in (
        PolicyProposal.objects.filter(municipality=municipality)
        .values("theme_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    ):
        per_status.setdefault(row["theme_id"], {})[row["status"]] = row["n"]
    labels = dict(BlockerTag.choices)
    cells = _theme_cells(municipality)
    rows = []
    for theme in Theme.objects.filter(municipality=municipality).order_by("name"):
        theme_codes = codes.get(theme.pk, [])
        counts = per_status.get(theme.pk, {})
        rows.append(
            {
                "theme": theme,
                "codes": [labels[c] for c in theme_codes],
                "cases": shown(cells.get(f"t:{theme.pk}", 0)),
                "proposals": [(label, counts.get(value, 0)) for value, label in PolicyProposal.Status.choices],
            }
        )
    return rows


def unthemed_codes(municipality) -> list[tuple[str, str]]:
    """Blocker codes (code, label) that belong to no theme of the municipality yet."""
    taken = set(ThemeBlocker.objects.filter(municipality=municipality).values_list("code", flat=True))
    return [(code, label) for code, label in BlockerTag.choices if code not in taken]


def code_owners(municipality) -> dict[str, Theme]:
    """Which theme each mapped blocker code belongs to (for the theme form)."""
    return {tb.code: tb.theme for tb in ThemeBlocker.objects.filter(municipality=municipality).select_related("theme")}


def theme_detail(user, theme) -> dict:
    """Counts of a theme for its page: cases and the funders and laws of those cases, each a protected all-time
    cell (a table of cells need not add up, so there is no total row; the case count is its own cell)."""
    require_read("learning.view_insights", user, theme, purpose="learning_themes")
    codes = _in_tag_order(theme.blockers.values_list("code", flat=True))
    labels = dict(BlockerTag.choices)
    cells = protected.all_time_counts(theme.municipality, f"t:{theme.pk}")
    funders = [
        (str(label), shown(cells[("funder", value)])) for value, label in Funder.choices if cells.get(("funder", value))
    ]
    total = cells.get(("", ""))
    return {
        "codes": [labels[c] for c in codes],
        "cases": shown(total or 0),
        "funders": funders,
        "funders_total": None,
        "funders_total_label": _("Totaal"),
        "proposals": list(theme.proposals.select_related("decided_by").order_by("-created_at", "-id")),
        "sessions": list(theme.sessions.order_by("-held_on", "-id")),
    }


def learning_sessions(user):
    _require_learning(user)
    return (
        LearningSession.objects.filter(municipality_id=user.municipality_id)
        .select_related("theme")
        .order_by("-held_on", "-id")
    )


def discussable_stories(municipality):
    """Stories a learning session may link: approved or published, of the own municipality only."""
    return Story.objects.filter(municipality=municipality, status__in=DISCUSSABLE_STORY_STATUSES).order_by(
        "-created_at", "-id"
    )


def session_stories(user, session):
    require_read("learning.view_insights", user, session, purpose="learning_themes")
    return list(session.stories.order_by("title", "id"))
