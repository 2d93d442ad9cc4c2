"""Learning sessions: leads and policy officers record them with approved stories of their own municipality only;
Dutch errors; list and detail pages without client names; another municipality's sessions are 404."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from doorbraak.core.errors import RuleError
from doorbraak.core.models import Role
from doorbraak.learning.models import LearningSession, Story, Theme
from doorbraak.learning.themes import services
from tests.cases.factories import CaseFactory, World, login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def story(case, status, title, approver=None):
    approved = status != Story.Status.DRAFT
    return Story.objects.create(
        municipality=case.municipality,
        case=case,
        title=title,
        text="Een moeder van in de veertig zocht een huis.",
        period="voorjaar 2025",
        status=status,
        approved_by=approver if approved else None,
        published_by=approver if status == Story.Status.PUBLISHED else None,
    )


@pytest.fixture
def world():
    w = World()
    w.case.household.members.update(first_name="Quirina", last_name="Zwanenburg")
    w.theme = Theme.objects.create(municipality=w.municipality, name="Geld en financiering")
    w.approved = story(w.case, Story.Status.APPROVED, "Een huis via de corporatie", w.lead)
    # One story per case (story_one_per_case): two more cases of the same team.
    w.published = story(
        CaseFactory(municipality=w.municipality, team=w.team, created_by=w.lead),
        Story.Status.PUBLISHED,
        "Een jaarkaart in plaats van boetes",
        w.lead,
    )
    w.draft = story(
        CaseFactory(municipality=w.municipality, team=w.team, created_by=w.lead),
        Story.Status.DRAFT,
        "Concept over schulden",
    )
    other_case = CaseFactory(municipality=w.stranger.municipality)
    w.foreign = story(other_case, Story.Status.APPROVED, "Verhaal uit een andere gemeente", w.stranger)
    return w


def record(user, **overrides):
    values = {
        "held_on": TODAY,
        "topic": "Privacy: wat mag en kan wél",
        "attendees": 14,
        "takeaways": "Vraag toestemming en deel dan gericht.",
        "needs": "Een spiekbriefje AVG.",
    }
    values.update(overrides)
    return services.record_session(user, **values)


# --- services -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["lead", "policy"])
def test_lead_and_policy_officer_record_a_session(world, who):
    session = record(getattr(world, who), theme=world.theme, stories=[world.approved, world.published])
    assert session.municipality == world.municipality
    assert session.created_by == getattr(world, who)
    assert set(session.stories.all()) == {world.approved, world.published}
    assert session.theme == world.theme


@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.APPROVER, Role.MODERATOR, Role.ADMIN])
def test_other_roles_may_not_record_a_session(world, role):
    with pytest.raises(PermissionDenied):
        record(UserFactory(municipality=world.municipality, role=role))
    assert not LearningSession.objects.exists()


@pytest.mark.parametrize("bad", ["draft", "foreign"])
def test_only_approved_stories_of_the_own_municipality_may_be_linked(world, bad):
    with pytest.raises(RuleError) as exc:
        record(world.lead, stories=[world.approved, getattr(world, bad)])
    assert exc.value.field == "stories"
    assert "Koppel alleen goedgekeurde of gepubliceerde verhalen van uw gemeente." in str(exc.value)
    assert not LearningSession.objects.exists()


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"held_on": TODAY + datetime.timedelta(days=1)}, "held_on", "De datum ligt in de toekomst"),
        ({"attendees": 0}, "attendees", "minstens 1"),
        ({"topic": "  "}, "topic", "Vul het onderwerp in"),
    ],
)
def test_bad_sessions_are_refused_in_dutch(world, overrides, field, message):
    with pytest.raises(RuleError) as exc:
        record(world.policy, **overrides)
    assert exc.value.field == field and message in str(exc.value)


def test_a_theme_of_another_municipality_cannot_be_linked(world):
    other = Theme.objects.create(municipality=world.stranger.municipality, name="Elders")
    with pytest.raises(PermissionDenied):
        record(world.policy, theme=other)


# --- pages --------------------------------------------------------------------------------------------------


def test_the_form_offers_only_approved_stories_of_the_own_municipality(client, world):
    login(client, world.lead)
    html = client.get(reverse("learning:session_create")).content.decode()
    assert "Een huis via de corporatie (voorjaar 2025)" in html
    assert "Een jaarkaart in plaats van boetes" in html
    assert "Concept over schulden" not in html
    assert "Verhaal uit een andere gemeente" not in html
    assert "Zwanenburg" not in html and world.case.title not in html


def test_posting_a_foreign_story_shows_a_dutch_error_and_keeps_the_input(client, world):
    login(client, world.lead)
    response = client.post(
        reverse("learning:session_create"),
        {
            "held_on": TODAY.isoformat(),
            "topic": "Werkwijze van de woningcorporatie",
            "attendees": "12",
            "stories": [world.approved.pk, world.foreign.pk],
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Kies alleen goedgekeurde of gepubliceerde verhalen van uw gemeente." in html
    assert 'value="Werkwijze van de woningcorporatie"' in html
    assert not LearningSession.objects.exists()


def test_recorded_session_shows_on_list_detail_and_theme_page(client, world):
    login(client, world.policy)
    response = client.post(
        reverse("learning:session_create"),
        {
            "held_on": TODAY.isoformat(),
            "topic": "Herstelgericht werken",
            "theme": world.theme.pk,
            "attendees": "25",
            "stories": [world.published.pk],
            "takeaways": "Eerst luisteren, dan plannen.",
            "needs": "Tijd in de caseload.",
        },
    )
    session = LearningSession.objects.get()
    assert response["Location"] == reverse("learning:session_detail", args=[session.pk])
    detail = client.get(response["Location"]).content.decode()
    for text in [
        "Herstelgericht werken",
        "Geld en financiering",
        "Een jaarkaart in plaats van boetes",
        "Eerst luisteren, dan plannen.",
        "Tijd in de caseload.",
        ">25<",
    ]:
        assert text in detail
    assert "Zwanenburg" not in detail and "Quirina" not in detail and world.case.title not in detail
    listing = client.get(reverse("learning:sessions")).content.decode()
    assert "Herstelgericht werken" in listing
    theme_page = client.get(reverse("learning:theme_detail", args=[world.theme.pk])).content.decode()
    assert "Herstelgericht werken" in theme_page


def test_session_form_in_the_future_shows_a_dutch_error(client, world):
    login(client, world.lead)
    response = client.post(
        reverse("learning:session_create"),
        {"held_on": (TODAY + datetime.timedelta(days=7)).isoformat(), "topic": "Privacy", "attendees": "9"},
    )
    assert response.status_code == 400
    assert "De datum ligt in de toekomst." in response.content.decode()


def test_professional_gets_404_on_session_pages(client, world):
    session = record(world.lead)
    login(client, world.pro)
    for url in [
        reverse("learning:sessions"),
        reverse("learning:session_create"),
        reverse("learning:session_detail", args=[session.pk]),
    ]:
        assert client.get(url).status_code == 404


@pytest.mark.scoped
def test_sessions_of_another_municipality_are_404(client):
    from django_scopes import scopes_disabled

    with scopes_disabled():
        world = World()
        other_policy = UserFactory(municipality=world.stranger.municipality, role=Role.POLICY)
        foreign = record(other_policy, topic="Elders besproken")
        other_theme = Theme.objects.create(municipality=world.stranger.municipality, name="Elders")
    login(client, world.policy)
    assert client.get(reverse("learning:session_detail", args=[foreign.pk])).status_code == 404
    assert "Elders besproken" not in client.get(reverse("learning:sessions")).content.decode()
    assert client.get(reverse("learning:session_create") + f"?thema={other_theme.pk}").status_code == 404
