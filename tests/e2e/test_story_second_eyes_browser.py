"""The second pair of eyes in a real browser (issue 13, point 5): a professional writes a name the system does not
know into a story; the breakthrough lead sees it marked, cannot approve until it is handled, keeps it with a reason
(an empty reason is refused in Dutch) and then approves. axe on every page and error state."""

import pytest

from doorbraak.learning.models import Story
from doorbraak.learning.stories import services
from tests.cases.factories import World
from tests.e2e.test_learning_stories_browser import close_with_breakthrough

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_story_with_an_unknown_name_waits_for_the_flag(page, login_as, axe):
    w = World()
    w.case.title = "Kamer voor Noor"
    w.case.save()
    close_with_breakthrough(
        w, w.case, first_name="Noor", breakthrough="Een maand huur garant.", blockers=["pinching_rules"], funders=[]
    )
    story = services.create_story_draft(w.pro, w.case)

    login_as(w.pro)
    page.goto(f"/casussen/{w.case.pk}/verhaal/{story.pk}/bewerken/")
    text = "Noor zocht een kamer. Kees, een oud-collega van haar vader, bood er een aan."
    page.get_by_label("Het verhaal").fill(text)
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Het verhaal is opgeslagen als concept.").wait_for()
    # The known name became who she is; the unknown one is marked for a second look.
    text = page.locator("main").inner_text()
    assert "De bewoner zocht een kamer." in text and "Noor zocht" not in text
    assert page.locator("mark.db-mark", has_text="Kees").count() >= 1
    axe(page)

    login_as(w.lead)
    page.goto(f"/casussen/{w.case.pk}/verhaal/{story.pk}/")
    page.get_by_text("woord dat naar een persoon kan wijzen").wait_for()
    axe(page)
    page.get_by_role("button", name="Goedkeuren").click()
    page.get_by_text("Er staan nog 1 gemarkeerde woorden in het verhaal").wait_for()
    assert Story.objects.get(pk=story.pk).status == Story.Status.DRAFT
    axe(page)

    page.get_by_role("button", name="Laten staan, met deze reden").click()
    page.get_by_text("Schrijf op waarom dit mag blijven staan.").wait_for()
    assert page.get_by_label("Waarom mag dit blijven staan?").get_attribute("aria-invalid") == "true"
    axe(page)
    page.get_by_label("Waarom mag dit blijven staan?").fill("Een voornaam zonder achternaam; niet herleidbaar.")
    page.get_by_role("button", name="Laten staan, met deze reden").click()
    page.get_by_text("Vastgelegd: dit woord blijft staan.").wait_for()
    assert "Een voornaam zonder achternaam; niet herleidbaar." in page.locator("main").inner_text()
    axe(page)

    page.get_by_role("button", name="Goedkeuren").click()
    page.get_by_text("Het verhaal is goedgekeurd.").wait_for()
    assert Story.objects.get(pk=story.pk).status == Story.Status.APPROVED
    axe(page)
