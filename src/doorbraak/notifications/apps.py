from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Work inbox, notifications (in the app and by e-mail) and calendar invitations (issue 16, points 1-4).

    The top layer: it may import core, cases, platforms, budget, learning and initiatives; nothing imports it. It
    learns of events through post_save receivers on the rows the other apps' services already write (receivers.py)
    and a daily scan (tasks.py)."""

    name = "doorbraak.notifications"
    label = "notifications"
    verbose_name = _("Meldingen")

    def ready(self):
        from . import permissions, receivers

        permissions.register()
        receivers.connect()
