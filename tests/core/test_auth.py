"""Login, second factor, lockout and session limits (SEC-01, SEC-02, SEC-04, SEC-06)."""

import time

import pytest
import time_machine
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD, TOTPDeviceFactory, UserFactory
from tests.helpers.browser import totp_now

pytestmark = pytest.mark.django_db


def login(client, username, password=PASSWORD):
    return client.post(reverse("core:login"), {"username": username, "password": password})


def test_SEC_04_password_is_stored_with_argon2id():
    user = UserFactory()
    assert user.password.startswith("argon2$argon2id$")


def test_wrong_password_gives_dutch_message_and_keeps_username(client):
    user = UserFactory()
    response = login(client, user.username, "verkeerd-wachtwoord")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Gebruikersnaam of wachtwoord klopt niet" in body
    assert f'value="{user.username}"' in body


def test_SEC_01_pages_need_second_factor_after_password(client):
    user = UserFactory()
    TOTPDeviceFactory(user=user)
    response = login(client, user.username)
    assert response.status_code == 302
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("core:otp_verify")


def test_SEC_01_user_without_device_is_told_to_ask_for_an_enrolment_link(client):
    user = UserFactory()
    login(client, user.username)
    response = client.get(reverse("core:home"))
    assert response["Location"] == reverse("core:otp_verify")
    page = client.get(reverse("core:otp_verify")).content.decode()
    assert "nog geen authenticator-app gekoppeld" in page
    assert "koppellink" in page
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_SEC_01_user_without_device_sets_one_up_through_an_enrolment_link(client):
    from doorbraak.core.services_auth import issue_enrolment_link

    user = UserFactory()
    url = issue_enrolment_link(None, user)
    assert client.get(url)["Location"] == reverse("core:login")
    login(client, user.username)
    response = client.get(reverse("core:home"))
    assert response["Location"] == reverse("core:otp_setup")
    page = client.get(reverse("core:otp_setup"))
    assert "Tweede inlogstap instellen" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("core:otp_setup"), {"token": totp_now(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("core:home")).status_code == 200


def test_SEC_01_same_totp_code_is_refused_the_second_time(client):
    user = UserFactory()
    device = TOTPDeviceFactory(user=user)
    token = totp_now(device)
    login(client, user.username)
    assert client.post(reverse("core:otp_verify"), {"token": token}).status_code == 302
    client.post(reverse("core:logout"))
    login(client, user.username)
    response = client.post(reverse("core:otp_verify"), {"token": token})
    assert response.status_code == 400
    assert "al gebruikt" in response.content.decode()
    assert client.get(reverse("core:home")).status_code == 302


def test_non_numeric_code_gets_clear_message(client):
    user = UserFactory()
    TOTPDeviceFactory(user=user)
    login(client, user.username)
    response = client.post(reverse("core:otp_verify"), {"token": "abcdef"})
    assert "alleen uit cijfers" in response.content.decode()


def test_SEC_02_lockout_after_five_failures_even_with_right_password(client):
    user = UserFactory()
    for _ in range(5):
        login(client, user.username, "fout-wachtwoord-123")
    response = login(client, user.username)
    assert response.status_code == 429
    assert "tijdelijk geblokkeerd" in response.content.decode()
    assert client.get(reverse("core:home")).status_code == 302  # still not logged in


def test_demo_account_skips_second_factor_only_in_demo_mode(client, settings):
    user = UserFactory(is_demo=True)
    settings.DEMO = True
    login(client, user.username)
    assert client.get(reverse("core:home")).status_code == 200
    client.post(reverse("core:logout"))
    settings.DEMO = False
    login(client, user.username)
    assert client.get(reverse("core:home")).status_code == 302


def test_SEC_06_inactivity_expires_the_session_with_a_dutch_message(client, settings):
    settings.DEMO = True
    user = UserFactory(is_demo=True)
    with time_machine.travel(time.time(), tick=False) as traveller:
        login(client, user.username)
        assert client.get(reverse("core:home")).status_code == 200
        traveller.shift(31 * 60)
        response = client.get(reverse("core:home"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("core:login"))
    assert "Uw sessie is verlopen" in response.content.decode()


def test_SEC_06_an_active_session_is_saved_at_most_once_a_minute_and_stays_alive(client, settings):
    """Issue 15: no session write on every request; activity still renews the 30 minutes of inactivity."""
    from django.contrib.sessions.models import Session

    settings.DEMO = True
    user = UserFactory(is_demo=True)
    with time_machine.travel(time.time(), tick=False) as traveller:
        login(client, user.username)
        assert client.get(reverse("core:home")).status_code == 200
        key = client.cookies[settings.SESSION_COOKIE_NAME].value
        expires = Session.objects.get(session_key=key).expire_date
        traveller.shift(20)
        assert client.get(reverse("core:home")).status_code == 200
        assert Session.objects.get(session_key=key).expire_date == expires  # 20 s later: not written again
        traveller.shift(60)
        assert client.get(reverse("core:home")).status_code == 200
        renewed = Session.objects.get(session_key=key).expire_date
        assert (renewed - expires).total_seconds() == pytest.approx(80, abs=1)  # a minute on: renewed
        for _ in range(3):  # a click every 25 minutes keeps the user signed in past the first 30 minutes
            traveller.shift(25 * 60)
            assert client.get(reverse("core:home")).status_code == 200


def test_SEC_06_absolute_session_limit_even_while_active(client, settings):
    settings.DEMO = True
    user = UserFactory(is_demo=True)
    with time_machine.travel(time.time(), tick=False) as traveller:
        login(client, user.username)
        for _ in range(21):  # active every 29 minutes for over ten hours
            traveller.shift(29 * 60)
            response = client.get(reverse("core:home"))
        assert response.status_code == 302
        assert "verlopen" in response["Location"]


def test_logout_needs_post(client, settings):
    settings.DEMO = True
    user = UserFactory(is_demo=True)
    login(client, user.username)
    assert client.get(reverse("core:logout")).status_code == 405
    assert client.get(reverse("core:home")).status_code == 200


def test_LOG_06_login_leaves_no_password_or_session_id_in_access_log(client):
    from doorbraak.core.models import AccessEvent

    user = UserFactory()
    device = TOTPDeviceFactory(user=user)
    login(client, user.username)
    client.post(reverse("core:otp_verify"), {"token": "000000" if totp_now(device) != "000000" else "111111"})
    client.post(reverse("core:otp_verify"), {"token": totp_now(device)})
    rows = list(AccessEvent.objects.values())
    assert rows, "a failed second factor is logged"
    dump = repr(rows)
    assert PASSWORD not in dump
    assert client.session.session_key not in dump
