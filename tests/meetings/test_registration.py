"""Registration without an account: confirmation with an .ics, cancel link, waiting list, the protections."""

import datetime
import re

import icalendar
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from doorbraak.core.errors import RuleError
from doorbraak.meetings import services
from doorbraak.meetings.models import Registration

from .conftest import make_meeting, solve

pytestmark = pytest.mark.django_db

CANCEL_LINK = re.compile(r"http://[^\s]+/bijeenkomsten/afmelden/([^/\s]+)/")


def _form(client, meeting, **fields):
    page = client.get(reverse("meetings:register", args=[meeting.pk]))
    data = {
        "name": "Anna de Vries",
        "organisation": "Gemeente Zoetermeer",
        "email": "Anna@Example.nl",
        "role": "beleidsmedewerker",
        "needs": "vegetarisch",
        "on_attendee_list": "on",
        **solve(page.content.decode()),
    }
    data.update(fields)
    return data


def _post(client, meeting, capture, **fields):
    with capture(execute=True):
        return client.post(reverse("meetings:register", args=[meeting.pk]), _form(client, meeting, **fields))


def test_visitor_registers_gets_ics_and_cancel_link_and_cancels(client, meeting, django_capture_on_commit_callbacks):
    response = _post(client, meeting, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.status == "confirmed" and registration.email == "anna@example.nl"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["anna@example.nl"] and meeting.title in message.subject
    assert "Anna" not in message.subject
    name, content, mimetype = message.attachments[0]
    assert mimetype == "text/calendar"
    event = icalendar.Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(event["summary"]) == meeting.title
    assert event.decoded("dtstart") == meeting.starts_at
    raw = CANCEL_LINK.search(message.body).group(1)
    assert registration.cancel_token_hash == services.hash_token(raw)
    assert raw not in Registration.objects.values_list("cancel_token_hash", flat=True)[0]  # stored hashed
    page = client.get(reverse("meetings:cancel", args=[raw]))
    assert "Ja, meld mij af" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("meetings:cancel", args=[raw]))
    assert "U bent afgemeld" in done.content.decode()
    registration.refresh_from_db()
    assert registration.status == "cancelled"
    assert client.get(reverse("meetings:cancel", args=[raw])).status_code == 404  # the link is used up


def test_full_meeting_waiting_list_moves_up_on_cancellation(client, organiser, django_capture_on_commit_callbacks):
    meeting = make_meeting(organiser, capacity=1)
    first = _post(client, meeting, django_capture_on_commit_callbacks, email="een@example.nl")
    assert first.status_code == 302
    second = _post(client, meeting, django_capture_on_commit_callbacks, email="twee@example.nl", name="Bram")
    assert second.status_code == 302
    follow = client.get(second["Location"])
    assert "De bijeenkomst is vol. U staat op de wachtlijst (plaats 1)" in follow.content.decode()
    waiting = Registration.objects.get(email="twee@example.nl")
    assert waiting.status == "waiting"
    assert "wachtlijst" in mail.outbox[-1].body and not mail.outbox[-1].attachments
    raw = CANCEL_LINK.search(mail.outbox[0].body).group(1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = services.cancel(raw)
    assert result.promoted.pk == waiting.pk
    waiting.refresh_from_db()
    assert waiting.status == "confirmed" and waiting.promoted_at is not None
    promoted_mail = next(m for m in mail.outbox if m.to == ["twee@example.nl"])
    assert "Er is een plaats vrijgekomen" in promoted_mail.body
    assert promoted_mail.attachments[0][2] == "text/calendar"
    with pytest.raises(RuleError):  # a second click on the same link
        services.cancel(raw)


def test_deadline_passed_duplicate_email_keep_what_was_typed(client, organiser, django_capture_on_commit_callbacks):
    closed = make_meeting(organiser, days=2)
    closed.registration_deadline = timezone.now() - datetime.timedelta(hours=1)
    closed.save(update_fields=["registration_deadline"])
    response = _post(client, closed, django_capture_on_commit_callbacks, name="Carla Jansen")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Aanmelden voor deze bijeenkomst kan niet meer" in html
    assert 'value="Carla Jansen"' in html
    assert not Registration.objects.exists()

    meeting = make_meeting(organiser)
    assert _post(client, meeting, django_capture_on_commit_callbacks).status_code == 302
    again = _post(client, meeting, django_capture_on_commit_callbacks, email="ANNA@example.nl ", name="Anna 2")
    assert again.status_code == 400
    assert "Met dit e-mailadres is al iemand aangemeld" in again.content.decode()
    assert 'value="Anna 2"' in again.content.decode()
    assert Registration.objects.filter(meeting=meeting).count() == 1


def test_double_submit_stores_one_and_honeypot_stores_none(client, meeting, django_capture_on_commit_callbacks):
    data = _form(client, meeting)
    url = reverse("meetings:register", args=[meeting.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
        assert client.post(url, data).status_code == 302
    assert Registration.objects.count() == 1
    bot = _form(client, meeting, email="bot@example.nl", website="http://spam")
    assert client.post(url, bot).status_code == 302
    assert not Registration.objects.filter(email="bot@example.nl").exists()


def test_wrong_answer_and_rate_limit(client, meeting, django_capture_on_commit_callbacks):
    url = reverse("meetings:register", args=[meeting.pk])
    wrong = client.post(url, _form(client, meeting, challenge_answer="999"))
    assert wrong.status_code == 400 and "Dat antwoord is niet goed" in wrong.content.decode()
    for n in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(url, _form(client, meeting, email=f"p{n}@example.nl")).status_code == 302
    blocked = client.post(url, _form(client, meeting, email="p9@example.nl", name="Zesde"))
    assert blocked.status_code == 429
    assert "te veel berichten" in blocked.content.decode() and 'value="Zesde"' in blocked.content.decode()


def test_purge_blanks_personal_data_after_the_period(organiser, settings, django_capture_on_commit_callbacks):
    from doorbraak.meetings.tasks import purge_registrant_data

    settings.MEETINGS_REGISTRANT_RETENTION_DAYS = 90
    recent = make_meeting(organiser, days=-10)
    old = make_meeting(organiser, days=-120)
    for m in (recent, old):
        Registration.objects.create(
            meeting=m,
            status="confirmed",
            name="Dirk",
            email=f"d{m.pk}@example.nl",
            needs="rolstoel",
            cancel_token_hash=f"h{m.pk}",
            form_token=f"f{m.pk}",
            attended=True,
        )
    assert purge_registrant_data.call() == 1
    purged = Registration.objects.get(meeting=old)
    assert (purged.name, purged.email, purged.needs) == ("", "", "")
    assert purged.personal_data_purged_at is not None and purged.attended is True
    assert Registration.objects.get(meeting=recent).name == "Dirk"
    assert purge_registrant_data.call() == 0  # idempotent


def test_public_attendee_list_only_with_consent(client, meeting, django_capture_on_commit_callbacks):
    _post(client, meeting, django_capture_on_commit_callbacks)
    _post(
        client,
        meeting,
        django_capture_on_commit_callbacks,
        email="x@example.nl",
        name="Geheim Persoon",
        on_attendee_list="",
    )
    html = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Anna de Vries, Gemeente Zoetermeer" in html
    assert "Geheim Persoon" not in html
