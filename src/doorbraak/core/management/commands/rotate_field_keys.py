"""Re-encrypt every encrypted field with the newest FIELD_ENCRYPTION_KEYS key and recompute the keyed hashes.

Key rotation: put the new key in front of FIELD_ENCRYPTION_KEYS (keep the old ones behind it), deploy, run
this command, then remove the old key. A new BSN_HASH_KEY: deploy it and run this command at once (lookups by
BSN find nothing until it has run). Rows are rewritten with QuerySet.update, so no save() side effects.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django_scopes import scopes_disabled
from encrypted_fields.fields import EncryptedFieldMixin

from doorbraak.core.fields import BsnHashField, bsn_hash

BATCH = 500


def encrypted_models():
    """(model, encrypted field names, {hash field name: source field name}) for every model that has one."""
    for model in apps.get_models():
        encrypted = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedFieldMixin)]
        hashes = {f.name: f.source for f in model._meta.concrete_fields if isinstance(f, BsnHashField)}
        if encrypted or hashes:
            yield model, encrypted, hashes


def rotate(model, encrypted, hashes) -> int:
    """Rewrite every row of model; return the number of rows."""
    names = list(dict.fromkeys([*encrypted, *hashes.values()]))
    manager = model._base_manager
    done = 0
    with scopes_disabled():
        pks = list(manager.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(pks), BATCH):
            with transaction.atomic():
                for row in manager.filter(pk__in=pks[start : start + BATCH]).values("pk", *names):
                    changes = {name: row[name] for name in encrypted}
                    changes.update({name: bsn_hash(row[source]) for name, source in hashes.items()})
                    manager.filter(pk=row["pk"]).update(**changes)
                    done += 1
    return done


class Command(BaseCommand):
    help = (
        "Versleutel alle versleutelde velden (BSN) opnieuw met de nieuwste sleutel uit FIELD_ENCRYPTION_KEYS "
        "en bereken de zoek-hash (BSN_HASH_KEY) opnieuw."
    )

    def handle(self, *args, **options):
        for model, encrypted, hashes in encrypted_models():
            count = rotate(model, encrypted, hashes)
            self.stdout.write(
                f"{model._meta.label}: {count} rij(en) opnieuw versleuteld ({', '.join([*encrypted, *hashes])})."
            )
        self.stdout.write(self.style.SUCCESS("Klaar: alle versleutelde velden gebruiken de nieuwste sleutel."))
