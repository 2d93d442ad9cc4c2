# FormToken moves from cases to core (issue 11). State only: the table cases_formtoken stays, no data moves.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_task_failures"),
        ("cases", "0006_bsn_encrypt_existing"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="FormToken",
                    fields=[
                        ("token", models.UUIDField(primary_key=True, serialize=False)),
                        ("purpose", models.CharField(blank=True, default="", max_length=60)),
                        ("object_type", models.CharField(blank=True, default="", max_length=60)),
                        ("object_id", models.CharField(blank=True, default="", max_length=40)),
                        ("used_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={"db_table": "cases_formtoken"},
                ),
            ],
            database_operations=[],
        ),
    ]
