"""Programme meetings in a real browser (Chromium + axe on every page and error state): registration with the
confirmation and .ics, cancelling and the waiting list, registration without JavaScript, a takeaway that a
moderator publishes onto the meeting and the initiative, and the organiser's pages."""

import re

import icalendar
import pytest
from django.core import mail, signing

from doorbraak.core.models import Role
from doorbraak.initiatives.protection import CHALLENGE_SALT
from doorbraak.meetings.models import Registration, Takeaway
from tests.factories import UserFactory
from tests.initiatives.factories import InitiativeFactory
from tests.meetings.conftest import make_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CANCEL = re.compile(r"https?://[^\s]+(/bijeenkomsten/afmelden/[^/\s]+/)")


def answer_challenge(page):
    token = page.locator('input[name="challenge"]').input_value()
    data = signing.loads(token, salt=CHALLENGE_SALT)
    page.get_by_label(f"Hoeveel is {data['a']} plus {data['b']}?").fill(str(data["a"] + data["b"]))


def register(page, meeting, name, email, axe=None):
    page.goto(f"/bijeenkomsten/{meeting.pk}/aanmelden/")
    if axe:
        axe(page)
    page.get_by_label("Uw naam").fill(name)
    page.get_by_label("Uw organisatie").fill("Gemeente Deventer")
    page.get_by_label("Uw e-mailadres").fill(email)
    page.get_by_label("Dieetwensen of wat u nodig hebt om goed mee te kunnen doen").fill("Ringleiding")
    answer_challenge(page)
    page.get_by_role("button", name="Aanmelding versturen").click()


def test_register_confirm_cancel_and_waiting_list_moves_up(page, axe):
    organiser = UserFactory(role=Role.MODERATOR)
    meeting = make_meeting(organiser, capacity=1, title="Tussenresultaten bibliotheken")
    page.goto("/bijeenkomsten/")
    axe(page)
    page.get_by_role("link", name="Tussenresultaten bibliotheken").click()
    page.get_by_role("heading", level=1, name="Tussenresultaten bibliotheken").wait_for()
    axe(page)
    register(page, meeting, "Anna de Vries", "anna@example.nl", axe=axe)
    page.get_by_text("U bent aangemeld.").wait_for()
    axe(page)
    confirmation = mail.outbox[-1]
    assert confirmation.to == ["anna@example.nl"]
    event = icalendar.Calendar.from_ical(confirmation.attachments[0][1]).walk("VEVENT")[0]
    assert str(event["summary"]) == "Tussenresultaten bibliotheken"

    # Full now: the next visitor goes on the waiting list.
    register(page, meeting, "Bram Bos", "bram@example.nl")
    page.get_by_text("De bijeenkomst is vol. U staat op de wachtlijst (plaats 1).").wait_for()
    axe(page)
    # The same address again: a clear message, what was typed stays.
    register(page, meeting, "Bram Bos opnieuw", "bram@example.nl")
    page.get_by_role("alert").wait_for()
    assert "Met dit e-mailadres is al iemand aangemeld" in page.get_by_role("alert").inner_text()
    assert page.get_by_label("Uw naam").input_value() == "Bram Bos opnieuw"
    axe(page)

    # Anna cancels through the link in her e-mail; Bram gets her seat and an e-mail with the invitation.
    mail.outbox.clear()
    page.goto(CANCEL.search(confirmation.body).group(1))
    axe(page)
    page.get_by_role("button", name="Ja, meld mij af").click()
    page.get_by_role("heading", name="U bent afgemeld").wait_for()
    axe(page)
    assert Registration.objects.get(email="bram@example.nl").status == "confirmed"
    promoted = next(m for m in mail.outbox if m.to == ["bram@example.nl"])
    assert "Er is een plaats vrijgekomen" in promoted.body
    icalendar.Calendar.from_ical(promoted.attachments[0][1])
    page.goto(CANCEL.search(confirmation.body).group(1))  # the used link
    page.get_by_role("heading", name="Afmeldlink niet geldig").wait_for()
    axe(page)


def test_deadline_passed_is_a_clear_error(page, axe):
    import datetime

    from django.utils import timezone

    meeting = make_meeting(UserFactory(role=Role.MODERATOR), days=2)
    meeting.registration_deadline = timezone.now() - datetime.timedelta(hours=1)
    meeting.save(update_fields=["registration_deadline"])
    page.goto(f"/bijeenkomsten/{meeting.pk}/")
    page.get_by_text("Aanmelden kan niet meer.").wait_for()
    register(page, meeting, "Carla", "carla@example.nl")
    page.get_by_role("alert").wait_for()
    assert "Aanmelden voor deze bijeenkomst kan niet meer" in page.get_by_role("alert").inner_text()
    assert page.get_by_label("Uw e-mailadres").input_value() == "carla@example.nl"
    axe(page)
    assert not Registration.objects.exists()


def test_registration_works_without_javascript(browser, live_server):
    meeting = make_meeting(UserFactory(role=Role.MODERATOR))
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    register(page, meeting, "Dirk Zonder Script", "dirk@example.nl")
    page.get_by_text("U bent aangemeld.").wait_for()
    assert Registration.objects.get().name == "Dirk Zonder Script"
    assert mail.outbox[-1].to == ["dirk@example.nl"]
    context.close()


def test_takeaway_published_by_moderator_on_meeting_and_initiative(page, axe, login_as):
    moderator = UserFactory(role=Role.MODERATOR)
    initiative = InitiativeFactory(name="Life Goals", slug="life-goals-test")
    meeting = make_meeting(moderator, days=-1, title="Programmadag")
    page.goto(f"/bijeenkomsten/{meeting.pk}/")
    page.get_by_role("link", name="Was u erbij? Vertel wat u meeneemt en wat u daarvoor nodig hebt").click()
    axe(page)
    markup = '<script>document.title="gehackt"</script><img src=x onerror=alert(1)> '
    page.get_by_label("Wat neem ik mee?").fill((markup * 80)[:5000])
    page.get_by_label("Wat heb ik daarvoor nodig?").fill("Budget en een collega.")
    page.get_by_label("budget").check()
    page.get_by_label("Life Goals").check()
    page.get_by_label("Dit mag op de website, nadat een moderator het heeft gelezen").check()
    answer_challenge(page)
    page.get_by_role("button", name="Versturen").click()
    page.get_by_role("alert").wait_for()
    assert (
        "Deze tekst is te lang: gebruik hoogstens 2000 tekens (u gebruikte er 5000)."
        in page.get_by_role("alert").inner_text()
    )
    assert len(page.get_by_label("Wat neem ik mee?").input_value()) == 5000  # nothing lost
    assert page.title() != "gehackt"
    axe(page)
    page.get_by_label("Wat neem ik mee?").fill(markup + "Sport als weg naar meedoen.")
    answer_challenge(page)
    page.get_by_role("button", name="Versturen").click()
    page.get_by_text("Bedankt. Een moderator leest wat u schreef.").wait_for()
    axe(page)
    assert Takeaway.objects.get().moderation == "pending"

    login_as(moderator)
    page.goto("/bijeenkomsten/moderatie/")
    axe(page)
    page.get_by_role("link", name="Beoordeel opbrengst 1").click()
    axe(page)
    page.get_by_role("button", name="Afwijzen").click()  # without a reason
    page.get_by_role("alert").wait_for()
    axe(page)
    page.get_by_role("button", name="Publiceren").click()
    page.get_by_text("Gepubliceerd.").wait_for()
    page.goto(f"/bijeenkomsten/{meeting.pk}/")
    card = page.locator("#opbrengsten + ul")
    assert "Sport als weg naar meedoen." in card.inner_text() and "<script>" in card.inner_text()
    assert page.title() != "gehackt"
    page.goto(f"/initiatieven/{initiative.slug}/")
    page.get_by_role("heading", name="Wat deelnemers van bijeenkomsten meenemen").wait_for()
    assert "Sport als weg naar meedoen." in page.content()
    axe(page)


def test_organiser_pages_are_accessible(page, axe, login_as):
    organiser = UserFactory(role=Role.MODERATOR)
    meeting = make_meeting(organiser, days=-2, title="Gehouden bijeenkomst")
    Registration.objects.create(
        meeting=meeting, status="confirmed", name="Els", email="els@example.nl", cancel_token_hash="x", form_token="y"
    )
    Takeaway.objects.create(meeting=meeting, takeaway="Meenemen", need="Tijd", need_time=True, form_token="t1")
    login_as(organiser)
    page.goto("/bijeenkomsten/organiseren/")
    axe(page)
    page.get_by_role("link", name="Nieuwe bijeenkomst").click()
    page.get_by_label("Titel").fill("Nieuwe leersessie")
    page.get_by_role("button", name="Bijeenkomst opslaan").click()
    page.get_by_role("alert").wait_for()
    axe(page)  # the form with errors
    page.goto(f"/bijeenkomsten/{meeting.pk}/deelnemers/")
    axe(page)
    page.get_by_label("Els").check()
    page.get_by_role("button", name="Aanwezigheid opslaan").click()
    page.get_by_text("De aanwezigheid is opgeslagen.").wait_for()
    assert Registration.objects.get().attended is True
    page.goto(f"/bijeenkomsten/{meeting.pk}/documenten/")
    axe(page)
    page.get_by_label("Titel").fill("Verslag van de dag")
    page.get_by_label("Pdf-bestand").set_input_files(
        files=[{"name": "verslag.pdf", "mimeType": "application/pdf", "buffer": b"<html>geen pdf</html>"}]
    )
    page.get_by_role("button", name="Document toevoegen").click()
    page.get_by_role("alert").wait_for()
    assert "Dit bestand is geen pdf." in page.get_by_role("alert").inner_text()
    axe(page)  # the upload with an error
    page.goto(f"/bijeenkomsten/{meeting.pk}/verslag/")
    page.get_by_label("Verslag").fill("Een goede dag.")
    page.get_by_role("button", name="Verslag opslaan").click()
    page.get_by_text("Het verslag is opgeslagen.").wait_for()
    axe(page)
    page.goto("/bijeenkomsten/behoeften/")
    axe(page)
    page.get_by_label("Omschrijving").fill("Leersessie over tijd maken")
    page.get_by_label("Tijd").check()
    page.get_by_role("button", name="Vervolg maken (tijd)").click()
    page.get_by_text("Het vervolg is aangemaakt.").wait_for()
    axe(page)
    page.goto("/bijeenkomsten/programma/")
    page.get_by_role("heading", name="Wat leert het programma?").wait_for()
    assert "<10" in page.locator("table").first.inner_text()
    axe(page)
