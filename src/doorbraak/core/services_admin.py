"""Administration with separation of duties (issue 10, part 2).

Every write the admin site does to users, second-factor devices and role requests goes through here; the
admin only calls these functions. The rules:

- A municipal administrator (Role.ADMIN, is_staff, not a superuser) acts on users of their own municipality
  only, never on a superuser, and never on their own role, team, municipality, flags or permissions.
- Nobody sets another user's password in the admin; a new user gets an unusable password and sets one
  through a reset or enrolment link (added by the authentication work).
- A change of role or team never applies directly: it becomes a RoleChangeRequest that a second
  administrator of the same municipality (not the requester, not the user) approves. Superusers follow the
  same four-eyes rule; only `manage.py createsuperuser` on the server bypasses it (bootstrap).
- Requests, decisions and refusals are access-log events (purpose "administration").
"""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import log_access
from .models import AccessEvent, Role, RoleChangeRequest, User
from .notifications import notify_security_change

PURPOSE = "administration"
ADMINISTRATORS_GROUP = "Beheerders"
ADMINISTRATOR_APPS = ["core", "otp_totp", "cases", "platforms", "budget", "learning", "initiatives"]

# Fields nobody changes on their own record, not even a superuser.
OWN_RECORD_FIELDS = frozenset(
    {
        "role",
        "team",
        "municipality",
        "is_staff",
        "is_superuser",
        "is_active",
        "is_demo",
        "password",
        "groups",
        "user_permissions",
    }
)
# Fields a municipal administrator never changes on anyone (role and team go through four eyes). The e-mail
# address is where reset and enrolment links go: an administrator who could change it could reset anyone's
# password and second factor, and so become that user (or the second pair of eyes). It is set at creation.
MUNICIPAL_PROTECTED_FIELDS = frozenset(
    {"municipality", "is_staff", "is_superuser", "is_demo", "password", "groups", "user_permissions", "email"}
)
# Fields that only change through an approved RoleChangeRequest.
FOUR_EYES_FIELDS = frozenset({"role", "team"})


class AdminRefused(PermissionDenied):
    """An administrator asked for something the rules forbid. `message` is Dutch, `reason` a log code."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.message = message
        self.reason = reason


def is_administrator(user) -> bool:
    """A superuser, or an active municipal administrator (role admin, staff, with a municipality)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.is_staff and user.role == Role.ADMIN and user.municipality_id is not None


def may_administer(actor, user) -> bool:
    """May `actor` act on the account `user` at all (tenancy, role)?"""
    if not is_administrator(actor):
        return False
    if actor.is_superuser:
        return True
    return user.municipality_id == actor.municipality_id and not user.is_superuser


def _log(
    request,
    actor,
    event,
    *,
    action,
    obj=None,
    object_type=None,
    object_id=None,
    outcome=AccessEvent.Outcome.SUCCESS,
    reason="",
):
    log_access(
        request if request is not None else actor,
        event,
        action=action,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        purpose=PURPOSE,
        outcome=outcome,
        reason=reason,
    )


def _refuse(request, actor, event, message, reason, *, action, obj=None, object_type=None, object_id=None):
    """Log the refusal (outcome denied) and raise. Call it outside any transaction the refusal rolls back."""
    _log(
        request,
        actor,
        event,
        action=action,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        outcome=AccessEvent.Outcome.DENIED,
        reason=reason,
    )
    raise AdminRefused(message, reason)


def _require_may_administer(request, actor, user, event, action):
    if not is_administrator(actor):
        _refuse(request, actor, event, _("Alleen een beheerder mag dit doen."), "role", action=action, obj=user)
    if not may_administer(actor, user):
        _refuse(
            request, actor, event, _("Deze gebruiker hoort niet bij uw gemeente."), "tenancy", action=action, obj=user
        )


def administrators_group() -> Group:
    """The group that gives administrators their admin permissions (created with them when missing)."""
    group, created = Group.objects.get_or_create(name=ADMINISTRATORS_GROUP)
    if created:
        group.permissions.set(administrator_permissions())
    return group


def administrator_permissions():
    """What the Beheerders group may do in the admin. The access log is read-only; TOTP devices can only be
    viewed and revoked; role requests are decided through the four-eyes service, not edited."""
    return (
        Permission.objects.filter(content_type__app_label__in=ADMINISTRATOR_APPS)
        .exclude(
            content_type__model="accessevent",
            codename__in=["add_accessevent", "change_accessevent", "delete_accessevent"],
        )
        .exclude(content_type__model="totpdevice", codename__in=["add_totpdevice", "change_totpdevice"])
        .exclude(
            content_type__model="rolechangerequest", codename__in=["add_rolechangerequest", "delete_rolechangerequest"]
        )
    )


def _sync_admin_privileges(user) -> None:
    """Role admin ⇔ staff and member of Beheerders (superusers keep their flags)."""
    group = administrators_group()
    if user.role == Role.ADMIN:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        user.groups.add(group)
    elif not user.is_superuser:
        user.is_staff = False
        user.save(update_fields=["is_staff"])
        user.groups.remove(group)


# --- role and team: four eyes ------------------------------------------------------------------------


def role_change_problem(actor, user, *, role, team) -> str | None:
    """Why a request to give `user` this role and team cannot be made (Dutch), or None. No side effects;
    forms call it for a friendly error, request_role_change() enforces it."""
    if actor.pk == user.pk:
        return _("U kunt uw eigen rol of team niet wijzigen; vraag een andere beheerder.")
    if user.municipality_id is None:
        return _("Deze gebruiker hoort bij geen gemeente; een rol of team kan pas na het kiezen van een gemeente.")
    if role not in Role.values:
        return _("Kies een geldige rol.")
    if team is not None and team.municipality_id != user.municipality_id:
        return _("Het team hoort niet bij de gemeente van deze gebruiker.")
    if role == user.role and (team.pk if team else None) == user.team_id:
        return _("De rol en het team zijn niet veranderd.")
    if RoleChangeRequest.objects.filter(user=user, status=RoleChangeRequest.Status.PENDING).exists():
        return _("Voor deze gebruiker wacht al een aanvraag op goedkeuring. Laat die eerst afhandelen.")
    return None


def request_role_change(actor, user, *, role, team=None, request=None) -> RoleChangeRequest:
    """Ask for `user` to get `role` and `team`; nothing changes until a second administrator approves."""
    event = "admin.role_change.requested"
    _require_may_administer(request, actor, user, event, AccessEvent.Action.CREATE)
    problem = role_change_problem(actor, user, role=role, team=team)
    if problem:
        reason = "own_record" if actor.pk == user.pk else "invalid"
        _refuse(request, actor, event, problem, reason, action=AccessEvent.Action.CREATE, obj=user)
    try:
        with transaction.atomic():
            change = RoleChangeRequest.objects.create(
                municipality_id=user.municipality_id,
                user=user,
                requested_by=actor,
                old_role=user.role,
                new_role=role,
                old_team_id=user.team_id,
                new_team=team,
            )
    except IntegrityError:  # a concurrent request for the same user won the race
        _refuse(
            request,
            actor,
            event,
            _("Voor deze gebruiker wacht al een aanvraag op goedkeuring."),
            "duplicate",
            action=AccessEvent.Action.CREATE,
            obj=user,
        )
    _log(request, actor, event, action=AccessEvent.Action.CREATE, obj=change)
    return change


def _decision_problem(actor, change) -> tuple[str, str] | None:
    if not is_administrator(actor):
        return _("Alleen een beheerder mag aanvragen goedkeuren of afwijzen."), "role"
    if not actor.is_superuser and actor.municipality_id != change.municipality_id:
        return _("Deze aanvraag hoort niet bij uw gemeente."), "tenancy"
    if change.status != RoleChangeRequest.Status.PENDING:
        return _("Over deze aanvraag is al besloten."), "not_pending"
    if change.requested_by_id == actor.pk:
        return _(
            "U kunt uw eigen aanvraag niet goedkeuren of afwijzen; een tweede beheerder moet dat doen."
        ), "own_request"
    if change.user_id == actor.pk:
        return _("U kunt niet besluiten over een aanvraag voor uw eigen account."), "own_record"
    return None


def approve_role_change(actor, change: RoleChangeRequest, *, request=None) -> RoleChangeRequest:
    """The second administrator's yes: apply the role and team in one transaction, if nothing changed since."""
    event = "admin.role_change.approved"
    problem = None
    with transaction.atomic():
        change = RoleChangeRequest.objects.select_for_update().get(pk=change.pk)
        user = User.objects.select_for_update().get(pk=change.user_id)
        problem = _decision_problem(actor, change)
        if problem is None and (user.role != change.old_role or user.team_id != change.old_team_id):
            problem = (
                _(
                    "De rol of het team van deze gebruiker is gewijzigd sinds de aanvraag. Wijs deze aanvraag "
                    "af en doe zo nodig een nieuwe."
                ),
                "stale",
            )
        if problem is None:
            user.role = change.new_role
            user.team_id = change.new_team_id
            user.save(update_fields=["role", "team"])
            _sync_admin_privileges(user)
            change.status = RoleChangeRequest.Status.APPROVED
            change.decided_by = actor
            change.decided_at = timezone.now()
            change.save(update_fields=["status", "decided_by", "decided_at"])
            _log(request, actor, event, action=AccessEvent.Action.UPDATE, obj=change)
            transaction.on_commit(lambda: notify_security_change(user, "role_changed"))
    if problem:
        _refuse(request, actor, event, problem[0], problem[1], action=AccessEvent.Action.UPDATE, obj=change)
    return change


def reject_role_change(actor, change: RoleChangeRequest, *, request=None) -> RoleChangeRequest:
    """The second administrator's no: the user keeps their role and team."""
    event = "admin.role_change.rejected"
    with transaction.atomic():
        change = RoleChangeRequest.objects.select_for_update().get(pk=change.pk)
        problem = _decision_problem(actor, change)
        if problem is None:
            change.status = RoleChangeRequest.Status.REJECTED
            change.decided_by = actor
            change.decided_at = timezone.now()
            change.save(update_fields=["status", "decided_by", "decided_at"])
            _log(request, actor, event, action=AccessEvent.Action.UPDATE, obj=change)
    if problem:
        _refuse(request, actor, event, problem[0], problem[1], action=AccessEvent.Action.UPDATE, obj=change)
    return change


# --- user records ----------------------------------------------------------------------------------


def _changed_fields(before: User, after: User) -> set[str]:
    changed = set()
    for field in User._meta.concrete_fields:
        if getattr(before, field.attname) != getattr(after, field.attname):
            changed.add(field.name)
    return changed


def protected_field_problem(actor, user, fields) -> str | None:
    """Why `actor` may not change these fields of `user` directly (Dutch), or None."""
    fields = set(fields)
    if actor.pk == user.pk and fields & OWN_RECORD_FIELDS:
        return _("U kunt uw eigen rol, team, gemeente, rechten of wachtwoord hier niet wijzigen.")
    if not actor.is_superuser and fields & MUNICIPAL_PROTECTED_FIELDS:
        return _(
            "Een beheerder van een gemeente kan gemeente, rechten, demo-status, e-mailadres of wachtwoord niet "
            "wijzigen."
        )
    return None


def create_user(actor, user: User, *, request=None) -> RoleChangeRequest | None:
    """Create `user` (an unsaved instance from the add form) as a professional without a team and with an
    unusable password; a different role or team in the form becomes a four-eyes request."""
    event = "admin.user.create"
    if not is_administrator(actor):
        _refuse(
            request,
            actor,
            event,
            _("Alleen een beheerder mag gebruikers aanmaken."),
            "role",
            action=AccessEvent.Action.CREATE,
            object_type="core.user",
        )
    if not actor.is_superuser:
        if user.municipality_id not in (None, actor.municipality_id):
            _refuse(
                request,
                actor,
                event,
                _("U kunt alleen gebruikers van uw eigen gemeente aanmaken."),
                "tenancy",
                action=AccessEvent.Action.CREATE,
                object_type="core.user",
            )
        user.municipality_id = actor.municipality_id
    requested_role, requested_team = user.role, user.team
    user.role = Role.PROFESSIONAL
    user.team = None
    user.is_staff = False
    user.is_superuser = False
    user.is_demo = False
    user.set_unusable_password()
    user.save()
    if requested_role != Role.PROFESSIONAL or requested_team is not None:
        return request_role_change(actor, user, role=requested_role, team=requested_team, request=request)
    return None


def update_user(actor, user: User, *, request=None) -> RoleChangeRequest | None:
    """Save the admin's edit of `user` (a changed instance). Protected fields are refused; a changed role or
    team is put back and becomes a four-eyes request."""
    event = "admin.user.update"
    before = User.objects.get(pk=user.pk)
    _require_may_administer(request, actor, before, event, AccessEvent.Action.UPDATE)
    changed = _changed_fields(before, user)
    problem = protected_field_problem(actor, before, changed)
    if problem:
        reason = "own_record" if actor.pk == before.pk else "protected_field"
        _refuse(request, actor, event, problem, reason, action=AccessEvent.Action.UPDATE, obj=before)
    requested_role, requested_team = user.role, user.team
    four_eyes = changed & FOUR_EYES_FIELDS
    user.role, user.team_id = before.role, before.team_id
    direct = changed - FOUR_EYES_FIELDS
    if direct:
        user.save(update_fields=sorted(direct))
    if four_eyes:
        return request_role_change(actor, before, role=requested_role, team=requested_team, request=request)
    return None


def check_group_change(actor, user, *, request=None) -> None:
    """Groups and permissions are m2m fields saved after the record: only a superuser changes them, and not
    on their own record."""
    event = "admin.user.update"
    if not actor.is_superuser or actor.pk == user.pk:
        _refuse(
            request,
            actor,
            event,
            _("U kunt deze rechten niet wijzigen."),
            "own_record" if actor.pk == user.pk else "protected_field",
            action=AccessEvent.Action.UPDATE,
            obj=user,
        )


# --- second factor ----------------------------------------------------------------------------------


def revoke_second_factor(actor, user, *, request=None) -> int:
    """Remove every second-factor device of `user` ("Tweede inlogstap intrekken"); the user is told.
    Returns how many devices were removed. The user enrols again through an enrolment link."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    event = "admin.second_factor.revoked"
    _require_may_administer(request, actor, user, event, AccessEvent.Action.DELETE)
    with transaction.atomic():
        count, _deleted = TOTPDevice.objects.filter(user=user).delete()
        _log(request, actor, event, action=AccessEvent.Action.DELETE, obj=user)
    if count:
        notify_security_change(user, "second_factor_removed", request=request)
    return count


def revoke_device(actor, device, *, request=None) -> None:
    """Remove one device (the device admin's delete)."""
    event = "admin.second_factor.revoked"
    user = device.user
    _require_may_administer(request, actor, user, event, AccessEvent.Action.DELETE)
    with transaction.atomic():
        device_id = device.pk
        device.delete()
        _log(
            request,
            actor,
            event,
            action=AccessEvent.Action.DELETE,
            object_type="otp_totp.totpdevice",
            object_id=device_id,
        )
    notify_security_change(user, "second_factor_removed", request=request)
