from django.core.management.base import BaseCommand, CommandError

from doorbraak.core import form_tokens


class Command(BaseCommand):
    help = "Verwijder eenmalige formuliertokens die langer geleden gebruikt zijn dan de bewaartermijn."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=form_tokens.FORM_TOKEN_RETENTION_DAYS,
            help="Bewaartermijn in dagen (standaard %(default)s).",
        )
        parser.add_argument("--enqueue", action="store_true", help="Zet het als taak in de wachtrij.")

    def handle(self, *args, days, enqueue, **options):
        if days < 1:
            raise CommandError("--days moet minstens 1 zijn.")
        if enqueue:
            result = form_tokens.purge_form_tokens.enqueue(days=days)
            self.stdout.write(f"In de wachtrij: taak {result.id}.")
            return
        count = form_tokens.purge_expired(days=days)
        self.stdout.write(f"{count} formuliertoken(s) verwijderd.")
