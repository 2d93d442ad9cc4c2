"""Issue 10, part 1 in a real browser: the TOTP set-up bypass is refused, enrolment through an administrator's
link, changing the password, and the reset e-mail; axe on every page."""

import re

import pytest
from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice

from doorbraak.core.models import Role
from doorbraak.core.services_auth import issue_enrolment_link
from tests.factories import PASSWORD, TOTPDeviceFactory, UserFactory
from tests.helpers.browser import totp_now

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "kastanje-vlieger-opaal-trombone"


def password_step(page, user, password=PASSWORD):
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Inloggen").click()


def test_password_only_cannot_open_the_setup_page_and_sees_no_secret(page, axe):
    user = UserFactory()
    device = TOTPDeviceFactory(user=user)
    page.goto("/inloggen/")
    password_step(page, user)
    page.get_by_role("heading", name="Tweede inlogstap", exact=True).wait_for()
    page.goto("/inloggen/tweede-stap/instellen/")
    page.get_by_role("heading", name="Tweede inlogstap", exact=True).wait_for()
    assert page.url.endswith("/inloggen/tweede-stap/")
    assert "koppellink van de beheerder" in page.get_by_role("status").first.inner_text()
    assert page.locator("[data-testid=totp-secret]").count() == 0
    assert page.locator("img.db-qr").count() == 0
    assert list(TOTPDevice.objects.filter(user=user)) == [device]
    axe(page)
    page.goto("/casussen/")
    assert page.url.endswith("/inloggen/tweede-stap/")


def test_account_without_device_is_told_to_ask_for_a_link(page, axe):
    user = UserFactory()
    page.goto("/inloggen/")
    password_step(page, user)
    page.get_by_test_id("no-device").wait_for()
    assert "koppellink" in page.content()
    axe(page)


def test_enrolling_through_an_admin_issued_link(page, axe):
    municipality_admin = UserFactory(role=Role.ADMIN, is_staff=True)
    user = UserFactory(first_name="Iris", municipality=municipality_admin.municipality)
    TOTPDeviceFactory(user=user)  # the lost phone
    mail.outbox.clear()
    issue_enrolment_link(municipality_admin, user)
    link = re.search(r"(/inloggen/koppelen/[^/\s]+/)", mail.outbox[0].body).group(1)
    page.goto(link)
    page.get_by_role("heading", name="Inloggen").wait_for()
    assert "Daarna koppelt u uw authenticator-app" in page.content()
    axe(page)
    password_step(page, user)
    page.get_by_role("heading", name="Tweede inlogstap instellen").wait_for()
    assert page.get_by_test_id("totp-secret").is_visible()
    axe(page)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    page.get_by_label("Code uit uw authenticator-app").fill(totp_now(device))
    page.get_by_role("button", name="Koppelen").click()
    page.get_by_role("heading", name="Welkom, Iris").wait_for()
    assert list(TOTPDevice.objects.filter(user=user)) == [device]
    page.get_by_role("link", name=re.compile("Iris")).click()
    page.get_by_role("heading", name="Mijn account").wait_for()
    notices = page.get_by_test_id("security-notices").inner_text()
    assert "Er is een authenticator-app aan uw account gekoppeld." in notices
    axe(page)
    # The link works once.
    page.goto(link)
    page.get_by_role("heading", name="Koppellink werkt niet").wait_for()
    axe(page)


def test_changing_the_password(page, login_as, axe):
    user = UserFactory(first_name="Karim")
    login_as(user)
    page.goto("/account/")
    page.get_by_role("heading", name="Actieve sessies").wait_for()
    axe(page)
    page.get_by_role("link", name="Wachtwoord wijzigen").click()
    page.get_by_role("heading", name="Wachtwoord wijzigen").wait_for()
    axe(page)
    page.get_by_label("Huidig wachtwoord").fill("niet-het-goede")
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Wachtwoord wijzigen").click()
    page.get_by_role("alert").wait_for()
    assert "Uw huidige wachtwoord klopt niet" in page.get_by_role("alert").inner_text()
    axe(page)
    page.get_by_label("Huidig wachtwoord").fill(PASSWORD)
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Wachtwoord wijzigen").click()
    page.get_by_role("heading", name="Mijn account").wait_for()
    assert "Uw wachtwoord is gewijzigd" in page.content()
    assert "Het wachtwoord van uw account is gewijzigd." in page.get_by_test_id("security-notices").inner_text()
    axe(page)
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_reset_by_e_mail_and_the_second_factor_is_still_asked(page, axe):
    user = UserFactory()
    TOTPDeviceFactory(user=user)
    mail.outbox.clear()
    page.goto("/inloggen/")
    page.get_by_role("link", name="Wachtwoord vergeten?").click()
    page.get_by_role("heading", name="Wachtwoord vergeten").wait_for()
    axe(page)
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_role("button", name="Link versturen").click()
    page.get_by_role("heading", name="Kijk in uw e-mail").wait_for()
    axe(page)
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+(/inloggen/nieuw-wachtwoord/\S+/)", mail.outbox[0].body).group(1)
    page.goto(link)
    page.get_by_role("heading", name="Nieuw wachtwoord instellen").wait_for()
    axe(page)
    page.locator("#id_new_password1").fill("wachtwoord1234")
    page.locator("#id_new_password2").fill("wachtwoord1234")
    page.get_by_role("button", name="Wachtwoord instellen").click()
    page.get_by_role("alert").wait_for()
    assert "te makkelijk te raden" in page.get_by_role("alert").inner_text()
    axe(page)
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Wachtwoord instellen").click()
    page.get_by_role("heading", name="Wachtwoord ingesteld").wait_for()
    axe(page)
    page.get_by_role("link", name="Naar inloggen").click()
    password_step(page, user, NEW_PASSWORD)
    page.get_by_role("heading", name="Tweede inlogstap", exact=True).wait_for()
    assert page.get_by_label("Code uit uw authenticator-app").is_visible()
