"""Background tasks of the case domain (docs/tasks.md)."""

from doorbraak.core.tasks import retried_task

from . import services


@retried_task
def purge_form_tokens(days: int = services.FORM_TOKEN_RETENTION_DAYS) -> int:
    return services.purge_form_tokens(days=days)
