import time

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from .middleware import SESSION_STARTED_KEY


@receiver(user_logged_in)
def start_session_clock(sender, request, user, **kwargs):
    request.session[SESSION_STARTED_KEY] = time.time()
    if request is not None:
        from . import services_auth

        services_auth.record_login_success(request, user)


@receiver(user_logged_out)
def forget_session(sender, request, user, **kwargs):
    if request is not None and user is not None:
        from . import services_auth

        services_auth.forget_session(request.session.session_key)


# Denial bursts (issue 10 part 4) ---------------------------------------------------------------------
# core.audit.log_access sends denial_burst when one user (or, anonymous, one address) has more than
# ACCESS_LOG_DENIAL_BURST_THRESHOLD denied events within ACCESS_LOG_DENIAL_BURST_WINDOW_SECONDS; once per
# window. Arguments: request (or None), user (or None), network_address, count, window_seconds.
from django.dispatch import Signal  # noqa: E402

denial_burst = Signal()


@receiver(denial_burst)
def record_denial_burst(sender, request, user, network_address, count, window_seconds, **kwargs):
    """Write one security.denial_burst event and e-mail the municipality's active administrators."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.utils.translation import gettext as _

    from .audit import DENIAL_BURST_EVENT, SECURITY_PURPOSE, log_access
    from .models import AccessEvent, Role, User

    target = ("core.user", user.pk) if user is not None else ("core.network_address", network_address)
    row = log_access(
        request if request is not None else user,
        DENIAL_BURST_EVENT,
        action=AccessEvent.Action.EXECUTE,
        object_type=target[0],
        object_id=target[1],
        purpose=SECURITY_PURPOSE,
        outcome=AccessEvent.Outcome.FAILURE,
        reason="denial_burst",
    )
    if user is not None and user.municipality_id:
        admins = User.objects.filter(role=Role.ADMIN, is_active=True, municipality_id=user.municipality_id)
        who = _("gebruiker %(username)s") % {"username": user.get_username()}
    else:
        admins = User.objects.filter(is_superuser=True, is_active=True)
        who = _("een niet-ingelogde bezoeker")
    recipients = sorted({a.email for a in admins.exclude(email="")})
    if not recipients:
        return
    body = "\n\n".join(
        [
            _("Doorbraak heeft %(count)s geweigerde verzoeken in %(minutes)s minuten gezien van %(who)s.")
            % {"count": count, "minutes": max(1, window_seconds // 60), "who": who},
            _("Bekijk regel %(seq)s en de regels ervoor in het toegangslog (beheer, toegangslog).") % {"seq": row.seq},
            _("Dit bericht is automatisch verstuurd door Doorbraak."),
        ]
    )
    send_mail(
        _("Doorbraak: veel geweigerde verzoeken"), body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=True
    )
