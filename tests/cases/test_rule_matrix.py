"""Service-level rule matrix of the case file (issue 11 point 1): every public write and read service of `cases`,
called as each role, as an uninvolved professional of the same municipality and as a user of another
municipality; allowed or refused (Refused 403 / Refusal 404). Every rule in `registered("cases.")` is used."""

import datetime

import pytest
from django.db import transaction
from django.http import Http404

from doorbraak.cases import selectors, services
from doorbraak.cases.models import Case, FollowUpMoment
from doorbraak.core import permissions
from doorbraak.core.models import Role
from tests.cases.factories import World, consent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
# Actors: every role (the professional is the involved one), an uninvolved professional of the same
# municipality, a lead of another team, and a lead of another municipality.
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
OPENERS = {"professional", "lead", "uninvolved", "other_team_lead"}
SEARCHERS = {"professional", "lead", "approver", "uninvolved", "other_team_lead", "other_municipality"}


def build():
    w = World()
    w.moderator = UserFactory(municipality=w.municipality, role=Role.MODERATOR)
    w.admin = UserFactory(municipality=w.municipality, role=Role.ADMIN)
    w.newcomer = UserFactory(municipality=w.municipality, team=w.team)
    w.consent = consent(w.case, w.newcomer.organisation, w.pro)
    w.moment = FollowUpMoment.objects.create(municipality=w.municipality, case=w.case, due_on=TODAY)
    w.involvement = w.case.involvements.get(user=w.pro)
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


def _open_case(w, user):
    return services.open_case(
        user,
        title="Nieuw",
        team=w.team,
        area="Noord",
        question="Een plek",
        tried="",
        stuck_since=None,
        funders=[],
        scores={"housing": 2},
        member={"first_name": "Sam", "last_name": "Jansen", "date_of_birth": datetime.date(2001, 1, 1), "bsn": ""},
    )


def _involve_for_platform(w, user):
    with transaction.atomic():
        return services.involve_for_platform(user, w.case, w.newcomer, "genodigde")


# service name -> (call(w, user), the rules it asks, who is allowed)
SERVICES = {
    "open_case": (_open_case, {"cases.open_case"}, OPENERS),
    "add_member": (
        lambda w, u: services.add_member(
            u,
            w.case,
            first_name="Kim",
            last_name="Jansen",
            date_of_birth=datetime.date(2015, 3, 1),
            bsn="",
            relation="child",
        ),
        {"cases.add_member"},
        AT_THE_CASE,
    ),
    "rescore": (lambda w, u: services.rescore(u, w.case, {"finances": 3}), {"cases.rescore"}, AT_THE_CASE),
    "involve": (lambda w, u: services.involve(u, w.case, w.newcomer, "woonconsulent"), {"cases.involve"}, AT_THE_CASE),
    "involve_for_platform": (_involve_for_platform, {"cases.involve"}, AT_THE_CASE),
    "end_involvement": (
        lambda w, u: services.end_involvement(u, w.case, w.involvement),
        {"cases.work_on", "cases.end_involvement"},
        AT_THE_CASE,
    ),
    "close_case": (lambda w, u: services.close_case(u, w.case), {"cases.close"}, {"lead"}),
    "set_status": (
        lambda w, u: services.set_status(u, w.case, Case.Status.PLATFORM, "Aan tafel"),
        {"cases.set_status"},
        AT_THE_CASE,
    ),
    "record_consent": (
        lambda w, u: services.record_consent(
            u, w.case, organisation=w.uninvolved.organisation, scope="hulpvraag", given_on=TODAY
        ),
        {"cases.record_consent"},
        AT_THE_CASE,
    ),
    "withdraw_consent": (
        lambda w, u: services.withdraw_consent(u, w.case, w.consent),
        {"cases.withdraw_consent"},
        AT_THE_CASE,
    ),
    "plan_follow_up": (lambda w, u: services.plan_follow_up(u, w.case, start=TODAY), {"cases.follow_up"}, AT_THE_CASE),
    "add_follow_up": (
        lambda w, u: services.add_follow_up(u, w.case, due_on=TODAY + datetime.timedelta(days=30)),
        {"cases.follow_up"},
        AT_THE_CASE,
    ),
    "hold_follow_up": (
        lambda w, u: services.hold_follow_up(u, w.case, w.moment, done_on=TODAY),
        {"cases.follow_up"},
        AT_THE_CASE,
    ),
    "record_measurement": (
        lambda w, u: services.record_measurement(u, w.case, measured_on=TODAY, participation_step=3),
        {"cases.record_measurement"},
        AT_THE_CASE,
    ),
    # reads: the need-to-know gate (a logged 404 for everyone who may not see the case)
    "get_case_for": (lambda w, u: selectors.get_case_for(u, w.case.pk), set(), AT_THE_CASE),
    # rules asked by pages, templates and the menu (no service of their own)
    "rule:cases.search": (lambda w, u: permissions.require("cases.search", u), {"cases.search"}, SEARCHERS),
    "rule:cases.lead_of": (lambda w, u: permissions.require("cases.lead_of", u, w.case), {"cases.lead_of"}, {"lead"}),
    # --- issue 16: closing with care ---
    "close_review": (lambda w, u: services.close_review(u, w.case), {"cases.close"}, {"lead"}),
    "close_with_care": (
        lambda w, u: services.close_with_care(u, w.case, {f"cases-follow_up-{w.moment.pk}": "keep"}),
        {"cases.close"},
        {"lead"},
    ),
    "cancel_follow_up": (
        lambda w, u: services.cancel_follow_up(u, w.case, w.moment) or True,
        {"cases.close"},
        {"lead"},
    ),
}

MATRIX = [(service, who, who in allowed) for service, (_call, _rules, allowed) in SERVICES.items() for who in ACTORS]


@pytest.mark.parametrize(("service", "who", "allowed"), MATRIX, ids=[f"{s}-{w}" for s, w, _a in MATRIX])
def test_service_as_actor(service, who, allowed):
    w = build()
    call = SERVICES[service][0]
    user = actor(w, who)
    if allowed:
        assert call(w, user) is not None or service.startswith("rule:")
    else:
        with pytest.raises((permissions.Refused, Http404)):
            call(w, user)


def test_every_cases_rule_is_in_the_matrix():
    used = set().union(*(rules for _c, rules, _a in SERVICES.values()))
    assert set(permissions.registered("cases.")) == used


def test_the_matrix_refuses_more_than_it_allows():
    refusals = sum(1 for _s, _w, allowed in MATRIX if not allowed)
    assert len(MATRIX) == len(SERVICES) * len(ACTORS) and refusals > len(MATRIX) / 2
