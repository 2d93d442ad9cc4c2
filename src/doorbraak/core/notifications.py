"""Telling a user that something changed about their account's security (ASVS V6/V7).

Every change of a factor or password calls notify_security_change(); the user is told by e-mail when
the account has an address, and in the app by a SecurityNotice shown on the account page until seen.
"""

import logging

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

KIND_TEXTS = {  # lazy: rendered in the language active when the notice is shown
    "second_factor_added": gettext_lazy("Er is een authenticator-app aan uw account gekoppeld."),
    "second_factor_removed": gettext_lazy("Er is een authenticator-app van uw account verwijderd."),
    "password_changed": gettext_lazy("Het wachtwoord van uw account is gewijzigd."),
    "password_reset": gettext_lazy("Het wachtwoord van uw account is opnieuw ingesteld via een e-maillink."),
    "role_changed": gettext_lazy("Uw rol of team in Doorbraak is gewijzigd."),
    "sessions_ended": gettext_lazy("Een of meer sessies van uw account zijn beëindigd."),
}


def notify_security_change(user, kind: str, *, request=None) -> None:
    """Tell the user about a security change: an in-app notice, and a short Dutch e-mail (no secrets, no links
    to act on) when the account has an address."""
    from .models_auth import SecurityNotice

    text = KIND_TEXTS.get(kind)
    if text is None:
        raise ValueError(f"unknown security notification kind: {kind}")
    SecurityNotice.objects.create(user=user, kind=kind)
    if not user.email:
        return
    # SMTP is external and may be slow or down: the e-mail goes through the task queue (retried with backoff),
    # after the transaction commits. The task gets only the user id and the kind, so no address or text sits in
    # the queue table. (E-mails that carry a one-time link are sent directly: the link must not be stored.)
    from django.db import transaction

    from .tasks import send_security_email

    if settings.TASKS_EMAIL_INLINE:
        try:
            send_security_email.call(user.pk, kind)
        except Exception:  # noqa: BLE001 - a mail server that is down never breaks the user's request
            logging.getLogger(__name__).warning("security e-mail not sent (kind %s)", kind, exc_info=True)
    else:
        transaction.on_commit(lambda: send_security_email.enqueue(user.pk, kind))


def security_email(user, kind: str):
    """(subject, body) of the e-mail about a security change of `kind`."""
    text = KIND_TEXTS[kind]
    body = "\n\n".join(
        [
            str(text),
            _("Was u dit niet zelf? Neem dan direct contact op met de beheerder van uw gemeente."),
            _("Dit bericht is automatisch verstuurd door Doorbraak."),
        ]
    )
    return _("Doorbraak: wijziging in de beveiliging van uw account"), body
