from django.core.management.base import BaseCommand, CommandError

from doorbraak.core.audit import verify_chain


class Command(BaseCommand):
    help = (
        "Controleer het toegangslog (NEN 7513): de sleutelketen, de kop, de databasebeveiliging en alle "
        "ondertekende checkpoints; meldt gewijzigde, ingevoegde, verwijderde en herberekende regels."
    )

    def handle(self, *args, **options):
        problems = verify_chain()
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"Het toegangslog is niet intact: {len(problems)} probleem/problemen gevonden.")
        self.stdout.write(self.style.SUCCESS("Het toegangslog is intact."))
