"""Issue 11 in learning: state machines (core.transitions) for stories and proposals, one story per case, the one
RuleError, and Dutch money formatting in the pattern findings."""

import datetime

import pytest

from doorbraak.core.errors import RuleError
from doorbraak.core.transitions import check_flow
from doorbraak.learning.insights import analytics, stats
from doorbraak.learning.models import PolicyProposal, Story, Theme
from doorbraak.learning.stories import services
from doorbraak.learning.themes import services as theme_services
from tests.learning.test_stories import closed_world

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def test_flows_name_only_known_states():
    check_flow(services.STORY_FLOW, Story.Status.values)
    check_flow(theme_services.PROPOSAL_FLOW, PolicyProposal.Status.values)


def test_a_second_story_for_the_same_case_is_refused_with_a_rule_error():
    w = closed_world()
    services.create_story_draft(w.pro, w.case)
    with pytest.raises(RuleError, match="al een verhaal"):
        services.create_story_draft(w.lead, w.case)
    assert Story.objects.filter(case=w.case).count() == 1


def test_double_approval_changes_the_state_once():
    w = closed_world()
    story = services.create_story_draft(w.pro, w.case)
    stale = Story.objects.get(pk=story.pk)  # the same page open twice
    services.approve_story(w.lead, story)
    with pytest.raises(RuleError, match="al goedgekeurd"):
        services.approve_story(w.lead, stale)
    assert w.case.timeline.filter(kind="story.approved").count() == 1


def test_double_publish_and_withdraw_change_the_state_once():
    w = closed_world()
    story = services.approve_story(w.lead, services.create_story_draft(w.pro, w.case))
    stale = Story.objects.get(pk=story.pk)
    services.publish_story(w.policy, story)
    with pytest.raises(RuleError):
        services.publish_story(w.policy, stale)
    services.withdraw_story(w.policy, story)
    with pytest.raises(RuleError, match="niet in het openbare register"):
        services.withdraw_story(w.policy, stale)
    story.refresh_from_db()
    assert story.status == Story.Status.APPROVED and story.published_by is None
    assert w.case.timeline.filter(kind="story.published").count() == 1
    assert w.case.timeline.filter(kind="story.withdrawn").count() == 1


def test_withdrawing_a_draft_is_refused_by_the_flow():
    w = closed_world()
    story = services.create_story_draft(w.pro, w.case)
    with pytest.raises(RuleError):
        services.withdraw_story(w.policy, story)
    story.refresh_from_db()
    assert story.status == Story.Status.DRAFT


def test_a_stale_decision_on_a_decided_proposal_changes_nothing():
    w = closed_world()
    theme = Theme.objects.create(municipality=w.municipality, name="Geld")
    proposal = theme_services.propose(w.lead, theme, text="Eén potje")
    stale = PolicyProposal.objects.get(pk=proposal.pk)
    theme_services.decide(w.policy, proposal, status="adopted", decided_on=TODAY, note="In de kadernota.")
    with pytest.raises(RuleError, match="al besloten: overgenomen"):
        theme_services.decide(w.policy, stale, status="rejected", decided_on=TODAY, note="Toch niet.")
    proposal.refresh_from_db()
    assert proposal.status == "adopted" and proposal.decision_note == "In de kadernota."


def test_findings_keep_dutch_money_formatting():
    """Issue 11 probe: describe() turned "€ 5.000 tot € 25.000" into "€ 5,000 tot € 25,000"."""
    zrm = analytics.describe(
        "€ 5.000 tot € 25.000", "Gebruikt budget", "zrm", stats.Comparison(estimate=0.456, low=0.1, high=0.81, claim=1)
    )
    assert "€ 5.000 tot € 25.000" in zrm and "€ 5,000" not in zrm
    assert "(+0,46 ZRM-punt, interval +0,10 tot +0,81)." in zrm
    share = analytics.describe(
        "€ 25.000 of meer", "Gebruikt budget", "share", stats.Comparison(estimate=-0.12, low=-0.2, high=-0.04, claim=-1)
    )
    assert "€ 25.000 of meer" in share and "(-12 procentpunt, interval -20 tot -4)." in share
