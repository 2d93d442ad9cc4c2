"""Playwright with Debian's Chromium (no browser downloads here), login helpers and the axe check."""

import re
import time

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def launch():
    pw = sync_playwright().start()
    return pw, pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def watch_csp(page) -> list[str]:
    errors: list[str] = []

    def on_console(message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            errors.append(message.text)

    page.on("console", on_console)
    return errors


def session_cookie_for(user, *, verified: bool = True) -> dict:
    """Create a real server-side session for `user`, second factor passed, as a browser cookie."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.module_loading import import_string
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from doorbraak.core.models import UserSession
    from doorbraak.core.services_auth import SESSION_TOUCHED_KEY

    store = import_string(settings.SESSION_ENGINE + ".SessionStore")()
    store[SESSION_KEY] = user._meta.pk.value_to_string(user)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if verified:
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
        store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store[SESSION_TOUCHED_KEY] = time.time()  # listed as an active session, as a real login does
    store.save()
    UserSession.objects.create(user=user, session_key=store.session_key, network_address="127.0.0.1")
    return {"name": settings.SESSION_COOKIE_NAME, "value": store.session_key}


def authenticate(page, base_url: str, user) -> None:
    cookie = session_cookie_for(user)
    page.context.add_cookies([{**cookie, "url": base_url}])


def totp_now(device) -> str:
    """The current TOTP code of a django-otp TOTPDevice (what the user's phone would show)."""
    from django_otp.oath import totp

    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    return str(code).zfill(device.digits)


def assert_accessible(page, context=None) -> None:
    """Run axe-core (bundled with axe-playwright-python) on the page: 0 WCAG 2.1 A/AA violations."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context=context, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert results.violations_count == 0, results.generate_report()


def make_council_report_pdf(page, axe=None) -> bytes:
    """On the council report page: ask for the PDF, let a worker (this process) make it, wait until the waiting page
    has refreshed itself to "klaar", and download it. Returns the PDF's bytes."""
    from doorbraak.core.tasks import run_pending_tasks

    page.get_by_role("button", name="Maak de pdf").click()
    page.get_by_text("De pdf staat in de wachtrij.").wait_for()
    if axe is not None:
        axe(page)
    assert run_pending_tasks() >= 1
    link = page.get_by_role("link", name=re.compile(r"^Download de raadsrapportage \(pdf, "))
    link.wait_for(timeout=15000)  # the page polls and reloads itself
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    return response.body()
