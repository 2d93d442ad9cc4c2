"""iCalendar (RFC 5545, `icalendar`) for platform meetings and evaluation moments (issue 16, point 4).

Titles are neutral ("Casusplatform", "Evaluatiemoment"): no client name, no case content; the description is a
link to the page in Doorbraak. A platform has a date, no time: the events are all-day events."""

from __future__ import annotations

import datetime

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from doorbraak.cases.models import Case, FollowUpMoment
from doorbraak.platforms.models import Platform

from .services import absolute

PRODID = "-//Doorbraak//Meldingen//NL"
UID_DOMAIN = "doorbraak"


def _calendar(method: str | None = None) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    cal.add("x-wr-calname", _("Doorbraak"))
    return cal


def _event(uid: str, summary: str, day: datetime.date, link: str) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"{uid}@{UID_DOMAIN}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", day)
    event.add("dtend", day + datetime.timedelta(days=1))
    event.add("summary", summary)
    event.add("description", _("Details in Doorbraak: %(link)s") % {"link": absolute(link)})
    event.add("url", absolute(link))
    event.add("transp", "TRANSPARENT")
    return event


def platform_event(platform) -> icalendar.Event:
    link = reverse("platforms:detail", kwargs={"case_id": platform.case_id, "pk": platform.pk})
    return _event(f"platform-{platform.pk}", _("Casusplatform"), platform.convened_on, link)


def moment_event(moment) -> icalendar.Event:
    link = reverse("cases:detail", kwargs={"case_id": moment.case_id})
    return _event(f"evaluation-{moment.pk}", _("Evaluatiemoment"), moment.due_on, link)


def platform_ics(platform) -> bytes:
    cal = _calendar()
    cal.add_component(platform_event(platform))
    return cal.to_ical()


def moment_ics(moment) -> bytes:
    cal = _calendar()
    cal.add_component(moment_event(moment))
    return cal.to_ical()


def platform_invitation(platform_id: int, user) -> bytes | None:
    """The invitation attached to the "invited" e-mail: METHOD:REQUEST with the user as attendee."""
    with scopes_disabled():
        platform = Platform.objects.filter(pk=platform_id).first()
    if platform is None:
        return None
    cal = _calendar("REQUEST")
    event = platform_event(platform)
    organizer = icalendar.vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL.split('<')[-1].rstrip('>')}")
    organizer.params["cn"] = icalendar.vText("Doorbraak")
    event.add("organizer", organizer)
    attendee = icalendar.vCalAddress(f"mailto:{user.email}")
    attendee.params["role"] = icalendar.vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = icalendar.vText("NEEDS-ACTION")
    attendee.params["rsvp"] = icalendar.vText("FALSE")
    event.add("attendee", attendee, encode=0)
    event.add("sequence", 0)
    cal.add_component(event)
    return cal.to_ical()


FEED_PAST_DAYS = 90
FEED_LIMIT = 500


def feed_ics(user) -> bytes:
    """The user's personal feed: platforms at whose table they sit and open evaluation moments of the cases they
    may see (the need-to-know gate `Case.objects.visible_to`), from 90 days back, at most 500 of each."""
    since = timezone.localdate() - datetime.timedelta(days=FEED_PAST_DAYS)
    visible = Case.objects.visible_to(user).exclude(status=Case.Status.CLOSED).values("pk")
    cal = _calendar("PUBLISH")
    platforms = (
        Platform.objects.filter(
            case_id__in=visible, participants__user=user, convened_on__gte=since, municipality_id=user.municipality_id
        )
        .order_by("convened_on", "id")
        .only("pk", "case_id", "convened_on")[:FEED_LIMIT]
    )
    for platform in platforms:
        cal.add_component(platform_event(platform))
    moments = (
        FollowUpMoment.objects.filter(
            case_id__in=visible, done_on__isnull=True, due_on__gte=since, municipality_id=user.municipality_id
        )
        .order_by("due_on", "id")
        .only("pk", "case_id", "due_on")[:FEED_LIMIT]
    )
    for moment in moments:
        cal.add_component(moment_event(moment))
    return cal.to_ical()
