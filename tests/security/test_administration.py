"""Issue 10, part 2: administration with separation of duties.

Regression tests for the findings (device admin across municipalities, self-escalation, password setting,
NUL in the user admin, unlogged admin reads) and for the four-eyes rule for role and team changes.
"""

import pytest
from django.conf import settings
from django.contrib import admin as django_admin
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from doorbraak.core import services_admin
from doorbraak.core.admin import AuditedAdminMixin, DeviceAdmin
from doorbraak.core.models import AccessEvent, Role, RoleChangeRequest, Team, User
from tests.factories import PASSWORD, MunicipalityFactory, TeamFactory, TOTPDeviceFactory, UserFactory
from tests.helpers.browser import session_cookie_for

pytestmark = pytest.mark.django_db


def make_admin(municipality, **kwargs):
    user = UserFactory(municipality=municipality, team=None, role=Role.ADMIN, is_staff=True, **kwargs)
    user.groups.add(services_admin.administrators_group())
    return user


def log_in(client, user):
    """A real session with the second factor passed (no demo shortcut)."""
    client.cookies[settings.SESSION_COOKIE_NAME] = session_cookie_for(user)["value"]
    return client


def events(code, **filters):
    return AccessEvent.objects.filter(event=code, **filters)


@pytest.fixture
def world():
    a, b = MunicipalityFactory(), MunicipalityFactory()
    admin_a = make_admin(a, username="beheerder-a")
    admin_a2 = make_admin(a, username="beheerder-a2")
    admin_b = make_admin(b, username="beheerder-b")
    user_a = UserFactory(municipality=a, username="professional-a")
    user_b = UserFactory(municipality=b, username="professional-b")
    return {
        "a": a,
        "b": b,
        "admin_a": admin_a,
        "admin_a2": admin_a2,
        "admin_b": admin_b,
        "user_a": user_a,
        "user_b": user_b,
        "device_a": TOTPDeviceFactory(user=user_a),
        "device_b": TOTPDeviceFactory(user=user_b),
    }


# --- finding: django-otp's device admin across municipalities ------------------------------------------


def test_device_list_shows_only_own_municipality(client, world):
    log_in(client, world["admin_a"])
    response = client.get(reverse("admin:otp_totp_totpdevice_changelist"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "professional-a" in html and str(world["user_a"]) in html
    assert "professional-b" not in html and str(world["user_b"]) not in html


def test_device_config_and_qr_views_are_gone_and_no_key_is_shown(client, world):
    log_in(client, world["admin_a"])
    device = world["device_a"]
    base = f"/beheer/otp_totp/totpdevice/{device.pk}/"
    # django-otp's config and QR views are gone (the admin's catch-all redirect then ends in a 404).
    assert client.get(base + "config/", follow=True).status_code == 404
    assert client.get(base + "qrcode/", follow=True).status_code == 404
    detail = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    assert detail.status_code == 200
    html = detail.content.decode()
    assert device.key not in html and "otpauth://" not in html and 'name="key"' not in html


def test_device_of_other_municipality_cannot_be_read_or_deleted(client, world):
    log_in(client, world["admin_a"])
    other = world["device_b"]
    for url in (
        reverse("admin:otp_totp_totpdevice_change", args=[other.pk]),
        reverse("admin:otp_totp_totpdevice_delete", args=[other.pk]),
        f"/beheer/otp_totp/totpdevice/{other.pk}/config/",
    ):
        assert client.get(url, follow=True).status_code == 404, url
    response = client.post(reverse("admin:otp_totp_totpdevice_delete", args=[other.pk]), {"post": "yes"})
    assert response.status_code == 404
    assert TOTPDevice.objects.filter(pk=other.pk).exists()
    # Bulk delete through the changelist action cannot reach it either.
    client.post(
        reverse("admin:otp_totp_totpdevice_changelist"),
        {"action": "delete_selected", "_selected_action": [other.pk], "post": "yes"},
    )
    assert TOTPDevice.objects.filter(pk=other.pk).exists()
    denied = events("admin.device.read", outcome=AccessEvent.Outcome.DENIED, reason="tenancy")
    assert denied.filter(object_id=str(other.pk), actor_id=world["admin_a"].pk).exists()


def test_device_add_with_chosen_key_is_refused(client, world):
    log_in(client, world["admin_a"])
    assert client.get(reverse("admin:otp_totp_totpdevice_add")).status_code == 403
    before = TOTPDevice.objects.count()
    response = client.post(
        reverse("admin:otp_totp_totpdevice_add"),
        {
            "user": world["user_a"].pk,
            "name": "aanvaller",
            "key": "3132333435363738393031323334353637383930",
            "step": 30,
            "t0": 0,
            "digits": 6,
            "tolerance": 1,
            "drift": 0,
            "confirmed": "on",
            "throttling_failure_count": 0,
        },
    )
    assert response.status_code == 403
    assert TOTPDevice.objects.count() == before


def test_unknown_device_id_is_404_not_500(client, world):
    log_in(client, world["admin_a"])
    for url in (
        "/beheer/otp_totp/totpdevice/999999/change/",
        "/beheer/otp_totp/totpdevice/999999/config/",
        "/beheer/otp_totp/totpdevice/999999/delete/",
        "/beheer/otp_totp/totpdevice/abc/change/",
    ):
        assert client.get(url, follow=True).status_code == 404, url


def test_device_admin_is_doorbraaks_own():
    assert isinstance(django_admin.site._registry[TOTPDevice], DeviceAdmin)


def test_own_device_revoke_logs_and_notifies(client, world):
    log_in(client, world["admin_a"])
    device = world["device_a"]
    response = client.post(reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    assert events("admin.second_factor.revoked", actor_id=world["admin_a"].pk).exists()
    assert [m.to for m in mail.outbox] == [[world["user_a"].email]]


# --- finding: an administrator makes themselves anyone ----------------------------------------------


def own_record_post(admin, **overrides):
    data = {
        "username": admin.username,
        "first_name": admin.first_name,
        "last_name": admin.last_name,
        "email": admin.email,
        "role": Role.LEAD,
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "_save": "Opslaan",
    }
    data.update(overrides)
    return data


def test_admin_cannot_give_themselves_role_and_team(client, world):
    admin = world["admin_a"]
    team = TeamFactory(municipality=world["a"])
    log_in(client, admin)
    url = reverse("admin:core_user_change", args=[admin.pk])
    page = client.get(url).content.decode()
    assert 'name="role"' not in page and 'name="team"' not in page  # shown read-only
    response = client.post(
        url, own_record_post(admin, team=team.pk, municipality=world["b"].pk, groups=[], user_permissions=[])
    )
    assert response.status_code == 302
    admin.refresh_from_db()
    assert (admin.role, admin.team_id, admin.municipality_id, admin.is_superuser) == (
        Role.ADMIN,
        None,
        world["a"].pk,
        False,
    )
    assert not RoleChangeRequest.objects.filter(user=admin).exists()


def test_service_refuses_own_role_even_when_posted(world):
    admin = world["admin_a"]
    forged = User.objects.get(pk=admin.pk)
    forged.role = Role.LEAD
    forged.team = TeamFactory(municipality=world["a"])
    with pytest.raises(services_admin.AdminRefused):
        services_admin.update_user(admin, forged)
    with pytest.raises(services_admin.AdminRefused):
        services_admin.request_role_change(admin, admin, role=Role.LEAD)
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN and admin.team_id is None
    assert events("admin.user.update", outcome=AccessEvent.Outcome.DENIED, reason="own_record").exists()
    assert events("admin.role_change.requested", outcome=AccessEvent.Outcome.DENIED, reason="own_record").exists()


@pytest.mark.parametrize(
    "field,value",
    [("is_staff", True), ("is_superuser", True), ("is_demo", True), ("email", "beheerder@aanvaller.example")],
)
def test_municipal_admin_cannot_set_flags_or_email_on_others(world, field, value):
    target = User.objects.get(pk=world["user_a"].pk)
    before = getattr(target, field)
    setattr(target, field, value)
    with pytest.raises(services_admin.AdminRefused):
        services_admin.update_user(world["admin_a"], target)
    target.refresh_from_db()
    assert getattr(target, field) == before
    assert events("admin.user.update", outcome=AccessEvent.Outcome.DENIED, reason="protected_field").exists()


def test_email_is_read_only_for_a_municipal_admin_so_reset_links_cannot_be_redirected(client, world):
    target = world["user_a"]
    log_in(client, world["admin_a"])
    url = reverse("admin:core_user_change", args=[target.pk])
    assert 'name="email"' not in client.get(url).content.decode()
    client.post(
        url,
        {
            "username": target.username,
            "first_name": target.first_name,
            "last_name": target.last_name,
            "email": "beheerder@aanvaller.example",
            "role": target.role,
            "team": target.team_id,
            "organisation": target.organisation_id,
            "is_active": "on",
            "_save": "Opslaan",
        },
    )
    target.refresh_from_db()
    assert target.email == "professional-a@example.org"


def test_admin_cannot_set_another_users_password(client, world):
    log_in(client, world["admin_a"])
    target = world["user_a"]
    url = reverse("admin:auth_user_password_change", args=[target.pk])
    assert client.get(url).status_code == 403
    response = client.post(
        url, {"password1": "Nieuw-wachtwoord-1234!", "password2": "Nieuw-wachtwoord-1234!", "usable_password": "true"}
    )
    assert response.status_code == 403
    target.refresh_from_db()
    assert target.check_password(PASSWORD)
    assert events("admin.user.password_change", outcome=AccessEvent.Outcome.DENIED, reason="password_by_admin").exists()
    # The change page offers no password link or field.
    page = client.get(reverse("admin:core_user_change", args=[target.pk])).content.decode()
    assert "password/" not in page and 'name="password' not in page


def test_admin_changes_of_users_reach_the_access_log(client, world):
    log_in(client, world["admin_a"])
    target = world["user_a"]
    response = client.post(
        reverse("admin:core_user_change", args=[target.pk]),
        {
            "username": target.username,
            "first_name": "Nieuwe",
            "last_name": target.last_name,
            "email": target.email,
            "role": target.role,
            "team": target.team_id or "",
            "organisation": target.organisation_id or "",
            "is_active": "on",
            "_save": "Opslaan",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    target.refresh_from_db()
    assert target.first_name == "Nieuwe"
    assert events(
        "admin.user.update",
        object_type="core.user",
        object_id=str(target.pk),
        actor_id=world["admin_a"].pk,
        action=AccessEvent.Action.UPDATE,
    ).exists()


def test_user_of_other_municipality_is_404_and_a_denied_event(client, world):
    log_in(client, world["admin_a"])
    other = world["user_b"]
    assert client.get(reverse("admin:core_user_change", args=[other.pk])).status_code == 404
    assert events(
        "admin.user.read", outcome=AccessEvent.Outcome.DENIED, reason="tenancy", object_id=str(other.pk)
    ).exists()


def test_superuser_is_out_of_reach_of_a_municipal_admin(client, world):
    root = UserFactory(municipality=world["a"], is_superuser=True, is_staff=True, username="root-a")
    log_in(client, world["admin_a"])
    assert "root-a" not in client.get(reverse("admin:core_user_changelist")).content.decode()
    assert client.get(reverse("admin:core_user_change", args=[root.pk])).status_code == 404


def test_admin_cannot_delete_their_own_account(client, world):
    admin = world["admin_a"]
    log_in(client, admin)
    assert client.get(reverse("admin:core_user_delete", args=[admin.pk])).status_code == 403
    client.post(
        reverse("admin:core_user_changelist"),
        {"action": "delete_selected", "_selected_action": [admin.pk], "post": "yes"},
    )
    assert User.objects.filter(pk=admin.pk).exists()


# --- finding: ?role=%00 -------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["?role=%00", "?q=%00", "?is_active__exact=%00", "?o=%00", "?%00=1"])
def test_nul_byte_in_user_admin_is_400_not_500(client, world, query):
    log_in(client, world["admin_a"])
    response = client.get(reverse("admin:core_user_changelist") + query)
    assert response.status_code == 400


def test_nul_byte_in_admin_path_and_post_is_400(client, world):
    log_in(client, world["admin_a"])
    assert client.get("/beheer/core/user/%00/change/").status_code == 400
    response = client.post(reverse("admin:core_team_add"), {"name": "Team\x00", "municipality": world["a"].pk})
    assert response.status_code == 400
    assert not Team.objects.filter(name__startswith="Team").exists()


# --- finding: admin reads write no access event ---------------------------------------------------------


def test_admin_reads_of_users_and_the_log_are_access_events(client, world):
    admin = world["admin_a"]
    log_in(client, admin)
    client.get(reverse("admin:core_user_changelist"))
    client.get(reverse("admin:core_user_change", args=[world["user_a"].pk]))
    client.get(reverse("admin:core_accessevent_changelist"))
    client.get(reverse("admin:otp_totp_totpdevice_changelist"))
    client.get(reverse("admin:core_rolechangerequest_changelist"))
    mine = AccessEvent.objects.filter(actor_id=admin.pk, outcome=AccessEvent.Outcome.SUCCESS, purpose="administration")
    assert set(mine.values_list("event", flat=True)) >= {
        "admin.user.list",
        "admin.user.read",
        "admin.access_log.list",
        "admin.device.list",
        "admin.role_change.list",
    }
    read = mine.get(event="admin.user.read")
    assert (read.object_type, read.object_id, read.action) == ("core.user", str(world["user_a"].pk), "R")


def test_every_registered_admin_is_audited():
    unaudited = [
        model._meta.label
        for model, model_admin in django_admin.site._registry.items()
        if not isinstance(model_admin, AuditedAdminMixin)
    ]
    assert unaudited == []


def test_admin_add_and_delete_of_any_model_are_access_events(client, world):
    admin = world["admin_a"]
    log_in(client, admin)
    response = client.post(reverse("admin:core_team_add"), {"name": "Team Oost", "municipality": world["a"].pk})
    assert response.status_code == 302
    team = Team.objects.get(name="Team Oost")
    assert events("admin.team.create", object_id=str(team.pk), actor_id=admin.pk).exists()
    client.post(reverse("admin:core_team_delete", args=[team.pk]), {"post": "yes"})
    assert not Team.objects.filter(pk=team.pk).exists()
    assert events("admin.team.delete", object_id=str(team.pk), action=AccessEvent.Action.DELETE).exists()


# --- four eyes ---------------------------------------------------------------------------------------


def change_role_via_admin(client, admin, target, *, role, team=None):
    log_in(client, admin)
    return client.post(
        reverse("admin:core_user_change", args=[target.pk]),
        {
            "username": target.username,
            "first_name": target.first_name,
            "last_name": target.last_name,
            "email": target.email,
            "role": role,
            "team": team.pk if team else "",
            "organisation": target.organisation_id or "",
            "municipality": target.municipality_id or "",
            "is_active": "on",
            "_save": "Opslaan",
        },
    )


def test_role_change_in_the_admin_becomes_a_pending_request(client, world):
    target, admin = world["user_a"], world["admin_a"]
    team = TeamFactory(municipality=world["a"], name="Team West")
    response = change_role_via_admin(client, admin, target, role=Role.LEAD, team=team)
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.role == Role.PROFESSIONAL and target.team_id != team.pk  # nothing applied yet
    change = RoleChangeRequest.objects.get(user=target)
    assert (change.status, change.new_role, change.new_team_id, change.requested_by_id) == (
        "pending",
        Role.LEAD,
        team.pk,
        admin.pk,
    )
    assert events("admin.role_change.requested", object_id=str(change.pk), actor_id=admin.pk).exists()
    page = client.get(reverse("admin:core_user_change", args=[target.pk])).content.decode()
    assert f"Professional → Doorbraakregisseur, team Team West (aangevraagd door {admin.get_full_name()})" in page


def test_second_admin_approves_and_the_change_applies(client, world):
    target = world["user_a"]
    change = services_admin.request_role_change(world["admin_a"], target, role=Role.LEAD)
    log_in(client, world["admin_a2"])
    url = reverse("admin:core_rolechangerequest_change", args=[change.pk])
    assert "Goedkeuren" in client.get(url).content.decode()
    response = client.post(url, {"_approve": "Goedkeuren"})
    assert response.status_code == 302
    target.refresh_from_db()
    change.refresh_from_db()
    assert target.role == Role.LEAD
    assert (change.status, change.decided_by_id) == ("approved", world["admin_a2"].pk)
    assert events("admin.role_change.approved", actor_id=world["admin_a2"].pk, object_id=str(change.pk)).exists()


def test_approval_notifies_the_user(world, django_capture_on_commit_callbacks):
    change = services_admin.request_role_change(world["admin_a"], world["user_a"], role=Role.APPROVER)
    with django_capture_on_commit_callbacks(execute=True):
        services_admin.approve_role_change(world["admin_a2"], change)
    assert [m.to for m in mail.outbox] == [[world["user_a"].email]]
    assert "rol of team" in mail.outbox[0].body


def test_requester_cannot_approve_own_request(client, world):
    change = services_admin.request_role_change(world["admin_a"], world["user_a"], role=Role.LEAD)
    log_in(client, world["admin_a"])
    url = reverse("admin:core_rolechangerequest_change", args=[change.pk])
    response = client.post(url, {"_approve": "Goedkeuren"}, follow=True)
    assert "U kunt uw eigen aanvraag niet goedkeuren" in response.content.decode()
    change.refresh_from_db()
    world["user_a"].refresh_from_db()
    assert change.status == "pending" and world["user_a"].role == Role.PROFESSIONAL
    assert events("admin.role_change.approved", outcome=AccessEvent.Outcome.DENIED, reason="own_request").exists()
    # Through the changelist action too.
    response = client.post(
        reverse("admin:core_rolechangerequest_changelist"),
        {"action": "approve_selected", "_selected_action": [change.pk]},
        follow=True,
    )
    assert "U kunt uw eigen aanvraag niet goedkeuren" in response.content.decode()
    change.refresh_from_db()
    assert change.status == "pending"


def test_the_user_cannot_decide_a_request_about_themselves(world):
    target_admin = make_admin(world["a"], username="beheerder-a3")
    change = services_admin.request_role_change(world["admin_a"], target_admin, role=Role.POLICY)
    with pytest.raises(services_admin.AdminRefused) as refused:
        services_admin.approve_role_change(target_admin, change)
    assert refused.value.reason == "own_record"
    target_admin.refresh_from_db()
    assert target_admin.role == Role.ADMIN


def test_admin_of_other_municipality_cannot_see_or_decide(client, world):
    change = services_admin.request_role_change(world["admin_a"], world["user_a"], role=Role.LEAD)
    log_in(client, world["admin_b"])
    url = reverse("admin:core_rolechangerequest_change", args=[change.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"_approve": "Goedkeuren"}).status_code == 404
    with pytest.raises(services_admin.AdminRefused) as refused:
        services_admin.approve_role_change(world["admin_b"], change)
    assert refused.value.reason == "tenancy"
    change.refresh_from_db()
    assert change.status == "pending"


def test_non_admin_cannot_request_or_approve(world):
    lead = UserFactory(municipality=world["a"], role=Role.LEAD)
    with pytest.raises(services_admin.AdminRefused):
        services_admin.request_role_change(lead, world["user_a"], role=Role.LEAD)
    change = services_admin.request_role_change(world["admin_a"], world["user_a"], role=Role.LEAD)
    with pytest.raises(services_admin.AdminRefused):
        services_admin.approve_role_change(lead, change)


def test_approval_is_refused_when_the_user_changed_meanwhile(world):
    target = world["user_a"]
    change = services_admin.request_role_change(world["admin_a"], target, role=Role.LEAD)
    User.objects.filter(pk=target.pk).update(role=Role.POLICY)
    with pytest.raises(services_admin.AdminRefused) as refused:
        services_admin.approve_role_change(world["admin_a2"], change)
    assert refused.value.reason == "stale"
    target.refresh_from_db()
    assert target.role == Role.POLICY


def test_rejection_keeps_role_and_is_logged(world):
    change = services_admin.request_role_change(world["admin_a"], world["user_a"], role=Role.LEAD)
    services_admin.reject_role_change(world["admin_a2"], change)
    change.refresh_from_db()
    world["user_a"].refresh_from_db()
    assert change.status == "rejected" and world["user_a"].role == Role.PROFESSIONAL
    assert events("admin.role_change.rejected", actor_id=world["admin_a2"].pk).exists()
    with pytest.raises(services_admin.AdminRefused):
        services_admin.approve_role_change(world["admin_a2"], change)  # already decided


def test_second_request_while_one_is_pending_gets_dutch_form_error(client, world):
    services_admin.request_role_change(world["admin_a"], world["user_a"], role=Role.LEAD)
    response = change_role_via_admin(client, world["admin_a2"], world["user_a"], role=Role.APPROVER)
    assert response.status_code == 200
    assert "wacht al een aanvraag op goedkeuring" in response.content.decode()
    assert RoleChangeRequest.objects.filter(user=world["user_a"]).count() == 1


def test_team_of_other_municipality_is_refused(world):
    with pytest.raises(services_admin.AdminRefused):
        services_admin.request_role_change(
            world["admin_a"], world["user_a"], role=Role.LEAD, team=TeamFactory(municipality=world["b"])
        )


def test_creating_a_user_with_a_role_needs_four_eyes(client, world):
    log_in(client, world["admin_a"])
    team = TeamFactory(municipality=world["a"], name="Team Nieuw")
    response = client.post(
        reverse("admin:core_user_add"),
        {
            "username": "nieuwe-regisseur",
            "first_name": "Nina",
            "last_name": "Nieuw",
            "email": "nina@example.org",
            "role": Role.LEAD,
            "team": team.pk,
            "organisation": "",
            "_save": "Opslaan",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="nieuwe-regisseur")
    assert (user.role, user.team_id, user.municipality_id, user.is_staff) == (
        Role.PROFESSIONAL,
        None,
        world["a"].pk,
        False,
    )
    assert not user.has_usable_password()
    change = RoleChangeRequest.objects.get(user=user)
    assert (change.new_role, change.new_team_id, change.status) == (Role.LEAD, team.pk, "pending")
    assert events("admin.user.create", object_id=str(user.pk)).exists()


def test_add_form_has_no_password_field(client, world):
    log_in(client, world["admin_a"])
    html = client.get(reverse("admin:core_user_add")).content.decode()
    assert 'name="password1"' not in html and 'name="municipality"' not in html


def test_approved_admin_role_grants_and_removing_it_revokes_admin_rights(world):
    target = world["user_a"]
    services_admin.approve_role_change(
        world["admin_a2"], services_admin.request_role_change(world["admin_a"], target, role=Role.ADMIN)
    )
    target.refresh_from_db()
    assert target.is_staff and target.groups.filter(name=services_admin.ADMINISTRATORS_GROUP).exists()
    services_admin.approve_role_change(
        world["admin_a"], services_admin.request_role_change(world["admin_a2"], target, role=Role.PROFESSIONAL)
    )
    target.refresh_from_db()
    assert not target.is_staff and not target.groups.exists()


def test_database_refuses_a_self_decided_request(world):
    change = RoleChangeRequest.objects.create(
        municipality=world["a"],
        user=world["user_a"],
        requested_by=world["admin_a"],
        old_role=Role.PROFESSIONAL,
        new_role=Role.LEAD,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleChangeRequest.objects.filter(pk=change.pk).update(
            status="approved", decided_by=world["admin_a"], decided_at=timezone.now()
        )


def test_database_allows_one_pending_request_per_user(world):
    RoleChangeRequest.objects.create(
        municipality=world["a"],
        user=world["user_a"],
        requested_by=world["admin_a"],
        old_role=Role.PROFESSIONAL,
        new_role=Role.LEAD,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleChangeRequest.objects.create(
            municipality=world["a"],
            user=world["user_a"],
            requested_by=world["admin_a2"],
            old_role=Role.PROFESSIONAL,
            new_role=Role.APPROVER,
        )


def test_superuser_role_changes_take_four_eyes_too(client, world):
    root = UserFactory(
        municipality=None, team=None, organisation=None, is_superuser=True, is_staff=True, username="root"
    )
    response = change_role_via_admin(client, root, world["user_b"], role=Role.LEAD)
    assert response.status_code == 302
    world["user_b"].refresh_from_db()
    assert world["user_b"].role == Role.PROFESSIONAL
    change = RoleChangeRequest.objects.get(user=world["user_b"])
    with pytest.raises(services_admin.AdminRefused):
        services_admin.approve_role_change(root, change)
    services_admin.approve_role_change(world["admin_b"], change)
    world["user_b"].refresh_from_db()
    assert world["user_b"].role == Role.LEAD


# --- revoke the second factor (admin action) ---------------------------------------------------------


def test_revoke_second_factor_action(client, world):
    admin, target = world["admin_a"], world["user_a"]
    log_in(client, admin)
    response = client.post(
        reverse("admin:core_user_changelist"),
        {"action": "revoke_second_factor", "_selected_action": [target.pk]},
        follow=True,
    )
    assert "De tweede inlogstap is ingetrokken" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=target).exists()
    assert events("admin.second_factor.revoked", object_id=str(target.pk), actor_id=admin.pk).exists()
    assert [m.to for m in mail.outbox] == [[target.email]]


def test_revoke_second_factor_of_other_municipality_is_refused(world):
    with pytest.raises(services_admin.AdminRefused):
        services_admin.revoke_second_factor(world["admin_a"], world["user_b"])
    assert TOTPDevice.objects.filter(user=world["user_b"]).exists()
    assert events("admin.second_factor.revoked", outcome=AccessEvent.Outcome.DENIED, reason="tenancy").exists()


# --- matrix: admin URLs x (own admin, other municipality's admin, superuser) --------------------------

OBJECT_URLS = [
    ("admin:core_user_change", "user_a"),
    ("admin:core_user_history", "user_a"),
    ("admin:core_user_delete", "user_a"),
    ("admin:otp_totp_totpdevice_change", "device_a"),
    ("admin:otp_totp_totpdevice_delete", "device_a"),
    ("admin:core_rolechangerequest_change", "change"),
    ("admin:core_rolechangerequest_history", "change"),
]
AUDIT_NAME = {"user_a": "user", "device_a": "device", "change": "role_change"}
LIST_URLS = [
    ("admin:core_user_changelist", "professional-a"),
    ("admin:otp_totp_totpdevice_changelist", "professional-a"),
    ("admin:core_rolechangerequest_changelist", "professional-a"),
]


@pytest.fixture
def matrix_world(world):
    world["change"] = services_admin.request_role_change(world["admin_a"], world["user_a"], role=Role.LEAD)
    world["superuser"] = UserFactory(municipality=None, team=None, organisation=None, is_superuser=True, is_staff=True)
    return world


@pytest.mark.parametrize("name,obj", OBJECT_URLS)
@pytest.mark.parametrize("who,expected", [("admin_a2", 200), ("admin_b", 404), ("superuser", 200)])
def test_matrix_object_urls(client, matrix_world, name, obj, who, expected):
    log_in(client, matrix_world[who])
    response = client.get(reverse(name, args=[matrix_world[obj].pk]))
    assert response.status_code == expected
    if expected == 404:
        assert events(
            f"admin.{AUDIT_NAME[obj]}.read",
            outcome=AccessEvent.Outcome.DENIED,
            reason="tenancy",
            actor_id=matrix_world[who].pk,
        ).exists()


@pytest.mark.parametrize("name,marker", LIST_URLS)
@pytest.mark.parametrize("who,visible", [("admin_a2", True), ("admin_b", False), ("superuser", True)])
def test_matrix_list_urls(client, matrix_world, name, marker, who, visible):
    log_in(client, matrix_world[who])
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    if visible:
        assert marker in html
    else:
        assert marker not in html and str(matrix_world["user_a"]) not in html


def test_mandates_and_teams_of_other_municipality_are_out_of_reach(client, world):
    from doorbraak.budget.models import MandateRule

    own = MandateRule.objects.create(municipality=world["a"], role=Role.LEAD, max_amount_cents=111_00)
    other = MandateRule.objects.create(municipality=world["b"], role=Role.LEAD, max_amount_cents=999_00)
    other_team = TeamFactory(municipality=world["b"], name="Team Elders")
    log_in(client, world["admin_a"])
    assert client.get(reverse("admin:budget_mandaterule_change", args=[own.pk])).status_code == 200
    assert client.get(reverse("admin:budget_mandaterule_change", args=[other.pk])).status_code == 404
    assert client.get(reverse("admin:core_team_change", args=[other_team.pk])).status_code == 404
    assert "Team Elders" not in client.get(reverse("admin:core_team_changelist")).content.decode()
    assert events("admin.mandaterule.read", outcome=AccessEvent.Outcome.DENIED, reason="tenancy").exists()
    assert events("admin.mandaterule.read", outcome=AccessEvent.Outcome.SUCCESS, object_id=str(own.pk)).exists()


# --- the reset-link and enrolment-link actions (wired to the authentication services) ------------------


def _run_action(client, action, users):
    return client.post(
        reverse("admin:core_user_changelist"),
        {"action": action, "_selected_action": [u.pk for u in users]},
        follow=True,
    )


def test_admin_sends_reset_link_only_within_own_municipality(client, world):
    world["user_a"].email = "a@example.org"
    world["user_a"].save()
    log_in(client, world["admin_a"])
    response = _run_action(client, "send_password_reset_link", [world["user_a"]])
    assert response.status_code == 200
    assert [m.to for m in mail.outbox] == [["a@example.org"]]
    assert "/inloggen/nieuw-wachtwoord/" in mail.outbox[0].body
    # The other municipality's user is not even selectable (not in the queryset): nothing is sent.
    mail.outbox.clear()
    _run_action(client, "send_password_reset_link", [world["user_b"]])
    assert mail.outbox == []


def test_admin_enrolment_link_without_email_is_shown_to_hand_over(client, world):
    world["user_a"].email = ""
    world["user_a"].save()
    log_in(client, world["admin_a"])
    response = _run_action(client, "send_enrolment_link", [world["user_a"]])
    html = response.content.decode()
    assert "geen e-mailadres" in html and "/inloggen/koppelen/" in html
    assert events("auth.enrolment_link_issued", actor_id=world["admin_a"].pk).exists()


def test_admin_cannot_send_an_enrolment_link_to_themselves(client, world):
    log_in(client, world["admin_a"])
    response = _run_action(client, "send_enrolment_link", [world["admin_a"]])
    assert "dit mag u niet" in response.content.decode()
    assert not events("auth.enrolment_link_issued", outcome=AccessEvent.Outcome.SUCCESS).exists()


def test_admin_password_change_page_goes_to_the_account_page(client, world):
    log_in(client, world["admin_a"])
    response = client.get("/beheer/password_change/")
    assert response.status_code == 302 and response["Location"] == reverse("core:password_change")
