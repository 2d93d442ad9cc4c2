"""Issue 10, part 3: the 14 tamper kinds of the security test, each detected by verify_access_log (or refused
by the database) on SQLite and on PostgreSQL. Tampering is raw SQL with the guards lifted, the way someone
with owner or file access would do it (tests.helpers.access_log.guards_lifted).

Log under test: rows 1-5, checkpoint 1 (of seq 5; its chain event is row 6), rows 7-8, checkpoint 2 (of seq 8;
row 9), row 10.
"""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from doorbraak.core.audit import log_access, verify_chain, write_checkpoint
from doorbraak.core.models import AccessEvent, event_digest
from tests.factories import UserFactory
from tests.helpers.access_log import guards_lifted, head, raw, rewrite_chain, rows, use_checkpoint_file, write_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def log(settings, tmp_path):
    path = use_checkpoint_file(settings, tmp_path)
    user = UserFactory()
    write_rows(user, 5)
    write_checkpoint()
    write_rows(user, 2, start=7)
    write_checkpoint()
    write_rows(user, 1, start=10)
    assert [r.seq for r in rows()] == list(range(1, 11))
    assert verify_chain() == []
    return {"user": user, "path": path}


def _hash_of(seq):
    return AccessEvent.objects.get(seq=seq).hash


def change_a_field(ctx):
    raw("UPDATE core_accessevent SET object_id = '999' WHERE seq = 2")
    return ["Regel 2: de inhoud is gewijzigd."]


def change_prev_hash(ctx):
    raw("UPDATE core_accessevent SET prev_hash = %s WHERE seq = 3", ["1" * 64])
    return ["Regel 3: de verwijzing naar de vorige regel klopt niet.", "Regel 3: de inhoud is gewijzigd."]


def change_hash(ctx):
    raw("UPDATE core_accessevent SET hash = %s WHERE seq = 2", ["ab" * 32])
    return ["Regel 2: de inhoud is gewijzigd.", "Regel 3: de verwijzing naar de vorige regel klopt niet."]


def delete_a_middle_row(ctx):
    raw("DELETE FROM core_accessevent WHERE seq = 3")
    return ["Regel(s) 3–3 ontbreken (verwijderd).", "Regel 4: de verwijzing naar de vorige regel klopt niet."]


def delete_the_newest_rows(ctx):
    raw("DELETE FROM core_accessevent WHERE seq >= 9")
    return [
        "De laatste regel in het log (8) komt niet overeen met de vastgelegde kop (10)",
        "Checkpoint 2: regel 9 van het log is niet de regel van dit checkpoint",
    ]  # its chain event is gone


def insert_a_forged_row(ctx):
    prev = _hash_of(10)
    forged = AccessEvent(
        seq=11,
        action="R",
        event="case.read",
        event_type="normal",
        outcome="success",
        purpose="case_management",
        actor_id=ctx["user"].pk,
        actor_username=ctx["user"].username,
        actor_role="professional",
        on_behalf_of=ctx["user"].username,
        municipality_code="",
        network_address="",
        object_type="cases.case",
        object_id="42",
        subject_pseudonym="",
        reason="",
        trace_id="f" * 32,
        prev_hash=prev,
        key_id=1,
    )
    forged.hash = event_digest(forged, {1: b"guessed-key-0123456789"})
    with guards_lifted() as cursor:
        cursor.execute(
            "INSERT INTO core_accessevent (seq, occurred_at, action, event, event_type, outcome, purpose, actor_id, "
            "actor_username, actor_role, on_behalf_of, municipality_code, network_address, object_type, object_id, "
            "subject_pseudonym, reason, trace_id, prev_hash, hash, key_id) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [
                forged.seq,
                forged.occurred_at,
                forged.action,
                forged.event,
                forged.event_type,
                forged.outcome,
                forged.purpose,
                forged.actor_id,
                forged.actor_username,
                forged.actor_role,
                forged.on_behalf_of,
                forged.municipality_code,
                forged.network_address,
                forged.object_type,
                forged.object_id,
                forged.subject_pseudonym,
                forged.reason,
                forged.trace_id,
                forged.prev_hash,
                forged.hash,
                forged.key_id,
            ],
        )
        cursor.execute("UPDATE core_accessloghead SET seq = 11, hash = %s", [forged.hash])
    return ["Regel 11: de inhoud is gewijzigd."]


def swap_two_rows_seq(ctx):
    with guards_lifted() as cursor:
        cursor.execute("UPDATE core_accessevent SET seq = 999 WHERE seq = 2")
        cursor.execute("UPDATE core_accessevent SET seq = 2 WHERE seq = 3")
        cursor.execute("UPDATE core_accessevent SET seq = 3 WHERE seq = 999")
    return ["Regel 2: de verwijzing naar de vorige regel klopt niet.", "Regel 2: de inhoud is gewijzigd."]


def recompute_the_chain_without_the_key_and_move_the_head(ctx):
    rewrite_chain(key_id=0)  # plain SHA-256, the only hash one can compute without the key
    return ["niet met de sleutel beveiligd", "Checkpoint 1: regel 5 heeft niet de vastgelegde hash"]


def empty_the_log_and_reset_the_head(ctx):
    with guards_lifted() as cursor:
        cursor.execute("DELETE FROM core_accessevent")
        cursor.execute("UPDATE core_accessloghead SET seq = 0, hash = %s", ["0" * 64])
    assert rows() == []
    return ["Checkpoint 1: regel 5 ontbreekt in het log", "Checkpoint 2: regel 8 ontbreekt in het log"]


def delete_the_head_row(ctx):
    raw("DELETE FROM core_accessloghead")
    return ["De kop van het toegangslog ontbreekt (verwijderd): alarm."]


def cut_the_tail_back_to_a_checkpoint_with_a_consistent_head(ctx):
    """Part of kind 5 (delete the newest rows): rows 9-10 removed and the head set to row 8, which checkpoint 2
    signed. The chain and the head agree; the missing chain event of checkpoint 2 gives it away."""
    with guards_lifted() as cursor:
        cursor.execute("DELETE FROM core_accessevent WHERE seq >= 9")
        cursor.execute("UPDATE core_accessloghead SET seq = 8, hash = %s", [_hash_of(8)])
    assert verify_chain(checkpoints=False) == []
    return ["Checkpoint 2: regel 9 van het log is niet de regel van dit checkpoint"]


def move_the_head_back(ctx):
    raw("UPDATE core_accessloghead SET seq = 7, hash = %s", [_hash_of(7)])
    return [
        "De laatste regel in het log (10) komt niet overeen met de vastgelegde kop (7)",
        "De kop van het log (7) staat achter het nieuwste checkpoint (8).",
    ]


def truncate_recompute_with_a_consistent_head(ctx):
    """Even someone who stole the HMAC key: rows 3-4 removed, the rest renumbered and re-keyed, head moved.
    The chain itself is then consistent; only the checkpoints (signed with a key the app's database
    attacker does not have) catch it."""
    raw("DELETE FROM core_accessevent WHERE seq IN (3, 4)")
    rewrite_chain(key_id=1, keys=settings.ACCESS_LOG_KEYS, renumber=True)
    assert verify_chain(checkpoints=False) == []
    return ["Checkpoint 1: regel 5 heeft niet de vastgelegde hash", "Checkpoint 2: regel 8 heeft niet de vastgelegde"]


def rewrite_the_newest_checkpoint(ctx):
    path = ctx["path"]
    lines = path.read_text().splitlines()
    lines[-1] = lines[-1].replace('"seq":8', '"seq":7')
    path.write_text("\n".join(lines) + "\n")
    return ["Checkpoint 2 (regel 2 van het checkpointbestand): de handtekening klopt niet"]


def remove_the_newest_checkpoint(ctx):
    path = ctx["path"]
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines[:-1]) + "\n")
    return ["Regel 9: checkpoint 2 ontbreekt in het checkpointbestand"]


def disable_the_trigger(ctx):
    if connection.vendor == "postgresql":
        # The application's role cannot switch the guards off ...
        call_command("setup_database_roles", app_role="doorbraak_audit_test_app")
        for sql in ("SET session_replication_role = replica", "ALTER TABLE core_accessevent DISABLE TRIGGER ALL"):
            with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET ROLE doorbraak_audit_test_app")
                cursor.execute(sql)
        # ... the owner can; a disabled trigger is reported, and what was changed still shows.
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE core_accessevent DISABLE TRIGGER core_accessevent_no_update_delete")
            cursor.execute("UPDATE core_accessevent SET object_id = '1234' WHERE seq = 4")
        return [
            "De databasebeveiliging core_accessevent_no_update_delete ontbreekt of staat uit.",
            "Regel 4: de inhoud is gewijzigd.",
        ]
    with connection.cursor() as cursor:  # SQLite: whoever holds the file drops the trigger
        cursor.execute("DROP TRIGGER core_accessevent_no_update")
        cursor.execute("UPDATE core_accessevent SET object_id = '1234' WHERE seq = 4")
    return [
        "De databasebeveiliging core_accessevent_no_update ontbreekt of staat uit.",
        "Regel 4: de inhoud is gewijzigd.",
    ]


TAMPER_KINDS = [
    change_a_field,
    change_prev_hash,
    change_hash,
    delete_a_middle_row,
    delete_the_newest_rows,
    cut_the_tail_back_to_a_checkpoint_with_a_consistent_head,
    insert_a_forged_row,
    swap_two_rows_seq,
    recompute_the_chain_without_the_key_and_move_the_head,
    empty_the_log_and_reset_the_head,
    delete_the_head_row,
    move_the_head_back,
    truncate_recompute_with_a_consistent_head,
    rewrite_the_newest_checkpoint,  # kind 13: rewrite or remove the newest checkpoint line
    remove_the_newest_checkpoint,
    disable_the_trigger,
]


@pytest.mark.parametrize("tamper", TAMPER_KINDS, ids=[t.__name__ for t in TAMPER_KINDS])
def test_tampering_is_detected(log, tamper, capsys):
    expected = tamper(log)
    problems = verify_chain()
    for text in expected:
        assert any(text in p for p in problems), f"{text!r} not in {problems}"
    with pytest.raises(CommandError, match="niet intact"):
        call_command("verify_access_log")
    assert expected[0] in capsys.readouterr().err


def test_deleting_the_head_does_not_break_later_reads(log, client):
    """Used to be: IntegrityError (seq restarted at 1) on every later log write, i.e. a 500 on every page."""
    raw("DELETE FROM core_accessloghead")
    row = log_access(log["user"], "case.read", object_type="cases.case", object_id=1)
    assert row.seq == 12 and AccessEvent.objects.get(seq=11).event == "security.log_head_missing"
    assert head().seq == 12
    assert any("alarm" in p for p in verify_chain())


def test_the_database_refuses_the_attacks_without_lifting_the_guards(log):
    for sql in (
        "UPDATE core_accessevent SET object_id = '1' WHERE seq = 2",
        "DELETE FROM core_accessevent WHERE seq = 10",
        "DELETE FROM core_accessloghead",
        "UPDATE core_accessloghead SET seq = 0",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert verify_chain() == []


def test_with_the_head_deleted_the_case_page_still_opens(log, client):
    """The finding as a user saw it: after DELETE of the head row every logged read was a 500."""
    from django.urls import reverse

    from tests.cases.factories import World, login

    world = World()
    raw("DELETE FROM core_accessloghead")
    login(client, world.pro)
    response = client.get(reverse("cases:detail", args=[world.case.pk]))
    assert response.status_code == 200
    assert AccessEvent.objects.filter(event="security.log_head_missing").count() == 1
    assert AccessEvent.objects.filter(event="case.read", object_id=str(world.case.pk)).exists()
    assert any("alarm" in p for p in verify_chain())
