"""Issue 10, part 6e: the BSN is encrypted at rest, found through a keyed hash, never logged or shown in full.

Finding: "the BSN is stored in plain text". Each test runs on SQLite and PostgreSQL (scripts/test_all.sh).
"""

import base64
import hashlib
import importlib
import io

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.exceptions import FieldError, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import override_settings
from django.urls import reverse

from doorbraak.cases import selectors
from doorbraak.cases.forms import BSN_ERROR, MemberForm
from doorbraak.cases.models import Case, Person
from doorbraak.core.fields import BsnDecryptionError, bsn_hash
from doorbraak.core.models import AccessEvent
from tests.cases.factories import PersonFactory, World, login

pytestmark = pytest.mark.django_db

VALID_BSN = "999999990"  # passes the eleven-test (test range)
OTHER_BSN = "999911016"
KEY_OLD = base64.urlsafe_b64encode(b"test-only-field-key-old-00000000").decode()
KEY_NEW = base64.urlsafe_b64encode(b"test-only-field-key-new-00000000").decode()


def raw_person_rows(person_ids=None):
    """Every column of cases_person, read past the ORM, as one string per row."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM cases_person")
        return {
            row[0]: " ".join(str(v) for v in row)
            for row in cursor.fetchall()
            if person_ids is None or row[0] in person_ids
        }


def raw_bsn(person):
    with connection.cursor() as cursor:
        cursor.execute("SELECT bsn, bsn_hash FROM cases_person WHERE id = %s", [person.pk])
        return cursor.fetchone()


def open_case_with_bsn(client, w, bsn=VALID_BSN):
    login(client, w.lead)
    response = client.post(
        reverse("cases:create"),
        {
            "form_token": "0b7c7d2e-9d5b-4c55-9a52-0a0b8f0c1a12",
            "title": "Kamer met huurgarantie",
            "team": w.team.pk,
            "area": "Noord",
            "first_name": "Daan",
            "last_name": "Smits",
            "date_of_birth": "2004-02-01",
            "bsn": bsn,
            "question": "Ik wil een kamer huren.",
            "tried": "",
            "score_housing": "1",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get(title="Kamer met huurgarantie")
    return case, response


def test_the_database_holds_no_plaintext_bsn(client):
    w = World()
    case, _response = open_case_with_bsn(client, w, bsn="9999.99.990")
    person = Person.objects.get(household=case.household)
    assert person.bsn == VALID_BSN  # the app reads it back, normalised
    rows = raw_person_rows()
    assert rows and all(VALID_BSN not in row for row in rows.values())
    stored, stored_hash = raw_bsn(person)
    assert stored.startswith("gAAAAA")  # a Fernet token
    assert Fernet(settings.FIELD_ENCRYPTION_KEYS[0]).decrypt(stored.encode()).decode() == VALID_BSN
    assert stored_hash == bsn_hash(VALID_BSN) and len(stored_hash) == 64


def test_the_same_bsn_gives_a_different_ciphertext_each_time():
    one = PersonFactory(bsn=VALID_BSN)
    two = PersonFactory(bsn=VALID_BSN)
    assert raw_bsn(one)[0] != raw_bsn(two)[0]
    assert raw_bsn(one)[1] == raw_bsn(two)[1]  # the keyed hash is deterministic: that is what finds it


def test_no_bsn_is_null_with_no_hash_and_reads_as_empty():
    person = PersonFactory(bsn="")
    assert raw_bsn(person) == (None, "")
    assert Person.objects.get(pk=person.pk).bsn == ""


def test_the_hash_is_keyed():
    assert bsn_hash(VALID_BSN) != hashlib.sha256(VALID_BSN.encode()).hexdigest()  # not guessable from 10^9 BSNs
    with override_settings(BSN_HASH_KEY="another-key"):
        other = bsn_hash(VALID_BSN)
    assert other != bsn_hash(VALID_BSN)


def test_database_refuses_plaintext_a_bsn_without_hash_or_a_hash_without_bsn():
    person = PersonFactory(bsn=VALID_BSN)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE cases_person SET bsn_hash = '' WHERE id = %s", [person.pk])
    empty = PersonFactory(bsn="")
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE cases_person SET bsn_hash = %s WHERE id = %s", [bsn_hash(VALID_BSN), empty.pk])
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:  # plaintext back in
        cursor.execute("UPDATE cases_person SET bsn = %s WHERE id = %s", [VALID_BSN, person.pk])


def test_full_clean_accepts_a_valid_bsn_and_refuses_an_invalid_one():
    person = PersonFactory.build(household=World().case.household, bsn=VALID_BSN)
    person.municipality = person.household.municipality
    person.full_clean()
    person.bsn = "123456789"
    with pytest.raises(ValidationError, match="elfproef"):
        person.full_clean()
    person.bsn = "not-a-bsn"
    with pytest.raises(ValidationError, match="elfproef"):
        person.full_clean()
    # A failed validation leaves no state behind: reads still decrypt.
    saved = PersonFactory(bsn=VALID_BSN)
    assert Person.objects.get(pk=saved.pk).bsn == VALID_BSN


def test_lookup_by_bsn_works_within_need_to_know_only(client):
    w = World()
    case, _response = open_case_with_bsn(client, w)
    found = list(selectors.people_with_bsn(w.lead, "999 999 990"))
    assert [p.first_name for p in found] == ["Daan"]
    assert list(selectors.people_with_bsn(w.stranger, VALID_BSN)) == []
    assert list(selectors.people_with_bsn(w.uninvolved, VALID_BSN)) == []
    assert list(selectors.people_with_bsn(w.lead, "123456789")) == []  # fails the eleven-test: no query at all
    assert list(selectors.case_list(w.lead, q=VALID_BSN)) == [case]
    assert list(selectors.case_list(w.lead, q=OTHER_BSN)) == []


def test_the_ciphertext_cannot_be_queried():
    with pytest.raises(FieldError, match="bsn_hash"):
        list(Person.objects.filter(bsn=VALID_BSN))


def test_member_form_still_applies_the_eleven_test(client):
    form = MemberForm(
        {
            "first_name": "Mila",
            "last_name": "Smits",
            "date_of_birth": "2015-03-01",
            "bsn": "123456789",
            "relation": "child",
        }
    )
    assert not form.is_valid() and form.errors["bsn"] == [str(BSN_ERROR)]
    form = MemberForm(
        {
            "first_name": "Mila",
            "last_name": "Smits",
            "date_of_birth": "2015-03-01",
            "bsn": "999 911 016",
            "relation": "child",
        }
    )
    assert form.is_valid() and form.cleaned_data["bsn"] == OTHER_BSN
    w = World()
    login(client, w.pro)
    url = reverse("cases:member_add", args=[w.case.pk])
    response = client.post(
        url,
        {
            "first_name": "Mila",
            "last_name": "Smits",
            "date_of_birth": "2015-03-01",
            "bsn": "123456789",
            "relation": "child",
        },
    )
    assert "Dit is geen geldig BSN" in response.content.decode()
    assert not Person.objects.filter(first_name="Mila").exists()
    client.post(
        url,
        {
            "first_name": "Mila",
            "last_name": "Smits",
            "date_of_birth": "2015-03-01",
            "bsn": OTHER_BSN,
            "relation": "child",
        },
    )
    mila = Person.objects.get(first_name="Mila")
    assert mila.bsn == OTHER_BSN and OTHER_BSN not in raw_person_rows([mila.pk])[mila.pk]


def test_bsn_never_in_url_log_message_or_page_only_the_last_three_digits(client):
    w = World()
    case, response = open_case_with_bsn(client, w)
    assert VALID_BSN not in response["Location"]
    page = client.get(reverse("cases:detail", args=[case.pk]), follow=True).content.decode()
    assert VALID_BSN not in page and "BSN bekend (eindigt op 990)" in page
    client.get(reverse("cases:list"), {"q": VALID_BSN})
    for row in AccessEvent.objects.all():
        assert VALID_BSN not in " ".join(str(v) for v in row.__dict__.values())
    person = Person.objects.get(household=case.household)
    assert VALID_BSN not in str(person) and VALID_BSN not in repr(person)


def test_rotation_old_rows_read_after_a_new_key_and_rewrite_under_it():
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_OLD]):
        person = PersonFactory(bsn=VALID_BSN)
        empty = PersonFactory(bsn="")
    old_token = raw_bsn(person)[0]
    assert Fernet(KEY_OLD).decrypt(old_token.encode()).decode() == VALID_BSN
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_NEW, KEY_OLD]):
        assert Person.objects.get(pk=person.pk).bsn == VALID_BSN  # old row, new key in front: still readable
        call_command("rotate_field_keys", stdout=io.StringIO())
    new_token = raw_bsn(person)[0]
    assert new_token != old_token and Fernet(KEY_NEW).decrypt(new_token.encode()).decode() == VALID_BSN
    assert raw_bsn(empty) == (None, "")
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_NEW]):  # old key removed after the re-save
        assert Person.objects.get(pk=person.pk).bsn == VALID_BSN


def test_a_missing_key_fails_closed_without_showing_ciphertext_or_bsn():
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_OLD]):
        person = PersonFactory(bsn=VALID_BSN)
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_NEW]), pytest.raises(BsnDecryptionError) as caught:
        Person.objects.get(pk=person.pk)
    assert VALID_BSN not in str(caught.value) and "gAAAAA" not in str(caught.value)


def test_hash_key_rotation_recomputes_the_lookup_hashes():
    w = World()
    person = PersonFactory(household=w.case.household, municipality=w.municipality, bsn=VALID_BSN)
    with override_settings(BSN_HASH_KEY="a-new-hash-key"):
        assert list(selectors.people_with_bsn(w.lead, VALID_BSN)) == []  # stale hashes until the command ran
        call_command("rotate_field_keys", stdout=io.StringIO())
        assert list(selectors.people_with_bsn(w.lead, VALID_BSN)) == [person]
        assert raw_bsn(person)[1] == bsn_hash(VALID_BSN)


@pytest.mark.django_db(transaction=True)
def test_data_migration_encrypts_existing_plaintext_and_reverses():
    """Migration 0006's own operations, run backward then forward on today's schema: dropping its check
    constraint and decrypting (the reverse, back to 0005's plaintext), then encrypting and adding the constraint
    again (the forward). Migrating the whole schema back to cases 0005 and forward again tested the same code at
    several minutes a run on PostgreSQL; the constraint added at the end checks every row as the migration does."""
    from django.db.migrations import RemoveConstraint
    from django.db.migrations.loader import MigrationLoader

    migration = importlib.import_module("doorbraak.cases.migrations.0006_bsn_encrypt_existing").Migration
    run_python, add_constraint = migration.operations
    with_check = MigrationLoader(connection).project_state()  # today's schema (SQLite remakes the table from it)
    without_check = with_check.clone()
    RemoveConstraint("person", add_constraint.constraint.name).state_forwards("cases", without_check)
    w = World()
    person = PersonFactory(household=w.case.household, municipality=w.municipality, bsn=VALID_BSN)
    empty = PersonFactory(household=w.case.household, municipality=w.municipality, bsn="")
    with connection.schema_editor() as editor:  # backward: constraint off, rows decrypted
        add_constraint.database_backwards("cases", editor, with_check, without_check)
        run_python.database_backwards("cases", editor, without_check, without_check)
    forward_done = False
    try:
        assert raw_bsn(person) == (VALID_BSN, "") and raw_bsn(empty) == ("", "")
        with connection.schema_editor() as editor:  # forward again
            run_python.database_forwards("cases", editor, without_check, without_check)
            run_python.database_forwards("cases", editor, without_check, without_check)  # twice: ciphertext kept
            add_constraint.database_forwards("cases", editor, without_check, with_check)
        forward_done = True
    finally:
        if not forward_done:  # a failure above must not leave later tests a schema without the constraint
            with connection.schema_editor() as editor:
                run_python.database_forwards("cases", editor, without_check, without_check)
                add_constraint.database_forwards("cases", editor, without_check, with_check)
    stored, stored_hash = raw_bsn(person)
    assert stored.startswith("gAAAAA") and VALID_BSN not in stored and stored_hash == bsn_hash(VALID_BSN)
    assert raw_bsn(empty) == (None, "")
    assert Person.objects.get(pk=person.pk).bsn == VALID_BSN
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:  # constraint back
        cursor.execute("UPDATE cases_person SET bsn = %s WHERE id = %s", [VALID_BSN, person.pk])  # plaintext refused


@pytest.mark.parametrize(
    "change,message",
    [
        ({"FIELD_ENCRYPTION_KEYS": ""}, "FIELD_ENCRYPTION_KEYS must be set in production"),
        ({"FIELD_ENCRYPTION_KEYS": "ZG9vcmJyYWFrLWRldi1vbmx5LWZpZWxkLWtleS0wMDE="}, "development field key"),
        ({"FIELD_ENCRYPTION_KEYS": "not-a-fernet-key"}, "must be a Fernet key"),
        ({"BSN_HASH_KEY": ""}, "BSN_HASH_KEY must be set in production"),
    ],
)
def test_production_refuses_to_start_without_proper_bsn_keys(change, message):
    from tests.core.test_tenancy_and_security import PRODUCTION_ENV, _manage

    result = _manage("check", env_extra={**PRODUCTION_ENV, **change})
    assert result.returncode != 0 and message in result.stderr


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_case_page_in_a_browser_shows_only_the_last_three_digits(page, login_as, axe, live_server):
    w = World()
    PersonFactory(household=w.case.household, municipality=w.municipality, first_name="Mila", bsn=OTHER_BSN)
    login_as(w.pro)
    page.goto(reverse("cases:detail", args=[w.case.pk]))
    text = page.locator("main").inner_text()
    assert "BSN bekend (eindigt op 016)" in text and OTHER_BSN not in page.content()
    axe(page)
