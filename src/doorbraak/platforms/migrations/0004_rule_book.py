# Platform.status for the state machine (issue 11): convened -> breakthrough, set from breakthrough_on.

from django.db import migrations, models


def drop_sqlite_triggers_on_platform(apps, schema_editor):
    """SQLite rebuilds the table for AddField; triggers of other tables that name platforms_platform (learning's
    change-log triggers) would break the rebuild. Drop them; learning re-installs them after every migrate."""
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%platforms_platform%'")
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')


def fill_status(apps, schema_editor):
    Platform = apps.get_model("platforms", "Platform")
    Platform._base_manager.filter(breakthrough_on__isnull=False).update(status="breakthrough")


class Migration(migrations.Migration):
    dependencies = [
        ("platforms", "0003_input_bounds"),
    ]

    operations = [
        migrations.RunPython(drop_sqlite_triggers_on_platform, migrations.RunPython.noop),
        migrations.AddField(
            model_name="platform",
            name="status",
            field=models.CharField(
                choices=[("convened", "Bijeengeroepen"), ("breakthrough", "Doorbraak bereikt")],
                default="convened",
                max_length=15,
                verbose_name="status",
            ),
        ),
        migrations.RunPython(fill_status, migrations.RunPython.noop),
    ]
