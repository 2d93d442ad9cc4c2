from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "doorbraak.initiatives"
    label = "initiatives"
    verbose_name = _("Initiatieven")

    def ready(self):
        from . import permissions, signals  # noqa: F401
