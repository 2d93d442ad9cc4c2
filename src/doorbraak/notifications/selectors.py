"""The work inbox (issue 16, point 1): what needs the user, per role, each item linking to where it is handled.

Every section is one query of at most SECTION_LIMIT + 1 rows, whatever the data size, and starts from the existing
visible sets: `Case.objects.visible_to(user)` (need-to-know), `cases.selectors.follow_ups_for`,
`budget.selectors.plans_awaiting` (the approver's queue), the learning and moderation rules. Nothing is counted
over the whole set: a section shows "10+" when there are more."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from doorbraak.budget import selectors as budget_selectors
from doorbraak.budget.models import Loan, Plan, PlanEvent
from doorbraak.cases.models import Case, FollowUpMoment
from doorbraak.cases.selectors import follow_ups_for, get_case_for
from doorbraak.core.access import get_visible_or_404
from doorbraak.core.models import Role
from doorbraak.core.permissions import allowed
from doorbraak.initiatives.models import Comment, Moderation, Submission
from doorbraak.learning.models import PolicyProposal, Story
from doorbraak.platforms.models import BREAKTHROUGH_DAYS, Escalation, Platform, PlatformAction

from .models import Kind, Notification

SECTION_LIMIT = 10
DUE_SOON_DAYS = 7


@dataclass
class Item:
    label: str
    url: str
    note: str = ""
    overdue: bool = False
    ics_url: str = ""  # an .ics of the meeting or the evaluation moment


@dataclass
class Section:
    key: str
    title: str
    empty: str
    items: list[Item] = field(default_factory=list)
    more: bool = False
    all_url: str = ""

    @property
    def count_label(self) -> str:
        return f"{SECTION_LIMIT}+" if self.more else str(len(self.items))

    @property
    def count(self) -> int:
        return len(self.items)


def _cut(rows) -> tuple[list, bool]:
    rows = list(rows[: SECTION_LIMIT + 1])
    return rows[:SECTION_LIMIT], len(rows) > SECTION_LIMIT


def _open_visible(user):
    return Case.objects.visible_to(user).exclude(status=Case.Status.CLOSED).values("pk")


def _dutch(day: datetime.date) -> str:
    from doorbraak.core import dates

    return dates.dutch(day)


def _platform_url(case_id, pk) -> str:
    return reverse("platforms:detail", kwargs={"case_id": case_id, "pk": pk})


def notifications_section(user) -> Section:
    rows, more = _cut(Notification.objects.filter(user_id=user.pk, read_at__isnull=True).order_by("-created_at", "-id"))
    section = Section(
        "notifications",
        _("Nieuwe meldingen"),
        _("Geen nieuwe meldingen."),
        more=more,
        all_url=reverse("notifications:list"),
    )
    section.items = [
        Item(str(Kind(n.kind).label), n.link, note=timezone.localtime(n.created_at).strftime("%d-%m-%Y %H:%M"))
        for n in rows
    ]
    return section


def my_actions(user) -> Section:
    horizon = timezone.localdate() + datetime.timedelta(days=DUE_SOON_DAYS)
    qs = (
        PlatformAction.objects.filter(
            owner__user_id=user.pk,
            done_on__isnull=True,
            due_on__lte=horizon,
            platform__case_id__in=_open_visible(user),
            municipality_id=user.municipality_id,
        )
        .select_related("platform__case")
        .order_by("due_on", "id")
    )
    rows, more = _cut(qs)
    section = Section("actions", _("Mijn acties die (bijna) verlopen"), _("Geen acties die binnen een week verlopen."))
    section.items = [
        Item(
            f"{a.what} ({a.platform.case.title})",
            _platform_url(a.platform.case_id, a.platform_id),
            note=str(_("uiterlijk %(d)s") % {"d": _dutch(a.due_on)}),
            overdue=a.is_overdue,
        )
        for a in rows
    ]
    section.more = more
    return section


def evaluations(user) -> Section:
    rows, more = _cut(follow_ups_for(user))
    section = Section("evaluations", _("Evaluaties die eraan komen"), _("Geen evaluaties binnen een week."), more=more)
    section.items = [
        Item(
            m.case.title,
            reverse("cases:detail", kwargs={"case_id": m.case_id}),
            note=str(_("gepland op %(d)s") % {"d": _dutch(m.due_on)}),
            overdue=m.is_overdue,
            ics_url=reverse("notifications:moment_ics", kwargs={"case_id": m.case_id, "pk": m.pk}),
        )
        for m in rows
    ]
    return section


def overdue_platforms(user, title=None) -> Section:
    cutoff = timezone.localdate() - datetime.timedelta(days=BREAKTHROUGH_DAYS)
    qs = Platform.objects.filter(
        status=Platform.Status.CONVENED, convened_on__lt=cutoff, municipality_id=user.municipality_id
    )
    if user.is_authenticated and user.role == Role.LEAD and user.team_id:
        # A lead sees a whole team (~1/5 of the municipality): walk the convened platforms in date order
        # (platform_status_convened index) and check each one's case, stopping after the section's rows, instead
        # of hashing every open case of the team (851 ms at 1M cases; cases.selectors.follow_ups_for does the
        # same). The OR with a condition no row meets keeps the EXISTS per row; it is a fence, not a filter.
        visible = Case.objects.visible_to(user).exclude(status=Case.Status.CLOSED)
        never = Q(convened_on__lt=datetime.date(1, 1, 2))
        qs = qs.filter(Q(Exists(visible.filter(pk=OuterRef("case_id")))) | never)
    else:
        qs = qs.filter(case_id__in=_open_visible(user))
    qs = qs.select_related("case").order_by("convened_on", "id")
    rows, more = _cut(qs)
    today = timezone.localdate()
    section = Section(
        "overdue_platforms",
        title or _("Casusplatforms waarvan de drie weken voorbij zijn"),
        _("Geen casusplatforms over de drie weken."),
        more=more,
        all_url=reverse("cases:list") + "?platform=voorbij",
    )
    section.items = [
        Item(
            p.case.title,
            _platform_url(p.case_id, p.pk),
            note=str(_("%(n)s dagen aan tafel") % {"n": (today - p.convened_on).days}),
            overdue=True,
            ics_url=reverse("notifications:platform_ics", kwargs={"case_id": p.case_id, "pk": p.pk}),
        )
        for p in rows
    ]
    return section


def returned_plans(user) -> Section:
    submitted_by_me = PlanEvent.objects.filter(plan_id=OuterRef("pk"), kind="submitted", actor_id=user.pk)
    qs = (
        Plan.objects.filter(
            Exists(submitted_by_me),
            status=Plan.Status.DRAFT,
            case_id__in=_open_visible(user),
            municipality_id=user.municipality_id,
        )
        .select_related("case")
        .order_by("-id")
    )
    rows, more = _cut(qs)
    section = Section("returned_plans", _("Teruggestuurde plannen"), _("Geen teruggestuurde plannen."), more=more)
    section.items = [Item(p.case.title, reverse("plan:detail", kwargs={"case_id": p.case_id})) for p in rows]
    return section


def loans_passed(user) -> Section:
    qs = (
        Loan.objects.filter(
            status=Loan.Status.OUTSTANDING,
            deadline__lt=timezone.localdate(),
            plan__case_id__in=_open_visible(user),
            municipality_id=user.municipality_id,
        )
        .select_related("plan__case")
        .order_by("deadline", "id")
    )
    rows, more = _cut(qs)
    section = Section(
        "loans", _("Leningen waarvan de termijn verstreken is"), _("Geen verstreken termijnen."), more=more
    )
    section.items = [
        Item(
            l.plan.case.title,
            reverse("plan:detail", kwargs={"case_id": l.plan.case_id}),
            note=str(_("termijn %(d)s") % {"d": _dutch(l.deadline)}),
            overdue=True,
        )
        for l in rows  # noqa: E741
    ]
    return section


def escalations(user) -> Section:
    qs = (
        Escalation.objects.filter(
            outcome_on__isnull=True,
            platform__case_id__in=_open_visible(user),
            municipality_id=user.municipality_id,
        )
        .select_related("platform__case")
        .order_by("escalated_on", "id")
    )
    rows, more = _cut(qs)
    section = Section("escalations", _("Opschalingen zonder uitkomst"), _("Geen open opschalingen."), more=more)
    section.items = [
        Item(
            e.platform.case.title,
            _platform_url(e.platform.case_id, e.platform_id),
            note=f"{e.get_level_display()}, {_dutch(e.escalated_on)}",
        )
        for e in rows
    ]
    return section


def plans_waiting(user) -> Section:
    """The first plans of the approver's queue (budget.selectors.awaiting_page: within the user's mandate, not the
    user's own, oldest first)."""
    page = budget_selectors.awaiting_page(user, None)  # within the mandate, not one's own, oldest first
    rows, more = page.rows[:SECTION_LIMIT], len(page.rows) > SECTION_LIMIT or page.next_after is not None
    section = Section(
        "plans_waiting",
        _("Plannen die wachten op uw goedkeuring"),
        _("Er wachten geen plannen binnen uw mandaat."),
        more=more,
        all_url=reverse("budget:overview"),
    )
    from doorbraak.core.templatetags.doorbraak import euro  # noqa: PLC0415 - the one euro format

    section.items = [
        Item(p.case.title, reverse("plan:detail", kwargs={"case_id": p.case_id}), note=euro(p.requested_cents))
        for p in rows
    ]
    return section


def stories_to_publish(user) -> Section:
    rows, more = _cut(
        Story.objects.filter(municipality_id=user.municipality_id, status=Story.Status.APPROVED).order_by(
            "approved_at", "id"
        )
    )
    section = Section(
        "stories", _("Goedgekeurde verhalen om te publiceren"), _("Geen verhalen om te publiceren."), more=more
    )
    section.items = [
        Item(s.title or str(_("Verhaal zonder titel")), reverse("learning:story_detail", kwargs={"pk": s.pk}))
        for s in rows
    ]
    return section


def proposals_to_decide(user) -> Section:
    rows, more = _cut(
        PolicyProposal.objects.filter(municipality_id=user.municipality_id, status=PolicyProposal.Status.PROPOSED)
        .select_related("theme")
        .order_by("id")
    )
    section = Section("proposals", _("Beleidsvoorstellen om over te besluiten"), _("Geen open voorstellen."), more=more)
    section.items = [
        Item(
            Truncator(p.text).chars(80), reverse("learning:theme_detail", kwargs={"pk": p.theme_id}), note=p.theme.name
        )
        for p in rows
    ]
    return section


def moderation(user) -> Section:
    subs, more_subs = _cut(Submission.objects.filter(moderation=Moderation.PENDING).order_by("created_at", "id"))
    comments, more_comments = _cut(Comment.objects.filter(moderation=Moderation.PENDING).order_by("created_at", "id"))
    url = reverse("initiatives:moderation")
    section = Section(
        "moderation",
        _("Wacht op moderatie"),
        _("Er wacht niets op moderatie."),
        more=more_subs or more_comments,
        all_url=url,
    )
    section.items = [Item(str(_("Aanmelding: %(n)s") % {"n": s.name}), url) for s in subs] + [
        Item(str(_("Reactie bij een initiatief")), url) for _c in comments
    ][: SECTION_LIMIT - len(subs)]
    return section


def inbox_for(user) -> list[Section]:
    """The sections of the user's inbox, by role. A fixed number of queries (one per section; the approver's mandate
    one more)."""
    if not allowed("notifications.view_inbox", user):
        return []
    sections = [notifications_section(user)]
    role = user.role
    if role == Role.PROFESSIONAL:
        sections += [my_actions(user), evaluations(user), overdue_platforms(user), returned_plans(user)]
        sections += [loans_passed(user)]
    elif role == Role.LEAD:
        sections += [overdue_platforms(user, _("Casusplatforms van uw team over de drie weken")), escalations(user)]
        sections += [my_actions(user), evaluations(user), returned_plans(user), loans_passed(user)]
    elif role == Role.APPROVER:
        sections.append(plans_waiting(user))
    elif role == Role.POLICY and allowed("learning.view_insights", user):
        sections += [stories_to_publish(user), proposals_to_decide(user)]
    elif role == Role.MODERATOR and allowed("initiatives.moderate", user):
        sections.append(moderation(user))
    return sections


def work_count(sections) -> int:
    return sum(s.count for s in sections)


def notification_page(user, limit: int = 50) -> list[Notification]:
    return list(Notification.objects.filter(user_id=user.pk).order_by("-created_at", "-id")[:limit])


def moment_for(user, case_id, pk) -> FollowUpMoment:
    """An evaluation moment of a case the user may see (the case's need-to-know gate), else a logged 404."""
    case = get_case_for(user, case_id)
    return get_visible_or_404(user, FollowUpMoment.objects.filter(case=case), pk)


CALENDAR_PAGE_LIMIT = 20


def upcoming_for_calendar(user) -> list[Item]:
    """The user's coming platform meetings (at whose table they sit) and open evaluation moments of their visible
    cases, soonest first, each with its .ics: two queries."""
    today = timezone.localdate()
    visible = _open_visible(user)
    platforms = (
        Platform.objects.filter(
            case_id__in=visible,
            participants__user_id=user.pk,
            convened_on__gte=today,
            municipality_id=user.municipality_id,
        )
        .select_related("case")
        .order_by("convened_on", "id")[:CALENDAR_PAGE_LIMIT]
    )
    moments = (
        FollowUpMoment.objects.filter(
            case_id__in=visible, done_on__isnull=True, due_on__gte=today, municipality_id=user.municipality_id
        )
        .select_related("case")
        .order_by("due_on", "id")[:CALENDAR_PAGE_LIMIT]
    )
    items = [
        (
            p.convened_on,
            Item(
                str(_("Casusplatform: %(case)s") % {"case": p.case.title}),
                _platform_url(p.case_id, p.pk),
                note=_dutch(p.convened_on),
                ics_url=reverse("notifications:platform_ics", kwargs={"case_id": p.case_id, "pk": p.pk}),
            ),
        )
        for p in platforms
    ] + [
        (
            m.due_on,
            Item(
                str(_("Evaluatiemoment: %(case)s") % {"case": m.case.title}),
                reverse("cases:detail", kwargs={"case_id": m.case_id}),
                note=_dutch(m.due_on),
                ics_url=reverse("notifications:moment_ics", kwargs={"case_id": m.case_id, "pk": m.pk}),
            ),
        )
        for m in moments
    ]
    return [item for _day, item in sorted(items, key=lambda pair: pair[0])]
