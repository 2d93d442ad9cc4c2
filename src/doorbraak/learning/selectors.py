"""Reads of the learning app: who may see what, stories (approved ones without case or names) and themes. Every
count that leaves this module goes through suppression (AVG-09). Dashboard figures are in analytics.py."""

import datetime as _dt

from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from doorbraak.cases.models import Case, CaseFunder, Involvement
from doorbraak.cases.selectors import case_id_subject, case_subject
from doorbraak.core import choices as _core_choices
from doorbraak.core import permissions as rulebook
from doorbraak.core.access import deny, get_visible_or_404
from doorbraak.core.choices import Funder
from doorbraak.platforms import models as _platform_models
from doorbraak.platforms.models import BlockerTag, PlatformBlocker

from .models import LearningSession, PolicyProposal, Story, StoryTag, Theme, ThemeBlocker
from .suppression import suppress, suppress_table


def may_see_learning(user) -> bool:
    """The learning pages in general (learning.view_insights)."""
    return rulebook.allowed("learning.view_insights", user)


def require_rule(name: str, user, obj=None, *, purpose: str = "learning") -> None:
    """For reads: a refused rule is a 404 that is logged as a denied access (the page is not revealed)."""
    if not rulebook.allowed(name, user, obj):
        raise deny(user, purpose=purpose)


def insights_municipality(user):
    """The municipality whose figures the user may read (dashboard, patterns, report, open data); 404 otherwise."""
    require_rule("learning.view_insights", user)
    return user.municipality


# === stories (draft from a closed case, edit, approve, publish; public precedents) ===
# Need-to-know for stories: Case.objects.visible_to, widened by AVG-02's grace period: whoever was still
# involved when the case closed (close_case ends every involvement) may write and approve its anonymised story
# for STORY_GRACE_DAYS after closing. Policy staff and leads see only approved stories, without case or names;
# the public sees only published ones.




STORY_GRACE_DAYS = 90
PRECEDENT_PAGE_SIZE = 10
SHARED_STATUSES = [Story.Status.APPROVED, Story.Status.PUBLISHED]


def story_cases(user):
    """Cases whose story the user may draft, edit and approve: the cases they see (visible_to), plus closed cases
    they were involved in until the closing, for STORY_GRACE_DAYS after it."""
    if (user is None or not user.is_authenticated or not user.is_active or user.municipality_id is None
            or user.role not in rulebook.STORY_WRITERS):
        return Case.objects.none()
    since = timezone.now() - _dt.timedelta(days=STORY_GRACE_DAYS)
    at_closing = Involvement.objects.with_scopes_disabled().filter(
        user=user, municipality_id=user.municipality_id, ended_at__gte=F("case__closed_at"),
        case__status=Case.Status.CLOSED, case__closed_at__gte=since,
    ).values("case_id")
    visible = Case.objects.visible_to(user).values("pk")
    return Case.objects.filter(Q(pk__in=visible) | Q(pk__in=at_closing), municipality_id=user.municipality_id)


def get_story_case_for(user, case_id) -> Case:
    """The case if the user may work on its story; otherwise Http404."""
    return get_visible_or_404(user, story_cases(user).select_related("team", "household"), case_id, model=Case,
                              subject=case_subject, purpose="learning_stories")


def stories_of_case(case):
    return Story.objects.filter(case=case).select_related("created_by", "edited_by", "approved_by", "published_by")


def story_of_case(case, pk, user=None) -> Story:
    """A story of this case; a story of another case is a refused read of `user` (logged when given)."""
    return get_visible_or_404(user, stories_of_case(case).prefetch_related("tags"), pk,
                              subject=lambda row: case_id_subject(row.case_id), purpose="learning_stories")


def last_editor_id(story) -> int | None:
    return story.edited_by_id or story.created_by_id


def may_approve_story(user, story) -> bool:
    """For the button: a draft, and learning.approve_story (four eyes) allows the user."""
    return story.status == Story.Status.DRAFT and rulebook.allowed("learning.approve_story", user, story)


def works_on_cases(user) -> bool:
    """The user has a role that works on case stories (the work list of /leren/verhalen/)."""
    return rulebook.has_role(rulebook.STORY_WRITERS)(user)


def story_worklist(user) -> dict:
    """For professionals: closed cases they may still write a story about, and the stories in progress."""
    require_rule("learning.use_stories", user, purpose="learning_stories")
    cases = story_cases(user).filter(status=Case.Status.CLOSED)
    stories = list(Story.objects.filter(case__in=cases.values("pk"), status=Story.Status.DRAFT)
                   .select_related("case").order_by("-created_at", "-id"))
    without = list(cases.exclude(pk__in=Story.objects.values("case_id")).order_by("-closed_at", "-id")[:50])
    return {"drafts": stories, "cases_without_story": without}


def shared_stories(user, *, status=""):
    """Approved and published stories of the user's municipality (for /leren/verhalen/): no names, no case.
    learning.view_insights; anyone else gets a 404."""
    require_rule("learning.view_insights", user, purpose="learning_stories")
    statuses = [status] if status in SHARED_STATUSES else SHARED_STATUSES
    return (Story.objects.filter(municipality_id=user.municipality_id, status__in=statuses)
            .prefetch_related("tags").order_by("-approved_at", "-id"))


def shared_story(user, pk) -> Story:
    """An approved or published story of the user's municipality; anything else is a refused read (404)."""
    return get_visible_or_404(user, shared_stories(user), pk, purpose="learning_stories")


def _as_date(value):
    return value.date() if isinstance(value, _dt.datetime) else value


def approved_stories(municipality, start, end, limit=2) -> list[Story]:
    """At most `limit` approved or published stories of the municipality, approved between start and end
    (dates, inclusive), newest first, with their tags. For the council report."""
    with scopes_disabled():
        qs = (Story.objects.filter(municipality=municipality, status__in=SHARED_STATUSES,
                                   approved_at__date__gte=_as_date(start), approved_at__date__lte=_as_date(end))
              .prefetch_related("tags").order_by("-approved_at", "-id"))
        return list(qs[:limit] if limit else qs)


def _public_queryset(*, q="", blocker="", law="", solution_kind=""):
    qs = Story.objects.with_scopes_disabled().filter(status=Story.Status.PUBLISHED)
    if blocker:
        qs = qs.filter(pk__in=StoryTag.objects.with_scopes_disabled()
                       .filter(kind=StoryTag.Kind.BLOCKER, code=blocker).values("story_id"))
    if law:
        qs = qs.filter(pk__in=StoryTag.objects.with_scopes_disabled()
                       .filter(kind=StoryTag.Kind.LAW, code=law).values("story_id"))
    if solution_kind:
        qs = qs.filter(solution_kind=solution_kind)
    for word in q.split()[:8]:
        qs = qs.filter(Q(title__icontains=word) | Q(text__icontains=word) | Q(solution__icontains=word))
    return qs.order_by("-published_at", "-id")


def _tags_by_story(story_ids) -> dict[int, list]:
    tags: dict[int, list] = {}
    for tag in StoryTag.objects.with_scopes_disabled().filter(story_id__in=story_ids).order_by("kind", "code"):
        tags.setdefault(tag.story_id, []).append(tag)
    return tags


def public_precedents(page_number=None, **filters):
    """A page of published stories, across municipalities (the precedent register is public). Each story gets
    `public_tags`; nothing that points at a case, person or municipality-internal id except the story id."""
    with scopes_disabled():
        page = Paginator(_public_queryset(**filters), PRECEDENT_PAGE_SIZE).get_page(page_number)
        page.object_list = list(page.object_list)
        tags = _tags_by_story([s.pk for s in page.object_list])
    for story in page.object_list:
        story.public_tags = tags.get(story.pk, [])
    return page


def tag_labels(tags) -> dict[str, list[str]]:
    """Dutch labels of a story's tags: {"blockers": [...], "laws": [...]}."""
    blockers, laws = dict(_platform_models.BlockerTag.choices), dict(_core_choices.Funder.choices)
    return {
        "blockers": [str(blockers.get(t.code, t.code)) for t in tags if t.kind == StoryTag.Kind.BLOCKER],
        "laws": [str(laws.get(t.code, t.code)) for t in tags if t.kind == StoryTag.Kind.LAW],
    }


def public_precedent(pk) -> Story:
    with scopes_disabled():
        story = get_object_or_404(Story.objects.filter(status=Story.Status.PUBLISHED), pk=pk)
        story.public_tags = _tags_by_story([story.pk]).get(story.pk, [])
    return story



# === themes, proposals and learning sessions ===
# Case counts per theme and the funders/laws of those cases leave this section only through suppress() and
# suppress_table(). Cases are counted, never named or linked. Proposal counts and the attendees of a session
# are not counts of people in the case files (each proposal is listed in full anyway) and are shown exactly.
# Uses get_visible_or_404, deny and Story imported by the stories section above.




DISCUSSABLE_STORY_STATUSES = (Story.Status.APPROVED, Story.Status.PUBLISHED)


def may_manage_themes(user, theme=None) -> bool:
    """Themes (create, edit, codes) and decisions on proposals: the policy officer only (learning.manage_themes)."""
    return rulebook.allowed("learning.manage_themes", user, theme)


def _require_learning(user) -> None:
    require_rule("learning.view_insights", user)


def get_theme_for(user, pk) -> Theme:
    """A theme of the user's own municipality; Http404 for anything else (existence is not revealed)."""
    _require_learning(user)
    return get_visible_or_404(user, Theme.objects.filter(municipality_id=user.municipality_id), pk,
                              purpose="learning_themes")


def get_proposal_for(user, pk) -> PolicyProposal:
    _require_learning(user)
    return get_visible_or_404(user, PolicyProposal.objects.select_related("theme", "decided_by")
                              .filter(municipality_id=user.municipality_id), pk, purpose="learning_themes")


def get_session_for(user, pk) -> LearningSession:
    _require_learning(user)
    return get_visible_or_404(user, LearningSession.objects.select_related("theme")
                              .filter(municipality_id=user.municipality_id), pk, purpose="learning_themes")


def _theme_case_ids(municipality_id, codes):
    """Subquery: ids of the distinct cases of the municipality with a blocker of one of these codes."""
    return (PlatformBlocker.objects.filter(municipality_id=municipality_id, code__in=list(codes))
            .values("evaluation__platform__case_id").distinct())


def _theme_case_counts(municipality_id, codes_by_theme: dict[int, list[str]]) -> dict[int, int]:
    """Distinct cases per theme (a case counts once per theme), all themes in one query."""
    aggregates = {f"t{theme_id}": Count("evaluation__platform__case_id", distinct=True, filter=Q(code__in=codes))
                  for theme_id, codes in codes_by_theme.items() if codes}
    if not aggregates:
        return {}
    row = PlatformBlocker.objects.filter(municipality_id=municipality_id).aggregate(**aggregates)
    return {int(key[1:]): value for key, value in row.items()}


def _theme_case_count(municipality_id, codes) -> int:
    return _theme_case_counts(municipality_id, {0: list(codes)}).get(0, 0)


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
    for row in (PolicyProposal.objects.filter(municipality=municipality)
                .values("theme_id", "status").annotate(n=Count("id")).order_by()):
        per_status.setdefault(row["theme_id"], {})[row["status"]] = row["n"]
    labels = dict(BlockerTag.choices)
    cases = _theme_case_counts(municipality.pk, codes)
    rows = []
    for theme in Theme.objects.filter(municipality=municipality).order_by("name"):
        theme_codes = codes.get(theme.pk, [])
        counts = per_status.get(theme.pk, {})
        rows.append({
            "theme": theme,
            "codes": [labels[c] for c in theme_codes],
            "cases": suppress(cases.get(theme.pk, 0)),
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


def theme_detail(user, theme) -> dict:
    """Counts of a theme for its page: cases (suppressed) and the funders and laws of those cases as a
    suppressed table. A case can have several funders, so the table total counts mentions, not cases."""
    require_rule("learning.view_insights", user, theme, purpose="learning_themes")
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


def learning_sessions(user):
    _require_learning(user)
    return (LearningSession.objects.filter(municipality_id=user.municipality_id).select_related("theme")
            .order_by("-held_on", "-id"))


def discussable_stories(municipality):
    """Stories a learning session may link: approved or published, of the own municipality only."""
    return Story.objects.filter(municipality=municipality, status__in=DISCUSSABLE_STORY_STATUSES).order_by(
        "-created_at", "-id")


def session_stories(user, session):
    require_rule("learning.view_insights", user, session, purpose="learning_themes")
    return list(session.stories.order_by("title", "id"))
