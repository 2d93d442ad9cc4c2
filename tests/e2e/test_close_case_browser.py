"""Closing with care in a real browser (issue 16): the close page shows what is still open, refuses without a
decision for each item (choices kept), and closes after them. axe on the page and its error state."""

import datetime

import pytest

from doorbraak.cases.models import Case, FollowUpMoment
from doorbraak.platforms.models import PlatformAction
from tests.cases.factories import World
from tests.platforms.factories import make_platform

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_closing_shows_the_open_items_and_asks_for_each(page, login_as, axe):
    w = World()
    today = datetime.date.today()
    moment = FollowUpMoment.objects.create(
        municipality=w.municipality, case=w.case, due_on=today + datetime.timedelta(days=10)
    )
    platform = make_platform(w.case, w.lead, participants=[w.pro])
    action = PlatformAction.objects.create(
        municipality=w.municipality,
        platform=platform,
        what="Schuldhulp aanvragen",
        owner=platform.participants.get(user=w.pro),
        due_on=today + datetime.timedelta(days=3),
        created_by=w.lead,
    )
    login_as(w.lead)
    page.goto(f"/casussen/{w.case.pk}/")
    page.get_by_role("link", name="Casus afsluiten").click()
    page.get_by_role("heading", name="Geplande evaluaties").wait_for()
    assert "Er staan nog 2 punten open" in page.locator("#open-count").inner_text()
    assert "Schuldhulp aanvragen" in page.content()
    axe(page)
    page.get_by_role("group", name="Schuldhulp aanvragen", exact=False).get_by_label("Laten vervallen").check()
    page.get_by_role("button", name="Casus definitief afsluiten").click()
    page.get_by_role("alert").wait_for()
    assert "Kies bij elk open punt" in page.get_by_role("alert").inner_text()
    assert (
        page.get_by_role("group", name="Schuldhulp aanvragen", exact=False).get_by_label("Laten vervallen").is_checked()
    )
    assert Case.objects.get(pk=w.case.pk).status != Case.Status.CLOSED
    axe(page)
    page.get_by_role("group", name="Evaluatie gepland op", exact=False).get_by_label("Laten staan", exact=False).check()
    page.get_by_role("button", name="Casus definitief afsluiten").click()
    page.get_by_text("De casus is afgesloten.").wait_for()
    assert Case.objects.get(pk=w.case.pk).status == Case.Status.CLOSED
    action.refresh_from_db()
    assert action.cancelled_on == today
    assert FollowUpMoment.objects.filter(pk=moment.pk).exists()
