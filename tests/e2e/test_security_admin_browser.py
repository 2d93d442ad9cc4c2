"""Issue 10, part 2 in a real browser: an administrator cannot make themselves anyone, and a role change
takes a second administrator (four eyes)."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from doorbraak.core.models import AccessEvent, Role, RoleChangeRequest, User
from doorbraak.demo import core as demo
from tests.helpers.browser import AXE_TAGS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def axe_admin(page):
    """axe as in the shared fixture, without its CSSOM preload: that re-fetches Django's admin stylesheets,
    resolves their @import against the page URL and injects the result as an inline <style>, which the
    strict CSP blocks (a violation made by the checker, not by the page)."""
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "preload": False})
    assert results.violations_count == 0, results.generate_report()


def test_role_change_takes_four_eyes_in_the_admin(page, login_as):
    demo.load()
    first, second = User.objects.get(username="demo-admin"), User.objects.get(username="demo-admin2")
    professional = User.objects.get(username="demo-professional")

    # Own record: role and team are read-only (no form controls for them).
    login_as(first)
    page.goto(f"/beheer/core/user/{first.pk}/change/")
    expect(page.get_by_role("heading", name="gebruiker wijzigen")).to_be_visible()
    assert page.locator('select[name="role"]').count() == 0
    assert page.locator('select[name="team"]').count() == 0
    expect(page.locator(".field-role .readonly")).to_have_text("Beheerder")
    axe_admin(page)

    # Another user's role: the change becomes a pending request.
    page.goto(f"/beheer/core/user/{professional.pk}/change/")
    axe_admin(page)
    page.locator('select[name="role"]').select_option(label="Doorbraakregisseur")
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.get_by_text("wacht op goedkeuring door een tweede beheerder")).to_be_visible()
    axe_admin(page)
    professional.refresh_from_db()
    assert professional.role == Role.PROFESSIONAL
    change = RoleChangeRequest.objects.get(user=professional, status="pending")

    # Error state: the requester cannot approve their own request.
    page.goto(f"/beheer/core/rolechangerequest/{change.pk}/change/")
    page.get_by_role("button", name="Goedkeuren").click()
    expect(
        page.get_by_text("U kunt uw eigen aanvraag niet goedkeuren of afwijzen; een tweede beheerder moet dat doen.")
    ).to_be_visible()
    axe_admin(page)
    change.refresh_from_db()
    assert change.status == "pending"

    # The second administrator approves; the change is visible on the user's record.
    login_as(second)
    page.goto("/beheer/core/rolechangerequest/")
    axe_admin(page)
    page.get_by_role("link", name="demo-professional", exact=True).click()
    page.get_by_role("button", name="Goedkeuren").click()
    expect(page.get_by_text("De aanvraag is goedgekeurd; de wijziging is doorgevoerd.")).to_be_visible()
    expect(page.locator(".field-status .readonly")).to_have_text("Goedgekeurd")
    axe_admin(page)
    page.goto(f"/beheer/core/user/{professional.pk}/change/")
    expect(page.locator('select[name="role"]')).to_have_value(Role.LEAD)
    expect(page.locator(".field-pending_role_change .readonly")).to_have_text(re.compile("–"))
    professional.refresh_from_db()
    assert professional.role == Role.LEAD
    assert AccessEvent.objects.filter(event="admin.role_change.approved", actor_id=second.pk).exists()
    assert AccessEvent.objects.filter(
        event="admin.role_change.approved", actor_id=first.pk, outcome="denied", reason="own_request"
    ).exists()
