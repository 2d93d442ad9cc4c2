"""Stories in a real browser: a professional drafts an anonymised story from a closed case and edits it (a name
typed back in is removed again), the breakthrough lead approves it (four eyes), the policy officer publishes it,
and an anonymous visitor finds it in the precedent register by filtering on a blocker. axe on every page and on
the error states."""

import datetime
import io
import re

import pytest
from pypdf import PdfReader

from doorbraak.cases import services as case_services
from doorbraak.cases.models import CaseFunder, Person
from doorbraak.learning.models import Story
from doorbraak.learning.stories import second_eyes, services
from doorbraak.platforms.models import PlatformBlocker, PlatformEvaluation
from tests.cases.factories import CaseFactory, World, involve
from tests.helpers.browser import make_council_report_pdf
from tests.platforms.factories import make_platform

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def names_in(text):
    """The client's name as a whole word (a professional called "Noortje" by the factory is not her)."""
    return re.findall(r"\bNoor\b|Vermeulen", text)


def close_with_breakthrough(w, case, *, first_name, breakthrough, blockers, funders):
    main = Person.objects.get(household=case.household)
    main.first_name, main.last_name = first_name, "Vermeulen"
    main.save()
    platform = make_platform(case, w.lead, convened_on=datetime.date(2025, 9, 1))
    platform.breakthrough, platform.breakthrough_on, platform.solution_kind = (
        breakthrough,
        datetime.date(2025, 9, 9),
        "bridging",
    )
    platform.save()
    evaluation = PlatformEvaluation.objects.create(
        municipality=w.municipality,
        platform=platform,
        helped="snel",
        client_satisfaction=8,
        professional_satisfaction=8,
    )
    for code in blockers:
        PlatformBlocker.objects.create(municipality=w.municipality, evaluation=evaluation, code=code)
    for funder in funders:
        CaseFunder.objects.create(municipality=w.municipality, case=case, funder=funder)
    case_services.close_case(w.lead, case)


def test_story_from_closed_case_to_public_precedent(page, login_as, axe):
    w = World()
    w.case.title = "Kamer voor Noor"
    w.case.save()
    close_with_breakthrough(
        w,
        w.case,
        first_name="Noor",
        breakthrough="Noor kreeg een maand huur garant.",
        blockers=["pinching_rules"],
        funders=["participatiewet"],
    )
    # Another published precedent, with another blocker, that the filter must leave out.
    other = CaseFactory(municipality=w.municipality, team=w.team, created_by=w.lead)
    involve(other, w.pro)
    close_with_breakthrough(
        w, other, first_name="Daan", breakthrough="Een hulphond.", blockers=["no_places"], funders=["wlz"]
    )
    other_story = services.create_story_draft(w.pro, other)
    Story.objects.filter(pk=other_story.pk).update(title="Hulphond in plaats van verpleeghuis")
    second_eyes.check_story(other_story.pk)
    other_story.refresh_from_db()
    services.publish_story(w.policy, services.approve_story(w.lead, other_story))

    # The professional was involved until the case closed: the work list leads to the story page.
    login_as(w.pro)
    page.goto("/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Verhalen").click()
    axe(page)
    page.get_by_role("link", name="Kamer voor Noor").click()
    axe(page)
    page.get_by_role("button", name="Concept maken").click()
    page.get_by_text("Het concept is gemaakt.").wait_for()
    assert not names_in(page.get_by_label("Het verhaal").input_value())
    assert "De bewoner kreeg een maand huur garant." in page.get_by_label("De maatwerkoplossing").input_value()
    assert page.get_by_label("Knellende regels").is_checked()
    axe(page)
    page.get_by_label("Titel").fill("")
    page.get_by_role("button", name="Opslaan").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "Geef het verhaal een titel." in alert.inner_text()
    axe(page)
    page.get_by_label("Titel").fill("Een maand huur garant voor Noor")
    page.get_by_label("Het verhaal").fill("Noor Vermeulen (22) zocht een kamer. Niemand wilde borg betalen.")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Wij hebben gegevens weggehaald die naar een persoon kunnen wijzen").wait_for()
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "Een maand huur garant voor de bewoner"
    assert not names_in(page.locator("main").inner_text().replace("Kamer voor Noor", ""))
    assert page.get_by_role("button", name="Goedkeuren").count() == 0  # four eyes: not the writer
    axe(page)

    # The breakthrough lead of the team approves, from the closed case.
    login_as(w.lead)
    page.goto(f"/casussen/{w.case.pk}/")
    page.get_by_role("link", name="Geanonimiseerd verhaal maken").click()
    page.get_by_role("link", name="Een maand huur garant voor de bewoner").click()
    axe(page)
    page.get_by_role("button", name="Goedkeuren").click()
    page.get_by_text("Het verhaal is goedgekeurd.").wait_for()
    axe(page)

    # The policy officer reads it without case or names and publishes it.
    login_as(w.policy)
    page.goto("/leren/verhalen/")
    axe(page)
    assert "Kamer voor Noor" not in page.content()
    page.get_by_role("link", name="Een maand huur garant voor de bewoner").click()
    axe(page)
    page.get_by_role("button", name="Openbaar maken in het precedentenregister").click()
    page.get_by_text("Het verhaal staat nu in het openbare precedentenregister.").wait_for()
    axe(page)

    # The approved story goes into the council report: preview and PDF.
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Leren", exact=True).click()
    page.get_by_role("navigation", name="Leren").get_by_role("link", name="Raadsrapportage", exact=True).click()
    preview = page.locator("#report-preview")
    preview.get_by_role("heading", name="Een maand huur garant voor de bewoner").wait_for()
    assert not names_in(preview.inner_text())
    axe(page)
    pdf = make_council_report_pdf(page)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Raadsrapportage doorbraakaanpak" in text and "Een maand huur garant voor de bewoner" in text
    assert not names_in(text)

    # An anonymous visitor finds it by filtering on the blocker.
    page.context.clear_cookies()
    page.goto("/precedenten/")
    assert page.get_by_text("2 precedenten gevonden").is_visible()
    axe(page)
    page.get_by_label("Blokkade").select_option(label="Knellende regels")
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_text("1 precedent gevonden").wait_for()
    assert "Hulphond in plaats van verpleeghuis" not in page.content()
    axe(page)
    page.get_by_role("link", name="Een maand huur garant voor de bewoner").click()
    page.get_by_text("De bewoner kreeg een maand huur garant.").wait_for()
    content = page.content()
    assert not names_in(content) and f"/casussen/{w.case.pk}/" not in content
    axe(page)

    # Error state of the public search: a value that is not in the list.
    page.goto("/precedenten/?blocker=bestaat-niet")
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "Kies een blokkade uit de lijst." in alert.inner_text()
    axe(page)


def test_policy_pages_through_the_approved_stories(page, login_as, axe):
    """Issue 15 point 4: the approved stories come 25 at a time; "Volgende" shows the rest, "Vorige" goes back."""
    from tests.learning.test_story_pages import add_stories

    w = World()
    add_stories(w, 30)
    login_as(w.policy)
    page.goto("/leren/verhalen/")
    cards = page.locator("#inhoud .db-results > li")
    assert cards.count() == 25
    assert page.get_by_text("30 verhalen").is_visible()
    first = cards.all_inner_texts()
    axe(page)
    page.get_by_role("link", name="Volgende", exact=True).click()
    page.get_by_role("link", name="Vorige", exact=True).wait_for()
    assert cards.count() == 5
    rest = cards.all_inner_texts()
    titles = [text.splitlines()[0] for text in first + rest]
    assert sorted(titles) == sorted(f"Verhaal nummer {i}" for i in range(30))
    assert page.get_by_role("link", name="Volgende", exact=True).count() == 0
    axe(page)
    page.get_by_role("link", name="Vorige", exact=True).click()
    page.get_by_role("link", name="Volgende", exact=True).wait_for()
    assert cards.all_inner_texts() == first
