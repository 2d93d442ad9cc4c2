"""Reads of anonymised stories: who may work on a case's story, the work list, the approved stories for policy
staff and leads (without case or names), the public precedent register and the council report's stories."""

import datetime as _dt

from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef, Q, prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django_scopes import scopes_disabled

from doorbraak.cases.models import Case, Involvement
from doorbraak.cases.selectors import case_id_subject, case_subject
from doorbraak.core import choices as _core_choices
from doorbraak.core import permissions as rulebook
from doorbraak.core.access import get_visible_or_404
from doorbraak.core.seek import SeekPage, seek_page
from doorbraak.platforms import models as _platform_models

from ..models import Story, StoryTag
from ..permissions import require_read

# Need-to-know for stories: Case.objects.visible_to, widened by AVG-02's grace period: whoever was still
# involved when the case closed (close_case ends every involvement) may write and approve its anonymised story
# for STORY_GRACE_DAYS after closing. Policy staff and leads see only approved stories, without case or names;
# the public sees only published ones.


STORY_GRACE_DAYS = 90
PRECEDENT_PAGE_SIZE = 10
STORY_PAGE_SIZE = 25  # /leren/verhalen/: approved stories and drafts per page
STORY_COUNT_CAP = 1000  # the number of approved stories is exact up to here, above it "meer dan 1.000"
SHARED_STATUSES = [Story.Status.APPROVED, Story.Status.PUBLISHED]


def story_cases(user):
    """Cases whose story the user may draft, edit and approve: the cases they see (visible_to), plus closed cases
    they were involved in until the closing, for STORY_GRACE_DAYS after it."""
    if not _writes_stories(user):
        return Case.objects.none()
    visible = Case.objects.visible_to(user).values("pk")
    return Case.objects.filter(
        Q(pk__in=visible) | Q(pk__in=_involved_at_closing(user)), municipality_id=user.municipality_id
    )


def _writes_stories(user) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.municipality_id is not None
        and user.role in rulebook.STORY_WRITERS
    )


def _involved_at_closing(user):
    """The ids of the closed cases `user` was still involved in when they closed, within the grace period."""
    since = timezone.now() - _dt.timedelta(days=STORY_GRACE_DAYS)
    return (
        Involvement.objects.with_scopes_disabled()
        .filter(
            user=user,
            municipality_id=user.municipality_id,
            ended_at__gte=F("case__closed_at"),
            case__status=Case.Status.CLOSED,
            case__closed_at__gte=since,
        )
        .values("case_id")
    )


def _closed_without_story(user, limit):
    """The `limit` most recently closed cases of `story_cases(user)` without a story, newest first.

    Said as its two halves, each walked in closing order and stopped after `limit` rows, then merged: the OR of
    the two case sets in one query (`story_cases`) is not hashed by PostgreSQL, and the lead's page did not answer
    within ten minutes at 1M cases (issue 15). The visible half is the one gate (`visible_to`) read from
    `case_closed_idx`; the other is the user's few involvements that lasted until the closing."""
    if not _writes_stories(user):
        return []
    without = ~Q(pk__in=Story.objects.values("case_id"))
    order = ("-closed_at", "-id")
    visible = Case.objects.visible_to(user).filter(
        without, status=Case.Status.CLOSED, municipality_id=user.municipality_id
    )
    grace = Case.objects.filter(without, pk__in=_involved_at_closing(user), municipality_id=user.municipality_id)
    rows = {c.pk: c for c in [*visible.order_by(*order)[:limit], *grace.order_by(*order)[:limit]]}
    return sorted(rows.values(), key=lambda c: (c.closed_at, c.pk), reverse=True)[:limit]


def sees_case(user, case) -> bool:
    """Whether the user may open the case itself (not only its story): the case page's need-to-know."""
    return Case.objects.visible_to(user).filter(pk=case.pk).exists()


def get_story_case_for(user, case_id) -> Case:
    """The case if the user may work on its story; otherwise Http404."""
    return get_visible_or_404(
        user,
        story_cases(user).select_related("team", "household"),
        case_id,
        model=Case,
        subject=case_subject,
        purpose="learning_stories",
    )


def stories_of_case(case):
    return Story.objects.filter(case=case).select_related("created_by", "edited_by", "approved_by", "published_by")


def story_of_case(case, pk, user=None) -> Story:
    """A story of this case; a story of another case is a refused read of `user` (logged when given)."""
    return get_visible_or_404(
        user,
        stories_of_case(case).prefetch_related("tags"),
        pk,
        subject=lambda row: case_id_subject(row.case_id),
        purpose="learning_stories",
    )


def last_editor_id(story) -> int | None:
    return story.edited_by_id or story.created_by_id


def may_approve_story(user, story) -> bool:
    """For the button: a draft, and learning.approve_story (four eyes) allows the user."""
    return story.status == Story.Status.DRAFT and rulebook.allowed("learning.approve_story", user, story)


def works_on_cases(user) -> bool:
    """The user has a role that works on case stories (the work list of /leren/verhalen/)."""
    return rulebook.has_role(rulebook.STORY_WRITERS)(user)


def story_worklist(user, *, after=None, before=None) -> dict:
    """For professionals: closed cases they may still write a story about (the 50 most recently closed), and a
    page of the stories in progress, newest first (a seek on (created_at, id) from position `after` / `before`,
    core.seek; a lead sees the drafts of every case of the team, so the list grows with the data)."""
    require_read("learning.view_stories", user, purpose="learning_stories")
    # Each draft's case checked per row (the gate `visible_to` on that one case, or the grace period), walking the
    # drafts newest first: an IN over the two case sets of story_cases was not hashed (4 s at 1M cases).
    if _writes_stories(user):
        visible = Case.objects.visible_to(user).filter(pk=OuterRef("case_id"), status=Case.Status.CLOSED).order_by()
        grace = _involved_at_closing(user).filter(case_id=OuterRef("case_id")).order_by()
        mine = Story.objects.filter(Exists(visible) | Exists(grace), municipality_id=user.municipality_id)
    else:
        mine = Story.objects.none()
    drafts = seek_page(
        mine.filter(status=Story.Status.DRAFT).select_related("case"),
        "created_at",
        after=after,
        before=before,
        descending=True,
        size=STORY_PAGE_SIZE,
    )
    without = _closed_without_story(user, 50)
    return {"drafts": drafts, "cases_without_story": without}


def shared_stories(user, *, status=""):
    """Approved and published stories of the user's municipality (for /leren/verhalen/): no names, no case.
    learning.view_insights; anyone else gets a 404. Without order: read a page of it with `shared_story_page`."""
    require_read("learning.view_insights", user, purpose="learning_stories")
    statuses = [status] if status in SHARED_STATUSES else SHARED_STATUSES
    return Story.objects.filter(municipality_id=user.municipality_id, status__in=statuses)


def shared_story_page(user, *, status="", after=None, before=None) -> tuple[SeekPage, int]:
    """A page of `shared_stories`, newest approved first (-approved_at, -id; a story without an approval date
    last): a seek from position `after` / `before` (core.seek) on story_shared_idx, the tags prefetched for the
    rows shown only. With the number of stories, exact up to STORY_COUNT_CAP (cap + 1 above it)."""
    qs = shared_stories(user, status=status)
    page = seek_page(
        qs, "approved_at", after=after, before=before, descending=True, nullable=True, size=STORY_PAGE_SIZE
    )
    prefetch_related_objects(page.rows, "tags")
    return page, qs.order_by().values("pk")[: STORY_COUNT_CAP + 1].count()


def shared_story(user, pk) -> Story:
    """An approved or published story of the user's municipality; anything else is a refused read (404)."""
    return get_visible_or_404(user, shared_stories(user).prefetch_related("tags"), pk, purpose="learning_stories")


def _as_date(value):
    return value.date() if isinstance(value, _dt.datetime) else value


def approved_stories(municipality, start, end, limit=2) -> list[Story]:
    """At most `limit` approved or published stories of the municipality, approved between start and end
    (dates, inclusive), newest first, with their tags. For the council report."""
    with scopes_disabled():
        qs = (
            Story.objects.filter(
                municipality=municipality,
                status__in=SHARED_STATUSES,
                approved_at__date__gte=_as_date(start),
                approved_at__date__lte=_as_date(end),
            )
            .prefetch_related("tags")
            .order_by("-approved_at", "-id")
        )
        return list(qs[:limit] if limit else qs)


def _public_queryset(*, q="", blocker="", law="", solution_kind=""):
    qs = Story.objects.with_scopes_disabled().filter(status=Story.Status.PUBLISHED)
    if blocker:
        qs = qs.filter(
            pk__in=StoryTag.objects.with_scopes_disabled()
            .filter(kind=StoryTag.Kind.BLOCKER, code=blocker)
            .values("story_id")
        )
    if law:
        qs = qs.filter(
            pk__in=StoryTag.objects.with_scopes_disabled().filter(kind=StoryTag.Kind.LAW, code=law).values("story_id")
        )
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
