"""Authentication rules (ASVS V6/V7): enrolment of the second factor, login events, lockout, passwords, sessions.

Views call these; every refusal and every security change is an access event (`auth.*` codes) and every change of
a factor, password or session tells the user (core.notifications).
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .audit import log_access
from .models import AccessEvent, Role
from .models_auth import EnrolmentLink, SecurityNotice, UserSession, hash_token
from .notifications import notify_security_change

DEVICE_NAME = "Authenticator-app"
ENROLMENT_LINK_VALIDITY = timedelta(hours=72)
ENROLMENT_LINK_SESSION_KEY = "doorbraak_enrolment_link"
SESSION_TOUCHED_KEY = "doorbraak_session_touched"
SESSION_TOUCH_INTERVAL_SECONDS = 60
LOCKOUT_STEPS_MINUTES = (1, 5, 15, 60)  # cool-off by number of earlier lockouts of the same username+address
LOCKOUT_MEMORY = timedelta(hours=24)
PURPOSE = "authentication"
DENIED = AccessEvent.Outcome.DENIED


class AuthRefused(PermissionDenied):
    """An authentication action the actor may not take (logged as a denied access event)."""


# Who may manage whom ------------------------------------------------------------------------------------------


def may_manage_user(actor, user) -> bool:
    """A superuser, or an active administrator of the user's own municipality; never oneself."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    if actor.pk == user.pk:
        return False
    if actor.is_superuser:
        return True
    return (
        actor.role == Role.ADMIN
        and actor.municipality_id is not None
        and (actor.municipality_id == user.municipality_id)
    )


def _check_manager(actor, user, event: str, request=None) -> None:
    if not may_manage_user(actor, user):
        log_access(
            request or actor,
            event,
            action=AccessEvent.Action.EXECUTE,
            object_type="core.user",
            object_id=user.pk,
            purpose=PURPOSE,
            outcome=DENIED,
            reason="self" if actor is not None and actor.pk == user.pk else "not_admin_of_user",
        )
        raise AuthRefused(_("U mag dit niet doen voor deze gebruiker."))


def _absolute(path: str, request=None) -> str:
    if request is not None:
        return request.build_absolute_uri(path)
    return f"{settings.SITE_URL.rstrip('/')}{path}" if settings.SITE_URL else path


# Enrolment of the second factor -------------------------------------------------------------------------------


def issue_enrolment_link(actor, user, *, request=None) -> str:
    """Issue a one-time enrolment link (72 h) for `user`'s first or replacement authenticator.

    `actor` is an administrator of the user's municipality or a superuser (never the user); `actor=None` means
    the server operator on the command line (manage.py issue_enrolment_link). Earlier unused links and pending
    (unconfirmed) devices of the user are revoked. The link is e-mailed when the user has an address; the
    returned URL (absolute when `request` is given) is for the administrator to pass on otherwise.
    """
    if actor is not None:
        _check_manager(actor, user, "auth.enrolment_link_issued", request)
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        # Revoke earlier unused links.
        EnrolmentLink.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        link = EnrolmentLink.objects.create(
            user=user,
            created_by=actor,
            token_hash=hash_token(token),
            created_at=now,
            expires_at=now + ENROLMENT_LINK_VALIDITY,
        )
    url = _absolute(reverse("core:enrolment_link", args=[token]), request)
    log_access(
        request or actor, "auth.enrolment_link_issued", action=AccessEvent.Action.CREATE, obj=link, purpose=PURPOSE
    )
    if user.email:
        from django.core.mail import send_mail

        body = "\n\n".join(
            [
                _(
                    "Uw beheerder heeft een koppellink voor Doorbraak voor u gemaakt. Met deze link koppelt u een "
                    "authenticator-app aan uw account. De link werkt één keer en is 72 uur geldig."
                ),
                url,
                _(
                    "Hebt u hier niet om gevraagd? Gebruik de link dan niet en neem contact op met de beheerder van uw "
                    "gemeente."
                ),
            ]
        )
        send_mail(
            _("Doorbraak: koppel uw authenticator-app"),
            body,
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
            fail_silently=True,
        )
    return url


def open_enrolment_link(request, token: str) -> EnrolmentLink | None:
    """The usable link for `token`, remembered in the session; None (and a denied event) when unknown, expired,
    used, or meant for another user than the one logged in."""
    link = EnrolmentLink.objects.select_related("user").filter(token_hash=hash_token(token[:200])).first()
    reason = ""
    if link is None:
        reason = "unknown_link"
    elif link.used_at is not None:
        reason = "used_link"
    elif link.expires_at <= timezone.now():
        reason = "expired_link"
    elif request.user.is_authenticated and request.user.pk != link.user_id:
        reason = "other_user"
    if reason:
        log_access(
            request,
            "auth.enrolment_link_refused",
            action=AccessEvent.Action.EXECUTE,
            object_type="core.enrolmentlink",
            object_id=link.pk if link else None,
            purpose=PURPOSE,
            outcome=DENIED,
            reason=reason,
        )
        return None
    request.session[ENROLMENT_LINK_SESSION_KEY] = link.pk
    log_access(request, "auth.enrolment_link_opened", action=AccessEvent.Action.READ, obj=link, purpose=PURPOSE)
    return link


def session_enrolment_link(request) -> EnrolmentLink | None:
    """The usable enrolment link remembered in this session for the logged-in user, if any."""
    link_id = request.session.get(ENROLMENT_LINK_SESSION_KEY)
    if not link_id or not request.user.is_authenticated:
        return None
    link = EnrolmentLink.objects.filter(pk=link_id, user=request.user).first()
    return link if link is not None and link.is_usable else None


def may_enrol(request) -> bool:
    """Enrolling needs the existing factor (a verified session) or a one-time enrolment link (SEC-01)."""
    user = request.user
    if not user.is_authenticated:
        return False
    return bool(user.is_verified()) or session_enrolment_link(request) is not None


def refuse_enrolment(request) -> None:
    log_access(
        request,
        "auth.enrolment_refused",
        action=AccessEvent.Action.CREATE,
        object_type="core.user",
        object_id=request.user.pk,
        purpose=PURPOSE,
        outcome=DENIED,
        reason="no_factor_or_link",
    )


def pending_totp_device(user) -> TOTPDevice:
    """The user's unconfirmed TOTP device, created on first use (its secret stays the same until confirmed).
    Only call after may_enrol(): the secret is a factor."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def confirm_totp_device(request, token: str) -> bool:
    """Confirm the pending device with a first code. It replaces the user's earlier devices (a lost phone, or a
    new one), marks the enrolment link used, logs the user in at the second factor and tells the user."""
    user = request.user
    if not may_enrol(request):
        refuse_enrolment(request)
        raise AuthRefused(_("U kunt hier geen authenticator-app koppelen."))
    with transaction.atomic():
        link = session_enrolment_link(request)
        device = pending_totp_device(user)
        if not device.verify_token(token):
            log_access(
                request,
                "auth.second_factor_failed",
                action=AccessEvent.Action.CREATE,
                obj=device,
                purpose=PURPOSE,
                outcome=DENIED,
                reason="wrong_code",
            )
            return False
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        old_devices = TOTPDevice.objects.filter(user=user).exclude(pk=device.pk)
        removed = old_devices.filter(confirmed=True).count()
        old_devices.delete()
        if link is not None:
            link.used_at = timezone.now()
            link.save(update_fields=["used_at"])
    request.session.pop(ENROLMENT_LINK_SESSION_KEY, None)
    otp_login(request, device)
    log_access(request, "auth.second_factor_enrolled", action=AccessEvent.Action.CREATE, obj=device, purpose=PURPOSE)
    if removed:
        log_access(
            request,
            "auth.second_factor_removed",
            action=AccessEvent.Action.DELETE,
            object_type="otp_totp.totpdevice",
            object_id=None,
            purpose=PURPOSE,
        )
        notify_security_change(user, "second_factor_removed", request=request)
    notify_security_change(user, "second_factor_added", request=request)
    return True


def verify_second_factor(request, token: str) -> bool:
    """Check a TOTP code against the user's confirmed devices; a code is accepted only once (ASVS 6.5.1)."""
    for device in TOTPDevice.objects.filter(user=request.user, confirmed=True):
        if device.verify_token(token):
            otp_login(request, device)
            log_access(
                request, "auth.second_factor_passed", action=AccessEvent.Action.EXECUTE, obj=device, purpose=PURPOSE
            )
            announce_unseen_notices(request, request.user)
            return True
    log_access(
        request,
        "auth.second_factor_failed",
        action=AccessEvent.Action.EXECUTE,
        object_type="core.user",
        object_id=request.user.pk,
        purpose=PURPOSE,
        outcome=DENIED,
        reason="wrong_code",
    )
    return False


def has_confirmed_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


# Login events, lockout and constant time ----------------------------------------------------------------------


def equalise_password_work(password: str) -> None:
    """Run the same password-hash work as a real check, for refusals that would otherwise answer faster
    (locked-out attempts). Unknown users already get it from Django's ModelBackend."""
    get_user_model()().set_password(password or "")


def record_login_failure(request, username: str, *, locked_before: bool) -> None:
    """An access event for a refused password login. Unknown usernames are never stored."""
    user = get_user_model().objects.filter(username=username).only("pk").first() if username else None
    if locked_before:
        log_access(
            request,
            "auth.locked_out",
            action=AccessEvent.Action.EXECUTE,
            object_type="core.user",
            object_id=user.pk if user else None,
            purpose=PURPOSE,
            outcome=DENIED,
            reason="locked_out",
        )
        return
    log_access(
        request,
        "auth.login_failed",
        action=AccessEvent.Action.EXECUTE,
        object_type="core.user",
        object_id=user.pk if user else None,
        purpose=PURPOSE,
        outcome=DENIED,
        reason="wrong_password" if user else "unknown_user",
    )
    if getattr(request, "axes_locked_out", False):
        log_access(
            request,
            "auth.locked_out",
            action=AccessEvent.Action.EXECUTE,
            object_type="core.user",
            object_id=user.pk if user else None,
            purpose=PURPOSE,
            outcome=DENIED,
            reason="failure_limit",
        )


def _pair(request) -> tuple[str, str]:
    username = (request.POST.get(settings.AXES_USERNAME_FORM_FIELD) or "")[:150] if request is not None else ""
    username = username.replace("\x00", "")  # never a NUL byte into a query (PostgreSQL refuses it)
    address = getattr(request, "axes_ip_address", None) or (request.META.get("REMOTE_ADDR", "") if request else "")
    return username, address


def earlier_lockouts(request) -> int:
    """How often this username+address pair was locked out in the last 24 hours."""
    from axes.models import AccessFailureLog

    if request is None:
        return 0
    username, address = _pair(request)
    return AccessFailureLog.objects.filter(
        username=username, ip_address=address, locked_out=True, attempt_time__gte=timezone.now() - LOCKOUT_MEMORY
    ).count()


def cool_off(request=None) -> timedelta:
    """AXES_COOLOFF_TIME: 1, 5, 15, then 60 minutes by the number of earlier lockouts of the pair. Axes computes
    it at each failure, before it records the current one, so the n-th lockout lasts LOCKOUT_STEPS[n-1]."""
    steps = LOCKOUT_STEPS_MINUTES
    return timedelta(minutes=steps[min(earlier_lockouts(request), len(steps) - 1)])


def lockout_minutes_left(request) -> int:
    from axes.models import AccessAttempt

    username, address = _pair(request)
    attempt = (
        AccessAttempt.objects.filter(username=username, ip_address=address, expiration__expires_at__gt=timezone.now())
        .select_related("expiration")
        .order_by("-expiration__expires_at")
        .first()
    )
    if attempt is None:
        return LOCKOUT_STEPS_MINUTES[0]
    seconds = (attempt.expiration.expires_at - timezone.now()).total_seconds()
    return max(1, int(-(-seconds // 60)))


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: a Dutch page with the minutes left, status 429."""
    return render(request, "core/locked_out.html", {"minutes": lockout_minutes_left(request)}, status=429)


def record_login_success(request, user) -> None:
    log_access(
        request,
        "auth.login_succeeded",
        action=AccessEvent.Action.EXECUTE,
        object_type="core.user",
        object_id=user.pk,
        purpose=PURPOSE,
    )
    register_session(request, user)
    if not user.requires_second_factor:
        announce_unseen_notices(request, user)


# Passwords ----------------------------------------------------------------------------------------------------


def send_password_reset_link(actor, user, *, request=None) -> None:
    """E-mail `user` a time-limited (PASSWORD_RESET_TIMEOUT) password reset link, on an administrator's request.

    The administrator never sees the link or sets the password. Refused (AuthRefused, logged) unless the actor
    may manage the user (may_manage_user); ValueError when the user has no e-mail address or is inactive.
    """
    _check_manager(actor, user, "auth.password_reset_sent", request)
    if not user.email or not user.is_active:
        log_access(
            request or actor,
            "auth.password_reset_sent",
            action=AccessEvent.Action.EXECUTE,
            object_type="core.user",
            object_id=user.pk,
            purpose=PURPOSE,
            outcome=AccessEvent.Outcome.FAILURE,
            reason="no_email" if not user.email else "inactive",
        )
        raise ValueError(_("Deze gebruiker heeft geen e-mailadres of is niet actief; er is geen link verstuurd."))
    send_reset_email(user, request=request)
    log_access(
        request or actor,
        "auth.password_reset_sent",
        action=AccessEvent.Action.EXECUTE,
        object_type="core.user",
        object_id=user.pk,
        purpose=PURPOSE,
    )


def send_reset_email(user, *, request=None) -> None:
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    path = reverse(
        "core:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {"user": user, "reset_url": _absolute(path, request), "minutes": settings.PASSWORD_RESET_TIMEOUT // 60}
    body = render_to_string("core/email/password_reset_email.txt", context)
    send_mail(
        _("Doorbraak: nieuw wachtwoord instellen"), body, settings.DEFAULT_FROM_EMAIL, [user.email], fail_silently=True
    )


def password_changed(request, user, *, old_session_key: str | None) -> None:
    """After the user changed their own password: log, tell, follow the rotated session key, end other sessions."""
    if old_session_key and request.session.session_key:
        UserSession.objects.filter(session_key=old_session_key).update(session_key=request.session.session_key)
    log_access(
        request,
        "auth.password_changed",
        action=AccessEvent.Action.UPDATE,
        object_type="core.user",
        object_id=user.pk,
        purpose=PURPOSE,
    )
    notify_security_change(user, "password_changed", request=request)
    end_other_sessions(request, notify=False)


def password_was_reset(request, user) -> None:
    """After a reset through the e-mail link: log, tell, end every session. The next login still needs TOTP."""
    log_access(
        request,
        "auth.password_reset",
        action=AccessEvent.Action.UPDATE,
        object_type="core.user",
        object_id=user.pk,
        purpose=PURPOSE,
    )
    notify_security_change(user, "password_reset", request=request)
    for session in UserSession.objects.filter(user=user):
        _delete_session(session)


# Sessions -----------------------------------------------------------------------------------------------------


def _session_store():
    return import_string(settings.SESSION_ENGINE + ".SessionStore")


def register_session(request, user) -> None:
    key = request.session.session_key
    if not key:
        request.session.save()
        key = request.session.session_key
    now = timezone.now()
    UserSession.objects.update_or_create(
        session_key=key,
        defaults={
            "user": user,
            "started_at": now,
            "last_active_at": now,
            "network_address": (request.META.get("REMOTE_ADDR") or "")[:45],
            "user_agent": (request.META.get("HTTP_USER_AGENT") or "")[:200],
        },
    )
    request.session[SESSION_TOUCHED_KEY] = now.timestamp()


def touch_session(request) -> None:
    """Record activity of an authenticated session, at most once a minute (no query on other requests). Changing the
    session is also what saves it and so renews its 30 minutes of inactivity (SESSION_SAVE_EVERY_REQUEST is off)."""
    key = request.session.session_key
    if not key:
        return
    now = timezone.now()
    touched = request.session.get(SESSION_TOUCHED_KEY)
    if touched is not None and now.timestamp() - touched < SESSION_TOUCH_INTERVAL_SECONDS:
        return
    request.session[SESSION_TOUCHED_KEY] = now.timestamp()
    updated = UserSession.objects.filter(session_key=key, user=request.user).update(last_active_at=now)
    if not updated:
        UserSession.objects.update_or_create(
            session_key=key,
            defaults={
                "user": request.user,
                "last_active_at": now,
                "network_address": (request.META.get("REMOTE_ADDR") or "")[:45],
                "user_agent": (request.META.get("HTTP_USER_AGENT") or "")[:200],
            },
        )


def forget_session(session_key: str | None) -> None:
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def _delete_session(session: UserSession) -> None:
    _session_store()(session_key=session.session_key).delete()
    session.delete()


def sessions_of(user) -> list[UserSession]:
    """The user's live sessions; rows of sessions that expired or were ended elsewhere are removed first."""
    now = timezone.now()
    idle = timedelta(seconds=settings.SESSION_COOKIE_AGE + SESSION_TOUCH_INTERVAL_SECONDS)
    UserSession.objects.filter(user=user).filter(
        models.Q(last_active_at__lt=now - idle)
        | models.Q(started_at__lt=now - timedelta(seconds=settings.SESSION_ABSOLUTE_LIMIT_SECONDS))
    ).delete()
    store = _session_store()()
    live = []
    for session in UserSession.objects.filter(user=user).order_by("-last_active_at"):
        if store.exists(session.session_key):
            live.append(session)
        else:
            session.delete()
    return live


def end_session(request, session_id: int) -> bool:
    """End one of the user's own other sessions. False when it is not theirs (or is the current one)."""
    session = None
    if 0 < session_id < 2**63:  # a bigger number is no id (and would overflow SQLite)
        session = (
            UserSession.objects.filter(pk=session_id, user=request.user)
            .exclude(session_key=request.session.session_key)
            .first()
        )
    if session is None:
        log_access(
            request,
            "auth.session_ended",
            action=AccessEvent.Action.DELETE,
            object_type="core.usersession",
            object_id=session_id,
            purpose=PURPOSE,
            outcome=DENIED,
            reason="not_own_session",
        )
        return False
    _delete_session(session)
    log_access(
        request,
        "auth.session_ended",
        action=AccessEvent.Action.DELETE,
        object_type="core.usersession",
        object_id=session_id,
        purpose=PURPOSE,
    )
    notify_security_change(request.user, "sessions_ended", request=request)
    return True


def end_other_sessions(request, *, notify: bool = True) -> int:
    """End every session of the user except this one; returns how many."""
    others = list(UserSession.objects.filter(user=request.user).exclude(session_key=request.session.session_key))
    for session in others:
        _delete_session(session)
    if others:
        log_access(
            request,
            "auth.sessions_ended",
            action=AccessEvent.Action.DELETE,
            object_type="core.usersession",
            object_id=len(others),
            purpose=PURPOSE,
        )
        if notify:
            notify_security_change(request.user, "sessions_ended", request=request)
    return len(others)


# Notices ------------------------------------------------------------------------------------------------------


def unseen_notices(user):
    return SecurityNotice.objects.filter(user=user, seen_at__isnull=True)


def announce_unseen_notices(request, user) -> None:
    """Once per login: a message pointing to the account page when security notices wait there."""
    from django.contrib import messages

    count = unseen_notices(user).count()
    if count and hasattr(request, "_messages"):
        messages.warning(
            request,
            ngettext(
                "Er is %(count)d wijziging in de beveiliging van uw account. Bekijk die op Mijn account (klik op uw "
                "naam bovenaan).",
                "Er zijn %(count)d wijzigingen in de beveiliging van uw account. Bekijk die op Mijn account (klik op "
                "uw naam bovenaan).",
                count,
            )
            % {"count": count},
        )


def mark_notices_seen(user) -> int:
    return SecurityNotice.objects.filter(user=user, seen_at__isnull=True).update(seen_at=timezone.now())


def log_reset_requested(request, user) -> None:
    log_access(
        request,
        "auth.password_reset_requested",
        action=AccessEvent.Action.EXECUTE,
        object_type="core.user",
        object_id=user.pk,
        purpose=PURPOSE,
    )
