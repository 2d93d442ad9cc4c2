"""Background work of the notifications app (docs/tasks.md): e-mail delivery with retries, the retry sweep, the
daily digest and the daily scan for what comes due (actions due tomorrow, evaluations due, loan terms missed)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_scopes import scopes_disabled

from doorbraak.core.tasks import retried_task

from . import services


@retried_task
def send_notification_email(notification_id: int) -> str:
    """Send one queued notification e-mail; an SMTP failure raises, so it is retried with backoff."""
    return services.deliver(notification_id)


@retried_task
def retry_notification_emails(older_than_seconds: int = 300) -> int:
    """Send e-mails still queued after five minutes (a mail server or worker that was down)."""
    return services.retry_queued(older_than_seconds)


@retried_task
def send_notification_digests() -> int:
    return services.send_digests()


@retried_task
def scan_due_work(today: str | None = None) -> int:
    """Daily: notify what comes due. Idempotent (one notification per user, kind and key)."""
    from .scan import scan

    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    with scopes_disabled():
        return scan(day)
