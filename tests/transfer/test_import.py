"""Issue 17, point 5: upload -> dry run per row -> confirm (four eyes above N) -> idempotent commit through the
cases services; an import log without personal data; the file deleted afterwards."""

import pytest
from django.urls import reverse

from doorbraak.cases.models import Case, Person
from doorbraak.core.errors import RuleError
from doorbraak.core.models import AccessEvent, Role
from doorbraak.core.permissions import Refused
from doorbraak.core.tasks import run_pending_tasks
from doorbraak.transfer import services
from doorbraak.transfer.models import ExternalRecord, ImportBatch, ImportRow
from tests.cases.factories import World, login
from tests.factories import UserFactory
from tests.transfer.helpers import OTHER_BSN, VALID_BSN, csv_bytes, row, upload_file, xlsx_bytes

pytestmark = pytest.mark.django_db


def good_rows(team):
    return [
        row("P1", "H1", team, bsn=VALID_BSN),
        row("P2", "H1", "", relation="kind", first="Bram", born="2012-06-30", title="", question=""),
        row("P3", "H2", team, first="Cor", last="de Vries", born="15-03-1975"),
    ]


def checked(user, content, name="import.csv"):
    batch = services.upload(user, upload_file(content, name))
    run_pending_tasks()
    batch.refresh_from_db()
    return batch


def committed(user, batch):
    services.confirm(user, batch.pk)
    run_pending_tasks()
    batch.refresh_from_db()
    return batch


def reasons(batch):
    return {r.external_id: (r.action, r.reason) for r in ImportRow.objects.filter(batch=batch)}


def test_dry_run_shows_per_row_what_would_happen_and_changes_nothing():
    w = World()
    cases_before = Case.objects.count()
    rows = good_rows(w.team.name) + [
        row("P4", "H4", w.team.name, bsn="123456789"),  # fails the eleven-test
        row("P5", "H5", "Team dat niet bestaat"),
        row("P1", "H6", w.team.name),  # duplicate external id
        row("P7", "H7", w.team.name, first=""),  # missing field
        row("P8", "H8", "", relation="partner", title="", question=""),  # household without main person
        row("P9", "H9", w.team.name, bsn=VALID_BSN),  # same BSN as P1
    ]
    batch = checked(w.lead, csv_bytes(rows))
    assert batch.status == ImportBatch.Status.CHECKED
    assert (batch.row_count, batch.to_create, batch.refused, batch.unchanged) == (9, 3, 6, 0)
    got = reasons(batch)
    assert got["P2"] == ("create", "")
    assert got["P4"][0] == "refused" and "elfproef" in got["P4"][1]
    assert "Onbekend team" in got["P5"][1]
    assert ImportRow.objects.get(batch=batch, number=7).reason == "Dubbel: extern_id staat ook in rij 2."
    assert "voornaam" in got["P7"][1]
    assert "Onbekend huishouden" in got["P8"][1]
    assert "BSN" in got["P9"][1] and "rij 2" in got["P9"][1]
    assert Case.objects.count() == cases_before  # a dry run creates nothing
    # No personal data in the log rows: no names or BSNs in any reason.
    for r in ImportRow.objects.filter(batch=batch):
        assert VALID_BSN not in r.reason and "Jansen" not in r.reason


def test_confirm_commits_through_the_cases_services_and_reimport_changes_nothing():
    w = World()
    content = csv_bytes(good_rows(w.team.name))
    batch = checked(w.lead, content)
    stored = services.root() / batch.file_name
    assert stored.is_file()
    batch = committed(w.lead, batch)
    assert batch.status == ImportBatch.Status.DONE
    assert (batch.created, batch.updated, batch.refused_at_commit) == (3, 0, 0)
    case_h1 = Case.objects.get(pk=ExternalRecord.objects.get(kind="case", external_id="H1").object_id)
    assert case_h1.team == w.team and case_h1.title == "Schulden en woning"
    members = Person.objects.filter(household=case_h1.household).order_by("pk")
    assert [(p.first_name, p.relation, p.bsn or None) for p in members] == [
        ("Anna", "main", VALID_BSN),
        ("Bram", "child", None),
    ]
    assert case_h1.timeline.filter(kind="case.opened").exists()  # opened by the service, with its timeline
    assert not stored.exists() and batch.file_name == ""  # the file is deleted after the commit
    counts = (Case.objects.count(), Person.objects.count())

    again = checked(w.lead, content)
    assert (again.to_create, again.to_update, again.unchanged, again.refused) == (0, 0, 3, 0)
    with pytest.raises(RuleError, match="niets om in te lezen"):
        services.confirm(w.lead, again.pk)
    assert (Case.objects.count(), Person.objects.count()) == counts
    assert again.file_sha256 == batch.file_sha256


def test_changed_values_update_the_person_and_the_case():
    w = World()
    committed(w.lead, checked(w.lead, csv_bytes(good_rows(w.team.name))))
    changed = good_rows(w.team.name)
    changed[0] = row("P1", "H1", w.team.name, bsn=VALID_BSN, title="Nieuwe titel", last="Jansen-Bakker")
    batch = checked(w.lead, csv_bytes(changed))
    assert (batch.to_create, batch.to_update, batch.unchanged) == (0, 1, 2)
    batch = committed(w.lead, batch)
    assert batch.updated == 1
    case = Case.objects.get(pk=ExternalRecord.objects.get(kind="case", external_id="H1").object_id)
    assert case.title == "Nieuwe titel"
    assert case.household.members.get(relation="main").last_name == "Jansen-Bakker"


def test_team_of_an_existing_case_is_not_moved_by_an_import():
    w = World()
    committed(w.lead, checked(w.lead, csv_bytes(good_rows(w.team.name))))
    from tests.factories import TeamFactory

    other = TeamFactory(municipality=w.municipality)
    moved = good_rows(other.name)
    batch = committed(w.lead, checked(w.lead, csv_bytes(moved[:1])))
    assert batch.refused_at_commit == 1
    assert "team" in ImportRow.objects.get(batch=batch, number=2).reason


def test_xlsx_and_semicolon_csv_import_alike():
    w = World()
    batch = checked(w.lead, xlsx_bytes(good_rows(w.team.name)), name="bron.xlsx")
    assert (batch.file_format, batch.to_create, batch.refused) == ("xlsx", 3, 0)
    batch2 = checked(w.lead, csv_bytes(good_rows(w.team.name), delimiter=";"))
    assert (batch2.to_create, batch2.refused) == (3, 0)


def test_more_than_n_rows_need_a_second_lead(settings):
    settings.TRANSFER_FOUR_EYES_ROWS = 2
    w = World()
    second = UserFactory(municipality=w.municipality, role=Role.LEAD)
    batch = checked(w.lead, csv_bytes(good_rows(w.team.name)))
    batch = services.confirm(w.lead, batch.pk)
    assert batch.status == ImportBatch.Status.AWAITING_SECOND
    run_pending_tasks()
    assert Case.objects.filter(title="Schulden en woning").count() == 0
    with pytest.raises(Refused):
        services.confirm(w.lead, batch.pk)  # not the same person twice
    with pytest.raises(Refused):
        services.confirm(w.pro, batch.pk)  # not a lead
    batch = services.confirm(second, batch.pk)
    run_pending_tasks()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE and batch.second_confirmed_by == second
    assert Case.objects.filter(title="Schulden en woning").count() == 2


def test_only_leads_import_and_only_their_own_municipality_sees_a_batch(client):
    w = World()
    with pytest.raises(Refused):
        services.upload(w.pro, upload_file(csv_bytes(good_rows(w.team.name))))
    batch = checked(w.lead, csv_bytes(good_rows(w.team.name)))
    login(client, w.stranger)
    assert client.get(reverse("transfer:import_status", args=[batch.pk])).status_code == 404
    assert AccessEvent.objects.filter(event="transfer.import.read", outcome="denied", reason="tenancy").exists()
    client.logout()
    login(client, w.pro)
    assert client.get(reverse("transfer:upload")).status_code == 403


def test_cancel_deletes_the_file_and_expiry_purges_it():
    w = World()
    batch = checked(w.lead, csv_bytes(good_rows(w.team.name)))
    path = services.root() / batch.file_name
    assert path.is_file()
    services.cancel(w.lead, batch.pk)
    assert not path.is_file()
    other = checked(w.lead, csv_bytes(good_rows(w.team.name)))
    path = services.root() / other.file_name
    assert services.purge(hours=0) == 1
    other.refresh_from_db()
    assert other.status == ImportBatch.Status.EXPIRED and not path.is_file()


BAD_FILES = [
    ("plaatje.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "geen CSV- of XLSX-bestand"),
    ("leeg.csv", b"", "leeg"),
    ("alleen-kop.csv", csv_bytes([]), "geen rijen"),
    ("kolommen.csv", b"naam,adres\nAnna,Dorpsstraat 1\n", "De kolommen kloppen niet"),
    ("nep.xlsx", b"PK\x03\x04 not really a workbook", "geen CSV- of XLSX-bestand"),
    ("tekst.pdf", b"%PDF-1.4\n", "geen CSV- of XLSX-bestand"),
    ("latin1.csv", "extern_id;naam\nP1;Jos\xe9\n".encode("latin-1"), "UTF-8"),
]


@pytest.mark.parametrize("name,content,message", BAD_FILES)
def test_bad_files_get_a_clear_dutch_message_and_nothing_is_stored(client, name, content, message):
    w = World()
    login(client, w.lead)
    response = client.post(reverse("transfer:upload"), {"file": upload_file(content, name)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_a_file_over_the_limit_is_refused(client, settings):
    settings.TRANSFER_MAX_UPLOAD_MB = 1
    w = World()
    login(client, w.lead)
    content = csv_bytes(good_rows(w.team.name)) + b"x" * (1024 * 1024)
    response = client.post(reverse("transfer:upload"), {"file": upload_file(content)})
    assert response.status_code == 400
    assert "groter dan 1 MB" in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_the_pages_show_the_dry_run_and_confirm(client):
    w = World()
    login(client, w.lead)
    rows = good_rows(w.team.name) + [row("P4", "H4", w.team.name, bsn="123456789")]
    response = client.post(reverse("transfer:upload"), {"file": upload_file(csv_bytes(rows))}, follow=True)
    assert "Wordt gecontroleerd" in response.content.decode()
    run_pending_tasks()
    batch = ImportBatch.objects.get()
    poll = client.get(reverse("transfer:import_status", args=[batch.pk]) + "?formaat=json").json()
    assert poll == {"status": "checked:4", "pending": False}
    page = client.get(reverse("transfer:import_status", args=[batch.pk])).content.decode()
    assert "Aanmaken: 3" in page and "Geweigerd: 1" in page and "elfproef" in page
    assert "Jansen" not in page and VALID_BSN not in page  # the dry run names no one
    client.post(reverse("transfer:import_confirm", args=[batch.pk]))
    run_pending_tasks()
    page = client.get(reverse("transfer:import_status", args=[batch.pk])).content.decode()
    assert "Aangemaakt: 3" in page
    assert OTHER_BSN not in page
