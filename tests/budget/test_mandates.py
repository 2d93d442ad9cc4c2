"""Issue 12 point 5: mandate levels with ceilings, escalation to the next level's queue, four eyes."""

import pytest
from django.urls import reverse

from doorbraak.budget import selectors, services
from doorbraak.budget.models import MandateLevel, Plan
from doorbraak.core.errors import RuleError

pytestmark = pytest.mark.django_db


@pytest.fixture
def levels(world):
    services.ensure_default_levels(world.municipality.pk)
    lead_level = MandateLevel.objects.get(name="Doorbraakregisseur")
    lead_level.ceiling_cents = 100_000  # EUR 1.000: the EUR 3.000 train pass is above the lead's mandate
    lead_level.save()
    world.fund()
    return MandateLevel.objects.get(name="Teammanager")


def test_above_the_leads_mandate_escalates_to_the_next_level(world, levels):
    plan = world.train_pass_plan()
    with pytest.raises(RuleError, match="Teammanager"):
        services.approve_plan(world.lead, plan)
    assert plan.pk not in [p.pk for p in selectors.plans_awaiting(world.lead)]
    services.assign_mandate(world.approver, world.lead2, levels)
    assert plan.pk in [p.pk for p in selectors.plans_awaiting(world.lead2)]
    services.approve_plan(world.lead2, plan)
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.APPROVED


def test_above_every_level_goes_to_the_alderman(world, levels):
    services.set_mandate_level(world.approver, name="Gedelegeerde van de wethouder", ceiling_cents=200_000)
    services.set_mandate_level(world.approver, name="Teammanager", ceiling_cents=150_000)
    plan = world.train_pass_plan()
    with pytest.raises(RuleError, match="wethouder"):
        services.approve_plan(world.approver, plan)
    assert plan.pk not in [p.pk for p in selectors.plans_awaiting(world.approver)]


def test_four_eyes_the_submitter_never_sees_their_own_plan_in_the_queue(world, levels):
    plan = world.train_pass_plan(submit=False)
    services.submit_plan(world.lead2, plan)
    services.assign_mandate(world.approver, world.lead2, levels)
    assert plan.pk not in [p.pk for p in selectors.plans_awaiting(world.lead2)]
    with pytest.raises(RuleError, match="eigen plan"):
        services.approve_plan(world.lead2, Plan.objects.get(pk=plan.pk))


def test_plan_page_says_who_must_approve_and_shows_no_button_without_the_right(world, levels, login):
    plan = world.train_pass_plan()
    html = login(world.professional).get(reverse("plan:detail", args=[plan.case_id])).content.decode()
    assert "Goed te keuren door: Teammanager" in html
    assert "Plan goedkeuren" not in html


def test_mandate_page_edits_a_ceiling_and_refuses_bad_input(world, login):
    client = login(world.approver)
    url = reverse("budget:mandates")
    assert client.post(url, {"name": "Teammanager", "ceiling": "50.000,00"}).status_code == 302
    assert MandateLevel.objects.get(name="Teammanager").ceiling_cents == 50_000_00
    bad = client.post(url, {"name": "Teammanager", "ceiling": "-3"})
    assert bad.status_code == 400 and 'value="-3"' in bad.content.decode()
    assert login(world.lead).get(url).status_code == 404


def test_the_approve_button_is_shown_only_within_the_users_mandate(world, levels, login):
    plan = world.train_pass_plan()  # EUR 3.000, the lead's level goes to EUR 1.000
    url = reverse("plan:detail", args=[plan.case_id])
    html = login(world.lead).get(url).content.decode()
    assert "Plan goedkeuren" not in html and "hoger dan uw mandaat" in html
    services.assign_mandate(world.approver, world.lead2, levels)  # the team manager's level covers it
    html = login(world.lead2).get(url).content.decode()
    assert "Plan goedkeuren" in html and "hoger dan uw mandaat" not in html
