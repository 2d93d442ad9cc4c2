"""Background work of documents (docs/tasks.md): the nightly retention purge (doorbraak/schedule.py)."""

from doorbraak.core.tasks import retried_task


@retried_task
def purge_expired_documents() -> int:
    """Delete documents whose retention date has passed (files and rows)."""
    from .services import purge_expired

    return purge_expired()
