"""Demo data: barrier themes for 's-Hertogenbosch, loaded idempotently; demo-policy sees the page."""

import pytest
from django.urls import reverse

from doorbraak.core.models import User
from doorbraak.demo import cases as cases_demo
from doorbraak.demo import core as core_demo
from doorbraak.demo import learning as learning_demo
from doorbraak.demo import platforms as platforms_demo
from doorbraak.learning.models import Theme, ThemeBlocker
from tests.cases.factories import login

pytestmark = pytest.mark.django_db


def test_demo_themes_idempotent_and_shown(client):
    for _ in range(2):
        core_demo.load()
        cases_demo.load()
        platforms_demo.load()
        learning_demo.load()
    assert Theme.objects.count() == len(learning_demo.THEMES)
    assert ThemeBlocker.objects.count() == 7
    login(client, User.objects.get(username="demo-policy"))
    html = client.get(reverse("learning:home")).content.decode()
    assert "Regels en wetten" in html
