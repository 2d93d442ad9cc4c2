"""The demo data: every story is a case of demo-lead's team, demo-professional is in some, demo-other in none."""

import pytest
from django.urls import reverse

from doorbraak.cases.models import Case
from doorbraak.core.models import User
from doorbraak.demo import cases as cases_demo
from doorbraak.demo import core as core_demo
from doorbraak.demo import platforms as platforms_demo
from doorbraak.demo import stories
from doorbraak.platforms.models import Platform, PlatformEvaluation
from tests.cases.factories import login

STORIES = stories()

pytestmark = pytest.mark.django_db


def load_all():
    core_demo.load()
    cases_demo.load()
    platforms_demo.load()


def test_demo_stories_loaded_idempotently_with_the_right_visibility(client):
    load_all()
    load_all()
    titles = [s["title"] for s in STORIES]
    assert Case.objects.filter(title__in=titles).count() == len(STORIES)
    lead, pro, other = (User.objects.get(username=u) for u in ("demo-lead", "demo-professional", "demo-other"))
    assert Case.objects.visible_to(lead).count() == len(STORIES)
    assert 0 < Case.objects.visible_to(pro).count() < len(STORIES)
    assert Case.objects.visible_to(other).count() == 0
    assert Platform.objects.count() == sum(1 for s in STORIES if s.get("platform"))
    rent = PlatformEvaluation.objects.get(
        platform__case__title=next(s["title"] for s in STORIES if s["key"] == "rent_guarantee")
    )
    assert "pinching_rules" in rent.blocker_codes
    table = Platform.objects.get(case__title=next(s["title"] for s in STORIES if s["key"] == "breakthrough_table"))
    assert table.days_to_breakthrough == 12 and table.within_three_weeks and table.experience_expert_present
    login(client, lead)
    for platform in Platform.objects.all():
        assert client.get(reverse("platforms:detail", args=[platform.case_id, platform.pk])).status_code == 200
        assert client.get(reverse("platforms:summary", args=[platform.case_id, platform.pk])).status_code == 200
        assert client.get(reverse("cases:detail", args=[platform.case_id])).status_code == 200
