"""Background tasks of programme meetings (docs/tasks.md): the registration e-mails and the purge."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from doorbraak.core.tasks import retried_task

from . import services
from .models import Registration

KINDS = ("confirmed", "waiting", "promoted", "cancelled")


def ics_for(meeting, registration=None) -> bytes:
    """An RFC 5545 invitation (icalendar) of the meeting."""
    import icalendar

    cal = icalendar.Calendar()
    cal.add("prodid", "-//Doorbraak//Bijeenkomsten//NL")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = icalendar.Event()
    event.add("uid", f"meeting-{meeting.pk}@doorbraak")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", meeting.title)
    if meeting.place:
        event.add("location", meeting.place)
    if meeting.online_link:
        event.add("url", meeting.online_link)
    event.add("description", meeting.summary[:1000])
    cal.add_component(event)
    return cal.to_ical()


def _site() -> str:
    return (settings.SITE_URL or "http://localhost:8000").rstrip("/")


def registration_email(registration: Registration, kind: str, cancel_url: str) -> EmailMessage:
    meeting = registration.meeting
    when = timezone.localtime(meeting.starts_at).strftime("%d-%m-%Y %H:%M")
    where = meeting.place or meeting.online_link
    intro = {
        "confirmed": _(
            "U bent aangemeld voor de bijeenkomst hieronder. De uitnodiging "
            "voor uw agenda zit als bijlage bij deze e-mail."
        ),
        "waiting": _(
            "De bijeenkomst hieronder is vol. U staat op de wachtlijst. Komt er "
            "een plaats vrij, dan krijgt u vanzelf een plaats en een e-mail."
        ),
        "promoted": _(
            "Er is een plaats vrijgekomen: u bent nu aangemeld voor de bijeenkomst hieronder. "
            "De uitnodiging voor uw agenda zit als bijlage bij deze e-mail."
        ),
        "cancelled": _("U bent afgemeld voor de bijeenkomst hieronder."),
    }[kind]
    lines = [
        _("Beste deelnemer,"),
        intro,
        f"{meeting.title}\n{when}\n{where}",
        _("Bekijk de bijeenkomst: %(url)s") % {"url": _site() + reverse("meetings:detail", args=[meeting.pk])},
    ]
    if kind != "cancelled":
        lines.append(_("Kunt u niet komen? Meld u af met deze link: %(url)s") % {"url": cancel_url})
    lines.append(_("Dit bericht is automatisch verstuurd door Doorbraak."))
    subjects = {
        "confirmed": _("Aangemeld: %(title)s"),
        "waiting": _("Op de wachtlijst: %(title)s"),
        "promoted": _("U hebt een plaats: %(title)s"),
        "cancelled": _("Afgemeld: %(title)s"),
    }
    message = EmailMessage(
        subjects[kind] % {"title": meeting.title}, "\n\n".join(lines), settings.DEFAULT_FROM_EMAIL, [registration.email]
    )
    if kind in ("confirmed", "promoted"):
        message.attach("bijeenkomst.ics", ics_for(meeting, registration), "text/calendar")
    return message


@retried_task
def send_registration_email(registration_id: int, kind: str) -> str:
    """The confirmation, waiting-list, promotion or cancellation e-mail. Each e-mail carries a fresh cancel link
    (only its hash is stored); the newest link is the valid one."""
    if kind not in KINDS:
        raise ValueError(f"unknown registration e-mail kind: {kind}")
    registration = Registration.objects.select_related("meeting").filter(pk=registration_id).first()
    if registration is None or not registration.email:
        return "no address"
    cancel_url = ""
    if kind != "cancelled":
        raw = services.issue_cancel_token(registration)
        cancel_url = _site() + reverse("meetings:cancel", args=[raw])
    registration_email(registration, kind, cancel_url).send(fail_silently=False)
    return "sent"


@retried_task
def purge_registrant_data(days: int | None = None) -> int:
    """Blank registrants' personal data MEETINGS_REGISTRANT_RETENTION_DAYS after the meeting (idempotent)."""
    return services.purge_registrant_data(days=days)
