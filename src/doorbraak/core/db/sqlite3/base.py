"""Django's SQLite backend, except that `flush` (test resets, deliberate wipes by whoever holds the file)
lifts the access log's guard triggers for its DELETEs and puts them back in the same transaction."""

from django.db.backends.sqlite3 import base, operations

from doorbraak.core.db.guards import GUARDED_TABLES, SQLITE_TRIGGERS


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        statements = super().sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        if not statements or not GUARDED_TABLES & set(tables):
            return statements
        drops = [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS]
        return [*drops, *statements, *SQLITE_TRIGGERS.values()]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
