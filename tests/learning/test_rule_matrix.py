"""Service-level rule matrix of the learning app (issue 11, point 1).

Every public write service and every read selector that receives the acting user is called as each role, as an
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

from doorbraak.core import permissions as rulebook
from doorbraak.core.errors import RuleError
from doorbraak.core.models import Role
from doorbraak.learning import analytics, selectors, services, tasks
from doorbraak.learning.models import LearningSession, PolicyProposal, Story, Theme
from tests.factories import UserFactory
from tests.learning.test_stories import closed_world

pytestmark = pytest.mark.django_db

ALLOW, DENY, RULE = "allowed", "refused", "rule error"
TODAY = datetime.date.today()

ACTORS = ["professional", "lead", "approver", "policy", "moderator", "admin",  # every role, same municipality
          "uninvolved", "other_lead",  # an uninvolved professional; a lead of another team
          "stranger_lead", "stranger_policy"]  # another municipality

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
            "professional": w.pro, "lead": w.lead, "approver": w.approver, "policy": w.policy,
            "moderator": UserFactory(municipality=w.municipality, role=Role.MODERATOR),
            "admin": UserFactory(municipality=w.municipality, role=Role.ADMIN),
            "uninvolved": w.uninvolved, "other_lead": w.other_lead,
            "stranger_lead": w.stranger,
            "stranger_policy": UserFactory(municipality=w.stranger.municipality, role=Role.POLICY),
        }
        self.theme = Theme.objects.create(municipality=w.municipality, name="Regels die botsen")
        self.proposal = PolicyProposal.objects.create(municipality=w.municipality, theme=self.theme,
                                                      text="Eén potje voor maatwerk", created_by=w.lead)
        self.session = LearningSession.objects.create(municipality=w.municipality, held_on=TODAY, topic="Privacy",
                                                      theme=self.theme, attendees=12, created_by=w.lead)
        self.story = None
        if story_stage:
            self.story = services.create_story_draft(w.pro, w.case)
            if story_stage in ("approved", "published"):
                self.story = services.approve_story(w.lead, self.story)
            if story_stage == "published":
                self.story = services.publish_story(w.policy, self.story)
            self.story = Story.objects.get(pk=self.story.pk)


def _edit(f, user):
    return services.update_story(user, f.story, title="Nieuw", text="Een verhaal zonder namen.", solution="",
                                 solution_kind="", blockers=[], laws=[])


def _decide(f, user):
    return services.decide(user, f.proposal, status="adopted", decided_on=TODAY, note="In de kadernota.")


def _session(f, user):
    return services.record_session(user, held_on=TODAY, topic="Wat mag wel", attendees=9, theme=f.theme)


# service name -> (rule it exercises, story stage to set up, call, actors allowed, actors with a RuleError)
SERVICES = {
    # --- stories (writes) ---
    "services.create_story_draft": ("learning.write_story", None,
                                    lambda f, u: services.create_story_draft(u, f.case), STORY_TEAM, set()),
    "services.update_story": ("learning.write_story", "draft", _edit, STORY_TEAM, set()),
    "services.approve_story": ("learning.approve_story", "draft",  # written by the professional: four eyes
                               lambda f, u: services.approve_story(u, f.story), {"lead"}, {"professional"}),
    "services.publish_story": ("learning.publish_story", "approved",
                               lambda f, u: services.publish_story(u, f.story), {"policy"}, set()),
    "services.withdraw_story": ("learning.withdraw_story", "published",
                                lambda f, u: services.withdraw_story(u, f.story), {"policy"}, set()),
    # --- themes, proposals, sessions (writes) ---
    "services.save_theme (new)": ("learning.manage_themes", None,
                                  lambda f, u: services.save_theme(u, name="Geld", codes=[]),
                                  {"policy", "stranger_policy"}, set()),
    "services.save_theme (edit)": ("learning.manage_themes", None,
                                   lambda f, u: services.save_theme(u, theme=f.theme, name="Regels", codes=[]),
                                   {"policy"}, set()),
    "services.propose": ("learning.propose", None, lambda f, u: services.propose(u, f.theme, text="Meer ruimte"),
                         READERS_HERE, set()),
    "services.decide": ("learning.decide", None, _decide, {"policy"}, set()),
    "services.record_session": ("learning.record_session", None, _session, READERS_HERE, set()),
    # --- insights ---
    "tasks.request_refresh": ("learning.refresh", None, lambda f, u: tasks.request_refresh(u),
                              {"policy", "stranger_policy"}, set()),
    "analytics.dashboard_for": ("learning.view_insights", None, lambda f, u: analytics.dashboard_for(u),
                                READERS_ANYWHERE, set()),
    "analytics.patterns_for": ("learning.view_insights", None, lambda f, u: analytics.patterns_for(u),
                               READERS_ANYWHERE, set()),
    # --- reads: stories ---
    "selectors.get_story_case_for": ("learning.write_story", None,
                                     lambda f, u: selectors.get_story_case_for(u, f.case.pk), STORY_TEAM, set()),
    "selectors.story_worklist": ("learning.use_stories", None, lambda f, u: selectors.story_worklist(u),
                                 EVERYONE - {"moderator", "admin"}, set()),
    "selectors.shared_stories": ("learning.view_insights", None, lambda f, u: list(selectors.shared_stories(u)),
                                 READERS_ANYWHERE, set()),
    "selectors.shared_story": ("learning.view_insights", "approved",
                               lambda f, u: selectors.shared_story(u, f.story.pk), READERS_HERE, set()),
    # --- reads: themes, proposals, sessions ---
    "selectors.themes_overview": ("learning.view_insights", None, lambda f, u: selectors.themes_overview(u),
                                  READERS_ANYWHERE, set()),
    "selectors.get_theme_for": ("learning.view_insights", None, lambda f, u: selectors.get_theme_for(u, f.theme.pk),
                                READERS_HERE, set()),
    "selectors.theme_detail": ("learning.view_insights", None, lambda f, u: selectors.theme_detail(u, f.theme),
                               READERS_HERE, set()),
    "selectors.get_proposal_for": ("learning.view_insights", None,
                                   lambda f, u: selectors.get_proposal_for(u, f.proposal.pk), READERS_HERE, set()),
    "selectors.learning_sessions": ("learning.view_insights", None,
                                    lambda f, u: list(selectors.learning_sessions(u)), READERS_ANYWHERE, set()),
    "selectors.get_session_for": ("learning.view_insights", None,
                                  lambda f, u: selectors.get_session_for(u, f.session.pk), READERS_HERE, set()),
    "selectors.session_stories": ("learning.view_insights", None,
                                  lambda f, u: selectors.session_stories(u, f.session), READERS_HERE, set()),
}


def _expected(allowed, rule_errors, actor):
    if actor in allowed:
        return ALLOW
    return RULE if actor in rule_errors else DENY


MATRIX = [(service, actor, _expected(allowed, rule_errors, actor), rule)
          for service, (rule, _stage, _call, allowed, rule_errors) in SERVICES.items() for actor in ACTORS]


@pytest.mark.parametrize(("service", "actor", "expected", "rule"), MATRIX,
                         ids=[f"{s}-{a}" for s, a, _e, _r in MATRIX])
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
    for call in (SERVICES["services.publish_story"][2], _decide, SERVICES["services.save_theme (edit)"][2]):
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

