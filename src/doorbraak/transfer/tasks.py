"""Background tasks of the import (docs/tasks.md): the dry run and the commit of one batch, and the nightly purge
of uncommitted files. Arguments are batch ids only."""

from doorbraak.core.tasks import retried_task


@retried_task
def check_import(batch_id: int) -> str:
    from . import services

    return services.run_check(batch_id)


@retried_task
def commit_import(batch_id: int) -> str:
    from . import services

    return services.run_commit(batch_id)


@retried_task
def purge_imports() -> int:
    from . import services

    return services.purge()
