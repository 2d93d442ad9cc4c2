"""Background tasks of the learning pages (docs/tasks.md): the facts refresh, one municipality at a time.

The policy officer's "Cijfers nu bijwerken" enqueues `refresh_learning_facts` (at most one waiting or running
per municipality) and the dashboard shows it as busy until a worker has finished it; the scheduler enqueues
`refresh_all_learning_facts` nightly."""

from django.conf import settings
from django.utils import timezone
from django_scopes import scopes_disabled

from doorbraak.core import permissions as rulebook
from doorbraak.core.models import Municipality
from doorbraak.core.tasks import Enqueued, enqueue_once, last_result, pending_results, retried_task

from .insights import facts


@retried_task
def refresh_learning_facts(municipality_id: int, full: bool = False) -> int:
    """Bring the facts of one municipality up to date: incremental (only the cases in the change log), a full
    rebuild when asked (`full`) or when there is no earlier run to build on. Idempotent: a retry after a failure
    finds the change log untouched (the refresh is one transaction). Returns the number of cases."""
    with scopes_disabled():
        if not Municipality.objects.filter(pk=municipality_id).exists():
            return 0
    return facts.refresh_facts(municipality_id, full=True if full else None)


def full_refresh_today(today=None) -> bool:
    """Whether tonight's refresh rebuilds everything whole (settings.LEARNING_FULL_REFRESH_WEEKDAY)."""
    weekday = settings.LEARNING_FULL_REFRESH_WEEKDAY
    return weekday is not None and (today or timezone.localdate()).weekday() == weekday


@retried_task
def refresh_all_learning_facts() -> int:
    """Enqueue a refresh for every municipality (skipping those already waiting); returns how many. Once a week
    (LEARNING_FULL_REFRESH_WEEKDAY) the refresh is a full rebuild, which bounds how long a fault of the
    incremental path could stay in the published figures."""
    with scopes_disabled():
        ids = list(Municipality.objects.order_by("pk").values_list("pk", flat=True))
    if full_refresh_today():
        return sum(enqueue_once(refresh_learning_facts, pk, True).created for pk in ids)
    return sum(enqueue_once(refresh_learning_facts, pk).created for pk in ids)


def request_refresh(user) -> Enqueued:
    """The policy officer asks for fresh figures: enqueue one refresh of their municipality (idempotent)."""
    rulebook.require("learning.refresh", user)
    return enqueue_once(refresh_learning_facts, user.municipality_id)


def refresh_state(municipality) -> dict:
    """For the dashboard: is a refresh waiting or running, and did the last one fail?"""
    municipality_id = getattr(municipality, "pk", municipality)
    pending = pending_results(refresh_learning_facts, [municipality_id])
    latest = last_result(refresh_learning_facts, [municipality_id])
    return {
        "pending": bool(pending),
        "running": any(row.status == "RUNNING" for row in pending),
        "queued_at": pending[0].enqueued_at if pending else None,
        "failed": latest is not None and latest.status == "FAILED",
    }


@retried_task
def make_council_report(report_id: str) -> str:
    """Render one requested council report PDF and store it (learning.council_reports.make; idempotent)."""
    from .insights import council_reports

    return council_reports.make(report_id)


@retried_task
def purge_council_reports() -> int:
    """Delete council report PDFs older than COUNCIL_REPORT_RETENTION_DAYS (rows and files)."""
    from .insights import council_reports

    return council_reports.purge()
