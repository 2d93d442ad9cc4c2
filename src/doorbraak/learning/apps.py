from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _install_change_triggers(sender, using="default", **kwargs):
    """Re-create the facts change triggers after every migrate: SQLite drops a table's triggers when a migration
    rebuilds the table (learning/change_triggers.py)."""
    from django.db import connections

    from . import change_triggers

    connection = connections[using]
    if "learning_factchange" in connection.introspection.table_names():
        change_triggers.install(connection)


class LearningConfig(AppConfig):
    name = "doorbraak.learning"
    label = "learning"
    verbose_name = _("Leren")

    def ready(self):
        from . import permissions

        permissions.register()  # the learning.* rules of the rule book (core.permissions)
        post_migrate.connect(_install_change_triggers, sender=self, dispatch_uid="learning_change_triggers")
