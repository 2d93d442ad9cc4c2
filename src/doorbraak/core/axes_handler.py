"""django-axes handler with a per-attempt cool-off (growing by earlier lockouts, core.services_auth.cool_off).

Axes' database handler counts attempts newer than `now - cool_off(this request)`; with a cool-off that differs
per username+address pair that window is wrong for anyone else's attempts. This handler counts the attempts whose
own expiry (set by axes at each failure, AXES_USE_ATTEMPT_EXPIRATION) lies in the future.
"""

from axes.handlers.database import AxesDatabaseHandler
from django.utils import timezone


class PairLockoutHandler(AxesDatabaseHandler):
    def get_user_attempts(self, request, credentials=None):
        now = timezone.now()
        return [
            attempts.filter(expiration__expires_at__gt=now)
            for attempts in self.filter_user_attempts(request, credentials)
        ]
