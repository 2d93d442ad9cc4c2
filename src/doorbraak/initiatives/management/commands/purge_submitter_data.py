from django.core.management.base import BaseCommand

from doorbraak.initiatives.services import purge_submitter_data


class Command(BaseCommand):
    help = "Delete names and e-mail addresses of submitters of suggestions and comments decided long ago."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=90, help="Retention period in days (default 90).")

    def handle(self, *args, days, **options):
        count = purge_submitter_data(days=days)
        self.stdout.write(f"Purged submitter data of {count} item(s) decided more than {days} days ago.")
