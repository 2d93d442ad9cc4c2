"""The import use cases (issue 17, point 5): upload -> dry run (a worker) -> confirm (four eyes above N rows) ->
commit (a worker) -> the file is deleted. Views call these functions only; every rule is checked here.

The uploaded file is stored under PRIVATE_FILES_ROOT/transfer/ (never served) and deleted after the commit, on
cancel, or TRANSFER_IMPORT_RETENTION_HOURS after the upload (`purge_imports`, nightly). The batch row is the import
log: who uploaded and confirmed, when, the file's SHA-256 and the counts; it holds no personal data.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import uuid
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from doorbraak.core.access import get_visible_or_404
from doorbraak.core.audit import log_access
from doorbraak.core.errors import RuleError
from doorbraak.core.models import AccessEvent
from doorbraak.core.permissions import Refused, allowed, require
from doorbraak.core.transitions import transition

from . import importing
from .models import ImportBatch, ImportRow

B = ImportBatch.Status
IMPORT_FLOW = {
    B.CHECKING: {B.CHECKED, B.FAILED, B.EXPIRED},
    B.CHECKED: {B.AWAITING_SECOND, B.COMMITTING, B.CANCELLED, B.EXPIRED},
    B.AWAITING_SECOND: {B.COMMITTING, B.CANCELLED, B.EXPIRED},
    B.COMMITTING: {B.DONE, B.FAILED},
    B.DONE: set(),
    B.CANCELLED: set(),
    B.EXPIRED: set(),
    B.FAILED: set(),
}
PURPOSE = "case_management"
RECENT = 10


def _move(batch, to, **updates):
    """The batch's state change (core.transitions: one conditional UPDATE), with the columns that go with it."""
    return transition(batch, to, IMPORT_FLOW, updates=updates)


def root() -> Path:
    return Path(settings.PRIVATE_FILES_ROOT)


def max_upload_bytes() -> int:
    return settings.TRANSFER_MAX_UPLOAD_MB * 1024 * 1024


def too_big_message() -> str:
    return _("Het bestand is groter dan %(mb)s MB. Splits het in kleinere bestanden.") % {
        "mb": settings.TRANSFER_MAX_UPLOAD_MB
    }


def needs_second(batch: ImportBatch) -> bool:
    return batch.row_count > settings.TRANSFER_FOUR_EYES_ROWS


def _store(upload, relative: str) -> tuple[str, int]:
    """Write the upload under PRIVATE_FILES_ROOT in chunks; (sha256, size). Too big: deleted and refused."""
    target = root() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    with target.open("wb") as out:
        for chunk in upload.chunks():
            size += len(chunk)
            if size > max_upload_bytes():
                break
            digest.update(chunk)
            out.write(chunk)
    if size > max_upload_bytes():
        target.unlink(missing_ok=True)
        raise importing.problem(too_big_message())
    return digest.hexdigest(), size


def upload(user, uploaded_file) -> ImportBatch:
    """Store the file, check its type and columns at once (a clear message, nothing stored when wrong), and enqueue
    the dry run. Returns the batch."""
    from .tasks import check_import

    require("transfer.import", user, None, _("Alleen een doorbraakregisseur mag gegevens importeren."))
    if uploaded_file is None:
        raise importing.problem(_("Kies een bestand."))
    if uploaded_file.size == 0:
        raise importing.problem(importing.EMPTY)
    if uploaded_file.size > max_upload_bytes():
        raise importing.problem(too_big_message())
    head = uploaded_file.read(8)
    uploaded_file.seek(0)
    file_format = importing.detect_format(uploaded_file.name, head)
    relative = f"transfer/imports/{user.municipality_id}/{uuid.uuid4().hex}.{file_format}"
    sha256, size = _store(uploaded_file, relative)
    path = root() / relative
    try:
        if file_format == "csv":
            importing.check_csv_text(path)
        _names, has_rows = importing.read_header(path, file_format)
        if not has_rows:
            raise importing.problem(importing.NO_ROWS)
    except RuleError:
        path.unlink(missing_ok=True)
        raise
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            municipality_id=user.municipality_id,
            uploaded_by=user,
            file_format=file_format,
            file_name=relative,
            file_sha256=sha256,
            file_size=size,
        )
        check_import.enqueue(batch.pk)
    log_access(user, "transfer.import.upload", action=AccessEvent.Action.CREATE, obj=batch, purpose=PURPOSE)
    return batch


def get_batch(user, batch_id) -> ImportBatch:
    """One import of the user's municipality, for an importer; 404 (logged) for anyone else."""
    require("transfer.import", user)
    batch = get_visible_or_404(
        user,
        ImportBatch.objects.filter(municipality_id=user.municipality_id).select_related(
            "uploaded_by", "confirmed_by", "second_confirmed_by"
        ),
        batch_id,
        event="transfer.import.read",
        purpose=PURPOSE,
    )
    require("transfer.see_import", user, batch)
    return batch


def recent_batches(user) -> list[ImportBatch]:
    if not allowed("transfer.import", user):
        return []
    return list(
        ImportBatch.objects.filter(municipality_id=user.municipality_id)
        .select_related("uploaded_by")
        .order_by("-uploaded_at", "-id")[:RECENT]
    )


def rows_of(user, batch, *, only_problems: bool, limit: int = 200) -> list[ImportRow]:
    """The dry run's rows to show: refusals first when asked, at most `limit` (the counts give the rest)."""
    qs = batch.rows.all()
    if only_problems:
        qs = qs.filter(action=ImportRow.Action.REFUSED)
    return list(qs.order_by("number")[:limit])


def confirm(user, batch_id) -> ImportBatch:
    """The uploader confirms the dry run. Above TRANSFER_FOUR_EYES_ROWS the batch then waits for a second lead;
    otherwise (or when that second lead confirms) the commit is enqueued."""
    from .tasks import commit_import

    batch = get_batch(user, batch_id)
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status == B.CHECKED:
            if batch.uploaded_by_id != user.pk:
                raise RuleError(_("Alleen wie het bestand heeft geüpload bevestigt als eerste."))
            if batch.to_create + batch.to_update == 0:
                raise RuleError(_("Er is niets om in te lezen: alle rijen zijn ongewijzigd of geweigerd."))
            now = timezone.now()
            ImportBatch.objects.filter(pk=batch.pk).update(confirmed_by=user, confirmed_at=now)
            if needs_second(batch):
                _move(batch, B.AWAITING_SECOND)
                event = "transfer.import.confirm"
            else:
                _move(batch, B.COMMITTING, rows_done=0)
                commit_import.enqueue(batch.pk)
                event = "transfer.import.commit"
        elif batch.status == B.AWAITING_SECOND:
            require(
                "transfer.second_confirm",
                user,
                batch,
                _("Een tweede doorbraakregisseur (niet degene die het bestand uploadde) moet dit bevestigen."),
            )
            ImportBatch.objects.filter(pk=batch.pk).update(second_confirmed_by=user, second_confirmed_at=timezone.now())
            _move(batch, B.COMMITTING, rows_done=0)
            commit_import.enqueue(batch.pk)
            event = "transfer.import.second_confirm"
        else:
            raise RuleError(_("Deze import kan niet (meer) bevestigd worden."))
    log_access(user, event, action=AccessEvent.Action.EXECUTE, obj=batch, purpose=PURPOSE)
    batch.refresh_from_db()
    return batch


def cancel(user, batch_id) -> ImportBatch:
    batch = get_batch(user, batch_id)
    if batch.status not in (B.CHECKED, B.AWAITING_SECOND):
        raise RuleError(_("Deze import kan niet (meer) geannuleerd worden."))
    _move(batch, B.CANCELLED, finished_at=timezone.now())
    _delete_file(batch)
    log_access(user, "transfer.import.cancel", action=AccessEvent.Action.UPDATE, obj=batch, purpose=PURPOSE)
    return batch


def _delete_file(batch: ImportBatch) -> None:
    if batch.file_name:
        (root() / batch.file_name).unlink(missing_ok=True)
        ImportBatch.objects.filter(pk=batch.pk).update(file_name="")
        batch.file_name = ""


# --- the worker's side ----------------------------------------------------------------------------------------


def _chunks(rows, size=importing.CHUNK):
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def run_check(batch_id: int) -> str:
    """The dry run: every row checked, its outcome stored; counts and progress on the batch. Idempotent (a retry
    starts the rows again)."""
    with scopes_disabled():
        batch = ImportBatch.objects.filter(pk=batch_id).first()
    if batch is None or batch.status != B.CHECKING:
        return "nothing to do"
    path = root() / batch.file_name if batch.file_name else None
    with scope(municipality=batch.municipality_id):
        if path is None or not path.is_file():
            _move(batch, B.FAILED, error="file missing", finished_at=timezone.now())
            return "file missing"
        ImportRow.objects.filter(batch=batch).delete()
        total = importing.count_rows(path, batch.file_format)
        ImportBatch.objects.filter(pk=batch.pk).update(row_count=total, rows_done=0)
        checker = importing.Checker(batch.municipality_id)
        counts = {a: 0 for a in ImportRow.Action.values}
        done = 0
        for chunk in _chunks(importing.data_rows(path, batch.file_format)):
            checker.prefetch(chunk)
            plans = [checker.plan(number, row) for number, row in chunk]
            ImportRow.objects.bulk_create(
                [
                    ImportRow(
                        municipality_id=batch.municipality_id,
                        batch=batch,
                        number=p.number,
                        external_id=p.external_id,
                        action=p.action,
                        reason=p.reason[:300],
                    )
                    for p in plans
                ]
            )
            for p in plans:
                counts[p.action] += 1
            done += len(chunk)
            ImportBatch.objects.filter(pk=batch.pk).update(rows_done=done)
        _move(
            batch,
            B.CHECKED,
            row_count=done,
            rows_done=done,
            to_create=counts["create"],
            to_update=counts["update"],
            unchanged=counts["unchanged"],
            refused=counts["refused"],
        )
    return "checked"


def run_commit(batch_id: int, bulk: bool = True) -> str:
    """The commit: every row checked again (the data may have changed since the dry run) and carried out as the
    uploader (their rights are checked again), COMMIT_CHUNK rows per transaction, so a retry after a crash continues
    after the last committed chunk (its rows are then unchanged). The bulk path (default) sends the new rows of a
    chunk to `cases.services.import_households` (one bulk_create per table); `bulk=False` is the row path (each row
    through open_case/add_member in its own savepoint), kept as the reference the bulk path is tested against and
    as the fallback for a chunk the database refuses in bulk. The file is deleted afterwards."""
    with scopes_disabled():
        batch = ImportBatch.objects.select_related("uploaded_by").filter(pk=batch_id).first()
    if batch is None or batch.status != B.COMMITTING:
        return "nothing to do"
    user = batch.uploaded_by
    path = root() / batch.file_name if batch.file_name else None
    with scope(municipality=batch.municipality_id):
        if path is None or not path.is_file() or not allowed("transfer.import", user):
            _move(batch, B.FAILED, error="file missing or no right", finished_at=timezone.now())
            _delete_file(batch)
            return "failed"
        checker = importing.Checker(batch.municipality_id)
        created = updated = refused = done = 0
        size = importing.COMMIT_CHUNK if bulk else importing.CHUNK
        for chunk in _chunks(importing.data_rows(path, batch.file_format), size):
            with transaction.atomic():  # one commit per chunk
                done_chunk = _commit_chunk_bulk(user, batch, checker, chunk) if bulk else None
                if done_chunk is None:
                    done_chunk = _commit_chunk(user, batch, checker, chunk)
            created += done_chunk[0]
            updated += done_chunk[1]
            refused += done_chunk[2]
            done += len(chunk)
            ImportBatch.objects.filter(pk=batch.pk).update(
                rows_done=done, created=created, updated=updated, refused_at_commit=refused
            )
        _move(
            batch,
            B.DONE,
            rows_done=done,
            created=created,
            updated=updated,
            refused_at_commit=refused,
            finished_at=timezone.now(),
        )
        _delete_file(batch)
    return "done"


def _commit_chunk_bulk(user, batch, checker, chunk) -> tuple[int, int, int] | None:
    """The bulk path for one chunk, in a savepoint; None when the database refused it (a constraint, e.g. a BSN
    written meanwhile by someone else): then the caller does the chunk row by row, which refuses only that row."""
    state = {name: dict(getattr(checker, name)) for name in ("seen_ids", "seen_bsns", "new_households")}
    checker.prefetch(chunk)
    plans = [checker.plan(number, row) for number, row in chunk]
    try:
        with transaction.atomic():
            created, updated, refused = importing.apply_bulk(user, batch, plans, checker)
    except IntegrityError:
        for name, value in state.items():  # the row path checks the chunk again from the start
            setattr(checker, name, value)
        return None
    for number, reason in refused:
        ImportRow.objects.filter(batch=batch, number=number).update(
            action=ImportRow.Action.REFUSED, reason=reason[:300]
        )
    return created, updated, len(refused)


def _commit_chunk(user, batch, checker, chunk) -> tuple[int, int, int]:
    """Check and carry out the rows of one chunk; (created, updated, refused)."""
    created = updated = refused = 0
    checker.prefetch(chunk)
    for number, row in chunk:
        plan = checker.plan(number, row)
        if plan.action not in (ImportRow.Action.CREATE, ImportRow.Action.UPDATE):
            continue
        try:
            action = importing.apply(user, batch, plan, checker)
        except (RuleError, Refused) as error:
            refused += 1
            reason = getattr(error, "message", "") or _("Geweigerd: geen recht op deze casus.")
            ImportRow.objects.filter(batch=batch, number=number).update(
                action=ImportRow.Action.REFUSED, reason=str(reason)[:300]
            )
            continue
        created += action == ImportRow.Action.CREATE
        updated += action == ImportRow.Action.UPDATE
    return created, updated, refused


def purge(hours: int | None = None, now=None) -> int:
    """Expire imports not committed within `hours` of the upload: the file is deleted, the log row stays."""
    hours = settings.TRANSFER_IMPORT_RETENTION_HOURS if hours is None else hours
    cutoff = (now or timezone.now()) - datetime.timedelta(hours=hours)
    count = 0
    with scopes_disabled():
        stale = ImportBatch.objects.filter(
            uploaded_at__lt=cutoff, status__in=[B.CHECKED, B.AWAITING_SECOND, B.CHECKING]
        )
        for batch in stale:
            try:
                _move(batch, B.EXPIRED, finished_at=timezone.now())
                count += 1
            except RuleError:  # a worker moved it on meanwhile
                continue
            _delete_file(batch)
        for batch in ImportBatch.objects.exclude(file_name="").filter(status__in=[B.DONE, B.CANCELLED, B.FAILED]):
            _delete_file(batch)
    return count


def file_exists(batch: ImportBatch) -> bool:
    return bool(batch.file_name) and os.path.isfile(root() / batch.file_name)
