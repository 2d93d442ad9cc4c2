"""Issue 10, part 1 (authentication) and the login half of part 4 (refusals are events).

Regression tests for the findings: the password alone passed the second factor through the set-up page, the user
was not told about a new device, no password change or reset, five failures locked anyone's account from any
address, and failed password logins wrote no access event.
"""

import re
import statistics
import time
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from doorbraak.core.models import AccessEvent, EnrolmentLink, Role, SecurityNotice, User, UserSession
from doorbraak.core.services_auth import (
    AuthRefused,
    issue_enrolment_link,
    send_password_reset_link,
)
from tests.factories import PASSWORD, MunicipalityFactory, TOTPDeviceFactory, UserFactory
from tests.helpers.browser import totp_now

pytestmark = pytest.mark.django_db

STRONG = "kastanje-vlieger-opaal-trombone"


def login(client, username, password=PASSWORD):
    return client.post(reverse("core:login"), {"username": username, "password": password})


def client_from(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def verified_client(user, address="127.0.0.1") -> Client:
    device = TOTPDeviceFactory(user=user)  # one per client: a code is accepted only once
    client = client_from(address)
    assert login(client, user.username).status_code == 302
    assert client.post(reverse("core:otp_verify"), {"token": totp_now(device)}).status_code == 302
    return client


def events(code, **filters):
    return list(AccessEvent.objects.filter(event=code, **filters).order_by("seq"))


def admin_of(municipality, **extra):
    return UserFactory(municipality=municipality, role=Role.ADMIN, is_staff=True, **extra)


# The critical finding: the set-up page with a password only -------------------------------------------------


def test_password_only_session_cannot_open_the_setup_page_when_a_device_exists(client):
    user = UserFactory()
    device = TOTPDeviceFactory(user=user)
    login(client, user.username)
    response = client.get(reverse("core:otp_setup"), follow=True)
    body = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("core:otp_verify")
    assert "koppellink" in body
    assert 'data-testid="totp-secret"' not in body
    assert list(TOTPDevice.objects.filter(user=user)) == [device], "no new (pending) device, so no new secret"
    refused = events("auth.enrolment_refused")
    assert refused and refused[-1].outcome == AccessEvent.Outcome.DENIED
    assert refused[-1].reason == "no_factor_or_link"


def test_password_only_session_cannot_confirm_a_device_with_a_post(client):
    user = UserFactory()
    TOTPDeviceFactory(user=user)
    login(client, user.username)
    # The old attack: a pending device whose secret the attacker knows, then POST its code.
    pending = TOTPDevice.objects.create(user=user, name="aanvaller", confirmed=False)
    response = client.post(reverse("core:otp_setup"), {"token": totp_now(pending)})
    assert response.status_code == 302 and response["Location"] == reverse("core:otp_verify")
    pending.refresh_from_db()
    assert not pending.confirmed
    assert client.get(reverse("core:home")).status_code == 302, "still not past the second factor"


def test_password_only_session_without_device_or_link_gets_no_secret(client):
    user = UserFactory()
    login(client, user.username)
    assert client.get(reverse("core:otp_setup"))["Location"] == reverse("core:otp_verify")
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_verified_user_may_replace_the_authenticator_and_is_told(client):
    user = UserFactory()
    old = TOTPDeviceFactory(user=user)
    client = verified_client(user)
    mail.outbox.clear()
    page = client.get(reverse("core:otp_setup"))
    assert page.status_code == 200
    assert "Uw huidige app werkt daarna niet meer" in page.content.decode()
    new = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post(reverse("core:otp_setup"), {"token": totp_now(new)}).status_code == 302
    assert list(TOTPDevice.objects.filter(user=user, confirmed=True)) == [new]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    kinds = set(SecurityNotice.objects.filter(user=user).values_list("kind", flat=True))
    assert kinds == {"second_factor_added", "second_factor_removed"}
    assert len(mail.outbox) == 2 and all(m.to == [user.email] for m in mail.outbox)
    assert "gekoppeld" in " ".join(m.body for m in mail.outbox)


def test_user_is_told_in_the_app_until_seen(client):
    user = UserFactory()
    url = issue_enrolment_link(None, user)
    client.get(url)
    login(client, user.username)
    client.get(reverse("core:otp_setup"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    client.post(reverse("core:otp_setup"), {"token": totp_now(device)})
    page = client.get(reverse("core:account")).content.decode()
    assert "Er is een authenticator-app aan uw account gekoppeld." in page
    client.post(reverse("core:notices_seen"))
    assert (
        "Er is een authenticator-app aan uw account gekoppeld."
        not in client.get(reverse("core:account")).content.decode()
    )


# Enrolment links ------------------------------------------------------------------------------------------


def test_admin_of_the_municipality_issues_a_link_that_is_mailed_and_stored_only_as_a_hash():
    municipality = MunicipalityFactory()
    admin = admin_of(municipality)
    user = UserFactory(municipality=municipality)
    mail.outbox.clear()
    url = issue_enrolment_link(admin, user)
    token = url.rstrip("/").rsplit("/", 1)[-1]
    link = EnrolmentLink.objects.get(user=user)
    assert link.created_by == admin and token not in link.token_hash
    assert timedelta(hours=71) < link.expires_at - link.created_at <= timedelta(hours=72)
    assert len(mail.outbox) == 1 and url in mail.outbox[0].body and mail.outbox[0].to == [user.email]
    issued = events("auth.enrolment_link_issued")
    assert issued[-1].actor_id == admin.pk and issued[-1].outcome == AccessEvent.Outcome.SUCCESS


@pytest.mark.parametrize("who", ["other_municipality_admin", "professional", "self"])
def test_only_an_admin_of_the_users_municipality_may_issue_a_link(who):
    municipality = MunicipalityFactory()
    user = UserFactory(municipality=municipality, role=Role.ADMIN if who == "self" else Role.PROFESSIONAL)
    actor = {
        "other_municipality_admin": lambda: admin_of(MunicipalityFactory()),
        "professional": lambda: UserFactory(municipality=municipality),
        "self": lambda: user,
    }[who]()
    with pytest.raises(AuthRefused):
        issue_enrolment_link(actor, user)
    assert not EnrolmentLink.objects.filter(user=user).exists()
    refused = events("auth.enrolment_link_issued", outcome=AccessEvent.Outcome.DENIED)
    assert refused and refused[-1].reason in {"not_admin_of_user", "self"}


def test_superuser_may_issue_a_link_for_any_municipality():
    superuser = UserFactory(is_superuser=True, is_staff=True)
    user = UserFactory()
    assert issue_enrolment_link(superuser, user).startswith("/inloggen/koppelen/")


def test_management_command_prints_a_working_link(capsys):
    user = UserFactory()
    call_command("issue_enrolment_link", user.username, "--base-url", "https://doorbraak.example")
    out = capsys.readouterr().out.strip()
    assert out.startswith("https://doorbraak.example/inloggen/koppelen/")
    client = Client()
    assert client.get(out.removeprefix("https://doorbraak.example"))["Location"] == reverse("core:login")


def test_a_link_replaces_a_lost_device_and_works_only_once(client):
    user = UserFactory()
    lost = TOTPDeviceFactory(user=user)
    url = issue_enrolment_link(None, user)
    client.get(url)
    login(client, user.username)
    assert client.get(reverse("core:home"))["Location"] == reverse("core:otp_setup")
    assert client.get(reverse("core:otp_setup")).status_code == 200
    new = TOTPDevice.objects.get(user=user, confirmed=False)
    client.post(reverse("core:otp_setup"), {"token": totp_now(new)})
    assert client.get(reverse("core:home")).status_code == 200
    assert not TOTPDevice.objects.filter(pk=lost.pk).exists()
    assert EnrolmentLink.objects.get(user=user).used_at is not None
    again = Client().get(url)
    assert again.status_code == 404 and "al gebruikt" in again.content.decode()
    assert events("auth.enrolment_link_refused")[-1].reason == "used_link"


@pytest.mark.parametrize("case", ["expired", "unknown", "very_long"])
def test_bad_links_get_a_dutch_page_and_a_denied_event(client, case):
    user = UserFactory()
    url = issue_enrolment_link(None, user)
    if case == "unknown":
        url = reverse("core:enrolment_link", args=["bestaat-niet"])
    if case == "very_long":
        url = reverse("core:enrolment_link", args=["x" * 5000])
    with time_machine.travel(time.time() + (73 * 3600 if case == "expired" else 0)):
        response = client.get(url)
    assert response.status_code == 404
    assert "Koppellink werkt niet" in response.content.decode()
    refused = events("auth.enrolment_link_refused")[-1]
    assert refused.outcome == AccessEvent.Outcome.DENIED
    assert refused.reason == ("expired_link" if case == "expired" else "unknown_link")


def test_a_link_for_someone_else_does_not_let_another_user_enrol(client):
    victim, attacker = UserFactory(), UserFactory()
    url = issue_enrolment_link(None, victim)
    login(client, attacker.username)
    assert client.get(url).status_code == 404
    assert client.get(reverse("core:otp_setup"))["Location"] == reverse("core:otp_verify")
    assert not TOTPDevice.objects.filter(user=attacker).exists()
    assert events("auth.enrolment_link_refused")[-1].reason == "other_user"


def test_a_new_link_revokes_the_earlier_one():
    user = UserFactory()
    first = issue_enrolment_link(None, user)
    issue_enrolment_link(None, user)
    assert Client().get(first).status_code == 404


# Passwords ------------------------------------------------------------------------------------------------

WEAK = ["Welkom123456", "Amsterdam2024", "wachtwoord1234", "qwertyuiop123", "Doorbraak2026", "Password2024!"]


@pytest.mark.parametrize("weak", WEAK)
def test_weak_passwords_are_refused_in_dutch(weak):
    with pytest.raises(ValidationError) as error:
        validate_password(weak, User(username="sanne", first_name="Sanne", last_name="Vries"))
    text = " ".join(error.value.messages)
    assert "te makkelijk te raden" in text or "veelgebruikte" in text


@pytest.mark.parametrize("strong", [STRONG, "Fietsbel groen ondergronds 7 kaasschaaf", "zx8#Lq2!vR9m@Tw4"])
def test_strong_passwords_are_accepted(strong):
    validate_password(strong, User(username="sanne"))


def test_common_password_list_is_larger_than_djangos_and_catches_a_zxcvbn_only_entry():
    from django.contrib.auth.password_validation import CommonPasswordValidator

    from doorbraak.core.password_validation import LargeCommonPasswordValidator, common_passwords

    assert len(common_passwords()) > 39_000 > len(CommonPasswordValidator().passwords) * 1.9
    only_in_zxcvbn = sorted(w for w in common_passwords() - CommonPasswordValidator().passwords if len(w) >= 12)
    assert only_in_zxcvbn
    with pytest.raises(ValidationError):
        LargeCommonPasswordValidator().validate(only_in_zxcvbn[0])
    CommonPasswordValidator().validate(only_in_zxcvbn[0])  # Django's list alone let it through


def test_password_change_needs_the_current_password(client):
    user = UserFactory()
    client = verified_client(user)
    response = client.post(
        reverse("core:password_change"),
        {"old_password": "niet-het-huidige", "new_password1": STRONG, "new_password2": STRONG},
    )
    assert response.status_code == 200
    assert "Uw huidige wachtwoord klopt niet" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_change_refuses_a_weak_new_password_in_dutch(client):
    user = UserFactory()
    client = verified_client(user)
    response = client.post(
        reverse("core:password_change"),
        {"old_password": PASSWORD, "new_password1": "wachtwoord1234", "new_password2": "wachtwoord1234"},
    )
    assert "veelgebruikte" in response.content.decode() or "te makkelijk" in response.content.decode()


def test_password_change_tells_the_user_logs_and_ends_other_sessions():
    user = UserFactory()
    here = verified_client(user, "10.0.0.1")
    elsewhere = verified_client(user, "10.0.0.2")
    mail.outbox.clear()
    response = here.post(
        reverse("core:password_change"), {"old_password": PASSWORD, "new_password1": STRONG, "new_password2": STRONG}
    )
    assert response["Location"] == reverse("core:account")
    user.refresh_from_db()
    assert user.check_password(STRONG)
    assert here.get(reverse("core:home")).status_code == 200, "this session stays logged in"
    assert elsewhere.get(reverse("core:home")).status_code == 302
    assert UserSession.objects.filter(user=user).count() == 1
    assert SecurityNotice.objects.filter(user=user, kind="password_changed").exists()
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert events("auth.password_changed")[-1].actor_id == user.pk


def test_reset_request_page_never_reveals_whether_an_account_exists(client):
    user = UserFactory()
    mail.outbox.clear()
    known = client.post(reverse("core:password_reset"), {"email": user.email}, follow=True)
    unknown = client.post(reverse("core:password_reset"), {"email": "niemand@example.org"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain

    def without_csrf(response):
        return re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', "", response.content.decode())

    assert without_csrf(known) == without_csrf(unknown)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [user.email]


def _reset_url_from_mail() -> str:
    body = mail.outbox[-1].body
    return next(word for word in body.split() if "/inloggen/nieuw-wachtwoord/" in word).split("testserver")[-1]


def test_reset_link_sets_a_password_but_never_skips_the_second_factor(client):
    user = UserFactory()
    TOTPDeviceFactory(user=user)
    client.post(reverse("core:password_reset"), {"email": user.email})
    url = _reset_url_from_mail()
    form = client.get(url, follow=True)
    assert "Nieuw wachtwoord instellen" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": STRONG, "new_password2": STRONG}, follow=True)
    assert "Uw nieuwe wachtwoord is ingesteld" in done.content.decode()
    assert client.get(reverse("core:home")).status_code == 302, "a reset does not log in"
    assert login(client, user.username, STRONG).status_code == 302
    assert client.get(reverse("core:home"))["Location"] == reverse("core:otp_verify")
    assert SecurityNotice.objects.filter(user=user, kind="password_reset").exists()
    assert events("auth.password_reset")


def test_reset_link_expires_after_an_hour(client):
    user = UserFactory()
    client.post(reverse("core:password_reset"), {"email": user.email})
    url = _reset_url_from_mail()
    with time_machine.travel(time.time() + 61 * 60):
        page = client.get(url, follow=True)
    assert "Deze link werkt niet meer" in page.content.decode()


def test_reset_ends_every_session_of_the_user(client):
    user = UserFactory()
    other = verified_client(user, "10.0.0.9")
    client.post(reverse("core:password_reset"), {"email": user.email})
    form = client.get(_reset_url_from_mail(), follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": STRONG, "new_password2": STRONG})
    assert other.get(reverse("core:home")).status_code == 302
    assert not UserSession.objects.filter(user=user).exists()


def test_admin_sends_a_reset_link_but_never_sees_it():
    municipality = MunicipalityFactory()
    admin, user = admin_of(municipality), UserFactory(municipality=municipality)
    mail.outbox.clear()
    assert send_password_reset_link(admin, user) is None
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [user.email]
    assert "/inloggen/nieuw-wachtwoord/" in mail.outbox[0].body
    assert events("auth.password_reset_sent")[-1].actor_id == admin.pk


def test_reset_link_service_refuses_other_municipality_self_and_users_without_email():
    municipality = MunicipalityFactory()
    admin = admin_of(municipality)
    with pytest.raises(AuthRefused):
        send_password_reset_link(admin_of(MunicipalityFactory()), UserFactory(municipality=municipality))
    with pytest.raises(AuthRefused):
        send_password_reset_link(admin, admin)
    with pytest.raises(ValueError, match="geen e-mailadres"):
        send_password_reset_link(admin, UserFactory(municipality=municipality, email=""))
    assert len(events("auth.password_reset_sent", outcome=AccessEvent.Outcome.DENIED)) == 2


# Sessions -------------------------------------------------------------------------------------------------


def test_account_page_lists_sessions_and_ends_another_one():
    user = UserFactory()
    here = verified_client(user, "10.0.0.1")
    there = verified_client(user, "10.0.0.2")
    page = here.get(reverse("core:account")).content.decode()
    assert "10.0.0.1" in page and "10.0.0.2" in page and "Deze sessie" in page
    other = UserSession.objects.get(user=user, network_address="10.0.0.2")
    assert here.post(reverse("core:end_session", args=[other.pk])).status_code == 302
    assert there.get(reverse("core:home")).status_code == 302
    assert here.get(reverse("core:home")).status_code == 200
    assert SecurityNotice.objects.filter(user=user, kind="sessions_ended").exists()
    assert events("auth.session_ended")[-1].outcome == AccessEvent.Outcome.SUCCESS


def test_end_all_other_sessions():
    user = UserFactory()
    here = verified_client(user, "10.0.0.1")
    others = [verified_client(user, f"10.0.1.{i}") for i in range(2)]
    here.post(reverse("core:end_other_sessions"))
    assert all(c.get(reverse("core:home")).status_code == 302 for c in others)
    assert UserSession.objects.filter(user=user).count() == 1


def test_nobody_can_end_someone_elses_session():
    victim, attacker = UserFactory(), UserFactory()
    victim_client = verified_client(victim, "10.0.0.1")
    attacker_client = verified_client(attacker, "10.0.0.2")
    session = UserSession.objects.get(user=victim)
    response = attacker_client.post(reverse("core:end_session", args=[session.pk]), follow=True)
    assert "bestaat niet (meer)" in response.content.decode()
    assert victim_client.get(reverse("core:home")).status_code == 200
    assert events("auth.session_ended")[-1].reason == "not_own_session"


# Lockout and timing ---------------------------------------------------------------------------------------


def test_failures_from_one_address_never_lock_the_user_out_from_another():
    user = UserFactory()
    attacker = client_from("203.0.113.7")
    for _ in range(6):
        attacker_response = login(attacker, user.username, "geraden-wachtwoord-1")
    assert attacker_response.status_code == 429
    assert login(attacker, user.username).status_code == 429, "the attacking address stays locked"
    assert login(client_from("198.51.100.2"), user.username).status_code == 302, "the user's own address is not"


def test_lockout_grows_with_each_earlier_lockout_of_the_pair():
    user = UserFactory()
    with time_machine.travel(time.time(), tick=False) as traveller:
        client = client_from("203.0.113.8")
        for _ in range(5):
            login(client, user.username, "fout-wachtwoord-123")
        locked = login(client, user.username)
        assert locked.status_code == 429 and "1 minuut" in locked.content.decode()
        traveller.shift(61)
        for _ in range(5):
            login(client, user.username, "fout-wachtwoord-123")
        second = login(client, user.username)
        assert second.status_code == 429 and "5 minuten" in second.content.decode()
        traveller.shift(2 * 60)
        assert login(client, user.username).status_code == 429, "the second lockout lasts longer than one minute"
        traveller.shift(3 * 60 + 5)
        assert login(client, user.username).status_code == 302


def _median_seconds(make_request, tries=5) -> float:
    times = []
    for _ in range(tries):
        begin = time.perf_counter()
        make_request()
        times.append(time.perf_counter() - begin)
    return statistics.median(times)


def test_login_takes_the_same_time_for_unknown_user_wrong_password_and_locked_out(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]  # the production cost
    user = UserFactory()
    user.set_password(PASSWORD)
    user.save()
    locked = client_from("203.0.113.9")
    for _ in range(5):
        login(locked, user.username, "fout-wachtwoord-123")
    counter = iter(range(1000))
    medians = {
        # wrong passwords from ever new addresses, so they do not lock the pair
        "wrong_password": _median_seconds(
            lambda: login(client_from(f"10.9.0.{next(counter)}"), user.username, "fout-wachtwoord-123")
        ),
        "unknown_user": _median_seconds(lambda: login(client_from("10.8.0.1"), "bestaat-niet", "x-wachtwoord")),
        "locked_out": _median_seconds(lambda: login(locked, user.username, "fout-wachtwoord-123")),
    }
    assert login(locked, user.username).status_code == 429
    assert max(medians.values()) < 2.5 * min(medians.values()), medians


# Refusals are events (part 4, login half) -----------------------------------------------------------------


def test_failed_logins_are_denied_events_without_password_or_unknown_username(client):
    user = UserFactory()
    login(client, user.username, "fout-wachtwoord-123")
    login(client, "onbekende-gebruiker-xyz", "geheim-wachtwoord-456")
    wrong, unknown = events("auth.login_failed")
    assert (wrong.outcome, wrong.reason, wrong.object_id) == (
        AccessEvent.Outcome.DENIED,
        "wrong_password",
        str(user.pk),
    )
    assert (unknown.outcome, unknown.reason, unknown.object_id) == (AccessEvent.Outcome.DENIED, "unknown_user", "")
    dump = repr(list(AccessEvent.objects.values()))
    for secret in ("fout-wachtwoord-123", "geheim-wachtwoord-456", "onbekende-gebruiker-xyz"):
        assert secret not in dump


def test_lockout_and_refused_attempts_while_locked_are_events(client):
    user = UserFactory()
    for _ in range(5):
        login(client, user.username, "fout-wachtwoord-123")
    login(client, user.username)  # right password, but locked
    reasons = [e.reason for e in events("auth.locked_out")]
    assert reasons == ["failure_limit", "locked_out"]
    assert all(e.outcome == AccessEvent.Outcome.DENIED for e in events("auth.locked_out"))


def test_failed_second_factor_is_a_denied_event_and_success_is_logged(client):
    user = UserFactory()
    device = TOTPDeviceFactory(user=user)
    login(client, user.username)
    assert events("auth.login_succeeded")[-1].object_id == str(user.pk)
    wrong = "000000" if totp_now(device) != "000000" else "111111"
    client.post(reverse("core:otp_verify"), {"token": wrong})
    failed = events("auth.second_factor_failed")[-1]
    assert (failed.outcome, failed.reason) == (AccessEvent.Outcome.DENIED, "wrong_code")
    with time_machine.travel(time.time() + 5):  # django-otp throttles after a failure
        client.post(reverse("core:otp_verify"), {"token": totp_now(device)})
    assert events("auth.second_factor_passed")


def test_expired_and_vanished_sessions_are_not_listed():
    user = UserFactory()
    here = verified_client(user, "10.0.0.1")
    with time_machine.travel(time.time() - 3600):
        verified_client(user, "10.0.0.2")  # an hour ago, idle since
    gone = verified_client(user, "10.0.0.3")
    gone.cookies.clear()
    from django.contrib.sessions.models import Session

    Session.objects.filter(session_key=UserSession.objects.get(network_address="10.0.0.3").session_key).delete()
    page = here.get(reverse("core:account")).content.decode()
    assert "10.0.0.1" in page and "10.0.0.2" not in page and "10.0.0.3" not in page
    assert UserSession.objects.filter(user=user).count() == 1


def test_the_current_session_cannot_be_ended_from_the_list(client):
    user = UserFactory()
    here = verified_client(user)
    current = UserSession.objects.get(user=user)
    response = here.post(reverse("core:end_session", args=[current.pk]), follow=True)
    assert "uw huidige sessie" in response.content.decode()
    assert here.get(reverse("core:home")).status_code == 200


def test_user_without_e_mail_is_still_told_in_the_app():
    user = UserFactory(email="")
    here = verified_client(user)
    mail.outbox.clear()
    other = verified_client(user, "10.0.0.5")
    here.post(reverse("core:end_other_sessions"))
    assert other.get(reverse("core:home")).status_code == 302
    assert not mail.outbox
    assert "Een of meer sessies van uw account zijn beëindigd." in here.get(reverse("core:account")).content.decode()


def test_link_issued_in_a_request_is_absolute(rf):
    municipality = MunicipalityFactory()
    admin, user = admin_of(municipality), UserFactory(municipality=municipality)
    request = rf.get("/beheer/")
    request.user = admin
    assert issue_enrolment_link(admin, user, request=request).startswith("http://testserver/inloggen/koppelen/")


def test_management_command_refuses_an_unknown_user():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="bestaat niet"):
        call_command("issue_enrolment_link", "niemand")


@pytest.mark.parametrize("username", ["x" * 5000, "٣٤٥", "\u202egebruiker"])
def test_odd_usernames_at_login_get_a_dutch_answer_not_a_500(client, username):
    response = login(client, username, "wachtwoord")
    assert response.status_code == 200
    assert "Gebruikersnaam" in response.content.decode()


def test_a_nul_byte_in_the_username_is_a_dutch_400_before_any_query(client):
    response = login(client, "sanne\x00", "wachtwoord")
    assert response.status_code == 400
    assert "Ongeldig verzoek" in response.content.decode()


def test_a_huge_session_id_is_refused_not_a_500():
    user = UserFactory()
    here = verified_client(user)
    response = here.post(f"/account/sessies/{'9' * 30}/beeindigen/", follow=True)
    assert response.status_code == 200 and "bestaat niet (meer)" in response.content.decode()


def test_bad_enrolment_tokens_never_give_a_500(client):
    for token in ["%F0%9F%92%A9" * 50, "..%2F..%2F", "x" * 5000]:
        assert client.get(f"/inloggen/koppelen/{token}/").status_code == 404
    for token in ["%00", "a%00b"]:  # a NUL byte anywhere is refused before any view (RejectNulBytesMiddleware)
        assert client.get(f"/inloggen/koppelen/{token}/").status_code == 400


def test_a_huge_password_is_refused_before_hashing(client):
    user = UserFactory()
    response = login(client, user.username, "x" * 100_000)
    assert response.status_code == 200 and "hoogstens 4096 tekens" in response.content.decode()


def test_a_huge_new_password_is_refused_in_dutch():
    user = UserFactory()
    here = verified_client(user)
    huge = "kastanje-" * 1000
    response = here.post(
        reverse("core:password_change"), {"old_password": PASSWORD, "new_password1": huge, "new_password2": huge}
    )
    assert response.status_code == 200 and "hoogstens 4096 tekens" in response.content.decode()


def test_notices_made_by_someone_else_are_announced_at_the_next_login(client):
    from doorbraak.core.notifications import notify_security_change

    user = UserFactory()
    device = TOTPDeviceFactory(user=user)
    notify_security_change(user, "role_changed")  # e.g. by an administrator, while the user was away
    login(client, user.username)
    response = client.post(reverse("core:otp_verify"), {"token": totp_now(device)}, follow=True)
    assert "Er is 1 wijziging in de beveiliging van uw account" in response.content.decode()
