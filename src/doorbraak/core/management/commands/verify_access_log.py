from django.core.management.base import BaseCommand, CommandError

from doorbraak.core.audit import verify_chain


class Command(BaseCommand):
    help = (
        "Controleer het toegangslog (NEN 7513): de sleutelketen, de kop, de databasebeveiliging en alle "
        "ondertekende checkpoints; meldt gewijzigde, ingevoegde, verwijderde en herberekende regels."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-checkpoints",
            action="store_true",
            help="alleen de keten en de kop controleren (bijvoorbeeld op een kopie zonder het checkpointbestand)",
        )

    def handle(self, *args, no_checkpoints=False, **options):
        problems = verify_chain(checkpoints=not no_checkpoints)
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"Het toegangslog is niet intact: {len(problems)} probleem/problemen gevonden.")
        if no_checkpoints:
            self.stdout.write(self.style.WARNING("De keten is intact; de checkpoints zijn niet gecontroleerd."))
        else:
            self.stdout.write(self.style.SUCCESS("Het toegangslog is intact."))
