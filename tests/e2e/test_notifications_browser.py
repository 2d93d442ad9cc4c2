"""Notifications in a real browser (issue 16): a professional invited to a platform sees it in the inbox and the
menu count, and receives an e-mail (a real SMTP server on 127.0.0.1) with an .ics that icalendar parses back; the
preferences page keeps a bad choice out; the calendar page makes a secret feed link that a calendar client reads
and that stops working when revoked; a mail server that is down leaves the e-mail queued, shown as such. axe on
every page."""

import datetime

import icalendar
import pytest

from doorbraak.notifications.models import CalendarFeed, EmailStatus, Notification
from doorbraak.platforms import services as platform_services
from tests.cases.factories import World
from tests.notifications.conftest import smtp_down, smtp_server  # noqa: F401 - fixtures
from tests.platforms.factories import make_platform

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


def test_invited_professional_sees_it_in_the_inbox_and_gets_an_email_with_an_ics(page, login_as, axe, smtp_server):  # noqa: F811
    w = World()
    platform = make_platform(w.case, w.lead, convened_on=TODAY + 2 * DAY)
    platform_services.invite(w.lead, platform, w.pro, "woonconsulent")  # commits: the e-mail goes out

    [message] = smtp_server.messages
    assert message["Subject"] == "Doorbraak: Er staat een casusplatform voor u klaar"
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert w.case.title not in body and f"/casussen/{w.case.pk}/platform/{platform.pk}/" in body
    [ics] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    [event] = icalendar.Calendar.from_ical(ics.get_content()).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Casusplatform" and event.decoded("DTSTART") == TODAY + 2 * DAY

    login_as(w.pro)
    page.goto("/")
    section = page.locator("#section-notifications")
    section.get_by_role("heading", name="Nieuwe meldingen").wait_for()
    assert "(1)" in page.get_by_role("navigation", name="Hoofdmenu").inner_text()
    axe(page)
    section.get_by_role("link", name="Er staat een casusplatform voor u klaar").click()
    page.wait_for_url(f"**/casussen/{w.case.pk}/platform/{platform.pk}/")

    page.goto("/meldingen/")
    assert "Verstuurd" in page.locator("table").inner_text()
    axe(page)
    page.get_by_role("button", name="Markeer als gelezen").click()
    page.get_by_text("De melding is gemarkeerd als gelezen.").wait_for()
    assert Notification.objects.get(user=w.pro).read_at is not None


def test_preferences_and_calendar_feed(page, login_as, axe, live_server):
    w = World()
    make_platform(w.case, w.lead, convened_on=TODAY + 5 * DAY, participants=[w.pro])
    login_as(w.pro)
    page.goto("/meldingen/instellingen/")
    page.get_by_role("heading", name="Instellingen voor meldingen").wait_for()
    axe(page)
    page.get_by_role("group", name="Er staat een casusplatform voor u klaar").get_by_label(
        "Eén keer per dag een overzicht per e-mail"
    ).check()
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Uw instellingen voor meldingen zijn opgeslagen.").wait_for()
    axe(page)

    page.goto("/meldingen/agenda/")
    upcoming = page.locator("#upcoming")
    assert f"Casusplatform: {w.case.title}" in upcoming.inner_text()
    with page.expect_download() as download:
        upcoming.get_by_role("link", name="in mijn agenda (.ics)").click()
    [meeting] = icalendar.Calendar.from_ical(open(download.value.path(), "rb").read()).walk("VEVENT")
    assert meeting.decoded("DTSTART") == TODAY + 5 * DAY
    axe(page)
    page.get_by_role("button", name="Agendalink maken").click()
    url = page.locator("#feed-url").inner_text()
    axe(page)
    secret = url.rstrip("/").rsplit("/", 1)[-1]
    assert CalendarFeed.objects.get(user=w.pro).secret_hash != secret and secret not in str(
        list(CalendarFeed.objects.values())
    )
    response = page.request.get(url)
    assert response.status == 200 and response.headers["content-type"].startswith("text/calendar")
    events = icalendar.Calendar.from_ical(response.body()).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Casusplatform"]
    assert w.case.title.encode() not in response.body()
    page.get_by_role("button", name="Link intrekken").click()
    page.get_by_text("De agendakoppeling is ingetrokken.").wait_for()
    assert page.request.get(url).status == 404


def test_a_mail_server_that_is_down_leaves_the_email_queued(page, login_as, axe, smtp_down):  # noqa: F811
    w = World()
    platform = make_platform(w.case, w.lead, convened_on=TODAY + 2 * DAY)
    platform_services.invite(w.lead, platform, w.pro, "woonconsulent")
    assert Notification.objects.get(user=w.pro).email_status == EmailStatus.QUEUED
    login_as(w.pro)
    page.goto("/meldingen/")
    assert "In de wachtrij (1 mislukte poging, wordt opnieuw geprobeerd)" in page.locator("table").inner_text()
    axe(page)
