"""The second pair of eyes on stories (issue 13, point 5): names the system knows become role words, in every
spelling the issue found surviving; names it cannot know are flagged by the Dutch de-identification model, and
approval and publication wait until each flag is changed in the text or kept with a reason."""

from datetime import date

import pytest
from django.urls import reverse

from doorbraak.core.errors import RuleError
from doorbraak.core.models import AccessEvent
from doorbraak.learning.models import Story, StoryFlag
from doorbraak.learning.stories import second_eyes, services
from doorbraak.learning.stories.anonymise import anonymise_story, role_terms, scrub_text
from tests.learning.test_stories import closed_world, login

pytestmark = pytest.mark.django_db

PEOPLE = role_terms(
    [
        {"first_name": "Jan", "last_name": "de Vries", "role_word": "de bewoner"},
        {"first_name": "Fatima", "last_name": "El-Amrani", "role_word": "de partner"},
        {"first_name": "Pieter", "last_name": "Bakker", "role_word": "de wijkagent"},
        {"first_name": "Sanne", "last_name": "Jansen", "role_word": "het kind"},
    ]
)


@pytest.mark.parametrize(
    "text, expected",
    [
        # the survivors: a genitive, a name written together, half of a double name
        ("Jans moeder belde.", "Diens moeder belde."),
        ("Devries was boos.", "De bewoner was boos."),
        ("Mevrouw El-Amrani belde, later ook mevrouw Amrani.", "De partner belde, later ook de partner."),
        ("Met dhr. Bakker ging het beter.", "Met de wijkagent ging het beter."),
        # a spelling variant one letter off, and a name at the start of a sentence
        ("Janssen ging weer naar school. Pieter hielp.", "Het kind ging weer naar school. De wijkagent hielp."),
        # ordinary words that look like names stay
        ("In januari kwam de Voedselbank.", "In januari kwam de Voedselbank."),
    ],
)
def test_known_names_become_who_the_person_is(text, expected):
    assert scrub_text(text, names=PEOPLE) == expected


def test_no_placeholder_and_no_onbekend_in_a_draft():
    story = anonymise_story(
        {
            "members": [{"first_name": "Noor", "last_name": "Visser", "role": "moeder", "birth_date": None}],
            "region": "Noordoost-Brabant",
            "question": "Noor zoekt een huis.",
            "tried": "",
            "stuck_since": None,
            "reference_date": date(2026, 1, 5),
        }
    )
    assert story == "Een huishouden van 1 persoon in Noordoost-Brabant. Moeder. Vraag: De moeder zoekt een huis."
    assert "onbekend" not in story and "[naam]" not in story and "Geprobeerd" not in story


def test_the_model_flags_a_name_nobody_told_the_system():
    found = dict(
        second_eyes.spans("De bewoner kreeg hulp van Kees uit de straat in Noordoost-Brabant.", "Noordoost-Brabant")
    )
    assert found == {"Kees": StoryFlag.Kind.PERSON}  # the region and the role words are ours, not flags


def _write(w, story, text):
    return services.update_story(
        w.pro, story, title=story.title, text=text, solution=story.solution, solution_kind="", blockers=[], laws=[]
    )[0]


def test_approval_waits_until_each_flag_is_changed_or_kept_with_a_reason():
    w = closed_world()
    story = services.create_story_draft(w.pro, w.case)
    story = _write(w, story, "De bewoner vond een kamer via Kees, een oud-collega. Marieke van de bank hielp ook.")
    flags = {f.span: f for f in StoryFlag.objects.filter(story=story)}
    assert {"Kees", "Marieke"} <= set(flags)
    with pytest.raises(RuleError, match=r"Er staan nog \d+ gemarkeerde woorden"):
        services.approve_story(w.lead, story)
    # Changing the text resolves a flag: it is gone after the next check.
    story = _write(w, story, "De bewoner vond een kamer via een oud-collega. Marieke van de bank hielp ook.")
    assert set(StoryFlag.objects.filter(story=story).values_list("span", flat=True)) == {"Marieke"}
    marieke = StoryFlag.objects.get(story=story, span="Marieke")
    with pytest.raises(RuleError, match="Schrijf op waarom") as refused:
        services.keep_flag(w.lead, story, marieke.pk, "   ")
    assert refused.value.field == "reason"
    services.keep_flag(w.lead, story, marieke.pk, "Marieke is de naam van de schuldhulpdienst, geen persoon.")
    with pytest.raises(RuleError, match="al afgehandeld"):
        services.keep_flag(w.lead, story, marieke.pk, "nogmaals")
    approved = services.approve_story(w.lead, story)
    assert approved.status == Story.Status.APPROVED
    assert StoryFlag.objects.get(pk=marieke.pk).kept_by == w.lead


def test_approval_and_publication_wait_for_the_check_of_the_text_as_it_is_now(settings):
    w = closed_world()
    story = services.create_story_draft(w.pro, w.case)
    settings.STORY_CHECK_INLINE = False  # as in production: the worker reads the story after the save
    story = _write(w, story, "De bewoner kreeg hulp van een buurvrouw.")
    with pytest.raises(RuleError, match="loopt nog"):
        services.approve_story(w.lead, story)
    assert second_eyes.check_story(story.pk) == 0  # what the worker's task runs
    story.refresh_from_db()
    story = services.approve_story(w.lead, story)
    Story.objects.filter(pk=story.pk).update(text=story.text + " Kees ook.")  # changed behind the services' back
    story.refresh_from_db()
    with pytest.raises(RuleError, match="loopt nog"):
        services.publish_story(w.policy, story)


def test_keeping_a_flag_on_the_page_keeps_the_typed_reason_when_refused(client):
    w = closed_world()
    story = _write(w, services.create_story_draft(w.pro, w.case), "Via Kees kwam er een kamer.")
    flag = StoryFlag.objects.get(story=story, span="Kees")
    login(client, w.lead)
    detail = reverse("story:detail", kwargs={"case_id": w.case.pk, "pk": story.pk})
    html = client.get(detail).content.decode()
    assert '<mark class="db-mark">Kees</mark>' in html and "Waarom mag dit blijven staan?" in html
    url = reverse("story:flag_keep", kwargs={"case_id": w.case.pk, "pk": story.pk, "flag_id": flag.pk})
    too_long = "Een buurthuis. " * 30
    response = client.post(url, {"reason": too_long})
    assert response.status_code == 400
    html = response.content.decode()
    assert "hoogstens 300 tekens" in html and too_long.strip()[:100] in html
    response = client.post(url, {"reason": "Kees is de naam van het buurthuis."}, follow=True)
    assert "Vastgelegd: dit woord blijft staan" in response.content.decode()
    assert "Kees is de naam van het buurthuis." in client.get(detail).content.decode()
    assert AccessEvent.objects.filter(event="story.flag_keep", actor_id=w.lead.pk).count() == 1
