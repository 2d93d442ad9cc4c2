"""The access log: append-only, keyed hash chain, anchored by signed checkpoints, verifiable (LOG-01..06).
The 14 tamper kinds of issue 10 are in tests/security/test_access_log_tamper.py."""

import base64
import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from doorbraak.core import audit
from doorbraak.core.audit import log_access, verify_chain, write_checkpoint
from doorbraak.core.models import AccessEvent, AccessLogHead, Role, event_digest
from doorbraak.core.pseudonyms import pseudonym
from doorbraak.core.signals import denial_burst
from tests.factories import UserFactory
from tests.helpers.access_log import checkpoint_lines, head, raw, rows, use_checkpoint_file
from tests.helpers.access_log import write_rows as _write_rows

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def checkpoint_file(settings, tmp_path):
    return use_checkpoint_file(settings, tmp_path)


def write_rows(n=3):
    return _write_rows(UserFactory(), n)


def test_rows_form_a_chain_and_verify_passes(capsys):
    rows_ = write_rows()
    assert [r.seq for r in rows_] == [1, 2, 3]
    assert rows_[1].prev_hash == rows_[0].hash
    call_command("checkpoint_access_log")
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


def test_verify_detects_a_changed_row():
    write_rows()
    raw("UPDATE core_accessevent SET object_id = %s WHERE seq = 2", ["999"])
    problems = verify_chain()
    assert any("Regel 2" in p and "gewijzigd" in p for p in problems)
    with pytest.raises(CommandError):
        call_command("verify_access_log")


def test_verify_detects_a_deleted_row_in_the_middle():
    write_rows()
    raw("DELETE FROM core_accessevent WHERE seq = 2")
    assert any("ontbreken" in p for p in verify_chain())


def test_verify_detects_a_deleted_last_row():
    write_rows()
    raw("DELETE FROM core_accessevent WHERE seq = 3")
    assert any("eind verwijderd" in p for p in verify_chain())


def test_the_database_itself_refuses_update_and_delete_of_log_rows():
    """PostgreSQL since 0002; SQLite now too (core.0006)."""
    write_rows(1)
    for sql in ("UPDATE core_accessevent SET event = 'x'", "DELETE FROM core_accessevent"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AccessEvent.objects.get().event == "case.read"


# The key ------------------------------------------------------------------------------------------------


def test_rows_are_keyed_with_the_current_key_not_plain_sha256(settings):
    row = write_rows(1)[0]
    assert row.key_id == settings.ACCESS_LOG_KEY_ID == 1
    assert row.hash == event_digest(row, {1: settings.ACCESS_LOG_KEYS[1]})
    assert row.hash != event_digest(row, {1: b"another-key-of-sixteen+"})
    # Someone who recomputes with the wrong key is caught.
    settings.ACCESS_LOG_KEYS = {1: b"another-key-of-sixteen+"}
    assert any("gewijzigd" in p for p in verify_chain(checkpoints=False))


def test_key_rotation_keeps_old_rows_verifiable(settings):
    write_rows(2)
    settings.ACCESS_LOG_KEYS = {2: b"the-new-key-0123456789", 1: settings.ACCESS_LOG_KEYS[1]}
    settings.ACCESS_LOG_KEY_ID = 2
    new = log_access(UserFactory(), "case.read", object_type="cases.case", object_id=9)
    assert new.key_id == 2
    assert [r.key_id for r in rows()] == [1, 1, 2]
    assert verify_chain(checkpoints=False) == []
    # Dropping the old key too early makes those rows uncheckable, and verify says so.
    settings.ACCESS_LOG_KEYS = {2: b"the-new-key-0123456789"}
    problems = verify_chain(checkpoints=False)
    assert sum("onbekende sleutel (key_id 1)" in p for p in problems) == 2


def test_settings_parse_the_key_list():
    from doorbraak.settings import _parse_access_log_keys

    assert _parse_access_log_keys("2:a-new-key-of-16-chars,1:an-old-key-of-16-chars") == {
        2: b"a-new-key-of-16-chars",
        1: b"an-old-key-of-16-chars",
    }
    from django.core.exceptions import ImproperlyConfigured

    for bad in ("nokeyid", "0:a-key-of-sixteen-chars", "x:a-key-of-sixteen-chars", "1:short", ","):
        with pytest.raises(ImproperlyConfigured):
            _parse_access_log_keys(bad)


def _legacy_rows(n):
    """Rows as written before core.0006: key_id 0, plain SHA-256."""
    write_rows(n)
    from tests.helpers.access_log import rewrite_chain

    rewrite_chain(key_id=0)


def test_legacy_rows_with_the_migration_anchor_verify(settings):
    import importlib

    from django.apps import apps

    _legacy_rows(3)
    assert verify_chain(checkpoints=False) != []  # unkeyed rows without the anchor: caught
    migration = importlib.import_module("doorbraak.core.migrations.0006_audit_keyed_chain")
    migration.anchor_legacy_rows(apps, None)
    marker = rows()[-1]
    assert (marker.seq, marker.event, marker.object_id, marker.key_id) == (4, "security.log_keyed", "3", 1)
    write_rows(1)
    assert verify_chain(checkpoints=False) == []
    # Changing a legacy row now breaks the keyed anchor row after it.
    raw("UPDATE core_accessevent SET object_id = '77' WHERE seq = 1")
    from tests.helpers.access_log import rewrite_chain  # noqa: F401  (the attacker cannot recompute row 4)

    problems = verify_chain(checkpoints=False)
    assert any("Regel 1: de inhoud is gewijzigd" in p for p in problems)


# The head -----------------------------------------------------------------------------------------------


def test_head_row_cannot_be_deleted_or_moved_back():
    write_rows(3)
    for sql, message in (
        ("DELETE FROM core_accessloghead", "cannot be deleted"),
        ("UPDATE core_accessloghead SET seq = 1", "only moves forward"),
    ):
        with pytest.raises(DatabaseError, match=message), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert head().seq == 3


def test_a_missing_head_is_an_alarm_not_a_500(client):
    write_rows(3)
    raw("DELETE FROM core_accessloghead")
    assert any("kop van het toegangslog ontbreekt" in p for p in verify_chain(checkpoints=False))
    row = log_access(UserFactory(), "case.read", object_type="cases.case", object_id=4)  # used to be a 500
    assert row.seq == 5
    alarm = AccessEvent.objects.get(seq=4)
    assert (alarm.event, alarm.outcome) == ("security.log_head_missing", AccessEvent.Outcome.FAILURE)
    assert (head().seq, head().hash) == (5, row.hash)
    problems = verify_chain(checkpoints=False)
    assert problems == ["Regel 4: alarm: de kop van het log ontbrak en is hersteld; onderzoek dit."]


# Checkpoints --------------------------------------------------------------------------------------------


def test_checkpoint_command_appends_a_signed_line_and_a_chain_event(checkpoint_file, capsys):
    write_rows(2)
    call_command("checkpoint_access_log")
    call_command("checkpoint_access_log")
    assert "Checkpoint 2 geschreven" in capsys.readouterr().out
    first, second = checkpoint_lines(checkpoint_file)
    assert (first["n"], first["seq"], first["prev"]) == (1, 2, "0" * 64)
    assert second["n"] == 2 and second["seq"] == 3  # the first checkpoint is itself event 3
    assert AccessEvent.objects.get(seq=3).event == "security.log_checkpoint"
    assert verify_chain() == []


def test_a_verifier_needs_only_the_public_key(settings):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    write_rows(2)
    write_checkpoint()
    public = base64.b64encode(audit._public_raw(audit._signing_key().public_key())).decode()
    settings.ACCESS_LOG_CHECKPOINT_SIGNING_KEY = base64.b64encode(b"\x07" * 32).decode()  # not the writer's
    assert any("onbekende sleutel" in p for p in verify_chain())
    settings.ACCESS_LOG_CHECKPOINT_PUBLIC_KEYS = [public]
    assert verify_chain() == []
    assert isinstance(audit._signing_key(), Ed25519PrivateKey)


def test_log_access_writes_a_checkpoint_every_n_events(settings, checkpoint_file):
    settings.ACCESS_LOG_CHECKPOINT_EVERY = 5
    write_rows(8)  # rows 1-5, checkpoint event 6, rows 7-9
    lines = checkpoint_lines(checkpoint_file)
    assert [(c["n"], c["seq"]) for c in lines] == [(1, 5)]
    assert AccessEvent.objects.get(seq=6).event == "security.log_checkpoint"
    assert verify_chain() == []


def test_an_unwritable_checkpoint_file_does_not_break_logging(settings, tmp_path):
    settings.ACCESS_LOG_CHECKPOINT_EVERY = 1
    (tmp_path / "dir").mkdir()
    settings.ACCESS_LOG_CHECKPOINT_FILE = str(tmp_path / "dir")  # a directory: cannot be appended to
    write_rows(2)
    assert AccessEvent.objects.count() == 2


def test_verify_without_checkpoints_says_so_in_dutch():
    write_rows(1)
    problems = verify_chain()
    assert any("geen checkpoints" in p for p in problems)


# Denial bursts ------------------------------------------------------------------------------------------


def _deny(who, n, request=None):
    for i in range(n):
        log_access(
            request or who,
            "case.read",
            object_type="cases.case",
            object_id=i,
            outcome=AccessEvent.Outcome.DENIED,
            reason="need_to_know",
        )


def test_a_burst_of_denials_raises_the_signal_once_and_mails_the_administrators(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    user = UserFactory()
    admin = UserFactory(role=Role.ADMIN, municipality=user.municipality, email="beheer@gemeente.example")
    UserFactory(role=Role.ADMIN, municipality=user.municipality, email="weg@gemeente.example", is_active=False)
    UserFactory(role=Role.ADMIN, email="ander@andere-gemeente.example")  # another municipality
    received = []

    def listener(sender, **kwargs):
        received.append(kwargs)

    denial_burst.connect(listener)
    try:
        _deny(user, 10)
        assert received == [] and not AccessEvent.objects.filter(event="security.denial_burst").exists()
        _deny(user, 6)
    finally:
        denial_burst.disconnect(listener)
    assert len(received) == 1 and received[0]["user"] == user and received[0]["count"] == 11
    burst = AccessEvent.objects.get(event="security.denial_burst")
    assert (burst.object_type, burst.object_id, burst.actor_id) == ("core.user", str(user.pk), user.pk)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [admin.email]
    assert "11 geweigerde verzoeken" in mail.outbox[0].body and user.username in mail.outbox[0].body
    assert verify_chain(checkpoints=False) == []


def test_denials_by_other_users_and_successes_do_not_add_up():
    a, b = UserFactory(), UserFactory()
    _deny(a, 6)
    _deny(b, 6)
    write_rows(20)
    assert not AccessEvent.objects.filter(event="security.denial_burst").exists()


def test_a_burst_of_anonymous_denials_is_counted_per_address(rf, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from django.contrib.auth.models import AnonymousUser

    UserFactory(is_superuser=True, email="root@doorbraak.example", role=Role.ADMIN)
    request = rf.get("/", REMOTE_ADDR="203.0.113.9")
    request.user = AnonymousUser()
    _deny(None, 11, request=request)
    burst = AccessEvent.objects.get(event="security.denial_burst")
    assert (burst.object_type, burst.object_id, burst.network_address) == (
        "core.network_address",
        "203.0.113.9",
        "203.0.113.9",
    )
    assert mail.outbox[0].to == ["root@doorbraak.example"]


def test_burst_check_costs_one_query_per_denied_event(django_assert_num_queries):
    user = UserFactory()
    log_access(user, "case.read", object_type="cases.case", object_id=0)
    # SQLite: head select, insert, head update (+ savepoint handling varies); the denial adds one count.
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(conn) as ok:
        log_access(user, "case.read", object_type="cases.case", object_id=1)
    with CaptureQueriesContext(conn) as denied:
        log_access(
            user,
            "case.read",
            object_type="cases.case",
            object_id=2,
            outcome=AccessEvent.Outcome.DENIED,
            reason="need_to_know",
        )
    assert len(denied) == len(ok) + 1


# Concurrency, flush and the two PostgreSQL roles ---------------------------------------------------------


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_linear_chain(settings, tmp_path):
    settings.ACCESS_LOG_CHECKPOINT_FILE = str(tmp_path / "cp.jsonl")
    settings.ACCESS_LOG_CHECKPOINT_EVERY = 7
    user = UserFactory()
    barrier = threading.Barrier(4)
    errors = []

    def work():
        from django.db import connection as conn

        try:
            barrier.wait()
            for i in range(15):
                log_access(user, "case.read", object_type="cases.case", object_id=i)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            conn.close()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert [r.seq for r in rows()] == list(range(1, AccessEvent.objects.count() + 1))
    assert AccessEvent.objects.filter(event="case.read").count() == 60
    assert verify_chain() == []


@pytest.mark.django_db(transaction=True)
def test_flush_between_tests_still_works_with_the_guards():
    """The SQLite backend lifts the triggers for `flush` only (test resets); PostgreSQL uses TRUNCATE."""
    write_rows(2)
    assert AccessLogHead.objects.get().seq == 2


@pytest.mark.django_db(transaction=True)
def test_after_flush_the_log_starts_fresh_and_guards_are_back():
    assert AccessEvent.objects.count() == 0
    from doorbraak.core.db.guards import missing_triggers

    assert missing_triggers(connection) == []


APP_ROLE = "doorbraak_audit_test_app"


@pytest.fixture
def app_role():
    call_command("setup_database_roles", app_role=APP_ROLE)
    return APP_ROLE


def _as_app_role(sql, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {APP_ROLE}")
        try:
            cursor.execute(sql, params)
        finally:
            cursor.execute("RESET ROLE")


@pytest.mark.postgres_only
@pytest.mark.parametrize(
    "sql",
    [
        "SET session_replication_role = replica",
        "ALTER TABLE core_accessevent DISABLE TRIGGER ALL",
        "ALTER TABLE core_accessevent DISABLE TRIGGER core_accessevent_no_update_delete",
        "ALTER TABLE core_accessloghead DISABLE TRIGGER USER",
        "UPDATE core_accessevent SET object_id = 'x'",
        "DELETE FROM core_accessevent",
        "TRUNCATE core_accessevent",
        "DELETE FROM core_accessloghead",
        "TRUNCATE core_accessloghead",
        "UPDATE core_accessloghead SET seq = 0",
        "DROP TRIGGER core_accessloghead_guard ON core_accessloghead",
    ],
)
def test_the_app_role_cannot_switch_off_or_bypass_the_guards(app_role, sql):
    write_rows(2)
    with pytest.raises(DatabaseError):
        _as_app_role(sql)
    assert [r.seq for r in rows()] == [1, 2] and head().seq == 2
    assert verify_chain(checkpoints=False) == []


@pytest.mark.postgres_only
def test_the_app_role_can_do_its_work(app_role, checkpoint_file):
    user = UserFactory()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {APP_ROLE}")
        cursor.execute("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user")
        assert cursor.fetchone() == (APP_ROLE, False)
        _write_rows(user, 3)
        write_checkpoint()
        cursor.execute("SELECT count(*) FROM core_user")
        cursor.execute("RESET ROLE")
    assert verify_chain() == []


@pytest.mark.postgres_only
def test_setup_database_roles_is_idempotent(capsys):
    call_command("setup_database_roles", app_role=APP_ROLE)
    call_command("setup_database_roles", app_role=APP_ROLE)
    assert f"Rol {APP_ROLE} is ingesteld" in capsys.readouterr().out
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper, rolcreaterole, rolbypassrls FROM pg_roles WHERE rolname = %s", [APP_ROLE])
        assert cursor.fetchone() == (False, False, False)
        cursor.execute(
            "SELECT has_table_privilege(%s, 'core_accessevent', 'UPDATE'), "
            "has_table_privilege(%s, 'core_accessevent', 'INSERT')",
            [APP_ROLE, APP_ROLE],
        )
        assert cursor.fetchone() == (False, True)


def test_production_refuses_to_start_without_the_access_log_keys():
    from tests.core.test_tenancy_and_security import PRODUCTION_ENV, _manage

    for missing in ("ACCESS_LOG_KEYS", "ACCESS_LOG_CHECKPOINT_SIGNING_KEY"):
        env = {**PRODUCTION_ENV, missing: "", "ACCESS_LOG_KEY": ""}
        result = _manage("check", env_extra=env)
        assert result.returncode != 0 and missing in result.stderr
    # A verify-only host: public key only, no automatic checkpoints.
    env = {
        **PRODUCTION_ENV,
        "ACCESS_LOG_CHECKPOINT_SIGNING_KEY": "",
        "ACCESS_LOG_CHECKPOINT_EVERY": "0",
        "ACCESS_LOG_CHECKPOINT_PUBLIC_KEYS": "A" * 43 + "=",
    }
    assert _manage("check", env_extra=env).returncode == 0


def test_verify_without_checkpoints_option_checks_the_chain_only(capsys):
    write_rows(2)
    call_command("verify_access_log", "--no-checkpoints")
    assert "niet gecontroleerd" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("verify_access_log")


def test_generated_keys_work(settings, capsys):
    call_command("generate_access_log_keys", "--key-id", "3")
    out = dict(line.split("=", 1) for line in capsys.readouterr().out.splitlines() if "=" in line and line[0] != "#")
    from doorbraak.settings import _parse_access_log_keys

    settings.ACCESS_LOG_KEYS = _parse_access_log_keys(out["ACCESS_LOG_KEYS"])
    settings.ACCESS_LOG_KEY_ID = 3
    settings.ACCESS_LOG_CHECKPOINT_SIGNING_KEY = out["ACCESS_LOG_CHECKPOINT_SIGNING_KEY"]
    write_rows(2)
    write_checkpoint()
    assert rows()[0].key_id == 3
    assert verify_chain() == []


def test_a_corrupt_last_checkpoint_line_is_a_clear_error(checkpoint_file):
    write_rows(1)
    checkpoint_file.write_text("not json\n")
    with pytest.raises(CommandError, match="kon niet worden geschreven"):
        call_command("checkpoint_access_log")
    assert any("onleesbaar" in p for p in verify_chain())


GARBAGE = [
    '{"n": "1"}',
    "[]",
    '{"v":1,"n":1,"seq":"1","hash":[],"at":"","prev":"","kid":[],"sig":"x"}',
    "\x00\x01",
    '{"v":1,"n":true,"seq":0,"hash":"","at":"","prev":"","kid":"","sig":"!!"}',
]


@pytest.mark.parametrize("line", GARBAGE)
def test_garbage_in_the_checkpoint_file_is_reported_not_a_crash(checkpoint_file, line):
    write_rows(1)
    checkpoint_file.write_text(line + "\n")
    assert any("onleesbaar" in p for p in verify_chain())
