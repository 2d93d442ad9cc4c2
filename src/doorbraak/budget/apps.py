from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetConfig(AppConfig):
    name = "doorbraak.budget"
    label = "budget"
    verbose_name = _("Budget")

    def ready(self):
        from django.core import checks

        from . import catalogue_data, permissions

        permissions.register()
        checks.register(catalogue_data.check_catalogue_file)
