"""Reading and checking an import file, and applying it through the cases services (issue 17, point 5).

The file: one row per person, CSV (UTF-8, comma or semicolon) or XLSX (first sheet), first row the column names:

    extern_id, huishouden, relatie, voornaam, achternaam, geboortedatum, bsn, team, titel, hulpvraag
    [geprobeerd, wijk]

`extern_id` is the person's id in the source system, `huishouden` the household's. The household's main person
(`relatie` = hoofdpersoon) carries the case (team, titel, hulpvraag): that row opens the case through
`cases.services.open_case`; the other rows of the household (partner, kind, anders) are added to it through
`cases.services.add_member` and must come after the main person. The case's external id is the household's.

One function checks a row for both the dry run and the commit (`plan_row`), so the dry run shows exactly what the
commit will do. The commit is idempotent: a row whose external id is known with the same values (fingerprint) is
unchanged; with other values the person (and for the main person the case) is updated.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from doorbraak.cases import services as case_services
from doorbraak.cases.models import Case, Person
from doorbraak.core import dates as date_ranges
from doorbraak.core.errors import RuleError
from doorbraak.core.fields import bsn_hash
from doorbraak.core.models import Team
from doorbraak.core.permissions import Refused, allowed
from doorbraak.core.validators import is_valid_bsn, unsafe_name_character

from .models import ExternalRecord, ImportRow

REQUIRED = [
    "extern_id",
    "huishouden",
    "relatie",
    "voornaam",
    "achternaam",
    "geboortedatum",
    "bsn",
    "team",
    "titel",
    "hulpvraag",
]
OPTIONAL = ["geprobeerd", "wijk"]
RELATIONS = {
    "hoofdpersoon": Person.Relation.MAIN,
    "partner": Person.Relation.PARTNER,
    "kind": Person.Relation.CHILD,
    "anders": Person.Relation.OTHER,
}
EXTERNAL_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
LIMITS = {"voornaam": 80, "achternaam": 120, "titel": 160, "hulpvraag": 4000, "geprobeerd": 4000, "wijk": 120}
CHUNK = 500  # rows per chunk of the dry run
COMMIT_CHUNK = case_services.IMPORT_BATCH_SIZE  # rows per transaction of the commit (bulk path)
A = ImportRow.Action
K = ExternalRecord.Kind

NOT_A_TABLE = _("Dit is geen CSV- of XLSX-bestand. Sla het bestand op als CSV (UTF-8) of als Excel-werkmap (.xlsx).")
EMPTY = _("Het bestand is leeg.")
NO_ROWS = _("Het bestand bevat alleen kolomnamen en geen rijen.")


def problem(message) -> RuleError:
    return RuleError(message, field="file")


# --- reading --------------------------------------------------------------------------------------------------


def detect_format(name: str, head: bytes) -> str:
    """ "xlsx" or "csv" from the content (a ZIP container or text), checked against the name's extension."""
    lower = (name or "").lower()
    if head.startswith(b"PK\x03\x04"):
        if not lower.endswith(".xlsx"):
            raise problem(NOT_A_TABLE)
        return "xlsx"
    if lower.endswith(".xlsx") or not lower.endswith((".csv", ".txt")):
        raise problem(NOT_A_TABLE)
    if b"\x00" in head:
        raise problem(NOT_A_TABLE)
    return "csv"


def check_csv_text(path: Path) -> None:
    """The whole file is UTF-8 text without NUL bytes (read in chunks, never all at once)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            if b"\x00" in chunk:
                raise problem(NOT_A_TABLE)
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                raise problem(_("Het bestand is geen UTF-8-tekst. Sla het op als 'CSV UTF-8'.")) from None
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise problem(_("Het bestand is geen UTF-8-tekst. Sla het op als 'CSV UTF-8'.")) from None


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _csv_rows(path: Path) -> Iterator[list[str]]:
    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        first = handle.readline()
        delimiter = ";" if first.count(";") > first.count(",") else ","
        handle.seek(0)
        if handle.read(1) != "\ufeff":
            handle.seek(0)
        for row in csv.reader(handle, delimiter=delimiter):
            yield [cell.strip() for cell in row]


def _xlsx_rows(path: Path) -> Iterator[list[str]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        raise problem(NOT_A_TABLE) from None
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield [_cell(v) for v in row]
    finally:
        workbook.close()


def raw_rows(path: Path, file_format: str) -> Iterator[list[str]]:
    return _xlsx_rows(path) if file_format == "xlsx" else _csv_rows(path)


def read_header(path: Path, file_format: str) -> tuple[list[str], bool]:
    """(the column names, whether at least one row follows). Raises a RuleError on wrong columns."""
    rows = raw_rows(path, file_format)
    try:
        header = next(rows)
    except StopIteration:
        raise problem(EMPTY) from None
    except csv.Error:
        raise problem(NOT_A_TABLE) from None
    names = [name.strip().lower() for name in header]
    while names and not names[-1]:
        names.pop()
    missing = [c for c in REQUIRED if c not in names]
    unknown = [c for c in names if c not in REQUIRED + OPTIONAL]
    duplicated = sorted({c for c in names if names.count(c) > 1})
    if missing or unknown or duplicated:
        parts = []
        if missing:
            parts.append(_("ontbrekend: %(names)s") % {"names": ", ".join(missing)})
        if unknown:
            parts.append(_("onbekend: %(names)s") % {"names": ", ".join(c[:40] or "(leeg)" for c in unknown[:10])})
        if duplicated:
            parts.append(_("dubbel: %(names)s") % {"names": ", ".join(duplicated)})
        raise problem(
            _("De kolommen kloppen niet (%(parts)s). Verplichte kolommen: %(required)s; optioneel: %(optional)s.")
            % {"parts": "; ".join(parts), "required": ", ".join(REQUIRED), "optional": ", ".join(OPTIONAL)}
        )
    has_rows = any(any(cell for cell in row) for row in rows)
    return names, has_rows


def data_rows(path: Path, file_format: str) -> Iterator[tuple[int, dict]]:
    """(row number as a spreadsheet shows it, {column: text}) for every non-empty row below the header."""
    rows = raw_rows(path, file_format)
    header = [name.strip().lower() for name in next(rows)]
    for number, row in enumerate(rows, start=2):
        if not any(row):
            continue
        values = {name: (row[i] if i < len(row) else "") for i, name in enumerate(header) if name}
        yield number, values


def count_rows(path: Path, file_format: str) -> int:
    return sum(1 for _ in data_rows(path, file_format))


# --- checking -------------------------------------------------------------------------------------------------


@dataclass
class RowPlan:
    number: int
    external_id: str
    action: str
    reason: str = ""
    data: dict = field(default_factory=dict)


def parse_date(text: str) -> datetime.date | None:
    for pattern in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def fingerprint(data: dict) -> str:
    canonical = json.dumps({k: str(v) for k, v in sorted(data.items())}, ensure_ascii=False)
    return salted_hmac("doorbraak.transfer.fingerprint", canonical, algorithm="sha256").hexdigest()


class Checker:
    """Checks rows in file order for one municipality; remembers what the file itself creates (a household whose
    main person comes earlier), its external ids and BSNs (duplicates), and caches the teams."""

    def __init__(self, municipality_id: int):
        self.municipality_id = municipality_id
        self.teams = {t.name.strip().lower(): t for t in Team.objects.filter(municipality_id=municipality_id)}
        self.teams_by_id = {t.pk: t for t in self.teams.values()}
        self.seen_ids: dict[str, int] = {}
        self.seen_bsns: dict[str, int] = {}
        self.new_households: dict[str, str] = {}  # household external id -> the main person's external id
        self.persons: dict[str, ExternalRecord] = {}
        self.cases: dict[str, ExternalRecord] = {}
        self.bsn_owner: dict[str, int] = {}  # bsn hash -> person id (existing persons of the chunk's BSNs)

    def prefetch(self, rows: list[tuple[int, dict]]) -> None:
        """Read the mappings and BSN owners of one chunk in three queries."""
        person_ids = {r.get("extern_id", "") for _, r in rows}
        household_ids = {r.get("huishouden", "") for _, r in rows}
        records = ExternalRecord.objects.filter(municipality_id=self.municipality_id)
        self.persons = {
            r.external_id: r for r in records.filter(kind=ExternalRecord.Kind.PERSON, external_id__in=person_ids)
        }
        self.cases = {
            r.external_id: r for r in records.filter(kind=ExternalRecord.Kind.CASE, external_id__in=household_ids)
        }
        hashes = {bsn_hash(b) for b in (_bsn(r.get("bsn", "")) for _, r in rows) if b and is_valid_bsn(b)}
        self.bsn_owner = dict(
            Person.objects.filter(municipality_id=self.municipality_id, bsn_hash__in=hashes).values_list(
                "bsn_hash", "pk"
            )
        )

    def plan(self, number: int, row: dict) -> RowPlan:
        external_id = row.get("extern_id", "").strip()
        shown_id = external_id[:64]
        try:
            data = self._check(number, external_id, row)
        except RuleError as error:
            return RowPlan(number, shown_id, A.REFUSED, str(error.message))
        record = self.persons.get(external_id)
        if record is None:
            return RowPlan(number, shown_id, A.CREATE, data=data)
        if record.fingerprint == data["fingerprint"]:
            return RowPlan(number, shown_id, A.UNCHANGED, data=data)
        return RowPlan(number, shown_id, A.UPDATE, data=data)

    def _check(self, number: int, external_id: str, row: dict) -> dict:
        for name in ("extern_id", "huishouden", "relatie", "voornaam", "achternaam", "geboortedatum"):
            if not row.get(name, "").strip():
                raise RuleError(_("Verplicht veld ontbreekt: %(name)s.") % {"name": name})
        household_id = row["huishouden"].strip()
        if not EXTERNAL_ID.match(external_id) or not EXTERNAL_ID.match(household_id):
            raise RuleError(_("Een extern_id of huishouden mag alleen letters, cijfers en . _ : - bevatten (max. 64)."))
        if external_id in self.seen_ids:
            raise RuleError(_("Dubbel: extern_id staat ook in rij %(row)s.") % {"row": self.seen_ids[external_id]})
        self.seen_ids[external_id] = number
        relation = RELATIONS.get(row["relatie"].strip().lower())
        if relation is None:
            raise RuleError(_("Onbekende relatie; kies hoofdpersoon, partner, kind of anders."))
        for name, limit in LIMITS.items():
            if len(row.get(name, "")) > limit:
                raise RuleError(
                    _("Het veld %(name)s is te lang (max. %(limit)s tekens).") % {"name": name, "limit": limit}
                )
        texts = [row.get(n, "") for n in ("voornaam", "achternaam", "titel", "hulpvraag", "geprobeerd", "wijk")]
        if any(unsafe_name_character(t) for t in texts):
            raise RuleError(_("Een veld bevat onzichtbare stuur- of richtingstekens."))
        born = parse_date(row["geboortedatum"].strip())
        if born is None:
            raise RuleError(_("Ongeldige geboortedatum; gebruik JJJJ-MM-DD of DD-MM-JJJJ."))
        date_problem = date_ranges.BIRTH.problem(born, _("De geboortedatum ligt in de toekomst."))
        if date_problem:
            raise RuleError(date_problem)
        bsn = _bsn(row.get("bsn", ""))
        if bsn:
            if not is_valid_bsn(bsn):
                raise RuleError(_("Ongeldig BSN: het moet uit 9 cijfers bestaan en de elfproef doorstaan."))
            digest = bsn_hash(bsn)
            if digest in self.seen_bsns:
                raise RuleError(_("Dubbel: hetzelfde BSN staat ook in rij %(row)s.") % {"row": self.seen_bsns[digest]})
            self.seen_bsns[digest] = number
            owner = self.bsn_owner.get(digest)
            mapped = self.persons.get(external_id)
            if owner is not None and (mapped is None or mapped.object_id != owner):
                raise RuleError(_("Dubbel: dit BSN hoort al bij een ander gezinslid in Doorbraak."))
        data = {
            "external_id": external_id,
            "household": household_id,
            "relation": relation,
            "first_name": row["voornaam"].strip(),
            "last_name": row["achternaam"].strip(),
            "date_of_birth": born,
            "bsn": bsn,
        }
        known_case = self.cases.get(household_id)
        if relation == Person.Relation.MAIN:
            for name in ("team", "titel", "hulpvraag"):
                if not row.get(name, "").strip():
                    raise RuleError(_("Verplicht veld voor de hoofdpersoon ontbreekt: %(name)s.") % {"name": name})
            team = self.teams.get(row["team"].strip().lower())
            if team is None:
                raise RuleError(_("Onbekend team: er is geen team met deze naam in uw gemeente."))
            other_main = self.new_households.get(household_id)
            if other_main is not None or (known_case is not None and external_id not in self.persons):
                raise RuleError(_("Dubbel: dit huishouden heeft al een hoofdpersoon."))
            self.new_households[household_id] = external_id
            data.update(
                team_id=team.pk,
                title=row["titel"].strip(),
                question=row["hulpvraag"].strip(),
                tried=row.get("geprobeerd", "").strip(),
                area=row.get("wijk", "").strip(),
            )
        elif known_case is None and household_id not in self.new_households:
            raise RuleError(
                _("Onbekend huishouden: de hoofdpersoon ontbreekt, is geweigerd of staat niet eerder in het bestand.")
            )
        data["fingerprint"] = fingerprint(data)
        return data


def _bsn(value: str) -> str:
    return (value or "").replace(" ", "").replace(".", "").strip()


# --- applying -------------------------------------------------------------------------------------------------


def _remember(municipality_id, kind, external_id, object_id, batch, fingerprint_value=""):
    """A new mapping (the check made sure the external id is not mapped yet: one INSERT)."""
    ExternalRecord.objects.create(
        municipality_id=municipality_id,
        kind=kind,
        external_id=external_id,
        object_id=object_id,
        batch=batch,
        fingerprint=fingerprint_value,
    )


def apply(user, batch, plan: RowPlan, checker: Checker) -> str:
    """Carry out one checked row through the cases services, in one transaction with its mapping. Returns the
    action done; raises RuleError/Refused when the row cannot be done (the caller records it as refused)."""
    data = plan.data
    m = batch.municipality_id
    with transaction.atomic():
        if plan.action == A.CREATE and data["relation"] == Person.Relation.MAIN:
            case = case_services.open_case(
                user,
                title=data["title"],
                team=checker.teams_by_id[data["team_id"]],
                area=data["area"],
                question=data["question"],
                tried=data["tried"],
                stuck_since=None,
                member={
                    "first_name": data["first_name"],
                    "last_name": data["last_name"],
                    "date_of_birth": data["date_of_birth"],
                    "bsn": data["bsn"],
                },
                funders=[],
                scores={},
            )
            person_id = Person.objects.filter(household_id=case.household_id).values_list("pk", flat=True).first()
            _remember(m, ExternalRecord.Kind.HOUSEHOLD, data["household"], case.household_id, batch)
            _remember(m, ExternalRecord.Kind.CASE, data["household"], case.pk, batch)
            _remember(m, ExternalRecord.Kind.PERSON, data["external_id"], person_id, batch, data["fingerprint"])
            checker.cases[data["household"]] = ExternalRecord(object_id=case.pk)
            return A.CREATE
        case = _case_of_household(user, m, data["household"], checker)
        if plan.action == A.CREATE:
            person = case_services.add_member(
                user,
                case,
                first_name=data["first_name"],
                last_name=data["last_name"],
                date_of_birth=data["date_of_birth"],
                bsn=data["bsn"],
                relation=data["relation"],
            )
            _remember(m, ExternalRecord.Kind.PERSON, data["external_id"], person.pk, batch, data["fingerprint"])
            return A.CREATE
        update_from_import(user, case, checker.persons[data["external_id"]].object_id, data)
        ExternalRecord.objects.filter(pk=checker.persons[data["external_id"]].pk).update(
            fingerprint=data["fingerprint"], batch=batch, updated_at=timezone.now()
        )
        return A.UPDATE


def apply_bulk(user, batch, plans: list[RowPlan], checker: Checker) -> tuple[int, int, list[tuple[int, str]]]:
    """Carry out the checked rows of one chunk through `cases.services.import_households` (the bulk path: one
    bulk_create per table) and write their mappings in one bulk_create; rows to update go through `apply` (the row
    path: an update is rare and touches one case). Inside the caller's transaction. Returns (created, updated,
    [(row number, reason) of the rows refused now])."""
    m = batch.municipality_id
    refused: list[tuple[int, str]] = []
    creates = [p for p in plans if p.action == A.CREATE]
    new_keys = {p.data["household"] for p in creates if p.data["relation"] == Person.Relation.MAIN}
    existing = Case.objects.in_bulk(
        {
            checker.cases[p.data["household"]].object_id
            for p in creates
            if p.data["household"] not in new_keys and p.data["household"] in checker.cases
        }
    )
    sent, items = [], []
    for p in creates:
        d = p.data
        member = {k: d[k] for k in ("first_name", "last_name", "date_of_birth", "bsn")}
        if d["relation"] == Person.Relation.MAIN:
            item = case_services.NewHousehold(
                key=d["household"],
                team=checker.teams_by_id[d["team_id"]],
                title=d["title"],
                question=d["question"],
                tried=d["tried"],
                area=d["area"],
                member=member,
            )
        elif d["household"] in new_keys:
            item = case_services.NewMember(**member, relation=d["relation"], household_key=d["household"])
        else:
            record = checker.cases.get(d["household"])
            case = existing.get(record.object_id) if record is not None else None
            if case is None:
                refused.append((p.number, _("U heeft geen toegang (meer) tot de casus van dit huishouden.")))
                continue
            item = case_services.NewMember(**member, relation=d["relation"], case=case)
        sent.append(p)
        items.append(item)
    records, created = [], 0
    for p, outcome in zip(sent, case_services.import_households(user, items), strict=True):
        if outcome.refused:
            refused.append((p.number, outcome.refused))
            continue
        created += 1
        d = p.data
        if d["relation"] == Person.Relation.MAIN:
            records += [
                ExternalRecord(
                    municipality_id=m,
                    kind=K.HOUSEHOLD,
                    external_id=d["household"],
                    object_id=outcome.case.household_id,
                    batch=batch,
                ),
                ExternalRecord(
                    municipality_id=m, kind=K.CASE, external_id=d["household"], object_id=outcome.case.pk, batch=batch
                ),
            ]
            checker.cases[d["household"]] = ExternalRecord(object_id=outcome.case.pk)
        records.append(
            ExternalRecord(
                municipality_id=m,
                kind=K.PERSON,
                external_id=d["external_id"],
                object_id=outcome.person.pk,
                batch=batch,
                fingerprint=d["fingerprint"],
            )
        )
    ExternalRecord.objects.bulk_create(records, batch_size=1000)
    updated = 0
    for p in plans:
        if p.action != A.UPDATE:
            continue
        try:
            apply(user, batch, p, checker)
            updated += 1
        except (RuleError, Refused) as error:
            refused.append((p.number, str(getattr(error, "message", "") or _("Geweigerd: geen recht op deze casus."))))
    return created, updated, refused


def _case_of_household(user, municipality_id, household_external_id, checker) -> Case:
    record = checker.cases.get(household_external_id) or (
        ExternalRecord.objects.filter(
            municipality_id=municipality_id, kind=ExternalRecord.Kind.CASE, external_id=household_external_id
        ).first()
    )
    case = Case.objects.filter(pk=record.object_id).first() if record is not None else None
    if case is None or not allowed("cases.work_on", user, case):
        raise RuleError(_("U heeft geen toegang (meer) tot de casus van dit huishouden."))
    return case


def update_from_import(user, case, person_id, data) -> None:
    """A known external id with other values: the person's details and, for the main person, the case's title,
    question, what was tried and the area. The team of an existing case is not moved by an import."""
    if not allowed("cases.work_on", user, case):
        raise Refused("cases.work_on")
    person = Person.objects.filter(pk=person_id, household_id=case.household_id).first()
    if person is None:
        raise RuleError(_("Het gezinslid van deze extern_id bestaat niet meer."))
    if data["relation"] == Person.Relation.MAIN:
        if case.team_id != data["team_id"]:
            raise RuleError(_("Het team van een bestaande casus wijzigt niet via een import; doe dat in de casus."))
        case.title, case.question, case.tried = data["title"], data["question"], data["tried"]
        case.save(update_fields=["title", "question", "tried"])
        case.household.area = data["area"]
        case.household.save(update_fields=["area"])
    elif person.relation == Person.Relation.MAIN:
        raise RuleError(_("De hoofdpersoon kan via een import geen andere relatie krijgen."))
    person.first_name, person.last_name = data["first_name"], data["last_name"]
    person.date_of_birth, person.bsn = data["date_of_birth"], data["bsn"] or None
    if data["relation"] != Person.Relation.MAIN:
        person.relation = data["relation"]
    person.save()
    case_services.add_timeline(case, user, "import.updated", _("Bijgewerkt vanuit een import"))
