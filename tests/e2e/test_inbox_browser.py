"""The work inbox in a real browser (issue 16): a lead sees an overdue platform in the case list (marker, days at
the table, filter) and in the inbox, with its .ics; an approver sees a plan waiting within their mandate; the inbox
reflows at 320 px. axe on every page."""

import datetime

import icalendar
import pytest

from tests.budget.factories import World as BudgetWorld
from tests.cases.factories import World
from tests.platforms.factories import make_platform

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


def test_lead_sees_overdue_platform_in_the_list_and_the_inbox(page, login_as, axe):
    w = World()
    platform = make_platform(w.case, w.lead, convened_on=TODAY - 25 * DAY, participants=[w.pro])
    login_as(w.lead)
    page.goto("/casussen/")
    row = page.get_by_role("row").filter(has_text=w.case.title)
    assert "25 dagen aan tafel" in row.inner_text() and "drie weken voorbij" in row.inner_text()
    axe(page)
    page.get_by_label("Casusplatform").select_option("voorbij")
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_url("**/casussen/?platform=voorbij")
    assert page.get_by_role("heading", name="1 casus").is_visible()
    axe(page)

    page.goto("/")
    section = page.locator("#section-overdue_platforms")
    section.get_by_role("heading", name="Casusplatforms van uw team over de drie weken (1)").wait_for()
    assert "drie weken voorbij" in section.inner_text() and "25 dagen aan tafel" in section.inner_text()
    axe(page)
    with page.expect_download() as download:
        section.get_by_role("link", name="in mijn agenda (.ics)").click()
    [event] = icalendar.Calendar.from_ical(open(download.value.path(), "rb").read()).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Casusplatform" and event.decoded("DTSTART") == platform.convened_on
    section.get_by_role("link", name=w.case.title).click()
    page.wait_for_url(f"**/casussen/{w.case.pk}/platform/{platform.pk}/")


def test_approver_sees_a_plan_waiting_and_the_inbox_reflows_at_320px(page, login_as, axe):
    b = BudgetWorld()
    b.fund()
    plan = b.train_pass_plan()
    login_as(b.approver)
    page.goto("/")
    section = page.locator("#section-plans_waiting")
    section.get_by_role("heading", name="Plannen die wachten op uw goedkeuring (1)").wait_for()
    assert "Er wacht een maatwerkplan op beoordeling" in page.locator("#section-notifications").inner_text()
    axe(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    axe(page)
    section.get_by_role("link", name=plan.case.title).click()
    page.wait_for_url(f"**/casussen/{plan.case_id}/plan/")
