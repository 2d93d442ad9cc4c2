"""`migrate` runs as the table owner when DATABASE_OWNER_URL is set (the 'owner' alias), because the
application role (DATABASE_URL) may not create or alter tables. Without it: Django's migrate as is."""

from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import DEFAULT_DB_ALIAS, connections


class Command(DjangoMigrate):
    def handle(self, *args, **options):
        if options.get("database") == DEFAULT_DB_ALIAS and "owner" in connections.databases:
            options["database"] = "owner"
        return super().handle(*args, **options)
