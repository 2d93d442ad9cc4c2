"""Background tasks of the initiative registry (docs/tasks.md)."""

from django_scopes import scopes_disabled

from doorbraak.core.tasks import retried_task

from . import services


@retried_task
def purge_submitter_data(days: int = 90) -> int:
    """Blank submitters' names and e-mail addresses after the retention period (idempotent)."""
    with scopes_disabled():
        return services.purge_submitter_data(days=days)
