from django.core.management.base import BaseCommand, CommandError

from doorbraak.core.audit import checkpoint_path, write_checkpoint


class Command(BaseCommand):
    help = (
        "Schrijf een ondertekend checkpoint van het toegangslog (volgnummer, hash van de kop, tijd) naar het "
        "alleen-toevoegen-bestand buiten de database. Draai dit elke paar minuten."
    )

    def handle(self, *args, **options):
        try:
            cp = write_checkpoint()
        except (OSError, ValueError) as exc:
            raise CommandError(f"Het checkpoint kon niet worden geschreven naar {checkpoint_path()}: {exc}")
        self.stdout.write(
            self.style.SUCCESS(f"Checkpoint {cp['n']} geschreven: regel {cp['seq']}, naar {checkpoint_path()}.")
        )
