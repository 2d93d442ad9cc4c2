import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .middleware import SESSION_STARTED_KEY


@receiver(user_logged_in)
def start_session_clock(sender, request, user, **kwargs):
    request.session[SESSION_STARTED_KEY] = time.time()
