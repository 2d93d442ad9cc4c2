from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "doorbraak.documents"
    label = "documents"
    verbose_name = _("Documenten")

    def ready(self):
        from . import permissions

        permissions.register()
