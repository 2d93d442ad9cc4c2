from django.core.management.base import BaseCommand, CommandError
from django_scopes import scopes_disabled

from doorbraak.initiatives import tasks
from doorbraak.initiatives.services import purge_submitter_data


class Command(BaseCommand):
    help = "Delete names and e-mail addresses of submitters of suggestions and comments decided long ago."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=90, help="Retention period in days (default 90).")
        parser.add_argument("--enqueue", action="store_true", help="Enqueue it as a background task instead.")

    def handle(self, *args, days, enqueue=False, **options):
        if days < 1:
            raise CommandError("--days must be at least 1.")
        if enqueue:
            result = tasks.purge_submitter_data.enqueue(days=days)
            self.stdout.write(f"Enqueued task {result.id}.")
            return
        with scopes_disabled():
            count = purge_submitter_data(days=days)
        self.stdout.write(f"Purged submitter data of {count} item(s) decided more than {days} days ago.")
