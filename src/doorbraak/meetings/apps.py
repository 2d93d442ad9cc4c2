from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "doorbraak.meetings"
    label = "meetings"
    verbose_name = _("Bijeenkomsten")

    def ready(self):
        from . import permissions  # noqa: F401
