"""Background work (docs/tasks.md): shared helpers on top of Django's Tasks API (the django-tasks backport,
database backend django-tasks-db), and the core's own tasks.

- `retried_task`: a task that, when it raises, re-enqueues itself with a doubling delay (`run_after`) up to
  TASKS_MAX_ATTEMPTS attempts in all. Every failed attempt stays a FAILED result with its traceback in the
  admin (Beheer > Taakresultaten), so a failure is visible even when a later attempt succeeds.
- `enqueue_once`: enqueue unless a task with the same key is still waiting or running (one pending refresh
  per municipality); the check and the enqueue hold a lock row (TaskLock).
- `requeue_stale_tasks`: RUNNING results whose worker died are put back in the queue.
- `run_pending_tasks`: run the queue in this process until it is empty (tests, `run_scheduler --once`).

Tasks are module-level `Task` objects in each app's tasks.py; they take plain JSON arguments (ids, never
model instances or personal data: the arguments are stored in the task table and shown in the admin).
"""

from __future__ import annotations

import datetime
import functools
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks import task, task_backends
from django_tasks.base import Task, TaskResultStatus

logger = logging.getLogger("doorbraak.tasks")

PENDING = (TaskResultStatus.READY, TaskResultStatus.RUNNING)


def backoff_delay(attempt: int, base_seconds: int | None = None) -> datetime.timedelta:
    """Delay before attempt `attempt + 1`: base, 2 x base, 4 x base, ... (at most a day)."""
    base = settings.TASKS_RETRY_DELAY_SECONDS if base_seconds is None else base_seconds
    return datetime.timedelta(seconds=min(base * 2 ** max(attempt - 1, 0), 24 * 3600))


def retried_task(
    func=None,
    *,
    max_attempts: int | None = None,
    base_delay_seconds: int | None = None,
    priority: int = 0,
    queue_name: str = "default",
):
    """Decorator: a Task whose function is retried with backoff. The task takes an extra keyword `attempt`
    (1 for a fresh enqueue); callers never pass it."""

    def decorate(f):
        @functools.wraps(f)
        def run(*args, attempt: int = 1, **kwargs):
            try:
                return f(*args, **kwargs)
            except Exception:
                limit = settings.TASKS_MAX_ATTEMPTS if max_attempts is None else max_attempts
                if attempt < limit:
                    backend = the_task.get_backend()
                    retry = the_task
                    if backend.supports_defer:
                        retry = the_task.using(run_after=timezone.now() + backoff_delay(attempt, base_delay_seconds))
                    logger.warning("task %s failed (attempt %s of %s); retrying", the_task.name, attempt, limit)
                    retry.enqueue(*args, attempt=attempt + 1, **kwargs)
                else:
                    logger.error("task %s failed (attempt %s of %s); giving up", the_task.name, attempt, limit)
                raise

        the_task = task(priority=priority, queue_name=queue_name)(run)
        return the_task

    return decorate(func) if func is not None else decorate


def _db_results():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects


def uses_database_backend(task_obj: Task) -> bool:
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(task_obj.get_backend(), DatabaseBackend)


def _by_first_arg(rows, args):
    """Narrow in SQL by the first positional argument (JSON key lookup, SQLite and PostgreSQL alike)."""
    return rows.filter(args_kwargs__args__0=args[0]) if args else rows


def pending_results(task_obj: Task, args: tuple | list = ()) -> list:
    """The waiting or running results of `task_obj` with these positional arguments (database backend)."""
    if not uses_database_backend(task_obj):
        return []
    rows = _by_first_arg(
        _db_results().filter(task_path=task_obj.module_path, status__in=PENDING, backend_name=task_obj.backend), args
    ).order_by("enqueued_at")
    return [row for row in rows if list(row.args_kwargs.get("args", [])) == list(args)]


def last_result(task_obj: Task, args: tuple | list = (), *, status=None):
    """The newest result of `task_obj` with these positional arguments, optionally of one status."""
    if not uses_database_backend(task_obj):
        return None
    rows = _by_first_arg(_db_results().filter(task_path=task_obj.module_path, backend_name=task_obj.backend), args)
    if status is not None:
        rows = rows.filter(status=status)
    for row in rows.order_by("-enqueued_at")[:50]:
        if list(row.args_kwargs.get("args", [])) == list(args):
            return row
    return None


@dataclass(frozen=True)
class Enqueued:
    result_id: str
    created: bool  # False: a task with the same key was already waiting or running


def enqueue_once(task_obj: Task, *args, key: str | None = None) -> Enqueued:
    """Enqueue `task_obj(*args)` unless the same task with the same arguments is still waiting or running.
    Idempotent under concurrency: the check and the enqueue run under a lock on a TaskLock row."""
    from .models_tasks import TaskLock

    key = key or f"{task_obj.module_path}:{':'.join(str(a) for a in args)}"[:120]
    with transaction.atomic():
        TaskLock.objects.get_or_create(key=key)
        lock = TaskLock.objects.select_for_update().get(key=key)
        pending = pending_results(task_obj, args)
        if pending:
            return Enqueued(str(pending[0].id), False)
        result = task_obj.enqueue(*args)
        lock.result_id = str(result.id)[:64]
        lock.save(update_fields=["result_id"])
    return Enqueued(str(result.id), True)


def requeue_stale_tasks(older_than_seconds: int | None = None, now=None) -> int:
    """Put RUNNING results back in the queue when they started more than TASKS_STALE_AFTER_SECONDS ago: their
    worker was killed or lost. Tasks are idempotent, so running one again is safe. Returns the number."""
    seconds = settings.TASKS_STALE_AFTER_SECONDS if older_than_seconds is None else older_than_seconds
    cutoff = (now or timezone.now()) - datetime.timedelta(seconds=seconds)
    with transaction.atomic():
        return (
            _db_results()
            .filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff)
            .update(status=TaskResultStatus.READY, started_at=None)
        )


def run_pending_tasks(*, max_tasks: int | None = None, backend: str = "default", worker_id: str = "inline") -> int:
    """Run waiting tasks of the database backend in this process until none is ready; returns how many ran.
    (The same loop as `manage.py db_worker --batch`, without its signal handlers.)"""
    from django_tasks_db.management.commands import db_worker

    worker = db_worker.Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name=backend,
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    if not transaction.get_connection().in_atomic_block:
        worker.run()
        return worker._run_tasks
    # Inside a transaction (a test): the worker's close_old_connections() would close this connection.
    original = db_worker.close_old_connections
    db_worker.close_old_connections = lambda: None
    try:
        worker.run()
    finally:
        db_worker.close_old_connections = original
    return worker._run_tasks


def backend_ready() -> bool:
    """For a readiness probe: can the default task backend take work? Database backend: its table answers;
    RQ: Redis answers to PING; other backends (immediate, dummy): yes. Never raises."""
    from django_tasks_db.backend import DatabaseBackend

    try:
        backend = task_backends["default"]
        if isinstance(backend, DatabaseBackend):
            _db_results().filter(status=TaskResultStatus.READY).exists()
        elif type(backend).__module__.startswith("django_tasks_rq"):
            import django_rq

            django_rq.get_connection("default").ping()
        return True
    except Exception:  # noqa: BLE001 - any failure means "not ready"
        logger.warning("task backend not ready", exc_info=True)
        return False


# --- Core tasks ---------------------------------------------------------------------------------------------


@retried_task
def send_security_email(user_id: int, kind: str) -> str:
    """E-mail a user about a security change (core.notifications). Raises on an SMTP failure, so it is retried."""
    from django.core.mail import send_mail

    from .models import User
    from .notifications import security_email

    user = User.objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if user is None:
        return "no address"
    subject, body = security_email(user, kind)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email], fail_silently=False)
    return "sent"


@retried_task
def checkpoint_access_log() -> str:
    """Write a signed checkpoint of the access-log chain (docs/security.md)."""
    from .audit import write_checkpoint

    return int(write_checkpoint()["seq"])


@retried_task
def prune_task_results(days: int = 30) -> str:
    """Delete finished task results older than `days`; failed ones are kept twice as long."""
    call_command("prune_db_task_results", queue_name="*", min_age_days=days, failed_min_age_days=days * 2, verbosity=0)
    return "ok"
