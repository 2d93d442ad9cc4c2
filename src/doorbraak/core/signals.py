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
