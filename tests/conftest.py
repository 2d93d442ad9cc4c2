"""Fixtures every test can use: scopes, factories, a logged-in browser, axe, query counting.

Guard rails (issue 11, point 6):
- factory-boy and its Faker are reseeded before every test from DOORBRAAK_TEST_SEED (default below) and the
  test's id, so a test gets the same names and values on every run and in any order; another seed:
  `DOORBRAAK_TEST_SEED=7 make test` (the seed is in the pytest header).
- hypothesis profiles: "ci" (loaded when CI is set: no deadline, derandomized, so a shared CI machine gives
  neither flaky deadline errors nor different examples per run) and "dev" (the default); HYPOTHESIS_PROFILE picks
  one explicitly. A test's own @settings(max_examples=...) still wins.
"""

import os
import zlib

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

import factory.random
import pytest
from django.conf import settings
from django_scopes import scopes_disabled
from hypothesis import settings as hypothesis_settings

from tests.helpers import browser as browser_helpers

assert settings.ENVIRONMENT == "test", "Run the tests with DOORBRAAK_ENV=test (make test does this)."

TEST_SEED = int(os.environ.get("DOORBRAAK_TEST_SEED", "20261101"))

hypothesis_settings.register_profile("ci", max_examples=100, deadline=None, derandomize=True, print_blob=True)
hypothesis_settings.register_profile("dev", max_examples=100)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))


def pytest_report_header(config):
    profile = hypothesis_settings.get_current_profile_name()
    return f"doorbraak: factory/Faker seed {TEST_SEED}, hypothesis profile {profile}"


@pytest.fixture(autouse=True)
def _seeded_factories(request):
    """The same fake data for a test on every run, whatever ran before it."""
    factory.random.reseed_random(TEST_SEED ^ zlib.crc32(request.node.nodeid.encode()))


def pytest_collection_modifyitems(config, items):
    on_sqlite = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL; runs in the PostgreSQL pass of make test")
    once = pytest.mark.skip(reason="touches no database; runs once, in the SQLite pass of make test")
    for item in items:
        if on_sqlite and item.get_closest_marker("postgres_only"):
            item.add_marker(skip_pg)
        if not on_sqlite and item.get_closest_marker("database_independent"):
            item.add_marker(once)


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
