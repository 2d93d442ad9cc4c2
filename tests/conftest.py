"""Fixtures every test can use: scopes, factories, a logged-in browser, axe, query counting."""

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

import pytest
from django.conf import settings
from django_scopes import scopes_disabled

from tests.helpers import browser as browser_helpers

assert settings.ENVIRONMENT == "test", "Run the tests with DOORBRAAK_ENV=test (make test does this)."


def pytest_collection_modifyitems(config, items):
    on_sqlite = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL; runs in the PostgreSQL pass of make test")
    for item in items:
        if on_sqlite and item.get_closest_marker("postgres_only"):
            item.add_marker(skip_pg)


@pytest.fixture(autouse=True)
def _scopes_disabled_in_test_code(request):
    """Test set-up code may touch every municipality. Requests still get their own scope from the
    middleware, so pages are tested scoped. Mark a test `scoped` to test the bare scoping."""
    if request.node.get_closest_marker("scoped"):
        yield
        return
    with scopes_disabled():
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(scope="session")
def browser():
    pw, chromium = browser_helpers.launch()
    yield chromium
    chromium.close()
    pw.stop()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", timezone_id="Europe/Amsterdam")
    page = context.new_page()
    page.set_default_timeout(15_000)
    csp_errors = browser_helpers.watch_csp(page)
    yield page
    context.close()
    assert not csp_errors, f"Content-Security-Policy violations: {csp_errors}"


@pytest.fixture
def login_as(page, live_server):
    """login_as(user) gives the browser page a fully authenticated session (password + second factor)."""

    def _login(user):
        browser_helpers.authenticate(page, live_server.url, user)
        return page

    return _login


@pytest.fixture
def axe():
    return browser_helpers.assert_accessible
