"""Health probes for the platform (issue 14): /_healthz/livez and /_healthz/readyz.

livez: the process answers (200, no database). readyz: the database answers a query, the cache stores and
returns a value, and the task backend answers (or "not configured" when django-tasks is not installed, which
does not fail). 503 when a dependency is down. JSON, no authentication, no personal data, never cached.

HealthProbeMiddleware answers both paths first in MIDDLEWARE, before host checks, HTTPS redirect, sessions,
the second factor and the tenant scope: a load balancer probes by IP over plain HTTP without a cookie.
The same views are in urls.py for completeness.
"""

import logging
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import JsonResponse

logger = logging.getLogger("doorbraak.health")

LIVEZ_PATH = "/_healthz/livez"
READYZ_PATH = "/_healthz/readyz"


def _json(body: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def check_database() -> str:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def check_cache() -> str:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", 10)
    value = cache.get(key)
    cache.delete(key)
    if value != "1":
        raise RuntimeError("cache did not return the value")
    return "ok"


def check_tasks() -> str:
    """The default task backend answers. "not configured" without django-tasks (not a failure)."""
    try:
        from django_tasks import task_backends
    except ImportError:
        return "not configured"
    if "django_tasks" not in settings.INSTALLED_APPS and not getattr(settings, "TASKS", None):
        return "not configured"
    backend = task_backends["default"]
    name = type(backend).__module__ + "." + type(backend).__name__
    if name.startswith("django_tasks_db."):
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.exists()  # the queue table answers
    elif "rq" in name.lower():
        from django_rq import get_connection  # django-tasks-rq's queues are django-rq queues

        get_connection(next(iter(getattr(backend, "queues", None) or ["default"]))).ping()
    return "ok"


CHECKS = {"database": check_database, "cache": check_cache, "tasks": check_tasks}


def livez(request=None):
    return _json({"status": "ok"})


def readyz(request=None):
    results, ok = {}, True
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            state = check()
        except Exception as exc:  # any failure of a dependency makes the process not ready
            ok = False
            state = "down"
            logger.warning("readiness check %s failed: %s", name, type(exc).__name__)
        results[name] = {"status": state, "ms": round((time.monotonic() - started) * 1000, 1)}
    return _json({"status": "ok" if ok else "down", "checks": results}, status=200 if ok else 503)


class HealthProbeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info.rstrip("/")
        if path == LIVEZ_PATH:
            return livez(request)
        if path == READYZ_PATH:
            return readyz(request)
        return self.get_response(request)
