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
# Case counts per theme and the funders/laws of those cases leave this section only through suppress() and
# suppress_table(). Cases are counted, never named or linked. Proposal counts and the attendees of a session
# are not counts of people in the case files (each proposal is listed in full anyway) and are shown exactly.

from django.http import Http404  # noqa: E402
from django.shortcuts import get_object_or_404  # noqa: E402

from doorbraak.cases.models import CaseFunder  # noqa: E402
from doorbraak.core.choices import Funder  # noqa: E402
from doorbraak.core.models import Role  # noqa: E402
from doorbraak.platforms.models import BlockerTag  # noqa: E402

from .models import LearningSession, PolicyProposal, Story  # noqa: E402
from .suppression import suppress  # noqa: E402

DISCUSSABLE_STORY_STATUSES = (Story.Status.APPROVED, Story.Status.PUBLISHED)


def may_manage_themes(user) -> bool:
    """Themes (create, edit, codes) and decisions on proposals: the policy officer only."""
    return may_see_learning(user) and user.role == Role.POLICY


def _require_learning(user) -> None:
    if not may_see_learning(user):
        raise Http404


def get_theme_for(user, pk) -> Theme:
    """A theme of the user's own municipality; Http404 for anything else (existence is not revealed)."""
    _require_learning(user)
    return get_object_or_404(Theme, pk=pk, municipality_id=user.municipality_id)


def get_proposal_for(user, pk) -> PolicyProposal:
    _require_learning(user)
    return get_object_or_404(PolicyProposal.objects.select_related("theme", "decided_by"), pk=pk,
                             municipality_id=user.municipality_id)


def get_session_for(user, pk) -> LearningSession:
    _require_learning(user)
    return get_object_or_404(LearningSession.objects.select_related("theme"), pk=pk,
                             municipality_id=user.municipality_id)


def _theme_case_ids(municipality_id, codes):
    """Subquery: ids of the distinct cases of the municipality with a blocker of one of these codes."""
    return (PlatformBlocker.objects.filter(municipality_id=municipality_id, code__in=list(codes))
            .values("evaluation__platform__case_id").distinct())


def _theme_case_count(municipality_id, codes) -> int:
    if not codes:
        return 0
    return _theme_case_ids(municipality_id, codes).count()


def _in_tag_order(codes) -> list[str]:
    """Blocker codes in the order of BlockerTag (the order the evaluation form shows them)."""
    return sorted(codes, key=BlockerTag.values.index)


def _codes_of(municipality_id) -> dict[int, list[str]]:
    codes: dict[int, list[str]] = {}
    for theme_id, code in ThemeBlocker.objects.filter(municipality_id=municipality_id).values_list("theme_id", "code"):
        codes.setdefault(theme_id, []).append(code)
    return {theme_id: _in_tag_order(theme_codes) for theme_id, theme_codes in codes.items()}


def themes_overview(municipality) -> list[dict]:
    """Every theme with its blocker codes, its number of cases (suppressed) and its proposals per status."""
    codes = _codes_of(municipality.pk)
    per_status: dict[int, dict[str, int]] = {}
    for row in (PolicyProposal.objects.filter(municipality=municipality)
                .values("theme_id", "status").annotate(n=Count("id")).order_by()):
        per_status.setdefault(row["theme_id"], {})[row["status"]] = row["n"]
    labels = dict(BlockerTag.choices)
    rows = []
    for theme in Theme.objects.filter(municipality=municipality).order_by("name"):
        theme_codes = codes.get(theme.pk, [])
        counts = per_status.get(theme.pk, {})
        rows.append({
            "theme": theme,
            "codes": [labels[c] for c in theme_codes],
            "cases": suppress(_theme_case_count(municipality.pk, theme_codes)),
            "proposals": [(label, counts.get(value, 0)) for value, label in PolicyProposal.Status.choices],
        })
    return rows


def unthemed_codes(municipality) -> list[tuple[str, str]]:
    """Blocker codes (code, label) that belong to no theme of the municipality yet."""
    taken = set(ThemeBlocker.objects.filter(municipality=municipality).values_list("code", flat=True))
    return [(code, label) for code, label in BlockerTag.choices if code not in taken]


def code_owners(municipality) -> dict[str, Theme]:
    """Which theme each mapped blocker code belongs to (for the theme form)."""
    return {tb.code: tb.theme for tb in ThemeBlocker.objects.filter(municipality=municipality)
            .select_related("theme")}


def theme_detail(theme) -> dict:
    """Counts of a theme for its page: cases (suppressed) and the funders and laws of those cases as a
    suppressed table. A case can have several funders, so the table total counts mentions, not cases."""
    codes = _in_tag_order(theme.blockers.values_list("code", flat=True))
    labels = dict(BlockerTag.choices)
    case_ids = _theme_case_ids(theme.municipality_id, codes)
    funder_counts: dict[str, int] = {}
    if codes:
        for row in (CaseFunder.objects.filter(municipality_id=theme.municipality_id, case_id__in=case_ids)
                    .values("funder").annotate(n=Count("case_id", distinct=True)).order_by()):
            funder_counts[row["funder"]] = row["n"]
    # In the fixed order of the Funder choices; only funders that occur in these cases.
    rows = {str(label): funder_counts[value] for value, label in Funder.choices if funder_counts.get(value)}
    total_label = _("Totaal (vermeldingen)")
    funders: list[tuple[str, int | str]] = []
    funders_total: int | str = 0
    if rows:
        table = suppress_table(rows, total_label=total_label)
        funders_total = table.pop(total_label)
        funders = list(table.items())
    return {
        "codes": [labels[c] for c in codes],
        "cases": suppress(_theme_case_count(theme.municipality_id, codes)),
        "funders": funders,
        "funders_total": funders_total,
        "funders_total_label": total_label,
        "proposals": list(theme.proposals.select_related("decided_by").order_by("-created_at", "-id")),
        "sessions": list(theme.sessions.order_by("-held_on", "-id")),
    }


def learning_sessions(municipality):
    return LearningSession.objects.filter(municipality=municipality).select_related("theme").order_by("-held_on", "-id")


def discussable_stories(municipality):
    """Stories a learning session may link: approved or published, of the own municipality only."""
    return Story.objects.filter(municipality=municipality, status__in=DISCUSSABLE_STORY_STATUSES).order_by(
        "-created_at", "-id")


def session_stories(session):
    return list(session.stories.order_by("title", "id"))
