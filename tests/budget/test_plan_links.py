"""Issue 12, point 8: the case page and the platform page link to the plan, or offer to start one."""

from django.urls import reverse

from doorbraak.budget import services
from tests.platforms.factories import make_platform


def _link(html, anchor_id):
    start = html.index(f'id="{anchor_id}"')
    tag_start = html.rindex("<a ", 0, start)
    return html[tag_start : html.index("</a>", start)]


def test_case_page_offers_to_start_a_plan_then_links_to_it(world, login):
    case = world.case()
    client = login(world.professional)
    link = _link(client.get(reverse("cases:detail", args=[case.pk])).content.decode(), "case-plan-link")
    assert reverse("plan:detail", args=[case.pk]) in link and "Maatwerkplan starten" in link
    services.start_plan(world.professional, case)
    link = _link(client.get(reverse("cases:detail", args=[case.pk])).content.decode(), "case-plan-link")
    assert "Maatwerkplan starten" not in link and "Maatwerkplan" in link


def test_platform_page_links_to_the_plan(world, login):
    case = world.case()
    platform = make_platform(case, world.lead, participants=[world.professional])
    services.start_plan(world.professional, case)
    client = login(world.professional)
    html = client.get(reverse("platforms:detail", kwargs={"case_id": case.pk, "pk": platform.pk})).content.decode()
    link = _link(html, "platform-plan-link")
    assert reverse("plan:detail", args=[case.pk]) in link and "Maatwerkplan" in link
