import base64
import secrets

from django.core.management.base import BaseCommand

from doorbraak.core.audit import key_fingerprint


class Command(BaseCommand):
    help = "Maak nieuwe sleutels voor het toegangslog: een HMAC-sleutel en een Ed25519-sleutelpaar voor checkpoints."

    def add_arguments(self, parser):
        parser.add_argument("--key-id", type=int, default=1, help="nummer van de nieuwe HMAC-sleutel (1-32767)")

    def handle(self, *args, **options):
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        private = Ed25519PrivateKey.generate()
        raw_private = private.private_bytes(
            serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
        )
        raw_public = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        self.stdout.write("# Zet deze in de omgeving van de applicatie (niet in de database, niet in git):")
        self.stdout.write(f"ACCESS_LOG_KEYS={options['key_id']}:{secrets.token_urlsafe(32)}")
        self.stdout.write(f"ACCESS_LOG_CHECKPOINT_SIGNING_KEY={base64.b64encode(raw_private).decode()}")
        self.stdout.write(
            "# Publieke sleutel voor wie controleert (ACCESS_LOG_CHECKPOINT_PUBLIC_KEYS), "
            f"kenmerk {key_fingerprint(raw_public)}:"
        )
        self.stdout.write(base64.b64encode(raw_public).decode())
