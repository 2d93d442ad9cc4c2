"""Council report PDFs made in the background (issue 14; docs/tasks.md).

A policy officer or lead asks for the report of a period (`request_report`); that stores a CouncilReport row and
enqueues `learning.tasks.make_council_report` in the same transaction (database task backend: both or neither).
A worker renders the PDF from the protected figures (learning.report) and writes it under PRIVATE_FILES_ROOT;
the "wordt gemaakt" page polls until it is done. The file is handed out only by `open_report` to learning users
of the report's municipality (others: 404, logged), every download is an access event, and the nightly
`purge_council_reports` deletes reports older than COUNCIL_REPORT_RETENTION_DAYS (row and file).

The rules are checked here, not in the views: a view only calls these functions.
"""

from __future__ import annotations

import datetime
import hashlib
import os
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from doorbraak.core.access import deny, get_visible_or_404
from doorbraak.core.audit import log_access
from doorbraak.core.models import AccessEvent

from ..models import CouncilReport
from ..permissions import require_read
from . import analytics

RECENT = 10  # reports listed on the report page


def _ensure_learning(user) -> None:
    require_read("learning.view_insights", user, object_type="council_report")


def root() -> Path:
    return Path(settings.PRIVATE_FILES_ROOT)


def expires_at(report: CouncilReport) -> datetime.datetime:
    return (report.finished_at or report.requested_at) + datetime.timedelta(days=settings.COUNCIL_REPORT_RETENTION_DAYS)


def request_report(user, period: analytics.Period) -> tuple[CouncilReport, bool]:
    """Ask for the council report of `period`. Returns (report, created): a report of the same municipality and
    period that is still waiting or being made is returned instead of a second one (a double click)."""
    from ..tasks import make_council_report

    _ensure_learning(user)
    with transaction.atomic():
        waiting = (
            CouncilReport.objects.select_for_update()
            .filter(
                municipality_id=user.municipality_id,
                period_start=period.start,
                period_end=period.end,
                status__in=[CouncilReport.Status.QUEUED, CouncilReport.Status.RUNNING],
            )
            .order_by("-requested_at")
            .first()
        )
        if waiting is not None:
            return waiting, False
        report = CouncilReport.objects.create(
            municipality_id=user.municipality_id, period_start=period.start, period_end=period.end, requested_by=user
        )
        make_council_report.enqueue(str(report.pk))
    log_access(user, "learning.council_report.request", action=AccessEvent.Action.CREATE, obj=report, purpose="policy")
    return report, True


def get_report(user, report_id) -> CouncilReport:
    """One report of the user's municipality; 404 (logged) for anyone else."""
    _ensure_learning(user)
    return get_visible_or_404(
        user,
        CouncilReport.objects.filter(municipality_id=user.municipality_id),
        report_id,
        event="learning.council_report.read",
        purpose="policy",
    )


def recent_reports(user) -> list[CouncilReport]:
    _ensure_learning(user)
    rows = list(CouncilReport.objects.filter(municipality_id=user.municipality_id).order_by("-requested_at")[:RECENT])
    for row in rows:
        row.expires_at = expires_at(row)
    return rows


def file_name(report: CouncilReport) -> str:
    """The name the user's browser gets."""
    code = report.municipality.code
    return f"raadsrapportage-{code}-{report.period_start:%Y-%m}-{report.period_end:%Y-%m}.pdf"


def open_report(user, report_id):
    """(report, open binary file) for a finished report of the user's municipality, or 404 (logged) when it is
    not theirs, not finished, expired or its file is gone. The download is an access event."""
    report = get_report(user, report_id)
    path = root() / report.file_name if report.file_name else None
    if report.status != CouncilReport.Status.DONE or path is None or not path.is_file():
        raise deny(user, reason="not_found", object_type="council_report", object_id=str(report.pk))
    if timezone.now() >= expires_at(report):
        raise deny(user, reason="not_found", object_type="council_report", object_id=str(report.pk))
    handle = path.open("rb")
    log_access(
        user, "learning.council_report.download", action=AccessEvent.Action.EXECUTE, obj=report, purpose="policy"
    )
    return report, handle


# --- the worker's side ------------------------------------------------------------------------------------


def _write_atomically(relative: str, data: bytes) -> None:
    target = root() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(f".{os.getpid()}.part")
    with temporary.open("wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, target)


def make(report_id: str) -> str:
    """Render and store one report. Idempotent: a finished report whose file exists is left alone; a retry (after
    a failure or a dead worker) renders again and overwrites the same file name. On a failure the row goes back to
    "in de wachtrij" while attempts remain (the task is retried with backoff), else to "mislukt"."""
    from . import report as reports

    with scopes_disabled():
        report = CouncilReport.objects.select_related("municipality").filter(pk=report_id).first()
        if report is None:
            return "gone"
        if report.status == CouncilReport.Status.DONE and (root() / report.file_name).is_file():
            return "already done"
        CouncilReport.objects.filter(pk=report.pk).update(
            status=CouncilReport.Status.RUNNING, started_at=timezone.now(), attempts=report.attempts + 1
        )
        attempts = report.attempts + 1
    try:
        with scope(municipality=report.municipality_id):
            pdf = reports.council_report_pdf(
                report.municipality, period=analytics.Period(report.period_start, report.period_end)
            )
        relative = f"council-reports/{report.municipality.code}/{report.pk}.pdf"
        _write_atomically(relative, pdf)
    except Exception as error:
        status = CouncilReport.Status.QUEUED if attempts < settings.TASKS_MAX_ATTEMPTS else CouncilReport.Status.FAILED
        with scopes_disabled():
            CouncilReport.objects.filter(pk=report.pk).update(status=status, error=type(error).__name__[:100])
        raise
    with scopes_disabled():
        CouncilReport.objects.filter(pk=report.pk).update(
            status=CouncilReport.Status.DONE,
            finished_at=timezone.now(),
            file_name=relative,
            size=len(pdf),
            sha256=hashlib.sha256(pdf).hexdigest(),
            error="",
        )
    return "done"


def purge(days: int | None = None, now=None) -> int:
    """Delete reports (rows and files) finished (or, never finished, requested) more than `days` ago; returns how
    many. A report still waiting or being made is left to its worker."""
    days = settings.COUNCIL_REPORT_RETENTION_DAYS if days is None else days
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    with scopes_disabled():
        expired = Q(finished_at__lt=cutoff) | Q(finished_at=None, requested_at__lt=cutoff)
        pending = [CouncilReport.Status.QUEUED, CouncilReport.Status.RUNNING]
        old = list(CouncilReport.objects.filter(expired).exclude(status__in=pending))
        for report in old:
            if report.file_name:
                (root() / report.file_name).unlink(missing_ok=True)
        CouncilReport.objects.filter(pk__in=[r.pk for r in old]).delete()
    return len(old)
