"""Service-level rule matrix of the learning app (issue 11, point 1).

Every public write service and every read selector that receives the acting user (stories, themes, insights
including the council report PDFs) is called as each role, as an
uninvolved professional of the same municipality, as a lead of another team and as users of another
municipality, on the objects of one municipality (a closed case with its story, a theme, a proposal, a session).
Each call is allowed, or refused: `Refused` (403, the rule book), `Refusal`/Http404 (need-to-know or another
municipality), or — the one four-eyes row — a RuleError. `MATRIX` lists every row (service, actor, expected,
rule) so the lead can count them; every rule in `permissions.registered("learning.")` is used by a row.

Rules about *whose municipality*: a create or a page without an object (a new theme, the dashboard, a refresh)
works on the actor's own municipality, so a policy officer of another municipality is allowed there; on an object
of this municipality everyone from elsewhere is refused.
"""

import datetime

import pytest
from django.http import Http404
from django.utils import timezone

from doorbraak.core import permissions as rulebook
from doorbraak.core.errors import RuleError
from doorbraak.core.models import Role
from doorbraak.learning import tasks
from doorbraak.learning.insights import analytics, council_reports
from doorbraak.learning.models import CouncilReport, LearningSession, PolicyProposal, Story, StoryFlag, Theme
from doorbraak.learning.stories import selectors as story_selectors
from doorbraak.learning.stories import services as story_services
from doorbraak.learning.themes import selectors as theme_selectors
from doorbraak.learning.themes import services as theme_services
from tests.factories import UserFactory
from tests.learning.test_stories import closed_world

pytestmark = pytest.mark.django_db

ALLOW, DENY, RULE = "allowed", "refused", "rule error"
TODAY = datetime.date.today()
PERIOD = analytics.Period(datetime.date(2025, 1, 1), datetime.date(2025, 12, 1))

ACTORS = [
    "professional",
    "lead",
    "approver",
    "policy",
    "moderator",
    "admin",  # every role, same municipality
    "uninvolved",
    "other_lead",  # an uninvolved professional; a lead of another team
    "stranger_lead",
    "stranger_policy",
]  # another municipality

EVERYONE = set(ACTORS)
READERS_HERE = {"lead", "policy", "other_lead"}  # learning.view_insights on this municipality's objects
READERS_ANYWHERE = READERS_HERE | {"stranger_lead", "stranger_policy"}  # ... on their own municipality
STORY_TEAM = {"professional", "lead"}  # involved at the closing / lead of the case's team


class Fixture:
    """One municipality: a closed case (professional involved until the closing) with a platform, a theme, a
    proposal, a learning session; the actors; and the story in the stage a service needs."""

    def __init__(self, story_stage=None):
        w = closed_world()
        self.world, self.case = w, w.case
        self.actors = {
            "professional": w.pro,
            "lead": w.lead,
            "approver": w.approver,
            "policy": w.policy,
            "moderator": UserFactory(municipality=w.municipality, role=Role.MODERATOR),
            "admin": UserFactory(municipality=w.municipality, role=Role.ADMIN),
            "uninvolved": w.uninvolved,
            "other_lead": w.other_lead,
            "stranger_lead": w.stranger,
            "stranger_policy": UserFactory(municipality=w.stranger.municipality, role=Role.POLICY),
        }
        self.theme = Theme.objects.create(municipality=w.municipality, name="Regels die botsen")
        self.proposal = PolicyProposal.objects.create(
            municipality=w.municipality, theme=self.theme, text="Eén potje voor maatwerk", created_by=w.lead
        )
        self.session = LearningSession.objects.create(
            municipality=w.municipality,
            held_on=TODAY,
            topic="Privacy",
            theme=self.theme,
            attendees=12,
            created_by=w.lead,
        )
        self.report = CouncilReport.objects.create(
            municipality=w.municipality,
            period_start=datetime.date(2025, 1, 1),
            period_end=datetime.date(2025, 12, 1),
            requested_by=w.policy,
            status=CouncilReport.Status.DONE,
            finished_at=timezone.now(),
            file_name=f"council-reports/{w.municipality.code}/matrix.pdf",
        )
        path = council_reports.root() / self.report.file_name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"%PDF-1.7 matrix")
        self.story = None
        if story_stage:
            self.story = story_services.create_story_draft(w.pro, w.case)
            if story_stage in ("approved", "published"):
                self.story = story_services.approve_story(w.lead, self.story)
            if story_stage == "published":
                self.story = story_services.publish_story(w.policy, self.story)
            self.story = Story.objects.get(pk=self.story.pk)


def _edit(f, user):
    return story_services.update_story(
        user,
        f.story,
        title="Nieuw",
        text="Een verhaal zonder namen.",
        solution="",
        solution_kind="",
        blockers=[],
        laws=[],
    )


def _decide(f, user):
    return theme_services.decide(user, f.proposal, status="adopted", decided_on=TODAY, note="In de kadernota.")


def _session(f, user):
    return theme_services.record_session(user, held_on=TODAY, topic="Wat mag wel", attendees=9, theme=f.theme)


def _open_report(f, user):
    report, handle = council_reports.open_report(user, f.report.pk)
    handle.close()
    return report


def row(rule, call, allowed, *, stage=None, rule_errors=frozenset()):
    """(rule it exercises, story stage to set up, call, actors allowed, actors refused with a RuleError)."""
    return rule, stage, call, frozenset(allowed), frozenset(rule_errors)


S, T = story_services, theme_services


def _keep_flag(f, u):
    """A fresh flag per call, so every allowed actor has an open one to keep."""
    flag = StoryFlag.objects.create(
        municipality=f.story.municipality, story=f.story, field="text", span=f"Kees {u.pk}", kind="person"
    )
    return S.keep_flag(u, f.story, flag.pk, "Geen persoon: de naam van een buurthuis.")


SERVICES = {
    # --- stories (writes) ---
    "stories.services.create_story_draft": row(
        "learning.write_story", lambda f, u: S.create_story_draft(u, f.case), STORY_TEAM
    ),
    "stories.services.update_story": row("learning.write_story", _edit, STORY_TEAM, stage="draft"),
    "stories.services.approve_story": row(
        "learning.approve_story",
        lambda f, u: S.approve_story(u, f.story),
        {"lead"},
        stage="draft",
        rule_errors={"professional"},
    ),  # four eyes
    "stories.services.keep_flag": row("learning.write_story", lambda f, u: _keep_flag(f, u), STORY_TEAM, stage="draft"),
    "stories.services.publish_story": row(
        "learning.publish_story", lambda f, u: S.publish_story(u, f.story), {"policy"}, stage="approved"
    ),
    "stories.services.withdraw_story": row(
        "learning.withdraw_story", lambda f, u: S.withdraw_story(u, f.story), {"policy"}, stage="published"
    ),
    # --- themes, proposals, sessions (writes) ---
    "themes.services.save_theme (new)": row(
        "learning.manage_themes", lambda f, u: T.save_theme(u, name="Geld", codes=[]), {"policy", "stranger_policy"}
    ),
    "themes.services.save_theme (edit)": row(
        "learning.manage_themes", lambda f, u: T.save_theme(u, theme=f.theme, name="Regels", codes=[]), {"policy"}
    ),
    "themes.services.propose": row(
        "learning.propose", lambda f, u: T.propose(u, f.theme, text="Meer ruimte"), READERS_HERE
    ),
    "themes.services.decide": row("learning.decide", _decide, {"policy"}),
    "themes.services.record_session": row("learning.record_session", _session, READERS_HERE),
    # --- insights ---
    "tasks.request_refresh": row(
        "learning.refresh", lambda f, u: tasks.request_refresh(u), {"policy", "stranger_policy"}
    ),
    "insights.analytics.dashboard_for": row(
        "learning.view_insights", lambda f, u: analytics.dashboard_for(u), READERS_ANYWHERE
    ),
    "insights.analytics.patterns_for": row(
        "learning.view_insights", lambda f, u: analytics.patterns_for(u), READERS_ANYWHERE
    ),
    "insights.council_reports.request_report": row(
        "learning.view_insights", lambda f, u: council_reports.request_report(u, PERIOD), READERS_ANYWHERE
    ),
    "insights.council_reports.recent_reports": row(
        "learning.view_insights", lambda f, u: council_reports.recent_reports(u), READERS_ANYWHERE
    ),
    "insights.council_reports.get_report": row(
        "learning.view_insights", lambda f, u: council_reports.get_report(u, f.report.pk), READERS_HERE
    ),
    "insights.council_reports.open_report": row("learning.view_insights", _open_report, READERS_HERE),
    # --- reads: stories ---
    "stories.selectors.get_story_case_for": row(
        "learning.write_story", lambda f, u: story_selectors.get_story_case_for(u, f.case.pk), STORY_TEAM
    ),
    "stories.selectors.story_worklist": row(
        "learning.view_stories", lambda f, u: story_selectors.story_worklist(u), EVERYONE - {"moderator", "admin"}
    ),
    "stories.selectors.shared_stories": row(
        "learning.view_insights", lambda f, u: list(story_selectors.shared_stories(u)), READERS_ANYWHERE
    ),
    "stories.selectors.shared_story": row(
        "learning.view_insights",
        lambda f, u: story_selectors.shared_story(u, f.story.pk),
        READERS_HERE,
        stage="approved",
    ),
    # --- reads: themes, proposals, sessions ---
    "themes.selectors.themes_overview": row(
        "learning.view_insights", lambda f, u: theme_selectors.themes_overview(u), READERS_ANYWHERE
    ),
    "themes.selectors.get_theme_for": row(
        "learning.view_insights", lambda f, u: theme_selectors.get_theme_for(u, f.theme.pk), READERS_HERE
    ),
    "themes.selectors.theme_detail": row(
        "learning.view_insights", lambda f, u: theme_selectors.theme_detail(u, f.theme), READERS_HERE
    ),
    "themes.selectors.get_proposal_for": row(
        "learning.view_insights", lambda f, u: theme_selectors.get_proposal_for(u, f.proposal.pk), READERS_HERE
    ),
    "themes.selectors.learning_sessions": row(
        "learning.view_insights", lambda f, u: list(theme_selectors.learning_sessions(u)), READERS_ANYWHERE
    ),
    "themes.selectors.get_session_for": row(
        "learning.view_insights", lambda f, u: theme_selectors.get_session_for(u, f.session.pk), READERS_HERE
    ),
    "themes.selectors.session_stories": row(
        "learning.view_insights", lambda f, u: theme_selectors.session_stories(u, f.session), READERS_HERE
    ),
}


def _expected(allowed, rule_errors, actor):
    if actor in allowed:
        return ALLOW
    return RULE if actor in rule_errors else DENY


MATRIX = [
    (service, actor, _expected(allowed, rule_errors, actor), rule)
    for service, (rule, _stage, _call, allowed, rule_errors) in SERVICES.items()
    for actor in ACTORS
]


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = str(tmp_path / "private")


@pytest.mark.parametrize(("service", "actor", "expected", "rule"), MATRIX, ids=[f"{s}-{a}" for s, a, _e, _r in MATRIX])
def test_rule_matrix(service, actor, expected, rule):
    _rule, stage, call, _allowed, _rule_errors = SERVICES[service]
    f = Fixture(story_stage=stage)
    user = f.actors[actor]
    if expected == ALLOW:
        assert call(f, user) is not None
    elif expected == RULE:
        with pytest.raises(RuleError):
            call(f, user)
    else:
        with pytest.raises((rulebook.Refused, Http404)):
            call(f, user)


def test_a_refused_write_changes_nothing():
    """A refusal is not a half-done write: the story, the proposal and the theme are as they were."""
    f = Fixture(story_stage="approved")
    stranger = f.actors["stranger_policy"]
    for call in (
        SERVICES["stories.services.publish_story"][2],
        _decide,
        SERVICES["themes.services.save_theme (edit)"][2],
    ):
        with pytest.raises(rulebook.Refused):
            call(f, stranger)
    f.story.refresh_from_db()
    f.proposal.refresh_from_db()
    f.theme.refresh_from_db()
    assert (f.story.status, f.proposal.status, f.theme.name) == ("approved", "proposed", "Regels die botsen")


def test_every_learning_rule_is_used_by_a_row():
    used = {rule for _service, _actor, _expected, rule in MATRIX}
    assert set(rulebook.registered("learning.")) <= used
    assert used <= set(rulebook.registered("learning."))
