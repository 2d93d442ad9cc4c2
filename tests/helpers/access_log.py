"""Tampering with the access log the way someone with database access would: raw SQL, guards lifted."""

import contextlib
import json
from pathlib import Path

from django.conf import settings
from django.db import connection

from doorbraak.core.audit import log_access
from doorbraak.core.db import guards
from doorbraak.core.models import AccessEvent, AccessLogHead, event_digest


def use_checkpoint_file(settings_fixture, tmp_path) -> Path:
    path = tmp_path / "checkpoints.jsonl"
    settings_fixture.ACCESS_LOG_CHECKPOINT_FILE = str(path)
    return path


@contextlib.contextmanager
def guards_lifted():
    """PostgreSQL: a superuser/owner session switches the triggers off (session_replication_role);
    SQLite: whoever holds the file drops the triggers. Both are put back afterwards."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        else:
            for name in guards.SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        try:
            yield cursor
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("SET session_replication_role = DEFAULT")
            else:
                guards.create_sqlite_triggers(cursor)


def raw(sql, params=()):
    with guards_lifted() as cursor:
        cursor.execute(sql, params)


def write_rows(user, n=3, start=1):
    return [
        log_access(user, "case.read", object_type="cases.case", object_id=i, subject=("household", i))
        for i in range(start, start + n)
    ]


def rows():
    return list(AccessEvent.objects.order_by("seq"))


def rewrite_chain(*, key_id, keys=None, renumber=False):
    """Recompute every row's prev_hash and hash (key_id 0 = plain SHA-256, as without the key) and move
    the head to the new end, with raw SQL."""
    prev = "0" * 64
    seq = 0
    with guards_lifted() as cursor:
        for row in rows():
            seq = seq + 1 if renumber else row.seq
            row.seq, row.prev_hash, row.key_id = seq, prev, key_id
            old_hash = row.hash
            row.hash = event_digest(row, keys or settings.ACCESS_LOG_KEYS)
            cursor.execute(
                "UPDATE core_accessevent SET seq = %s, prev_hash = %s, hash = %s, key_id = %s WHERE hash = %s",
                [row.seq, row.prev_hash, row.hash, key_id, old_hash],
            )
            prev = row.hash
        cursor.execute("UPDATE core_accessloghead SET seq = %s, hash = %s WHERE id = 1", [seq, prev])


def head():
    return AccessLogHead.objects.filter(pk=1).first()


def checkpoint_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
