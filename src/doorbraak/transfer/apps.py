from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransferConfig(AppConfig):
    name = "doorbraak.transfer"
    label = "transfer"
    verbose_name = _("Gegevens importeren en exporteren")

    def ready(self):
        from . import permissions

        permissions.register()
