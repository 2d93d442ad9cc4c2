"""/leren/: suppressed barrier counts for policy staff and leads; 404 for everyone else."""

import re

import pytest
from django.urls import reverse

from doorbraak.core.models import Role
from doorbraak.learning.models import Theme, ThemeBlocker
from doorbraak.learning.selectors import barrier_counts
from doorbraak.platforms.models import PlatformBlocker, PlatformEvaluation
from tests.cases.factories import CaseFactory, World, login
from tests.factories import UserFactory
from tests.platforms.factories import make_platform

pytestmark = pytest.mark.django_db


def evaluate(case, lead, codes):
    platform = make_platform(case, lead)
    evaluation = PlatformEvaluation.objects.create(municipality=case.municipality, platform=platform, helped="x",
                                                   client_satisfaction=7, professional_satisfaction=7)
    for code in codes:
        PlatformBlocker.objects.create(municipality=case.municipality, evaluation=evaluation, code=code)


@pytest.fixture
def world():
    w = World()
    m = w.municipality
    themes = {name: Theme.objects.create(municipality=m, name=name) for name in ["Geld", "Plekken", "Regels"]}
    for code, theme in [("unclear_funding", "Geld"), ("no_places", "Plekken"), ("rules_clash", "Regels"),
                        ("pinching_rules", "Regels")]:
        ThemeBlocker.objects.create(municipality=m, theme=themes[theme], code=code)
    for i in range(15):
        codes = ["unclear_funding"] + (["rules_clash"] if i < 12 else []) + (["no_places"] if i < 3 else [])
        evaluate(w.case, w.lead, codes)
    # Another municipality's blockers must not be counted here.
    other_case = CaseFactory(municipality=w.stranger.municipality)
    for _ in range(5):
        evaluate(other_case, w.stranger, ["rules_clash"])
    return w


def cell(html, label):
    match = re.search(rf">{re.escape(label)}</th><td class=\"utrecht-table__cell\">([^<]*)</td>", html)
    assert match, label
    return match[1]


def test_barrier_counts_are_per_theme_and_suppressed(world):
    assert barrier_counts(world.municipality) == {"Geld": 15, "Plekken": "<10", "Regels": "x", "Totaal": "x"}


def test_unthemed_codes_are_counted_without_a_theme(world):
    evaluate(world.case, world.lead, ["not_heard"])
    counts = barrier_counts(world.municipality)
    assert counts["Zonder thema"] == "<10"


def test_policy_user_sees_suppressed_counts(client, world):
    login(client, world.policy)
    response = client.get(reverse("learning:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Leren van vastgelopen situaties" in html
    assert cell(html, "Geld") == "15"
    assert cell(html, "Plekken") == "&lt;10"
    assert cell(html, "Regels") == "x"
    assert cell(html, "Totaal") == "x"
    assert world.case.title not in html


def test_lead_may_see_the_page(client, world):
    login(client, world.lead)
    assert client.get(reverse("learning:home")).status_code == 200


@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.APPROVER, Role.MODERATOR, Role.ADMIN])
def test_other_roles_get_404(client, world, role):
    login(client, UserFactory(municipality=world.municipality, role=role))
    assert client.get(reverse("learning:home")).status_code == 404


def test_anonymous_user_is_sent_to_login(client):
    response = client.get(reverse("learning:home"))
    assert response.status_code == 302
