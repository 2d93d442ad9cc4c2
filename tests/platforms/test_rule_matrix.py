"""Service-level rule matrix of the case platform (issue 11 point 1): every public write and read service of
`platforms`, called as each role, as an uninvolved professional of the same municipality and as a user of another
municipality; allowed or refused (Refused 403 / Refusal 404). Every rule in `registered("platforms.")` is used."""

import datetime

import pytest
from django.http import Http404

from doorbraak.core import permissions
from doorbraak.core.models import Role
from doorbraak.platforms import selectors, services
from doorbraak.platforms.models import Escalation, PlatformAction
from tests.cases.factories import World, consent
from tests.factories import UserFactory
from tests.platforms.factories import make_platform

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
ACTORS = [
    "professional",
    "lead",
    "approver",
    "policy",
    "moderator",
    "admin",
    "uninvolved",
    "other_team_lead",
    "other_municipality",
]
AT_THE_CASE = {"professional", "lead"}
LEAD = {"lead"}


def build():
    w = World()
    w.moderator = UserFactory(municipality=w.municipality, role=Role.MODERATOR)
    w.admin = UserFactory(municipality=w.municipality, role=Role.ADMIN)
    w.newcomer = UserFactory(municipality=w.municipality, team=w.team)
    consent(w.case, w.newcomer.organisation, w.pro)
    w.platform = make_platform(w.case, w.lead, convened_on=TODAY - datetime.timedelta(days=30), participants=[w.pro])
    w.owner = w.platform.participants.get(user=w.pro)
    w.action = PlatformAction.objects.create(
        municipality=w.municipality, platform=w.platform, what="Bellen", owner=w.owner, due_on=TODAY, created_by=w.pro
    )
    w.escalation = Escalation.objects.create(
        municipality=w.municipality, platform=w.platform, level="local", reason="Geen doorbraak", recorded_by=w.lead
    )
    return w


def actor(w, name):
    return {
        "professional": w.pro,
        "lead": w.lead,
        "approver": w.approver,
        "policy": w.policy,
        "moderator": w.moderator,
        "admin": w.admin,
        "uninvolved": w.uninvolved,
        "other_team_lead": w.other_lead,
        "other_municipality": w.stranger,
    }[name]


SERVICES = {
    "convene": (
        lambda w, u: services.convene(
            u,
            w.case,
            convened_on=TODAY,
            first_problem="Geen huis",
            client_present=True,
            experience_expert_present=False,
            invited=[],
        ),
        {"platforms.start"},
        LEAD,
    ),
    "invite": (lambda w, u: services.invite(u, w.platform, w.newcomer, "woonconsulent"), {"platforms.invite"}, LEAD),
    "add_action": (
        lambda w, u: services.add_action(u, w.platform, what="Huur betalen", owner=w.owner, due_on=TODAY),
        {"platforms.add_action"},
        AT_THE_CASE,
    ),
    "mark_action_done": (
        lambda w, u: services.mark_action_done(u, w.action),
        {"platforms.mark_action_done"},
        AT_THE_CASE,
    ),
    "add_decision": (
        lambda w, u: services.add_decision(u, w.platform, text="Garantie"),
        {"platforms.add_decision"},
        AT_THE_CASE,
    ),
    "add_decision_by_lead": (
        lambda w, u: services.add_decision(u, w.platform, text="Ik besluit", by_lead=True),
        {"platforms.add_decision", "platforms.decide_as_lead"},
        LEAD,
    ),
    "record_breakthrough": (
        lambda w, u: services.record_breakthrough(
            u, w.platform, breakthrough_on=TODAY, breakthrough="Een kamer", solution_kind="housing"
        ),
        {"platforms.record_breakthrough"},
        AT_THE_CASE,
    ),
    "evaluate": (
        lambda w, u: services.evaluate(
            u,
            w.platform,
            helped="De tafel",
            blocked="",
            blocker_tags=[],
            client_satisfaction=7,
            professional_satisfaction=8,
        ),
        {"platforms.evaluate"},
        AT_THE_CASE,
    ),
    "escalate": (
        lambda w, u: services.escalate(u, w.platform, level="regional", reason="Nog steeds vast"),
        {"platforms.escalate"},
        LEAD,
    ),
    "record_escalation_outcome": (
        lambda w, u: services.record_escalation_outcome(u, w.escalation, outcome="Ja", outcome_on=TODAY),
        {"platforms.record_escalation_outcome"},
        LEAD,
    ),
    # reads
    "get_platform_for": (lambda w, u: selectors.get_platform_for(u, w.case.pk, w.platform.pk), set(), AT_THE_CASE),
    "printable_platform_for": (
        lambda w, u: selectors.printable_platform_for(u, w.case.pk, w.platform.pk),
        {"platforms.print"},
        AT_THE_CASE,
    ),
    # --- issue 16: participants without an account ---
    "add_external_participant": (
        lambda w, u: services.add_external_participant(
            u, w.platform, organisation=w.newcomer.organisation, role="wijkagent", contact="0900 8844"
        ),
        {"platforms.add_external"},
        LEAD,
    ),
    "cancel_action": (lambda w, u: services.cancel_action(u, w.action), {"platforms.cancel_action"}, LEAD),
}

MATRIX = [(service, who, who in allowed) for service, (_call, _rules, allowed) in SERVICES.items() for who in ACTORS]


@pytest.mark.parametrize(("service", "who", "allowed"), MATRIX, ids=[f"{s}-{w}" for s, w, _a in MATRIX])
def test_service_as_actor(service, who, allowed):
    w = build()
    call = SERVICES[service][0]
    if allowed:
        assert call(w, actor(w, who)) is not None
    else:
        with pytest.raises((permissions.Refused, Http404)):
            call(w, actor(w, who))


def test_print_is_for_the_table_not_for_every_involved_professional():
    """platforms.print: an involved professional who is not at the table gets 404 on the summary."""
    w = build()
    services.invite(w.lead, w.platform, w.newcomer, "woonconsulent")
    w.platform.participants.filter(user=w.newcomer).delete()
    assert selectors.get_platform_for(w.newcomer, w.case.pk, w.platform.pk)
    with pytest.raises(Http404):
        selectors.printable_platform_for(w.newcomer, w.case.pk, w.platform.pk)


def test_every_platforms_rule_is_in_the_matrix():
    used = set().union(*(rules for _c, rules, _a in SERVICES.values()))
    assert set(permissions.registered("platforms.")) == used
