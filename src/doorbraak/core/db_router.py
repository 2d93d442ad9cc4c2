"""Optional read replica for the learning pages (issue 14; off unless DATABASE_REPLICA_URL is set).

Only reads of the models in settings.REPLICA_READ_MODELS (the learning facts and month rollups, which only the
facts refresh writes) go to the `replica` alias, and only inside a GET or HEAD web request (ReplicaReadsMiddleware).
Everything else stays on the primary: every write, the refresh and other tasks (workers never use the replica),
the refresh's own status row, the case pages and the access log (read-your-writes, the hash chain's head), and
any read inside a transaction on the primary. A replica that lags shows figures a few seconds older; that is all.
"""

import contextvars

from django.conf import settings
from django.db import connections

_replica_reads = contextvars.ContextVar("doorbraak_replica_reads", default=False)
REPLICA = "replica"


class LearningReplicaRouter:
    def db_for_read(self, model, **hints):
        if (
            _replica_reads.get()
            and model._meta.label_lower in settings.REPLICA_READ_MODELS
            and REPLICA in settings.DATABASES
            and not connections["default"].in_atomic_block
        ):
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the same database

    def allow_migrate(self, db, app_label, **hints):
        return db != REPLICA


class ReplicaReadsMiddleware:
    """Allows replica reads for the duration of a GET or HEAD request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _replica_reads.set(request.method in {"GET", "HEAD"})
        try:
            return self.get_response(request)
        finally:
            _replica_reads.reset(token)
