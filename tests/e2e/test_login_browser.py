"""The login journey in a real browser (Dutch UI, keyboard, second factor, axe)."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD, UserFactory
from tests.helpers.browser import totp_now

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_professional_logs_in_with_password_and_totp_setup_through_an_enrolment_link(page, axe):
    from doorbraak.core.services_auth import issue_enrolment_link

    user = UserFactory(first_name="Sanne")
    link = issue_enrolment_link(None, user)
    page.goto(link)
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.title() == "Inloggen – Doorbraak"
    axe(page)
    # Keyboard: the skip link is the first stop.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Naar de inhoud"
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("heading", name="Tweede inlogstap instellen").wait_for()
    axe(page)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    page.get_by_label("Code uit uw authenticator-app").fill(totp_now(device))
    page.get_by_role("button", name="Koppelen").click()
    page.get_by_role("heading", name="Welkom, Sanne").wait_for()
    assert "De tweede inlogstap is ingesteld." in page.content()
    axe(page)


def test_wrong_password_shows_error_summary_and_keeps_input(page, axe):
    user = UserFactory()
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill("niet-het-goede-wachtwoord")
    page.get_by_label("Wachtwoord").press("Enter")
    page.get_by_role("alert").wait_for()
    assert "Gebruikersnaam of wachtwoord klopt niet" in page.get_by_role("alert").inner_text()
    assert page.get_by_label("Gebruikersnaam").input_value() == user.username
    axe(page)


def test_logged_in_fixture_and_demo_banner(page, login_as, axe, settings):
    settings.DEMO = True
    user = UserFactory(first_name="Karim")
    login_as(user)
    page.goto("/")
    page.get_by_role("heading", name="Welkom, Karim").wait_for()
    assert page.get_by_role("note").inner_text().startswith("Demomodus")
    axe(page)
    page.goto("/toegankelijkheid/")
    axe(page)
    page.goto("/bestaat-niet/")
    assert page.get_by_role("heading", name="Pagina niet gevonden").is_visible()
    axe(page)


def test_second_step_and_lockout_pages_are_accessible(page, axe):
    from tests.factories import TOTPDeviceFactory

    user = UserFactory()
    TOTPDeviceFactory(user=user)
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("heading", name="Tweede inlogstap").wait_for()
    page.get_by_label("Code uit uw authenticator-app").fill("12ab56")
    page.get_by_role("button", name="Controleren").click()
    page.get_by_role("alert").wait_for()
    assert "alleen uit cijfers" in page.get_by_role("alert").inner_text()
    axe(page)
    page.context.clear_cookies()
    other = UserFactory()
    for _ in range(6):
        page.goto("/inloggen/")
        page.get_by_label("Gebruikersnaam").fill(other.username)
        page.get_by_label("Wachtwoord").fill("fout-wachtwoord-123")
        page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("heading", name="Account tijdelijk geblokkeerd").wait_for()
    axe(page)
