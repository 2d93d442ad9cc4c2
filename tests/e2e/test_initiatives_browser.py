"""The public registry in a real browser: search, submission, moderation and a comment's journey (axe)."""

import pytest
from django.core import signing

from doorbraak.core.models import Role
from doorbraak.demo.initiatives import load
from doorbraak.initiatives.models import Comment, Moderation, Submission
from doorbraak.initiatives.protection import CHALLENGE_SALT
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def answer_challenge(page):
    token = page.locator('input[name="challenge"]').input_value()
    data = signing.loads(token, salt=CHALLENGE_SALT)
    page.get_by_label(f"Hoeveel is {data['a']} plus {data['b']}?").fill(str(data["a"] + data["b"]))


def test_visitor_searches_and_filters_without_login(page, axe):
    load()
    page.goto("/initiatieven/")
    assert page.title() == "Initiatieven – Doorbraak"
    axe(page)
    page.get_by_label("Zoeken", exact=True).fill("wonen")
    page.get_by_role("button", name="Zoeken", exact=True).click()
    page.get_by_role("heading", name="Wooninitiatief Hart van Brabant").wait_for()
    assert page.title() == "Zoekresultaten – Initiatieven – Doorbraak"
    assert page.get_by_label("Zoeken", exact=True).input_value() == "wonen"
    axe(page)
    page.get_by_label("Thema").select_option(label="Rust in crisissituaties")
    page.get_by_label("Zoeken", exact=True).fill("")
    page.get_by_role("button", name="Zoeken", exact=True).click()
    results = page.locator(".db-results h3").all_inner_texts()
    assert results and all(
        name in {"Thuis in Zuidoost", "Rust in crisissituaties (Mobility Mentoring)"} for name in results
    )
    page.get_by_role("link", name="Thuis in Zuidoost").click()
    page.get_by_role("heading", level=1, name="Thuis in Zuidoost").wait_for()
    assert page.title() == "Thuis in Zuidoost – Initiatieven – Doorbraak"
    axe(page)


def test_search_and_comment_work_without_javascript(browser, live_server):
    load()
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/initiatieven/?q=bibliotheken")
    assert "Bibliotheken" in page.locator(".db-results").inner_text()
    # A comment can be sent without JavaScript too.
    page.goto("/initiatieven/toolbox-emmen/")
    page.get_by_label("Uw reactie").fill("Zonder JavaScript verstuurd.")
    answer_challenge(page)
    page.get_by_role("button", name="Reactie versturen").click()
    page.get_by_text("Bedankt voor uw reactie").wait_for()
    assert Comment.objects.get().body == "Zonder JavaScript verstuurd."
    context.close()


def test_suggestion_with_errors_then_moderated_into_a_published_page(page, axe, login_as):
    page.goto("/initiatieven/aanmelden/")
    assert page.title() == "Initiatief aanmelden – Initiatieven – Doorbraak"
    axe(page)
    page.get_by_label("Naam van het initiatief").fill("Het Buurthuis Oost")
    page.get_by_label("Wat doet dit initiatief anders?").fill("Buren helpen elkaar met brieven en geldzaken.")
    page.get_by_label("Link naar meer informatie").fill("dit is geen link")
    page.get_by_role("button", name="Aanmelding versturen").click()
    page.get_by_role("alert").wait_for()
    assert "Dit is geen goed webadres" in page.get_by_role("alert").inner_text()
    assert page.get_by_label("Naam van het initiatief").input_value() == "Het Buurthuis Oost"
    axe(page)  # the form with errors
    page.get_by_label("Link naar meer informatie").fill("https://buurthuis.example")
    answer_challenge(page)
    page.get_by_role("button", name="Aanmelding versturen").click()
    page.get_by_role("heading", name="Bedankt voor uw aanmelding").wait_for()
    axe(page)
    assert Submission.objects.get().moderation == Moderation.PENDING

    login_as(UserFactory(role=Role.MODERATOR))
    page.goto("/initiatieven/moderatie/")
    assert page.title() == "Moderatie – Initiatieven – Doorbraak"
    axe(page)
    page.get_by_role("link", name="Beoordeel Het Buurthuis Oost").click()
    page.get_by_role("heading", name="Aanmelding beoordelen").wait_for()
    axe(page)
    page.get_by_label("Plaats of regio").fill("Zwolle")
    page.get_by_role("button", name="Goedkeuren").click()
    assert "Er is een conceptpagina gemaakt" in page.content()
    page.get_by_role("link", name="Het Buurthuis Oost").click()
    assert "Dit is een concept" in page.content()
    axe(page)
    page.get_by_role("button", name="Publiceren").click()
    assert "staat nu in het openbare register" in page.content()


def test_comment_journey_from_submission_to_publication(page, axe, login_as):
    load()
    page.goto("/initiatieven/linawijs-culemborg/")
    assert "Uw reactie verschijnt pas op deze pagina" in page.content()
    page.get_by_label("Uw reactie").fill("Wij zoeken zo'n plek voor onze zoon in Zwolle.")
    page.get_by_role("button", name="Reactie versturen").click()  # no answer: error, text kept
    page.get_by_role("alert").wait_for()
    assert "Beantwoord de rekenvraag." in page.get_by_role("alert").inner_text()
    assert page.get_by_label("Uw reactie").input_value() == "Wij zoeken zo'n plek voor onze zoon in Zwolle."
    assert page.title() == "Fout in reactie: Linawijs – Initiatieven – Doorbraak"
    axe(page)
    answer_challenge(page)
    page.get_by_role("button", name="Reactie versturen").click()
    page.get_by_text("Bedankt voor uw reactie").wait_for()
    assert "onze zoon" not in page.locator("#inhoud").inner_text().split("Reacties")[-1].split("Reageer")[0]
    assert Comment.objects.get().moderation == Moderation.PENDING

    login_as(UserFactory(role=Role.MODERATOR))
    page.goto("/initiatieven/moderatie/")
    page.get_by_role("link", name="Beoordeel reactie 1").click()
    page.get_by_role("heading", name="Reactie beoordelen").wait_for()
    axe(page)
    page.get_by_role("button", name="Afwijzen").click()  # no reason: error
    page.get_by_role("alert").wait_for()
    axe(page)
    page.get_by_label("Tekst van de reactie").fill("Wij zoeken zo'n plek voor onze zoon.")
    page.get_by_role("button", name="Goedkeuren").click()
    page.get_by_text("Reactie: Goedgekeurd.").wait_for()

    page.context.clear_cookies()
    page.goto("/initiatieven/linawijs-culemborg/")
    assert "Wij zoeken zo'n plek voor onze zoon." in page.content()
    assert "aangepast door de moderator" in page.content()
    axe(page)


def test_moderator_pages_through_the_queue_and_returns_to_the_same_place(page, login_as, axe):
    """Issue 15 point 4: 25 pending comments at a time, oldest first; after a decision on the second page the
    moderator is back on that page."""
    from tests.initiatives.test_moderation_pages import add_comments

    add_comments(30)
    login_as(UserFactory(role=Role.MODERATOR))
    page.goto("/initiatieven/moderatie/")
    rows = page.locator('table[aria-labelledby="reacties-kop"] tbody tr')
    assert rows.count() == 25
    assert page.get_by_role("heading", name="Reacties die wachten (30)").is_visible()
    assert "Reactie nummer 0" in rows.first.inner_text()
    axe(page)
    page.get_by_role("link", name="Volgende reacties").click()
    page.get_by_role("link", name="Naar de oudste reacties").wait_for()
    assert rows.count() == 5
    assert [f"Reactie nummer {i}" in rows.nth(i - 25).inner_text() for i in range(25, 30)] == [True] * 5
    axe(page)
    page.get_by_role("link", name="Beoordeel reactie 2").click()  # "Reactie nummer 26"
    page.get_by_role("heading", name="Reactie beoordelen").wait_for()
    page.get_by_role("button", name="Goedkeuren").click()
    page.get_by_text("Reactie: Goedgekeurd.").wait_for()
    assert page.get_by_role("heading", name="Reacties die wachten (29)").is_visible()
    texts = rows.all_inner_texts()
    assert len(texts) == 4 and "Reactie nummer 25" in texts[0] and "Reactie nummer 27" in texts[1]
