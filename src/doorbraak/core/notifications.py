"""Telling a user that something changed about their account's security (ASVS V6/V7).

Every change of a factor or password calls notify_security_change(); the user is told by e-mail when
the account has an address. (The in-app notice is added by the authentication work.)
"""

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _

KIND_TEXTS = {
    "second_factor_added": _("Er is een authenticator-app aan uw account gekoppeld."),
    "second_factor_removed": _("Er is een authenticator-app van uw account verwijderd."),
    "password_changed": _("Het wachtwoord van uw account is gewijzigd."),
    "password_reset": _("Het wachtwoord van uw account is opnieuw ingesteld via een e-maillink."),
    "role_changed": _("Uw rol of team in Doorbraak is gewijzigd."),
    "sessions_ended": _("Een of meer sessies van uw account zijn beëindigd."),
}


def notify_security_change(user, kind: str, *, request=None) -> None:
    """Send the user a short Dutch e-mail about a security change (no secrets, no links to act on)."""
    text = KIND_TEXTS.get(kind)
    if text is None:
        raise ValueError(f"unknown security notification kind: {kind}")
    if not user.email:
        return
    body = "\n\n".join(
        [
            text,
            _("Was u dit niet zelf? Neem dan direct contact op met de beheerder van uw gemeente."),
            _("Dit bericht is automatisch verstuurd door Doorbraak."),
        ]
    )
    send_mail(_("Doorbraak: wijziging in de beveiliging van uw account"), body, settings.DEFAULT_FROM_EMAIL,
              [user.email], fail_silently=True)
