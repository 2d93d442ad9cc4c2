"""Issue 17: the bulk path of the import commit (cases.services.import_households) does what the row path
(open_case / add_member per row) does, with the same rules, in a constant number of statements per chunk."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from doorbraak.cases import services as case_services
from doorbraak.cases.models import Case, Household, Person, TimelineEntry
from doorbraak.core.tasks import run_pending_tasks
from doorbraak.transfer import importing, services
from doorbraak.transfer.models import ExternalRecord, ImportBatch, ImportRow
from tests.cases.factories import CaseFactory, PersonFactory, World
from tests.factories import TeamFactory
from tests.transfer.helpers import OTHER_BSN, VALID_BSN, csv_bytes, row, upload_file

pytestmark = pytest.mark.django_db

THIRD_BSN = "100000009"


def member(ext, household, relation="kind", first="Bram", bsn=""):
    return row(ext, household, "", relation=relation, first=first, born="2012-06-30", bsn=bsn, title="", question="")


def a_file(team):
    """Households across chunk boundaries (chunks of 2 below), a refused main person with a member, BSNs."""
    return [
        row("P1", "H1", team, bsn=VALID_BSN, tried="Schuldhulp", area="Noord"),
        member("P2", "H1"),  # same chunk as its main person
        member("P3", "H1", relation="partner", first="Cor", bsn=OTHER_BSN),  # next chunk: an existing case
        row("P4", "H4", team, first="Dirk", area=""),
        row("P5", "H5", "Onbekend team"),  # refused in the dry run ...
        member("P6", "H5"),  # ... and so is its member
        row("P7", "H7", team, first="Eva", bsn=THIRD_BSN),
        member("P8", "H7", relation="anders", first="Fien"),
    ]


def snapshot(world):
    """What a user would see of the import: every person, case, household, involvement and timeline entry, by
    external id, without database ids."""
    mine = ExternalRecord.objects.filter(municipality=world.municipality)
    records = {(r.kind, r.external_id): r.object_id for r in mine}
    people, cases = {}, {}
    for (kind, ext), pk in records.items():
        if kind == "person":
            p = Person.objects.get(pk=pk)
            household = next(e for (k, e), v in records.items() if k == "household" and v == p.household_id)
            people[ext] = (household, p.first_name, p.last_name, p.date_of_birth, p.bsn, p.relation, p.bsn_hash != "")
        elif kind == "case":
            c = Case.objects.get(pk=pk)
            cases[ext] = (
                c.household_id == records[("household", ext)],
                c.household.area,
                c.team_id == world.team.pk,
                c.title,
                c.question,
                c.tried,
                c.status,
                c.stuck_since,
                c.created_by_id == world.lead.pk,
                c.closed_at,
                sorted(
                    (i.user_id == world.lead.pk, i.organisation_id == world.lead.organisation_id, i.role_in_case)
                    for i in c.involvements.filter(ended_at__isnull=True)
                ),
                [(t.kind, t.summary, t.actor_id == world.lead.pk) for t in c.timeline.order_by("at", "id")],
                c.funders.count() if hasattr(c, "funders") else 0,
            )
    return people, cases


def imported(world, rows, bulk):
    batch = services.upload(world.lead, upload_file(csv_bytes(rows)))
    run_pending_tasks()
    services.confirm(world.lead, batch.pk)
    services.run_commit(batch.pk, bulk=bulk)
    batch.refresh_from_db()
    outcomes = [(r.number, r.external_id, r.action, r.reason) for r in ImportRow.objects.filter(batch=batch)]
    return batch, outcomes


def test_bulk_and_row_path_make_the_same_households_persons_cases_and_timeline(monkeypatch):
    monkeypatch.setattr(importing, "COMMIT_CHUNK", 2)
    monkeypatch.setattr(importing, "CHUNK", 2)
    by_bulk, by_row = World(), World()
    batch_bulk, rows_bulk = imported(by_bulk, a_file(by_bulk.team.name), bulk=True)
    batch_row, rows_row = imported(by_row, a_file(by_row.team.name), bulk=False)
    assert batch_bulk.status == batch_row.status == ImportBatch.Status.DONE
    assert (batch_bulk.created, batch_bulk.updated, batch_bulk.refused_at_commit) == (6, 0, 0)
    assert (batch_row.created, batch_row.updated, batch_row.refused_at_commit) == (6, 0, 0)
    assert rows_bulk == rows_row
    people, cases = snapshot(by_bulk)
    assert (people, cases) == snapshot(by_row)
    assert sorted(people) == ["P1", "P2", "P3", "P4", "P7", "P8"]
    assert (
        cases["H1"][-2]
        == [("case.opened", "Casus geopend", True)] + [("member.added", "Gezinslid toegevoegd", True)] * 2
    )
    assert people["P3"][4] == OTHER_BSN and people["P2"][4] == ""

    # Re-importing the same file changes nothing, on both paths.
    for world in (by_bulk, by_row):
        counts = (Case.objects.count(), Person.objects.count(), TimelineEntry.objects.count())
        again = services.upload(world.lead, upload_file(csv_bytes(a_file(world.team.name))))
        run_pending_tasks()
        again.refresh_from_db()
        assert (again.to_create, again.to_update, again.unchanged, again.refused) == (0, 0, 6, 2)
        assert (Case.objects.count(), Person.objects.count(), TimelineEntry.objects.count()) == counts


def test_bulk_path_updates_changed_rows_like_the_row_path():
    w = World()
    imported(w, a_file(w.team.name), bulk=True)
    changed = a_file(w.team.name)
    changed[0] = row("P1", "H1", w.team.name, bsn=VALID_BSN, title="Nieuwe titel", tried="Schuldhulp", area="Zuid")
    changed.append(member("P9", "H4"))  # a new member of a household from the earlier import
    batch, _rows = imported(w, changed, bulk=True)
    assert (batch.created, batch.updated, batch.refused_at_commit) == (1, 1, 0)
    case = Case.objects.get(pk=ExternalRecord.objects.get(kind="case", external_id="H1").object_id)
    assert (case.title, case.household.area) == ("Nieuwe titel", "Zuid")
    h4 = Case.objects.get(pk=ExternalRecord.objects.get(kind="case", external_id="H4").object_id)
    assert list(h4.household.members.values_list("first_name", flat=True).order_by("pk")) == ["Dirk", "Bram"]
    assert h4.timeline.filter(kind="member.added").count() == 1


def _household(team, key, bsn="", first="Anna"):
    return case_services.NewHousehold(
        key=key,
        team=team,
        title="Schulden",
        question="Wij komen er niet uit.",
        tried="",
        area="Noord",
        member={"first_name": first, "last_name": "Jansen", "date_of_birth": datetime.date(1980, 4, 1), "bsn": bsn},
    )


def _member(key="", case=None, bsn="", relation="child"):
    return case_services.NewMember(
        first_name="Bram",
        last_name="Jansen",
        date_of_birth=datetime.date(2012, 6, 30),
        bsn=bsn,
        relation=relation,
        case=case,
        household_key=key,
    )


def test_the_bulk_service_keeps_the_rules_of_the_row_services():
    w = World()
    PersonFactory(household=w.case.household, bsn=THIRD_BSN)
    foreign_team = TeamFactory()  # another municipality
    unseen = CaseFactory(municipality=w.municipality, team=TeamFactory(municipality=w.municipality))
    items = [
        _household(w.team, "A", bsn=VALID_BSN),
        _member(key="A", bsn=OTHER_BSN),
        _household(w.team, "B", bsn="123456789"),  # fails the eleven-test
        _member(key="B"),  # its household was refused
        _household(w.team, "C", bsn=VALID_BSN),  # same BSN as A in this batch
        _household(w.team, "D", bsn=THIRD_BSN),  # BSN of a person already in Doorbraak
        _household(foreign_team, "E"),  # a team of another municipality
        _member(case=unseen),  # a case the importer may not see
        _member(case=w.case, relation="cousin"),  # not a relation
        _household(w.team, "F", first="Anna\u202e"),  # a bidi control character
        _member(case=w.case),  # an existing case the lead sees
    ]
    before = (Household.objects.count(), Person.objects.count(), TimelineEntry.objects.count())
    outcomes = case_services.import_households(w.lead, items)
    refused = [bool(o.refused) for o in outcomes]
    assert refused == [False, False, True, True, True, True, True, True, True, True, False]
    assert "elfproef" in outcomes[2].refused and "Onbekend huishouden" in outcomes[3].refused
    assert "Dubbel" in outcomes[4].refused and "Dubbel" in outcomes[5].refused
    assert "Geweigerd" in outcomes[6].refused and "Geweigerd" in outcomes[7].refused
    assert outcomes[1].case == outcomes[0].case and outcomes[10].case == w.case
    assert outcomes[1].person.household_id == outcomes[0].case.household_id
    after = (Household.objects.count(), Person.objects.count(), TimelineEntry.objects.count())
    assert after == (before[0] + 1, before[1] + 3, before[2] + 3)  # only the accepted items were written
    assert Person.objects.get(pk=outcomes[0].person.pk).bsn == VALID_BSN  # encrypted and hashed as by save()

    # Whoever may not open cases has every new household refused.
    outcomes = case_services.import_households(w.approver, [_household(w.team, "G")])
    assert outcomes[0].refused and Person.objects.count() == after[1]


def test_the_bulk_service_needs_the_same_number_of_statements_for_10_or_40_households():
    w = World()

    def statements(n, offset):
        items = [_household(w.team, f"K{offset + i}") for i in range(n)]
        items += [_member(key=f"K{offset + i}") for i in range(n)]
        with CaptureQueriesContext(connection) as queries:
            outcomes = case_services.import_households(w.lead, items)
        assert not any(o.refused for o in outcomes)
        return len(queries)

    assert statements(10, 0) == statements(40, 100)
