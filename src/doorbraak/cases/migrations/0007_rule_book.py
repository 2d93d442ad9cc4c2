# FormToken moved to core (core 0008_formtoken). State only: the table cases_formtoken stays, now core's.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_bsn_encrypt_existing"),
        ("core", "0008_formtoken"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="FormToken")],
            database_operations=[],
        ),
    ]
