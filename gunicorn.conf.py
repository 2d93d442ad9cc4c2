"""gunicorn configuration for Doorbraak (issue 14): `make run` and production use this file.

Every value comes from the environment (see docs/settings.md, "Application server"). Static files are served by
whitenoise inside the app. Run: `.venv/bin/gunicorn -c gunicorn.conf.py doorbraak.wsgi:application`.
"""

import multiprocessing
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doorbraak.settings")


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


wsgi_app = "doorbraak.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
# Sync workers with a few threads: the app is database-bound; 2 x cores + 1 processes is gunicorn's advice.
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
threads = _int("GUNICORN_THREADS", 2)
worker_class = "gthread" if threads > 1 else "sync"
timeout = _int("GUNICORN_TIMEOUT", 60)  # a worker silent this long is killed and replaced
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)  # on reload/stop, time to finish running requests
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle a worker after this many requests (+ random jitter so they do not all restart at once).
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)
limit_request_line = 8190
limit_request_fields = 100
# X-Forwarded-Proto (https) is believed only from these proxies; the app uses the same list for
# X-Forwarded-For (core.proxy). Default: a proxy on the same machine.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}
# Access log to stdout, errors to stderr. The path without its query string (%(U)s): queries can hold search
# terms; the app's own request line (core.logs) adds the request id and user id.
accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG", "1") != "0" else None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms rid=%({x-request-id}o)s'
if os.environ.get("LOG_FORMAT", "json" if os.environ.get("DOORBRAAK_ENV") == "production" else "text") == "json":
    # The same one-object-a-line shape as the app's logs (a path with a double quote is percent-encoded by
    # browsers; gunicorn escapes control characters).
    access_log_format = (
        '{"logger": "gunicorn.access", "remote": "%(h)s", "method": "%(m)s", "path": "%(U)s", "status": %(s)s, '
        '"bytes": "%(B)s", "duration_ms": %(M)s, "request_id": "%({x-request-id}o)s"}'
    )
proc_name = "doorbraak-web"
# Preloading saves memory but shares connections opened at import; Django opens them lazily, so it is safe.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") != "0"
# gunicorn 27's control socket (gunicornc): off unless GUNICORN_CONTROL_SOCKET names a path, so several
# instances on one machine do not fight over $HOME/.gunicorn/gunicorn.ctl.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket
