"""On PostgreSQL the database itself refuses UPDATE and DELETE on the access log (LOG-05).
(TRUNCATE stays possible for the database owner, e.g. test-database resets; the hash chain and the
head row still reveal it.) SQLite relies on the model/queryset guards and the hash chain."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION core_accessevent_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'core_accessevent is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_accessevent_no_update_delete
  BEFORE UPDATE OR DELETE ON core_accessevent
  FOR EACH ROW EXECUTE FUNCTION core_accessevent_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS core_accessevent_no_update_delete ON core_accessevent;
DROP FUNCTION IF EXISTS core_accessevent_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
