from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string
from django_scopes import scopes_disabled

DEMO_PASSWORD = "doorbraak-demo"


class Command(BaseCommand):
    help = "Laad de demogegevens (alleen in demomodus). Idempotent: bestaande demodata blijft staan."

    def handle(self, *args, **options):
        if not settings.DEMO:
            raise CommandError("Demogegevens laden kan alleen met DEMO=1.")
        # Each app contributes a loader; listed in settings so core imports no app.
        with scopes_disabled(), transaction.atomic():
            for dotted in settings.DEMO_LOADERS:
                loader = import_string(dotted)
                loader(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demogegevens staan klaar."))
        self.stdout.write(
            "Demo-accounts (wachtwoord: doorbraak-demo): demo-professional, demo-lead, demo-approver, "
            "demo-policy, demo-moderator, demo-admin, demo-admin2, demo-other"
        )
