"""The public precedent register (/precedenten/): only published stories, from every municipality, searchable by
blocker, law, kind of solution and words; nothing that points at a case or person; no login needed."""

import pytest
from django.urls import reverse

from doorbraak.cases import services as case_services
from doorbraak.cases.models import CaseFunder, Person
from doorbraak.learning.models import Story
from doorbraak.learning.stories import second_eyes, selectors, services
from doorbraak.platforms.models import PlatformBlocker, PlatformEvaluation
from tests.cases.factories import CaseFactory, World, involve
from tests.platforms.factories import make_platform

pytestmark = pytest.mark.django_db


def story_in(w, *, title, stage, blockers=(), funders=(), kind="", breakthrough="Een kamer gevonden."):
    """A closed case of World `w` with a story taken to `stage` (draft, approved or published)."""
    case = CaseFactory(municipality=w.municipality, team=w.team, created_by=w.lead)
    involve(case, w.pro)
    platform = make_platform(case, w.lead)
    platform.breakthrough, platform.breakthrough_on, platform.solution_kind = breakthrough, platform.convened_on, kind
    platform.save()
    evaluation = PlatformEvaluation.objects.create(
        municipality=w.municipality, platform=platform, helped="x", client_satisfaction=7, professional_satisfaction=7
    )
    for code in blockers:
        PlatformBlocker.objects.create(municipality=w.municipality, evaluation=evaluation, code=code)
    for funder in funders:
        CaseFunder.objects.create(municipality=w.municipality, case=case, funder=funder)
    case_services.close_case(w.lead, case)
    story = services.create_story_draft(w.pro, case)
    Story.objects.filter(pk=story.pk).update(title=title)
    second_eyes.check_story(story.pk)  # the worker reads the story as it is now
    story.refresh_from_db()
    if stage in ("approved", "published"):
        services.approve_story(w.lead, story)
    if stage == "published":
        services.publish_story(w.policy, story)
    return story


@pytest.fixture
def register():
    w, elsewhere = World(), World()
    stories = {
        "rent": story_in(
            w,
            title="Huur garant voor een kamer",
            stage="published",
            blockers=["pinching_rules"],
            funders=["participatiewet"],
            kind="bridging",
            breakthrough="Een maand huur garant.",
        ),
        "dog": story_in(
            elsewhere,
            title="Hulphond in plaats van verpleeghuis",
            stage="published",
            blockers=["funder_unclear"],
            funders=["wlz", "wmo"],
            kind="care",
            breakthrough="Een hulphond die alarm kan slaan.",
        ),
        "approved": story_in(w, title="Alleen goedgekeurd", stage="approved", blockers=["pinching_rules"]),
        "draft": story_in(w, title="Nog een concept", stage="draft", blockers=["pinching_rules"]),
    }
    return w, elsewhere, stories


def titles(client, **params):
    response = client.get(reverse("precedents:list"), params)
    html = response.content.decode()
    found = [
        t
        for t in [
            "Huur garant voor een kamer",
            "Hulphond in plaats van verpleeghuis",
            "Alleen goedgekeurd",
            "Nog een concept",
        ]
        if t in html
    ]
    return response, found


def test_only_published_stories_of_every_municipality_without_login(client, register):
    w, elsewhere, stories = register
    response, found = titles(client)
    assert response.status_code == 200
    assert sorted(found) == ["Hulphond in plaats van verpleeghuis", "Huur garant voor een kamer"]
    assert "2 precedenten gevonden" in response.content.decode()
    for key in ("approved", "draft"):
        assert client.get(reverse("precedents:detail", kwargs={"pk": stories[key].pk})).status_code == 404
    detail = client.get(reverse("precedents:detail", kwargs={"pk": stories["rent"].pk})).content.decode()
    assert "Een maand huur garant." in detail and "Knellende regels" in detail
    assert "Participatiewet (gemeente)" in detail


def test_filter_by_blocker_law_solution_kind_and_words(client, register):
    assert titles(client, blocker="pinching_rules")[1] == ["Huur garant voor een kamer"]
    assert titles(client, blocker="funder_unclear")[1] == ["Hulphond in plaats van verpleeghuis"]
    assert titles(client, blocker="no_places")[1] == []
    assert titles(client, law="wmo")[1] == ["Hulphond in plaats van verpleeghuis"]
    assert titles(client, law="participatiewet", blocker="pinching_rules")[1] == ["Huur garant voor een kamer"]
    assert titles(client, law="participatiewet", blocker="funder_unclear")[1] == []
    assert titles(client, solution_kind="care")[1] == ["Hulphond in plaats van verpleeghuis"]
    assert titles(client, q="alarm")[1] == ["Hulphond in plaats van verpleeghuis"]  # words of the solution
    assert titles(client, q="KAMER garant")[1] == ["Huur garant voor een kamer"]
    response, found = titles(client, blocker="pinching_rules")
    assert "1 precedent gevonden" in response.content.decode()


def test_bad_filter_gives_a_dutch_error_next_to_the_field_not_a_500(client, register):
    response, found = titles(client, blocker="bestaat-niet", law="wmo")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Kies een blokkade uit de lijst." in html and 'role="alert"' in html
    assert found == ["Hulphond in plaats van verpleeghuis"]  # the valid filter still applies
    assert client.get(reverse("precedents:list"), {"pagina": "x"}).status_code == 200


def test_nothing_identifying_on_public_pages(client, register):
    w, elsewhere, stories = register
    story = stories["rent"]
    main = Person.objects.get(household=story.case.household)
    pages = [
        client.get(reverse("precedents:list")).content.decode(),
        client.get(reverse("precedents:detail", kwargs={"pk": story.pk})).content.decode(),
    ]
    for html in pages:
        assert f"/casussen/{story.case_id}/" not in html
        for secret in [
            main.first_name,
            main.last_name,
            story.case.title,
            w.municipality.name,
            w.pro.last_name,
            w.lead.last_name,
            w.policy.last_name,
        ]:
            assert secret not in html, secret


def test_pagination(client):
    w = World()
    for i in range(selectors.PRECEDENT_PAGE_SIZE + 2):
        story_in(w, title=f"Precedent nummer {i:02d}", stage="published", blockers=["no_places"])
    first = client.get(reverse("precedents:list"), {"blocker": "no_places"}).content.decode()
    second = client.get(reverse("precedents:list"), {"blocker": "no_places", "pagina": 2}).content.decode()
    assert first.count("Precedent nummer") == selectors.PRECEDENT_PAGE_SIZE
    assert second.count("Precedent nummer") == 2
    assert "Pagina 2 van 2" in second and "blocker=no_places&amp;pagina=1" in second
