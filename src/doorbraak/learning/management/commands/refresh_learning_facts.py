"""Rebuild the pseudonymised learning facts and month rollups (run nightly, e.g. from cron)."""

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scopes_disabled

from doorbraak.core.models import Municipality
from doorbraak.learning.facts import refresh_facts


class Command(BaseCommand):
    help = "Bouw de geanonimiseerde leercijfers opnieuw op (alle gemeenten, of één met --gemeente GM0796)."

    def add_arguments(self, parser):
        parser.add_argument("--gemeente", dest="code", help="CBS-code, bijvoorbeeld GM0796")

    def handle(self, *args, code=None, **options):
        with scopes_disabled():
            municipalities = Municipality.objects.order_by("code")
            if code:
                municipalities = municipalities.filter(code=code)
                if not municipalities.exists():
                    raise CommandError(f"Onbekende gemeente: {code}")
            for municipality in municipalities:
                count = refresh_facts(municipality)
                self.stdout.write(f"{municipality.code}: {count} casussen")
