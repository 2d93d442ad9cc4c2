"""Structured technical logs (issue 14): a request id on every record, one line per request, JSON or text.

Never personal data here: the request line holds the method, the path WITHOUT its query string, the status,
the duration, the request id and the numeric user id — no name, no query, no body. Reads of personal data go
to the access log (core.audit), which carries the same id as its trace id.
"""

import contextvars
import logging
import time
import uuid

from pythonjsonlogger.json import JsonFormatter as _BaseJsonFormatter

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("doorbraak_request_id", default="-")
request_logger = logging.getLogger("doorbraak.request")


class RequestIdFilter(logging.Filter):
    """Puts the current request id on every log record (`-` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            # django.request logs 4xx/5xx after the middleware finished: take the id from its request.
            record.request_id = getattr(getattr(record, "request", None), "trace_id", None) or request_id_var.get()
        return True


class JsonFormatter(_BaseJsonFormatter):
    """One JSON object a line: time, level, logger, message, request_id, plus the record's `extra` fields."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("fmt", "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s")
        kwargs.setdefault("rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"})
        kwargs.setdefault("datefmt", "%Y-%m-%dT%H:%M:%S%z")
        super().__init__(*args, **kwargs)

    def process_log_record(self, log_data: dict) -> dict:
        # django.request passes the request object along: its repr holds the query string. Never log it.
        log_data.pop("request", None)
        return super().process_log_record(log_data)


class RequestLogMiddleware:
    """Gives each request its id (request.trace_id, reused by SessionLimitsMiddleware and the access log) and
    writes one log line when the response is ready. The id is also sent back as `X-Request-ID`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.trace_id = uuid.uuid4().hex
        token = request_id_var.set(request.trace_id)
        started = time.monotonic()
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            response.headers.setdefault("X-Request-ID", request.trace_id)
            return response
        finally:
            duration_ms = round((time.monotonic() - started) * 1000, 1)
            user = getattr(request, "user", None)
            user_id = user.pk if user is not None and getattr(user, "is_authenticated", False) else None
            request_logger.info(
                "%s %s %s %sms user=%s",
                request.method,
                request.path,
                status,
                duration_ms,
                user_id or "-",
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": status,
                    "duration_ms": duration_ms,
                    "user_id": user_id,
                },
            )
            request_id_var.reset(token)
