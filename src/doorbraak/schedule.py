"""The one definition of periodic background work (docs/tasks.md). `manage.py run_scheduler` reads this list
and enqueues each job when its schedule comes due; workers (`manage.py db_worker`) run them. Any number of
schedulers may run: each slot of a job is enqueued once (core.ScheduledJob). Each round the scheduler also puts
tasks of a dead worker back in the queue (core.tasks.requeue_stale_tasks).

Schedules are cron expressions (minute hour day-of-month month day-of-week; `*`, `*/n`, `a-b`, `a,b`; day of
week 0 = Sunday), in the local time zone (settings.TIME_ZONE). A slot missed while no scheduler ran is
enqueued once when one starts again (not once per missed slot).
"""

from doorbraak.core.scheduler import Job

SCHEDULE: list[Job] = [
    # Signed checkpoint of the access-log chain (docs/security.md).
    Job("checkpoint_access_log", "doorbraak.core.tasks.checkpoint_access_log", "*/5 * * * *"),
    # Nightly rebuild of the learning facts, one task per municipality.
    Job("refresh_learning_facts", "doorbraak.learning.tasks.refresh_all_learning_facts", "30 2 * * *"),
    # Retention: submitters' names and e-mail addresses 90 days after the decision; used form tokens.
    Job("purge_submitter_data", "doorbraak.initiatives.tasks.purge_submitter_data", "15 3 * * *"),
    Job("purge_form_tokens", "doorbraak.core.form_tokens.purge_form_tokens", "20 3 * * *"),
    # Council report PDFs after COUNCIL_REPORT_RETENTION_DAYS (rows and files).
    Job("purge_council_reports", "doorbraak.learning.tasks.purge_council_reports", "25 3 * * *"),
    # Finished task results after 30 days (failed ones after 60).
    Job("prune_task_results", "doorbraak.core.tasks.prune_task_results", "40 3 * * 0"),
    # Yearly CPI indexation check (budget.tasks): on 2 January.
    Job("cpi_indexation", "doorbraak.budget.tasks.cpi_indexation", "0 6 2 1 *"),
    # --- issue 16: notifications ---
    # What comes due (actions due tomorrow, evaluations, loan terms missed), at 06:00; the daily digest at 07:00;
    # notification e-mails still queued (a mail server or worker that was down) every 10 minutes.
    Job("scan_due_work", "doorbraak.notifications.tasks.scan_due_work", "0 6 * * *"),
    Job("send_notification_digests", "doorbraak.notifications.tasks.send_notification_digests", "0 7 * * *"),
    Job("retry_notification_emails", "doorbraak.notifications.tasks.retry_notification_emails", "*/10 * * * *"),
    # --- issue 18: meetings --- registrants' personal data MEETINGS_REGISTRANT_RETENTION_DAYS after the meeting.
    Job("purge_registrant_data", "doorbraak.meetings.tasks.purge_registrant_data", "35 3 * * *"),
    # --- issue 17: import files not committed within TRANSFER_IMPORT_RETENTION_HOURS (files deleted) ---
    Job("purge_imports", "doorbraak.transfer.tasks.purge_imports", "35 3 * * *"),
    # --- issue 16: documents past their retention date (files and rows) ---
    Job("purge_expired_documents", "doorbraak.documents.tasks.purge_expired_documents", "35 3 * * *"),
]
