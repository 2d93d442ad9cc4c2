"""BSN encrypted at rest, data part: encrypt every plaintext BSN with the newest FIELD_ENCRYPTION_KEYS key,
fill bsn_hash (BSN_HASH_KEY), turn "" into NULL, then add the check constraint that keeps it so.

Reversible: going back decrypts the rows again (needs the same keys) so that 0005 can be reversed.
Raw SQL on purpose: the ORM would try to decrypt the plaintext rows, and tenant scopes do not apply here.
"""

import re

import django.db.models.functions.text
import django.db.models.lookups
from django.db import migrations, models

PLAIN_BSN = re.compile(r"^[0-9]{9}$")


def _rows(schema_editor, table):
    qn = schema_editor.quote_name
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT {qn('id')}, {qn('bsn')} FROM {qn(table)}")  # noqa: S608 (names only)
        return cursor.fetchall()


def encrypt_existing(apps, schema_editor):
    from doorbraak.core.fields import bsn_hash, field_fernet

    table = apps.get_model("cases", "Person")._meta.db_table
    qn = schema_editor.quote_name
    fernet = field_fernet()
    with schema_editor.connection.cursor() as cursor:
        for pk, value in _rows(schema_editor, table):
            if value is None:
                continue
            if value == "":
                cursor.execute(
                    f"UPDATE {qn(table)} SET {qn('bsn')} = NULL, {qn('bsn_hash')} = '' "  # noqa: S608
                    f"WHERE {qn('id')} = %s",
                    [pk],
                )
            elif PLAIN_BSN.match(value):
                cursor.execute(
                    f"UPDATE {qn(table)} SET {qn('bsn')} = %s, {qn('bsn_hash')} = %s "  # noqa: S608
                    f"WHERE {qn('id')} = %s",
                    [fernet.encrypt(value.encode()).decode(), bsn_hash(value), pk],
                )
            # Anything else is already ciphertext (migration run twice on a copy): left alone.


def decrypt_existing(apps, schema_editor):
    from doorbraak.core.fields import field_fernet

    table = apps.get_model("cases", "Person")._meta.db_table
    qn = schema_editor.quote_name
    fernet = field_fernet()
    with schema_editor.connection.cursor() as cursor:
        for pk, value in _rows(schema_editor, table):
            plain = (
                "" if value is None else value if PLAIN_BSN.match(value) else fernet.decrypt(value.encode()).decode()
            )
            cursor.execute(
                f"UPDATE {qn(table)} SET {qn('bsn')} = %s, {qn('bsn_hash')} = '' "  # noqa: S608
                f"WHERE {qn('id')} = %s",
                [plain, pk],
            )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_bsn_encrypted"),
    ]

    operations = [
        migrations.RunPython(encrypt_existing, decrypt_existing),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("bsn__isnull", True), ("bsn_hash", "")),
                    models.Q(
                        django.db.models.lookups.GreaterThanOrEqual(django.db.models.functions.text.Length("bsn"), 100),
                        ("bsn__isnull", False),
                        ("bsn_hash__regex", "^[0-9a-f]{64}$"),
                    ),
                    _connector="OR",
                ),
                name="person_bsn_encrypted_with_hash",
            ),
        ),
    ]
