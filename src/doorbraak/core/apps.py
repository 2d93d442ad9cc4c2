from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "doorbraak.core"
    label = "core"
    verbose_name = _("Basis")

    def ready(self):
        from . import permissions_core, signals  # noqa: F401
