from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlatformsConfig(AppConfig):
    name = "doorbraak.platforms"
    label = "platforms"
    verbose_name = _("Casusplatforms")

    def ready(self):
        from . import permissions

        permissions.register()
