"""Doorbraak settings: one module, configured by environment variables.

The full list with defaults and meanings is docs/settings.md, generated from this file (SETTINGS_DOC at the end).

DOORBRAAK_ENV   development (default) | test | production
DATABASE_URL    sqlite:///path (default: var/doorbraak.sqlite3) or postgres://...
SECRET_KEY      required in production
DEMO            1 to enable demo mode (demo accounts, banner); refused in production
PSEUDONYM_KEY   key for keyed pseudonyms (HMAC); required in production
ALLOWED_HOSTS   comma-separated; default 127.0.0.1,localhost outside production
DATABASE_OWNER_URL  optional: the table owner's URL, used by `migrate` and `setup_database_roles`
                (then DATABASE_URL is the application role, which cannot disable the log's triggers)
ACCESS_LOG_KEYS "2:newkey,1:oldkey" (first = current) or ACCESS_LOG_KEY; HMAC keys of the access-log
                chain; required in production
ACCESS_LOG_CHECKPOINT_SIGNING_KEY  base64 Ed25519 private key (32 bytes) for checkpoints; required in
                production. ACCESS_LOG_CHECKPOINT_PUBLIC_KEYS: extra trusted public keys (rotation).
ACCESS_LOG_CHECKPOINT_FILE  append-only JSON-lines file (default var/access-log-checkpoints.jsonl)
"""

import base64
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent  # repository root
SRC_DIR = BASE_DIR / "src"


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


ENVIRONMENT = os.environ.get("DOORBRAAK_ENV", "development")
if ENVIRONMENT not in {"development", "test", "production"}:
    raise ImproperlyConfigured("DOORBRAAK_ENV must be development, test or production")
PRODUCTION = ENVIRONMENT == "production"

DEMO = env_bool("DEMO")
if PRODUCTION and DEMO:
    raise ImproperlyConfigured("Demo mode (DEMO=1) is not allowed with DOORBRAAK_ENV=production.")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set in production.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"
PSEUDONYM_KEY = os.environ.get("PSEUDONYM_KEY", "")
if not PSEUDONYM_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("PSEUDONYM_KEY must be set in production.")
    PSEUDONYM_KEY = "dev-only-pseudonym-key"

# Access log keys (core.audit; docs/security.md) -----------------
# The chain is an HMAC-SHA-256 with a key the database does not hold. Each row stores its key id, so
# keys rotate: ACCESS_LOG_KEYS="2:newkey,1:oldkey" writes with 2 and still verifies rows of 1.
# Key id 0 is reserved for the unkeyed SHA-256 rows written before migration core.0006.


def _parse_access_log_keys(raw: str) -> dict[int, bytes]:
    keys: dict[int, bytes] = {}
    for part in (p.strip() for p in raw.split(",")):
        if not part:
            continue
        key_id, sep, secret = part.partition(":")
        if not sep or not key_id.strip().isdigit() or int(key_id) < 1 or int(key_id) > 32767 or len(secret) < 16:
            raise ImproperlyConfigured(
                "ACCESS_LOG_KEYS must look like '2:newkey,1:oldkey' (ids 1-32767, keys of 16+ characters)."
            )
        keys.setdefault(int(key_id), secret.encode())
    if not keys:
        raise ImproperlyConfigured("ACCESS_LOG_KEYS has no key.")
    return keys


_access_log_keys_raw = os.environ.get("ACCESS_LOG_KEYS", "")
if not _access_log_keys_raw and os.environ.get("ACCESS_LOG_KEY"):
    _access_log_keys_raw = "1:" + os.environ["ACCESS_LOG_KEY"]
if not _access_log_keys_raw:
    if PRODUCTION:
        raise ImproperlyConfigured("ACCESS_LOG_KEYS (or ACCESS_LOG_KEY) must be set in production.")
    _access_log_keys_raw = "1:dev-only-access-log-key-not-secret"
ACCESS_LOG_KEYS = _parse_access_log_keys(_access_log_keys_raw)
ACCESS_LOG_KEY_ID = next(iter(ACCESS_LOG_KEYS), 0)  # the first one writes
# Checkpoints: Ed25519, so a verifier needs only the public key. Base64 of the 32-byte private key.
# log_access also writes a checkpoint every N events (0 = only `manage.py checkpoint_access_log`).
ACCESS_LOG_CHECKPOINT_EVERY = int(
    os.environ.get("ACCESS_LOG_CHECKPOINT_EVERY", "0" if ENVIRONMENT == "test" else "1000")
)
ACCESS_LOG_CHECKPOINT_PUBLIC_KEYS = [
    k.strip() for k in os.environ.get("ACCESS_LOG_CHECKPOINT_PUBLIC_KEYS", "").split(",") if k.strip()
]
ACCESS_LOG_CHECKPOINT_SIGNING_KEY = os.environ.get("ACCESS_LOG_CHECKPOINT_SIGNING_KEY", "")
if not ACCESS_LOG_CHECKPOINT_SIGNING_KEY:
    if PRODUCTION and not (ACCESS_LOG_CHECKPOINT_PUBLIC_KEYS and ACCESS_LOG_CHECKPOINT_EVERY == 0):
        # (a verify-only host may run with just the public keys and ACCESS_LOG_CHECKPOINT_EVERY=0)
        raise ImproperlyConfigured("ACCESS_LOG_CHECKPOINT_SIGNING_KEY must be set in production.")
    if not PRODUCTION:
        ACCESS_LOG_CHECKPOINT_SIGNING_KEY = "ZGV2LW9ubHktY2hlY2twb2ludC1rZXktbm90LXNlY3I="  # dev/test only
_checkpoint_name = "test-access-log-checkpoints.jsonl" if ENVIRONMENT == "test" else "access-log-checkpoints.jsonl"
ACCESS_LOG_CHECKPOINT_FILE = os.environ.get("ACCESS_LOG_CHECKPOINT_FILE", str(BASE_DIR / "var" / _checkpoint_name))
# More than this many denied events by one user (or one address) within the window raise denial_burst.
ACCESS_LOG_DENIAL_BURST_THRESHOLD = int(os.environ.get("ACCESS_LOG_DENIAL_BURST_THRESHOLD", "10"))
ACCESS_LOG_DENIAL_BURST_WINDOW_SECONDS = int(os.environ.get("ACCESS_LOG_DENIAL_BURST_WINDOW_SECONDS", "300"))

DEBUG = env_bool("DEBUG") and not PRODUCTION
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "rules",  # the rule book's template tags (core.permissions)
    "django_tasks",
    "django_tasks_db",  # before doorbraak.core: core's admin replaces its task-result admin
    "doorbraak.core",
    "doorbraak.cases",
    "doorbraak.platforms",
    "doorbraak.budget",
    "doorbraak.learning",
    "doorbraak.initiatives",
    # --- issue 16: notifications ---
    "doorbraak.notifications",
    "doorbraak.meetings",  # issue 18: programme meetings
    # --- issue 17: api --- (DRF and drf-spectacular are used as libraries, not installed apps: their bundled
    # translations would override Django's Dutch ones in the admin, and their templates are not used)
    "doorbraak.api",
    # --- issue 17: import and export ---
    "doorbraak.transfer",
    # --- issue 16: documents ---
    "doorbraak.documents",
]

MIDDLEWARE = [
    "doorbraak.core.health.HealthProbeMiddleware",
    "doorbraak.core.logs.RequestLogMiddleware",
    "doorbraak.core.proxy.ForwardedForMiddleware",
    "doorbraak.core.middleware.ResponseProtectionMiddleware",
    "doorbraak.api.middleware.ApiResponseMiddleware",  # issue 17: /api/ headers, problem details, CORS
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "doorbraak.core.middleware.RejectNulBytesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "doorbraak.core.middleware.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "doorbraak.core.middleware.SessionLimitsMiddleware",
    "doorbraak.core.middleware.SecondFactorRequiredMiddleware",
    "doorbraak.core.middleware.TenantScopeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "doorbraak.core.middleware.RefusalLogMiddleware",
]

ROOT_URLCONF = "doorbraak.urls"
WSGI_APPLICATION = "doorbraak.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "doorbraak" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "doorbraak.core.context_processors.doorbraak",
                "doorbraak.notifications.context_processors.inbox_count",  # issue 16: the count in the menu
            ],
        },
    },
]
# Forms render with NL Design System classes (templates/django/forms/...).
FORM_RENDERER = "doorbraak.core.forms.UtrechtFormRenderer"

# Database -------------------------------------------------------------------
(BASE_DIR / "var").mkdir(exist_ok=True)
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'doorbraak.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0 if ENVIRONMENT == "test" else 60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions serialise writers, so read-check-write in a transaction is safe on SQLite
    # (select_for_update is a no-op there). WAL lets readers go on while one writer writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: the app's queries are short, and a query whose cost PostgreSQL overestimates (a
    # per-row gate check) spent 50 ms to 2.3 s compiling at 100k cases (issue 15, bench/explain_queues.py).
    pg_options = ["-c jit=off"]
    if ENVIRONMENT == "test":
        # Tests only: a commit does not wait for the WAL flush (a crash could lose the last commits of a
        # throwaway test database, nothing else); the live-server and transactional tests commit thousands of times.
        pg_options.append("-c synchronous_commit=off")
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = " ".join(pg_options)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Same backend; only `flush` (tests, deliberate wipes) lifts the access log's guard triggers.
    DATABASES["default"]["ENGINE"] = "doorbraak.core.db.sqlite3"
# Two PostgreSQL roles: DATABASE_URL is the application role (not the owner, cannot disable triggers);
# DATABASE_OWNER_URL, when set, is the owner that `migrate` and `setup_database_roles` use.
DATABASE_OWNER_URL = os.environ.get("DATABASE_OWNER_URL", "")
if DATABASE_OWNER_URL:
    DATABASES["owner"] = dj_database_url.parse(DATABASE_OWNER_URL, conn_max_age=0)
    DATABASES["owner"]["TEST"] = {"MIRROR": "default"}
# Optional read replica (streaming replica of the primary) for the learning pages' facts and rollups:
# core.db_router, docs/deployment.md ("Topology 2"). Off unless DATABASE_REPLICA_URL is set.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
REPLICA_READ_MODELS = {"learning.casefact", "learning.casefunderfact", "learning.casedomainfact", "learning.rollup"}
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["doorbraak.core.db_router.LearningReplicaRouter"]
    MIDDLEWARE.append("doorbraak.core.db_router.ReplicaReadsMiddleware")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Auth -----------------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if ENVIRONMENT == "test":
    # Argon2 with production parameters costs ~100 ms a hash; tests create many users.
    PASSWORD_HASHERS = ["doorbraak.core.hashers.FastArgon2PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    # Django's 20k list plus zxcvbn's 30k password list (~40k, offline), and zxcvbn's strength estimate.
    {"NAME": "doorbraak.core.password_validation.LargeCommonPasswordValidator"},
    {"NAME": "doorbraak.core.password_validation.ZxcvbnValidator", "OPTIONS": {"min_score": 3}},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"
PASSWORD_RESET_TIMEOUT = 60 * 60  # a reset link works for one hour
# Public base URL for links in e-mails sent outside a request (manage.py issue_enrolment_link), e.g. https://...
SITE_URL = os.environ.get("SITE_URL", "")

# Lockout (django-axes): 5 failures for one username *from one address* lock that pair only, for 1, 5, 15, then
# 60 minutes by the number of earlier lockouts of the pair in 24 h (core.services_auth.cool_off), so nobody can
# lock a user out from elsewhere. Each attempt carries its own expiry (core.axes_handler).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = "doorbraak.core.services_auth.cool_off"
AXES_USE_ATTEMPT_EXPIRATION = True
AXES_HANDLER = "doorbraak.core.axes_handler.PairLockoutHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # one failure-log row per lockout: counts earlier lockouts
AXES_LOCKOUT_CALLABLE = "doorbraak.core.services_auth.lockout_response"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True

# Sessions: 30 minutes of inactivity, at most 10 hours in all (core.middleware).
# The session is saved when it changes, and an active signed-in session changes at most once a minute
# (core.services_auth.touch_session), which renews the 30 minutes: one write a minute instead of one per request
# (issue 15: the save was a write, a commit and 1 of every page's queries).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_LIMIT_SECONDS = 10 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "doorbraak.core.views.csrf_failure"
OTP_TOTP_ISSUER = "Doorbraak"

# Security headers -------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# Strict CSP: only our own origin; no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# I18n -----------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [SRC_DIR / "doorbraak" / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# Field encryption (BSN at rest) ---------------------------------------------------
# FIELD_ENCRYPTION_KEYS: comma-separated Fernet keys (32 url-safe base64 bytes each), NEWEST FIRST. New values
#   are encrypted with the first key; every key in the list can still decrypt. Rotation: put a new key in front,
#   run `manage.py rotate_field_keys`, then drop the old key. Required in production.
# BSN_HASH_KEY: HMAC-SHA-256 key of the `bsn_hash` lookup column (find a person by BSN without decrypting).
#   Changing it needs `manage.py rotate_field_keys --rehash` right after. Required in production.
# Neither key is kept in the database. See docs/security.md.
_DEV_FIELD_KEY = "ZG9vcmJyYWFrLWRldi1vbmx5LWZpZWxkLWtleS0wMDE="  # base64 of a public dev-only string
FIELD_ENCRYPTION_KEYS = [k.strip() for k in os.environ.get("FIELD_ENCRYPTION_KEYS", "").split(",") if k.strip()]
if not FIELD_ENCRYPTION_KEYS:
    if PRODUCTION:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must be set in production.")
    FIELD_ENCRYPTION_KEYS = [_DEV_FIELD_KEY]
for _key in FIELD_ENCRYPTION_KEYS:
    try:
        if len(base64.urlsafe_b64decode(_key.encode())) != 32:
            raise ValueError
    except ValueError:
        raise ImproperlyConfigured(
            "Every FIELD_ENCRYPTION_KEYS entry must be a Fernet key (32 bytes, url-safe base64)."
        ) from None
if PRODUCTION and _DEV_FIELD_KEY in FIELD_ENCRYPTION_KEYS:
    raise ImproperlyConfigured("The development field key may not be used in production.")
BSN_HASH_KEY = os.environ.get("BSN_HASH_KEY", "")
if not BSN_HASH_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("BSN_HASH_KEY must be set in production.")
    BSN_HASH_KEY = "dev-only-bsn-hash-key"

# Static files -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [SRC_DIR / "doorbraak" / "static", BASE_DIR / "var" / "vendor"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_ROOT = BASE_DIR / "var" / "media"
# Files the application makes for logged-in users only (council reports, issue 14): outside MEDIA and STATIC, never
# served by a web server, handed out by a view that checks the user (learning.council_reports).
PRIVATE_FILES_ROOT = os.environ.get(
    "PRIVATE_FILES_ROOT", str(BASE_DIR / "var" / ("test-private" if ENVIRONMENT == "test" else "private"))
)
COUNCIL_REPORT_RETENTION_DAYS = int(os.environ.get("COUNCIL_REPORT_RETENTION_DAYS", "30"))
# Issue 18: registrants' names, organisations, e-mail addresses and needs are blanked this many days after the meeting.
MEETINGS_REGISTRANT_RETENTION_DAYS = int(os.environ.get("MEETINGS_REGISTRANT_RETENTION_DAYS", "90"))
# --- issue 16: documents (doorbraak.documents) ---
# Uploaded documents live under PRIVATE_FILES_ROOT/documents/ under a random name; larger files are refused.
DOCUMENT_MAX_MB = int(os.environ.get("DOCUMENT_MAX_MB", "10"))
# ClamAV's clamd for the virus scan of uploads: "host:port" (TCP) or a path to its unix socket. Empty: uploads are
# stored unscanned and the upload result says so.
CLAMAV_ADDRESS = os.environ.get("CLAMAV_ADDRESS", "")
CLAMAV_TIMEOUT_SECONDS = int(os.environ.get("CLAMAV_TIMEOUT_SECONDS", "30"))
# Closing a case with care (issue 16): functions (case, user) -> open items of other apps (cases cannot import them).
CLOSE_CHECKS = [
    "doorbraak.platforms.close_checks.open_items",
    "doorbraak.budget.close_checks.open_items",
]

# Logging: technical logs only; never personal data (that goes to the access log). One line per request
# (core.logs.RequestLogMiddleware: method, path without query, status, duration, request id, user id).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json" if PRODUCTION else "text")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured("LOG_FORMAT must be json or text.")
LOG_LEVEL = os.environ.get("LOG_LEVEL", "WARNING").upper()
LOG_REQUESTS = env_bool("LOG_REQUESTS", ENVIRONMENT != "test")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "doorbraak.core.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "doorbraak.core.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "axes": {"level": "WARNING"},
        "doorbraak.request": {"level": "INFO" if LOG_REQUESTS else "WARNING"},
    },
}

# E-mail: SMTP in production (EMAIL_HOST etc.), printed to the console in development; tests use locmem.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Doorbraak <noreply@doorbraak.invalid>")

# Background tasks (docs/tasks.md) ------------------------------------------------
# Django's Tasks API (the django-tasks backport). Default: the database backend (django-tasks-db), on SQLite
# and PostgreSQL alike; workers run `manage.py db_worker`. TASKS_BACKEND=immediate runs a task inline (only for
# development without a worker). Periodic jobs: doorbraak/schedule.py, run by `manage.py run_scheduler`.
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "rq": "django_tasks_rq.RQBackend",
}
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database")
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured("TASKS_BACKEND must be database, immediate or rq.")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND], "QUEUES": ["default"]}}
# The scale-out alternative: Redis + RQ workers (`manage.py rqworker --job-class django_tasks_rq.Job
# --with-scheduler default`); needs `pip install django-tasks-rq` (requirements-dev.txt pins it).
TASKS_REDIS_URL = os.environ.get("TASKS_REDIS_URL", "redis://127.0.0.1:6379/2")
RQ_QUEUES = {"default": {"URL": TASKS_REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
if TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
# RUNNING tasks whose worker died (killed, machine lost) are put back in the queue after this many seconds
# (core.tasks.requeue_stale_tasks, every minute from the scheduler); longer than the slowest task.
TASKS_STALE_AFTER_SECONDS = int(os.environ.get("TASKS_STALE_AFTER_SECONDS", "1800"))
# Retries of a failing task (core.tasks.retried_task): attempts in all, and the first delay (doubling).
TASKS_MAX_ATTEMPTS = int(os.environ.get("TASKS_MAX_ATTEMPTS", "4"))
TASKS_RETRY_DELAY_SECONDS = int(os.environ.get("TASKS_RETRY_DELAY_SECONDS", "60"))
# Security-change e-mails: sent inline (tests, development without a worker) or through the task queue.
TASKS_EMAIL_INLINE = env_bool("TASKS_EMAIL_INLINE", ENVIRONMENT == "test" or TASKS_BACKEND == "immediate")
# The de-identification check of a story (learning.stories.second_eyes, ~1 GB model): in the worker, or inline.
STORY_CHECK_INLINE = env_bool("STORY_CHECK_INLINE", ENVIRONMENT == "test" or TASKS_BACKEND == "immediate")
# The nightly learning refresh is incremental; on this weekday (0 = Monday, 6 = Sunday; empty: never) it rebuilds
# the facts, rollups and protected layer whole, so any drift of the incremental path lives at most a week.
_full_refresh_weekday = os.environ.get("LEARNING_FULL_REFRESH_WEEKDAY", "6")
LEARNING_FULL_REFRESH_WEEKDAY = int(_full_refresh_weekday) if _full_refresh_weekday else None


# Cache (rate limits of the public forms, and sessions when SESSIONS_IN_REDIS=1) ---------------------------
# REDIS_URL set: Redis through django-redis, shared by every process on every machine (production).
# Without it: a file cache in CACHE_DIR, shared by the processes of ONE machine (make run: gunicorn workers);
# tests use the per-process memory cache. See docs/deployment.md ("Shared state").
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_DIR = os.environ.get("CACHE_DIR", str(BASE_DIR / "var" / "cache"))
SESSIONS_IN_REDIS = env_bool("SESSIONS_IN_REDIS")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "doorbraak",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 2},
        }
    }
elif ENVIRONMENT == "test":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": CACHE_DIR,
            "OPTIONS": {"MAX_ENTRIES": 10000},
        }
    }
if SESSIONS_IN_REDIS:
    if not REDIS_URL:
        raise ImproperlyConfigured("SESSIONS_IN_REDIS=1 needs REDIS_URL.")
    # A Redis restart ends every session (users log in again); the per-user session list keeps working.
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"

# Reverse proxy: REMOTE_ADDR is taken from X-Forwarded-For only when the direct peer is one of these addresses
# (core.proxy.ForwardedForMiddleware); gunicorn.conf.py reads the same variable for X-Forwarded-Proto.
FORWARDED_ALLOW_IPS = [
    ip.strip() for ip in os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1").split(",") if ip.strip()
]

# Demo data loaders, in dependency order (manage.py load_demo). The demo content lives in the doorbraak.demo package
# (loaders + data/*.json); learning's generated history stays in learning.demo_history.
DEMO_LOADERS = [
    "doorbraak.demo.core.load",
    "doorbraak.demo.cases.load",
    "doorbraak.demo.platforms.load",
    "doorbraak.demo.budget.load",
    "doorbraak.demo.learning.load",
    "doorbraak.learning.demo_history.load",
    "doorbraak.demo.initiatives.load",
    "doorbraak.demo.meetings.load",  # issue 18
    # --- issue 17: api ---
    "doorbraak.demo.api.load",
]

# --- issue 16: notifications ---
# The home page: the work inbox of the notifications app (core.views.home delegates; core imports no app).
HOME_VIEW = "doorbraak.notifications.views.inbox"
# The case list's platform marker and filter (cases.selectors_list; cases does not import platforms).
CASE_LIST_EXTENSION = "doorbraak.notifications.case_list"
# Attempts in all to send one notification e-mail (task retries plus the retry job) before it is marked failed.
NOTIFICATION_EMAIL_MAX_ATTEMPTS = int(os.environ.get("NOTIFICATION_EMAIL_MAX_ATTEMPTS", "8"))

# What each environment variable means: the table in docs/settings.md is generated from the os.environ/env_bool
# calls in this file and in gunicorn.conf.py plus these texts (`python scripts/settings_table.py`); a test fails
# when the table is stale or a variable has no text here.
SETTINGS_DOC = {
    # settings.py
    "PRIVATE_FILES_ROOT": "folder for generated files only logged-in users may download (council report PDFs); "
    "shared by web processes and workers, never served directly",
    "COUNCIL_REPORT_RETENTION_DAYS": "days a generated council report PDF is kept before the nightly purge deletes it",
    "TASKS_BACKEND": "`database` (django-tasks-db, default; workers run `manage.py db_worker`), `immediate` (inline, "
    "development only) or `rq` (Redis + RQ workers, the scale-out alternative)",
    "TASKS_REDIS_URL": "Redis for the `rq` task backend",
    "TASKS_STALE_AFTER_SECONDS": "a running task whose worker died is queued again after this many seconds",
    "TASKS_MAX_ATTEMPTS": "attempts in all for a failing task (retried with a doubling delay)",
    "TASKS_RETRY_DELAY_SECONDS": "delay before the first retry of a failing task (doubles each time)",
    "LEARNING_FULL_REFRESH_WEEKDAY": "weekday (0 = Monday … 6 = Sunday, default 6; empty: never) on which the nightly "
    "learning refresh rebuilds facts, rollups and the protected layer whole instead of incrementally",
    "STORY_CHECK_INLINE": "`1` runs the de-identification check of a saved story (deduce, about 1 GB of memory) "
    "in the web process instead of the task worker (default in tests and with `TASKS_BACKEND=immediate`)",
    "NOTIFICATION_EMAIL_MAX_ATTEMPTS": "attempts in all to send one notification e-mail before it is marked failed "
    "(it stays visible in the app either way)",
    "TASKS_EMAIL_INLINE": "`1` sends security-change e-mails inline instead of through the task queue (default in "
    "tests and with the immediate backend)",
    "DOORBRAAK_ENV": "`development`, `test` or `production` (production demands the keys below)",
    "DEMO": "`1` enables demo mode (demo accounts, banner); refused in production",
    "SECRET_KEY": "Django's signing key (sessions, CSRF, form challenges); required in production",
    "PSEUDONYM_KEY": "HMAC key of the keyed pseudonyms in the learning facts; required in production",
    "ACCESS_LOG_KEYS": "HMAC keys of the access-log chain, `2:newkey,1:oldkey` (first one writes); required in "
    "production (docs/security.md)",
    "ACCESS_LOG_KEY": "single access-log key (same as `ACCESS_LOG_KEYS=1:KEY`) when ACCESS_LOG_KEYS is not set",
    "ACCESS_LOG_CHECKPOINT_EVERY": "write a signed checkpoint every N access events (0: only "
    "`manage.py checkpoint_access_log`)",
    "ACCESS_LOG_CHECKPOINT_PUBLIC_KEYS": "extra trusted Ed25519 public keys of checkpoints (key rotation), "
    "comma-separated base64",
    "ACCESS_LOG_CHECKPOINT_SIGNING_KEY": "base64 Ed25519 private key (32 bytes) that signs checkpoints; required "
    "in production (unless a verify-only host)",
    "ACCESS_LOG_CHECKPOINT_FILE": "append-only JSON-lines file of checkpoints, outside the database",
    "ACCESS_LOG_DENIAL_BURST_THRESHOLD": "more denied events than this by one user or address within the window "
    "raise a denial-burst signal",
    "ACCESS_LOG_DENIAL_BURST_WINDOW_SECONDS": "window of the denial-burst signal, in seconds",
    "DEBUG": "`1` shows Django's debug pages (never in production: ignored there)",
    "ALLOWED_HOSTS": "host names this instance answers to, comma-separated (required in production)",
    "DATABASE_URL": "`sqlite:///path` or `postgres://user:pass@host:5432/db`; in production the application "
    "role (not the table owner)",
    "DATABASE_OWNER_URL": "optional table owner's URL, used by `migrate` and `setup_database_roles`",
    "SITE_URL": "public base URL for links in e-mails sent outside a request (e.g. `https://doorbraak.example.nl`)",
    "SECURE_SSL_REDIRECT": "production: redirect plain HTTP to HTTPS (`0` when the proxy already does)",
    "CSRF_TRUSTED_ORIGINS": "production: origins (`https://host`) trusted for POSTs, comma-separated",
    "FIELD_ENCRYPTION_KEYS": "Fernet keys for the BSN at rest, newest first, comma-separated; required in "
    "production (docs/security.md)",
    "BSN_HASH_KEY": "HMAC key of the BSN lookup hash; required in production",
    "LOG_FORMAT": "`json` (one JSON object a line, production default) or `text`",
    "LOG_LEVEL": "level of the technical logs (`WARNING`, `INFO`, ...)",
    "LOG_REQUESTS": "`1`: one log line per request (method, path without query, status, duration, request id, "
    "user id); off in tests",
    "EMAIL_BACKEND": "Django e-mail backend (SMTP in production, console otherwise)",
    "EMAIL_HOST": "SMTP server",
    "EMAIL_PORT": "SMTP port",
    "EMAIL_HOST_USER": "SMTP user name",
    "EMAIL_HOST_PASSWORD": "SMTP password",
    "EMAIL_USE_TLS": "`1`: STARTTLS to the SMTP server",
    "DEFAULT_FROM_EMAIL": "sender of the e-mails",
    "REDIS_URL": "`redis://host:6379/0`: cache and rate limits in Redis, shared by every process and machine "
    "(production); unset: a file cache shared by the processes of one machine",
    "CACHE_DIR": "directory of the file cache when REDIS_URL is not set",
    "SESSIONS_IN_REDIS": "`1`: sessions in the Redis cache instead of the database (needs REDIS_URL; a Redis "
    "restart logs everyone out)",
    "DATABASE_REPLICA_URL": "optional `postgres://...` of a streaming read replica: the learning pages read their "
    "facts and rollups there (GET requests only); unset: everything on DATABASE_URL",
    "FORWARDED_ALLOW_IPS": "addresses of the reverse proxies whose X-Forwarded-For/-Proto are believed, "
    "comma-separated (gunicorn and the app)",
    # gunicorn.conf.py
    "GUNICORN_BIND": "address(es) gunicorn listens on, comma-separated (`unix:/run/doorbraak.sock` works too)",
    "GUNICORN_WORKERS": "web worker processes (default 2 x cores + 1; `make run`: 2)",
    "GUNICORN_THREADS": "threads per worker (gthread worker when above 1)",
    "GUNICORN_TIMEOUT": "seconds a silent worker may take before it is killed and replaced",
    "GUNICORN_GRACEFUL_TIMEOUT": "seconds running requests get to finish on stop or reload",
    "GUNICORN_KEEPALIVE": "seconds an idle keep-alive connection stays open",
    "GUNICORN_MAX_REQUESTS": "a worker is replaced after this many requests (0: never)",
    "GUNICORN_MAX_REQUESTS_JITTER": "random extra requests so workers do not restart together",
    "GUNICORN_ACCESS_LOG": "`0` turns gunicorn's access log (stdout) off, e.g. when the JSON request line suffices",
    "GUNICORN_LOG_LEVEL": "level of gunicorn's own log (stderr)",
    "GUNICORN_PRELOAD": "`0`: import the app in each worker instead of once in the master",
    "GUNICORN_CONTROL_SOCKET": "path of gunicorn's control socket (`gunicornc`); unset: no control socket",
    # --- issue 17: import and export ---
    "TRANSFER_FOUR_EYES_ROWS": "an import of more than this many rows needs a second lead to confirm it (four eyes)",
    "TRANSFER_MAX_UPLOAD_MB": "largest import file (CSV or XLSX) in megabytes; a bigger file is refused with a message",
    "TRANSFER_IMPORT_RETENTION_HOURS": "hours an uploaded import file that was not committed is kept before it expires "
    "and is deleted (a committed file is deleted at once)",
    # --- issue 18: meetings ---
    "MEETINGS_REGISTRANT_RETENTION_DAYS": "days after a programme meeting ended before the nightly purge blanks its "
    "registrants' names, organisations, e-mail addresses, roles and needs (default 90)",
    # --- issue 17: api ---
    "API_CORS_ALLOWED_ORIGINS": "origins (`https://host`) whose browsers may call the authenticated API, "
    "comma-separated; the OpenAPI document and the public resources allow every origin",
    "API_TOKEN_LIFETIME_SECONDS": "lifetime of an API access token (OAuth2 client credentials), in seconds",
    "API_RATE_LIMIT_CLIENT": "requests per API client, e.g. `600/min` (429 beyond it; counted in the cache)",
    "API_RATE_LIMIT_ANONYMOUS": "requests per address to the public API resources and the token endpoint, e.g. "
    "`120/min`",
    # --- issue 16: documents ---
    "DOCUMENT_MAX_MB": "largest document that may be uploaded, in megabytes (a larger one is refused with this "
    "limit in the message)",
    "CLAMAV_ADDRESS": "ClamAV `clamd` for the virus scan of uploaded documents: `host:port` or the path of its unix "
    "socket; empty: documents are stored unscanned and the upload says so",
    "CLAMAV_TIMEOUT_SECONDS": "seconds to wait for `clamd` before an upload is refused as not scanned",
}

# --- issue 17: api (/api/v1, docs/api.md) ---
API_CORS_ALLOWED_ORIGINS = [o.strip() for o in os.environ.get("API_CORS_ALLOWED_ORIGINS", "").split(",") if o.strip()]
API_TOKEN_LIFETIME_SECONDS = int(os.environ.get("API_TOKEN_LIFETIME_SECONDS", "3600"))
API_RATE_LIMITS = {
    "api_client": os.environ.get("API_RATE_LIMIT_CLIENT", "600/min"),
    "api_anonymous": os.environ.get("API_RATE_LIMIT_ANONYMOUS", "120/min"),
}
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["doorbraak.api.auth.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],  # no browsable API (ADR-19)
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_METADATA_CLASS": None,  # OPTIONS is only CORS preflight
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "doorbraak.api.problems.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "URL_FORMAT_OVERRIDE": None,  # no ?format=
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Doorbraak API",
    "DESCRIPTION": "De API van Doorbraak volgens de NL API Design Rules: casussen, casusplatforms, "
    "maatwerkplannen, fondsen, leerinzichten, het openbare register van initiatieven en open data. Zie docs/api.md.",
    "VERSION": "1.1.0",
    "CONTACT": {
        "name": "Doorbraak",
        "url": "https://doorbraak.example.nl/contact",
        "email": "api@doorbraak.example.nl",
    },
    "LICENSE": {"name": "EUPL-1.2", "url": "https://eupl.eu/1.2/nl/"},
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "doorbraak.cases.models.Case.Status",
        "PlatformStatusEnum": "doorbraak.platforms.models.Platform.Status",
        "InitiativeStatusEnum": "doorbraak.initiatives.models.Status",
    },
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "doorbraak.api.schema.postprocess"],
    "TAGS": [
        {"name": "oauth", "description": "Toegangstokens (OAuth2 client credentials)."},
        {"name": "casussen", "description": "Casussen van de eigen gemeente (need-to-know)."},
        {"name": "casusplatforms", "description": "Casusplatforms van een casus."},
        {"name": "maatwerkplannen", "description": "Maatwerkplannen (alleen lezen)."},
        {"name": "fondsen", "description": "Fondsen met hun totalen (alleen lezen)."},
        {"name": "leerinzichten", "description": "Beschermde leercijfers van de eigen gemeente (alleen lezen)."},
        {"name": "initiatieven", "description": "Het openbare landelijke register (zonder authenticatie)."},
        {"name": "open-data", "description": "Open data van een gemeente (zonder authenticatie)."},
    ],
}

# --- issue 17: import and export (doorbraak.transfer, docs/apps/transfer.md) ---
TRANSFER_FOUR_EYES_ROWS = int(os.environ.get("TRANSFER_FOUR_EYES_ROWS", "500"))
TRANSFER_MAX_UPLOAD_MB = int(os.environ.get("TRANSFER_MAX_UPLOAD_MB", "15"))
TRANSFER_IMPORT_RETENTION_HOURS = int(os.environ.get("TRANSFER_IMPORT_RETENTION_HOURS", "24"))
