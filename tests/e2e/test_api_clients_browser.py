"""Issue 17 in a real browser (Chromium + axe): a municipal administrator creates an API client in /beheer/, sees
its secret once, gets a Dutch error for a bad client id (what was typed is kept), rotates the secret and revokes
the client."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from doorbraak.api.models import ApiClient, secret_hash
from doorbraak.core.models import AccessEvent, Role
from tests.cases.factories import World
from tests.factories import UserFactory
from tests.helpers.browser import AXE_TAGS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def axe_admin(page):
    """axe without its CSSOM preload (see test_security_admin_browser.axe_admin: the preload trips the CSP)."""
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "preload": False})
    assert results.violations_count == 0, results.generate_report()


def test_administrator_creates_rotates_and_revokes_an_api_client(page, login_as):
    w = World()
    admin = UserFactory(municipality=w.municipality, role=Role.ADMIN, is_staff=True)
    login_as(admin)
    page.goto("/beheer/api/apiclient/")
    axe_admin(page)
    page.goto("/beheer/api/apiclient/add/")
    axe_admin(page)
    page.get_by_label("Naam").fill("Zaaksysteem Noord")
    page.get_by_label("Client-id").fill("Met Spaties!")
    page.get_by_label("casussen.lezen", exact=False).check()
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.get_by_text("Gebruik 3 tot 64 kleine letters")).to_be_visible()  # the error state
    expect(page.get_by_label("Naam")).to_have_value("Zaaksysteem Noord")  # what was typed is kept
    axe_admin(page)

    page.get_by_label("Client-id").fill("zaaksysteem-noord")
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.get_by_text("Dit geheim ziet u maar één keer.")).to_be_visible()
    secret = page.locator("#client-secret").inner_text()
    axe_admin(page)
    client = ApiClient.objects.get(client_id="zaaksysteem-noord")
    assert client.secret_hash == secret_hash(secret) and client.scope_set == {"casussen.lezen"}

    page.get_by_role("link", name="Terug naar de client").click()
    assert secret not in page.content()  # shown once only
    page.get_by_role("button", name="Nieuw geheim maken").click()
    expect(page.get_by_text("Er is een nieuw geheim gemaakt.")).to_be_visible()
    new_secret = page.locator("#client-secret").inner_text()
    assert new_secret != secret
    client.refresh_from_db()
    assert client.secret_hash == secret_hash(new_secret)

    page.get_by_role("link", name="Terug naar de client").click()
    page.get_by_role("button", name="Client intrekken").click()
    expect(page.get_by_text("De client is ingetrokken; zijn tokens werken niet meer.")).to_be_visible()
    axe_admin(page)
    client.refresh_from_db()
    assert not client.is_active
    assert AccessEvent.objects.filter(event="admin.apiclient.revoked", actor_id=admin.pk).exists()
