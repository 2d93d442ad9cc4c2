"""The main menu asks the rule book (issue 11): an entry shows exactly when its rule allows the user, and then its
page opens; an entry that does not show is a page that refuses (403/404/redirect). Rules of apps that have not
registered theirs are a failure (the entry would silently disappear from the menu)."""

import pytest
import rules
from django.conf import settings
from django.test import Client
from django.urls import reverse

from doorbraak.core.models import Role
from doorbraak.core.selectors import NAVIGATION, navigation_for
from tests.factories import UserFactory
from tests.helpers.browser import session_cookie_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def nav_rules():
    """Every app has registered its rules (no stand-ins: a menu entry whose rule is missing must fail here)."""
    yield


def _user(role):
    return UserFactory(role=role, is_staff=(role == Role.ADMIN))


def _labels(user):
    return [str(item["label"]) for item in navigation_for(user)]


def test_every_entry_names_a_rule_the_apps_register_or_none(nav_rules):
    for _label, _name, rule in NAVIGATION:
        assert rule is None or rules.rule_exists(rule), rule


@pytest.mark.parametrize("role", list(Role))
def test_menu_shows_exactly_the_pages_that_open(nav_rules, role):
    user = _user(role)
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session_cookie_for(user)["value"]
    shown = {item["url"] for item in navigation_for(user)}
    for label, name, _rule in NAVIGATION:
        url = reverse(name)
        status = client.get(url).status_code
        if url in shown:
            assert status == 200, f"{role}: menu shows {label} but {url} answers {status}"
        else:
            assert status != 200, f"{role}: {url} opens but the menu hides {label}"


def test_administrator_sees_budget_and_beheer_and_a_moderator_only_moderation(nav_rules):
    # The inconsistency: an administrator may open /budget/, so the menu now offers it.
    assert {"Budget", "Beheer"} <= set(_labels(_user(Role.ADMIN)))
    assert "Beheer" not in _labels(UserFactory(role=Role.ADMIN, is_staff=False))  # the admin site would refuse
    moderator = _labels(_user(Role.MODERATOR))
    assert "Moderatie" in moderator and not {"Casussen", "Budget", "Beheer"} & set(moderator)


def test_an_entry_whose_rule_is_not_registered_is_skipped(nav_rules):
    from rules.rulesets import default_rules

    original = default_rules["budget.view_overview"]
    rules.remove_rule("budget.view_overview")
    try:
        assert "Budget" not in _labels(_user(Role.LEAD))
        assert "Casussen" in _labels(_user(Role.LEAD))
    finally:
        rules.add_rule("budget.view_overview", original)


def test_anonymous_gets_no_menu():
    from django.contrib.auth.models import AnonymousUser

    assert navigation_for(AnonymousUser()) == []
