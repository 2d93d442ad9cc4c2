"""The database's own guards of the access log: append-only rows, a head that is never deleted and only
moves forward. Used by migration core.0006, by the SQLite backend's flush and by verify_access_log.

The application role cannot switch these off on PostgreSQL (it is not the owner and not a superuser:
`setup_database_roles`). On SQLite whoever holds the file can drop them; verify_access_log reports a
missing trigger, and the keyed chain and the checkpoints still reveal what was changed.
"""

SQLITE_TRIGGERS = {
    "core_accessevent_no_update": (
        "CREATE TRIGGER core_accessevent_no_update BEFORE UPDATE ON core_accessevent "
        "BEGIN SELECT RAISE(ABORT, 'core_accessevent is append-only'); END"
    ),
    "core_accessevent_no_delete": (
        "CREATE TRIGGER core_accessevent_no_delete BEFORE DELETE ON core_accessevent "
        "BEGIN SELECT RAISE(ABORT, 'core_accessevent is append-only'); END"
    ),
    "core_accessloghead_no_delete": (
        "CREATE TRIGGER core_accessloghead_no_delete BEFORE DELETE ON core_accessloghead "
        "BEGIN SELECT RAISE(ABORT, 'core_accessloghead cannot be deleted'); END"
    ),
    "core_accessloghead_forward_only": (
        "CREATE TRIGGER core_accessloghead_forward_only BEFORE UPDATE ON core_accessloghead "
        "WHEN NEW.seq < OLD.seq OR NEW.id != OLD.id "
        "BEGIN SELECT RAISE(ABORT, 'core_accessloghead only moves forward'); END"
    ),
}

POSTGRES_CREATE = """
CREATE OR REPLACE FUNCTION core_accessloghead_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'core_accessloghead cannot be deleted';
  END IF;
  IF NEW.seq < OLD.seq OR NEW.id <> OLD.id THEN
    RAISE EXCEPTION 'core_accessloghead only moves forward';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS core_accessloghead_guard ON core_accessloghead;
CREATE TRIGGER core_accessloghead_guard
  BEFORE UPDATE OR DELETE ON core_accessloghead
  FOR EACH ROW EXECUTE FUNCTION core_accessloghead_guard();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS core_accessloghead_guard ON core_accessloghead;
DROP FUNCTION IF EXISTS core_accessloghead_guard();
"""
# Trigger names verify_access_log expects to find enabled (the first one comes from migration core.0002).
POSTGRES_TRIGGERS = {
    "core_accessevent_no_update_delete": "core_accessevent",
    "core_accessloghead_guard": "core_accessloghead",
}
GUARDED_TABLES = {"core_accessevent", "core_accessloghead"}


def create_sqlite_triggers(cursor) -> None:
    for name, sql in SQLITE_TRIGGERS.items():
        cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(sql)


def missing_triggers(connection) -> list[str]:
    """Names of guard triggers that are absent or disabled on this database."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            present = {row[0] for row in cursor.fetchall()}
            return [name for name in SQLITE_TRIGGERS if name not in present]
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE NOT t.tgisinternal AND t.tgenabled <> 'D' AND c.relname = ANY(%s)",
                [list(GUARDED_TABLES)],
            )
            present = {row[0] for row in cursor.fetchall()}
            return [name for name in POSTGRES_TRIGGERS if name not in present]
    return []
