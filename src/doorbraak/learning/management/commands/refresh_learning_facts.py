"""Bring the pseudonymised learning facts and month rollups up to date now (incremental: only the cases changed
since the last run; --full rebuilds everything, for repair), or --enqueue the refresh as background tasks (the
scheduler does that nightly: doorbraak/schedule.py)."""

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scopes_disabled

from doorbraak.core.models import Municipality
from doorbraak.core.tasks import enqueue_once
from doorbraak.learning.insights.facts import refresh_facts
from doorbraak.learning.tasks import refresh_learning_facts


class Command(BaseCommand):
    help = "Bouw de geanonimiseerde leercijfers opnieuw op (alle gemeenten, of één met --gemeente GM0796)."

    def add_arguments(self, parser):
        parser.add_argument("--gemeente", dest="code", help="CBS-code, bijvoorbeeld GM0796")
        parser.add_argument("--enqueue", action="store_true", help="Zet het bijwerken als taak in de wachtrij.")
        parser.add_argument(
            "--full",
            action="store_true",
            help="Bouw alles opnieuw op in plaats van alleen de gewijzigde casussen (herstel).",
        )

    def handle(self, *args, code=None, enqueue=False, full=False, **options):
        if enqueue and full:
            raise CommandError("--full en --enqueue gaan niet samen: de taak werkt alleen de wijzigingen bij.")
        with scopes_disabled():
            municipalities = Municipality.objects.order_by("code")
            if code:
                municipalities = municipalities.filter(code=code)
                if not municipalities.exists():
                    raise CommandError(f"Onbekende gemeente: {code}")
            for municipality in municipalities:
                if enqueue:
                    queued = enqueue_once(refresh_learning_facts, municipality.pk)
                    state = "in de wachtrij" if queued.created else "stond al in de wachtrij"
                    self.stdout.write(f"{municipality.code}: {state}")
                    continue
                count = refresh_facts(municipality, full=True if full else None)
                self.stdout.write(f"{municipality.code}: {count} casussen")
