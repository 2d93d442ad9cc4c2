"""The access log: append-only, hash-chained, verifiable (LOG-01..06)."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from doorbraak.core.audit import log_access, verify_chain
from doorbraak.core.models import AccessEvent
from doorbraak.core.pseudonyms import pseudonym
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def write_rows(n=3):
    user = UserFactory()
    return [
        log_access(user, "case.read", object_type="cases.case", object_id=i, subject=("household", i))
        for i in range(1, n + 1)
    ]


def test_rows_form_a_chain_and_verify_passes(capsys):
    rows = write_rows()
    assert [r.seq for r in rows] == [1, 2, 3]
    assert rows[1].prev_hash == rows[0].hash
    call_command("verify_access_log")
    assert "intact" in capsys.readouterr().out


def test_subject_is_stored_as_pseudonym_only():
    row = write_rows(1)[0]
    assert row.subject_pseudonym == pseudonym("household", 1)
    assert row.subject_pseudonym != "1"
    assert row.actor_username


def test_free_text_is_refused_in_codes():
    user = UserFactory()
    with pytest.raises(ValueError):
        log_access(user, "Mevrouw Jansen bekeek het dossier", object_type="cases.case")


def test_model_and_queryset_refuse_update_and_delete():
    row = write_rows(1)[0]
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        row.delete()
    with pytest.raises(PermissionError):
        AccessEvent.objects.all().update(event="x")
    with pytest.raises(PermissionError):
        AccessEvent.objects.all().delete()


def _raw(sql, params=()):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # an attacker with owner rights switches the guard off
            cursor.execute("ALTER TABLE core_accessevent DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_accessevent ENABLE TRIGGER USER")


def test_verify_detects_a_changed_row():
    write_rows()
    _raw("UPDATE core_accessevent SET object_id = %s WHERE seq = 2", ["999"])
    problems = verify_chain()
    assert any("Regel 2" in p and "gewijzigd" in p for p in problems)
    with pytest.raises(CommandError):
        call_command("verify_access_log")


def test_verify_detects_a_deleted_row_in_the_middle():
    write_rows()
    _raw("DELETE FROM core_accessevent WHERE seq = 2")
    assert any("ontbreken" in p for p in verify_chain())


def test_verify_detects_a_deleted_last_row():
    write_rows()
    _raw("DELETE FROM core_accessevent WHERE seq = 3")
    assert any("eind verwijderd" in p for p in verify_chain())


@pytest.mark.postgres_only
def test_LOG_05_postgres_refuses_update_and_delete_itself():
    from django.db.utils import DatabaseError

    write_rows(1)
    for sql in ("UPDATE core_accessevent SET event = 'x'", "DELETE FROM core_accessevent"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
