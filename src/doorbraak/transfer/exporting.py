"""Exports (issue 17, point 6): the case list as CSV or XLSX, streamed, and the complete case file of one
household for a client's access request (AVG art. 15) as JSON or PDF.

Case list: exactly the cases the user's case list shows (need-to-know `Case.objects.visible_to`, the list's
filters and its search text from the session), newest first, read with a server-side cursor in chunks
(`iterator(chunk_size=...)`), so a million rows never sit in memory: CSV goes out row by row through
`core.csv_safe` (formula cells neutralised), XLSX through openpyxl's write-only workbook (rows go to a temporary
file, which is then streamed). The export holds no names or BSNs: case number, title, status, team and dates.

Case file: the household, its members and every row of every app that hangs off its cases (platforms, plans and
money, stories, consent, timeline, follow-up...), found by walking the models' reverse foreign keys, plus the
access-log events about the household (who viewed it). Only the cases of the household that the user may see are
included; the export says how many others exist. A BSN is shown by its last three digits only.
"""

from __future__ import annotations

import datetime
import json
import tempfile
from collections.abc import Iterator
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from doorbraak.cases import selectors as case_selectors
from doorbraak.cases.models import Case, Household, Person
from doorbraak.cases.selectors_list import filtered_cases
from doorbraak.core import csv_safe
from doorbraak.core.audit import log_access
from doorbraak.core.models import AccessEvent, User
from doorbraak.core.permissions import require
from doorbraak.core.pseudonyms import pseudonym

CHUNK = 2000
PURPOSE = "case_management"
HEADER = [
    "casusnummer",
    "titel",
    "status",
    "team",
    "geopend_op",
    "vastgelopen_sinds",
    "gesloten_op",
]
CASE_FILE_APPS = ("cases", "platforms", "budget", "learning")
SKIPPED_FIELDS = {"municipality", "bsn", "bsn_hash"}
MAX_OBJECTS = 50_000


# --- case list --------------------------------------------------------------------------------------------


def case_list_rows(user, filters: dict) -> Iterator[list]:
    """The header, then one row per visible case matching the filters, in the list's order, read in chunks. The
    rule is checked now; the rows are read later, while the response streams (after the request's middleware has
    returned), so the generator activates the user's tenant scope itself."""
    require("transfer.export_list", user)
    return _case_list_rows(user, filters, user.municipality_id)


def _case_list_rows(user, filters: dict, municipality_id: int) -> Iterator[list]:
    statuses = dict(Case.Status.choices)
    with scope(municipality=municipality_id):
        qs = (
            filtered_cases(user, **filters)
            .order_by("-opened_at", "-id")
            .values_list("pk", "title", "status", "team__name", "opened_at", "stuck_since", "closed_at")
        )
        yield HEADER
        for pk, title, status, team, opened, stuck, closed in qs.iterator(chunk_size=CHUNK):
            yield [
                pk,
                title,
                str(statuses.get(status, status)),
                team,
                timezone.localtime(opened).date().isoformat() if opened else "",
                stuck.isoformat() if stuck else "",
                timezone.localtime(closed).date().isoformat() if closed else "",
            ]


class _Line:
    """A file-like object whose write returns what was written (csv.writer into a generator)."""

    def write(self, value):
        return value


def log_list_export(request, file_format: str) -> None:
    log_access(
        request,
        "transfer.case_list.export_xlsx" if file_format == "xlsx" else "transfer.case_list.export_csv",
        action=AccessEvent.Action.EXECUTE,
        object_type="cases.case",
        purpose=PURPOSE,
    )


def csv_stream(rows: Iterator[list]) -> Iterator[str]:
    writer = csv_safe.SafeWriter(_Line())
    yield "\ufeff"  # so Excel reads UTF-8
    for row in rows:
        yield writer.writerow(row)


def xlsx_file(rows: Iterator[list]):
    """The rows as an XLSX workbook in a temporary file (write-only: rows are not kept in memory), opened for
    reading at the start. Cells are neutralised like the CSV (a text starting with = is not a formula)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Casussen"))
    for row in rows:
        sheet.append([csv_safe.neutralise(cell) for cell in row])
    handle = tempfile.TemporaryFile()
    workbook.save(handle)
    handle.seek(0)
    return handle


# --- case file (access request) ---------------------------------------------------------------------------


def _user_names(ids: set[int]) -> dict[int, str]:
    return {
        u.pk: (u.get_full_name() or u.get_username())
        for u in User.objects.filter(pk__in=ids).only("first_name", "last_name", "username")
    }


def _plain(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return None
    return value


def _fields(model) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in SKIPPED_FIELDS and not isinstance(f, models.BinaryField | models.FileField)
    ]


def _serialise(model, rows: list, users: dict[int, str]) -> list[dict]:
    out = []
    for obj in rows:
        item = {}
        for f in _fields(model):
            value = getattr(obj, f.attname)
            if f.is_relation and f.related_model is User:
                item[f.name] = users.get(value, "") if value is not None else None
            elif f.choices and not f.is_relation:
                item[f.name] = str(dict(f.flatchoices).get(value, value)) if value not in (None, "") else value
            else:
                item[f.name] = _plain(value)
        if model is Person:
            item["bsn"] = f"******{obj.bsn_last_digits}" if obj.bsn else ""
        out.append(item)
    return out


def _children(model) -> list:
    """Reverse foreign keys from `model` into the case-file apps."""
    return [
        rel
        for rel in model._meta.related_objects
        if (rel.one_to_many or rel.one_to_one)
        and rel.related_model._meta.app_label in CASE_FILE_APPS
        and not rel.related_model._meta.proxy
    ]


def case_file(user, case_id) -> dict:
    """All data of the household of one case, for the client's access request. 404 (logged) when the user may not
    see the case, 403 when they may see it but are not the lead of its team; the export is an access event."""
    case = case_selectors.get_case_for(user, case_id)
    require(
        "transfer.export_case_file",
        user,
        case,
        _("Alleen de doorbraakregisseur van het team van deze casus mag het volledige dossier exporteren."),
    )
    household = Household.objects.get(pk=case.household_id)
    visible_ids = set(Case.objects.visible_to(user).filter(household_id=household.pk).values_list("pk", flat=True))
    all_ids = set(Case.objects.filter(household_id=household.pk).values_list("pk", flat=True))
    collected: dict = {}
    order: list = []
    queue = [(Household, [household.pk])]
    seen = 0
    while queue and seen < MAX_OBJECTS:
        model, ids = queue.pop(0)
        for rel in _children(model):
            child = rel.related_model
            qs = child._default_manager.filter(**{f"{rel.field.name}__in": ids})
            if child is Case:
                qs = qs.filter(pk__in=visible_ids)
            rows = list(qs.order_by("pk")[: MAX_OBJECTS - seen])
            if not rows:
                continue
            key = child._meta.label_lower
            if key not in collected:
                collected[key] = {"model": child, "rows": {}}
                order.append(key)
            new = [r for r in rows if r.pk not in collected[key]["rows"]]
            for r in new:
                collected[key]["rows"][r.pk] = r
            seen += len(new)
            if new:
                queue.append((child, [r.pk for r in new]))
    user_ids = set()
    for key in order:
        model = collected[key]["model"]
        for f in _fields(model):
            if f.is_relation and f.related_model is User:
                user_ids |= {getattr(r, f.attname) for r in collected[key]["rows"].values() if getattr(r, f.attname)}
    events = list(AccessEvent.objects.filter(subject_pseudonym=pseudonym("household", household.pk)).order_by("seq"))
    users = _user_names(user_ids)
    sections = [
        {
            "key": key,
            "title": str(collected[key]["model"]._meta.verbose_name_plural),
            "fields": [str(f.verbose_name) for f in _fields(collected[key]["model"])]
            + (["BSN"] if collected[key]["model"] is Person else []),
            "rows": _serialise(collected[key]["model"], list(collected[key]["rows"].values()), users),
        }
        for key in order
    ]
    log_access(
        user,
        "transfer.case_file.export",
        action=AccessEvent.Action.EXECUTE,
        obj=case,
        subject=case_selectors.case_subject(case),
        purpose=PURPOSE,
    )
    return {
        "soort": "inzageverzoek (AVG art. 15)",
        "gemaakt_op": timezone.localtime().isoformat(),
        "gemaakt_door": user.get_full_name() or user.get_username(),
        "casus": case.pk,
        "huishouden": _serialise(Household, [household], users)[0],
        "niet_zichtbare_casussen": len(all_ids - visible_ids),
        "onderdelen": sections,
        "inzage_log": [
            {
                "tijdstip": timezone.localtime(e.occurred_at).isoformat(),
                "gebruiker": e.actor_username,
                "rol": e.actor_role,
                "handeling": e.get_action_display(),
                "gebeurtenis": e.event,
                "uitkomst": e.get_outcome_display(),
                "doel": e.purpose,
                "object": f"{e.object_type} {e.object_id}".strip(),
            }
            for e in events
        ],
    }


def case_file_json(data: dict) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode("utf-8")
