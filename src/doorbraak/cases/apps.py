from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "doorbraak.cases"
    label = "cases"
    verbose_name = _("Casussen")

    def ready(self):
        from . import permissions

        permissions.register()
