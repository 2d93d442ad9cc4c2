"""Request middleware: session limits, second factor, and the tenant scope."""

import time
import uuid

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django_scopes import scope, scopes_disabled

SESSION_STARTED_KEY = "doorbraak_auth_started"
NO_MUNICIPALITY = [-1]  # a scope that matches nothing; never None, which django-scopes treats as "all"


class SessionLimitsMiddleware:
    """Absolute session limit and a trace id. Inactivity is SESSION_COOKIE_AGE: the session store drops a session
    not saved for that long, and services_auth.touch_session changes an active one at most once a minute."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # core.logs.RequestLogMiddleware gives the id first (it is in every log line); keep it.
        request.trace_id = getattr(request, "trace_id", None) or uuid.uuid4().hex
        cookie = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        # A session cookie whose session cannot be loaded (expired or ended): loading leaves no key.
        request.session.get(SESSION_STARTED_KEY)
        request.session_expired = bool(cookie) and request.session.session_key is None
        if request.user.is_authenticated:
            started = request.session.get(SESSION_STARTED_KEY)
            if started is None:
                request.session[SESSION_STARTED_KEY] = time.time()
            elif time.time() - started > settings.SESSION_ABSOLUTE_LIMIT_SECONDS:
                logout(request)
                request.session_expired = True
                return redirect(f"{reverse('core:login')}?verlopen=1")
        response = self.get_response(request)
        if request.session_expired and response.status_code == 302:
            login_url = reverse("core:login")
            location = response.get("Location", "")
            if location.startswith(login_url) and "verlopen=" not in location:
                response["Location"] = f"{location}{'&' if '?' in location else '?'}verlopen=1"
        return response


class SecondFactorRequiredMiddleware:
    """Every account must pass TOTP before it reaches anything but the login steps (SEC-01).

    Without a confirmed device the user is sent to the code step, which explains how to get an enrolment link;
    only a session holding a valid one-time enrolment link goes to the set-up step. Demo accounts skip this step
    only while demo mode is on (User.requires_second_factor). Also records session activity (account page).
    """

    OPEN_PREFIXES = ("/inloggen/koppelen/", "/inloggen/wachtwoord-vergeten/", "/inloggen/nieuw-wachtwoord/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            from . import services_auth

            if user.requires_second_factor and not user.is_verified():
                allowed = {
                    reverse("core:otp_verify"),
                    reverse("core:otp_setup"),
                    reverse("core:logout"),
                }
                if (
                    request.path not in allowed
                    and not request.path.startswith(settings.STATIC_URL)
                    and not request.path.startswith(self.OPEN_PREFIXES)
                ):
                    if services_auth.session_enrolment_link(request) is not None:
                        return redirect("core:otp_setup")
                    return redirect("core:otp_verify")
            else:
                services_auth.touch_session(request)
        return self.get_response(request)


class TenantScopeMiddleware:
    """Activate the django-scopes scope of the user's municipality for the whole request.

    Superusers in the admin see all municipalities; everyone else only their own; anonymous visitors none.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.is_superuser and request.path.startswith("/beheer/"):
            with scopes_disabled():
                return self.get_response(request)
        municipality = user.municipality_id if user.is_authenticated and user.municipality_id else None
        with scope(municipality=municipality if municipality is not None else NO_MUNICIPALITY):
            return self.get_response(request)


class DutchFirstLocaleMiddleware:
    """Dutch unless the user explicitly chose another language (the set_language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, which gives an English
    browser a page with English dates around Dutch text and the wrong lang attribute."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


# --- Issue 10 parts 4 and 6: refused reads are events; responses that protect personal data ---------------------

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)


class ResponseProtectionMiddleware:
    """Permissions-Policy on every response; `Cache-Control: no-store` (never cached, not even by the browser's
    back button or a shared proxy) on every response to a logged-in user, which covers every page and file with
    personal data (case, list, plan, PDF, CSV). Public pages and static files keep their own caching.

    First in MIDDLEWARE so it also sees responses that other middleware short-circuits (redirects, 403s)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils.cache import add_never_cache_headers

        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or getattr(response, "personal_data", False):
            # Replace whatever a view set (e.g. a public max-age) rather than merge with it.
            if "Cache-Control" in response.headers:
                del response.headers["Cache-Control"]
            add_never_cache_headers(response)  # max-age=0, no-cache, no-store, must-revalidate, private; Expires
        return response


class RefusalLogMiddleware:
    """Writes the access event of a core.access.Refusal raised where no request was at hand (a selector that got
    only the user), with the request's network address and trace id. Django then renders the usual 404 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from .access import Refusal

        if isinstance(exception, Refusal):
            exception.log(request)
        return None


class RejectNulBytesMiddleware:
    """Answer the Dutch 400 page when the path, the query string or a POST field holds a NUL byte, or bytes that
    are not valid UTF-8 (which includes encoded lone surrogates). PostgreSQL cannot store or compare text with
    NUL (a 500 before), and no form of this product expects either. Runs before sessions and views."""

    FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def _bad_text(value: str) -> bool:
        if "\x00" in value:
            return True
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates
            return True
        return False

    @staticmethod
    def _bad_bytes(data: bytes) -> bool:
        if b"\x00" in data:
            return True
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return True
        return False

    @classmethod
    def _bad_encoded(cls, raw: bytes | str) -> bool:
        """Percent-encoded form data (a query string or an urlencoded body)."""
        from urllib.parse import unquote_to_bytes

        return cls._bad_bytes(
            unquote_to_bytes(raw.replace(b"+", b" ") if isinstance(raw, bytes) else raw.replace("+", " "))
        )

    @staticmethod
    def _far_date_lookup(params) -> bool:
        """A Django lookup parameter (the admin's filters: `created_at__gte=`) with a date outside the database
        range: year 1 or 9999 overflows when made timezone-aware (a 500 in the admin changelists)."""
        import re

        from doorbraak.core.dates import DB_EARLIEST, DB_LATEST

        for key, values in params.lists():
            if "__" not in key:
                continue
            for value in values:
                match = re.match(r"\s*([0-9]{1,4})-[0-9]{1,2}-[0-9]{1,2}", value)
                if match and not DB_EARLIEST.year <= int(match.group(1)) <= DB_LATEST.year:
                    return True
        return False

    def _refuse(self, request) -> bool:
        # PATH_INFO is the already unquoted path as WSGI gives it: bytes carried in a latin-1 string.
        raw_path = request.META.get("PATH_INFO", "").encode("latin-1", "replace")
        if self._bad_text(request.path) or self._bad_bytes(raw_path):
            return True
        if self._bad_encoded(request.META.get("QUERY_STRING", "")):
            return True
        if self._far_date_lookup(request.GET):
            return True
        if request.method == "POST":
            content_type = request.META.get("CONTENT_TYPE", "")
            if content_type.startswith("application/x-www-form-urlencoded") and self._bad_encoded(request.body):
                return True
            if content_type.startswith(self.FORM_TYPES):
                for key, values in request.POST.lists():
                    if self._bad_text(key) or any(self._bad_text(v) for v in values):
                        return True
        return False

    def __call__(self, request):
        if self._refuse(request):
            from doorbraak.core.views import bad_request

            return bad_request(request)
        return self.get_response(request)
