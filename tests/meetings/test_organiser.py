"""The organiser's pages: creating a meeting, PDF documents checked by content, attendee CSV, attendance,
the programme view with its small-number rule, and the search of meetings."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from doorbraak.core.models import AccessEvent
from doorbraak.core.permissions import Refused
from doorbraak.meetings import selectors, services
from doorbraak.meetings.models import Meeting, MeetingDocument, Registration, Takeaway
from tests.factories import UserFactory
from tests.helpers.browser import session_cookie_for
from tests.initiatives.factories import InitiativeFactory

from .conftest import make_meeting

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _login(client, user):
    from django.conf import settings

    client.cookies[settings.SESSION_COOKIE_NAME] = session_cookie_for(user)["value"]


def _registration(meeting, n, **kw):
    return Registration.objects.create(
        meeting=meeting,
        status=kw.pop("status", "confirmed"),
        name=kw.pop("name", f"Deelnemer {n}"),
        email=f"p{n}@example.nl",
        cancel_token_hash=f"h{meeting.pk}-{n}",
        form_token=f"f{meeting.pk}-{n}",
        **kw,
    )


def test_organiser_creates_a_meeting_with_dutch_errors(client, organiser):
    _login(client, organiser)
    url = reverse("meetings:meeting_create")
    data = {
        "title": "Leersessie casusbespreking",
        "starts_on": "2027-03-04",
        "starts_time": "13:30",
        "ends_time": "12:00",
        "deadline_on": "2027-03-01",
        "capacity": "25",
        "place": "",
        "online_link": "",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "De bijeenkomst moet eindigen na het begin." in response.content.decode()
    assert 'value="Leersessie casusbespreking"' in response.content.decode()
    data["ends_time"] = "16:00"
    response = client.post(url, data)
    assert "Vul een plaats in of een link naar de online bijeenkomst." in response.content.decode()
    data["online_link"] = "https://meet.example.nl/leersessie"
    response = client.post(url, data)
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.organiser == organiser and meeting.capacity == 25


def test_others_cannot_organise(client, organiser):
    professional = UserFactory(role="professional")
    with pytest.raises(Refused):
        make_meeting(professional)
    meeting = make_meeting(organiser)
    for user in (professional, UserFactory(role="policy")):
        with pytest.raises(Refused):
            services.attendee_rows(user, meeting)
    _login(client, professional)
    assert client.get(reverse("meetings:attendees", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("meetings:attendees_csv", args=[meeting.pk])).status_code == 404
    client.cookies.clear()
    assert client.get(reverse("meetings:organise")).status_code == 302  # anonymous: to the login page


def test_documents_only_real_pdfs_stored_privately_served_as_attachment(
    client, past_meeting, organiser, settings, tmp_path
):
    settings.PRIVATE_FILES_ROOT = str(tmp_path)
    _login(client, organiser)
    url = reverse("meetings:documents", args=[past_meeting.pk])
    fake = SimpleUploadedFile("verslag.pdf", b"<html>geen pdf</html>", content_type="application/pdf")
    response = client.post(url, {"kind": "report", "title": "Verslag", "file": fake})
    assert response.status_code == 400 and "Dit bestand is geen pdf." in response.content.decode()
    assert not MeetingDocument.objects.exists()
    good = SimpleUploadedFile("x.bin", PDF, content_type="application/octet-stream")
    assert client.post(url, {"kind": "presentation", "title": "Tussenresultaten", "file": good}).status_code == 302
    document = MeetingDocument.objects.get()
    assert str(tmp_path) in document.file.path and "media" not in document.file.path
    client.cookies.clear()
    download = client.get(reverse("meetings:download", args=[document.pk]))
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF
    assert "Tussenresultaten" in client.get(reverse("meetings:detail", args=[past_meeting.pk])).content.decode()


def test_attendee_csv_is_neutralised_and_logged(client, past_meeting, organiser):
    _registration(past_meeting, 1, name='=HYPERLINK("http://x")', needs="rolstoel")
    _registration(past_meeting, 2, status="cancelled")
    _login(client, organiser)
    response = client.get(reverse("meetings:attendees_csv", args=[past_meeting.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Naam" and len(rows) == 2
    assert rows[1][0].startswith("'=HYPERLINK")
    assert AccessEvent.objects.filter(event="meeting.attendees_export", object_id=str(past_meeting.pk)).exists()


def test_attendance_is_recorded(client, past_meeting, organiser):
    a = _registration(past_meeting, 1)
    b = _registration(past_meeting, 2)
    _login(client, organiser)
    url = reverse("meetings:attendees", args=[past_meeting.pk])
    assert client.post(url, {"present": [str(a.pk)]}).status_code == 302
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.attended, b.attended) == (True, False)
    assert AccessEvent.objects.filter(event="meeting.attendance", action="U", object_id=str(past_meeting.pk)).exists()
    bad = client.post(url, {"present": ["999999"]})
    assert bad.status_code == 400 and "Kies alleen mensen die zijn aangemeld." in bad.content.decode()


def test_programme_view_hides_small_numbers(client, organiser):
    big = make_meeting(organiser, days=-40, title="Groot")
    small = make_meeting(organiser, days=-200, title="Klein")
    for n in range(12):
        _registration(big, n, attended=n < 10)
    for n in range(3):
        _registration(small, n, attended=True)
    for n in range(2):
        Takeaway.objects.create(meeting=small, takeaway="t", need="n", need_budget=True, form_token=f"t{n}")
    figures = selectors.programme_figures(organiser)
    rows = {r["meeting"].title: r for r in figures["meeting_rows"]}
    assert (rows["Groot"]["registered"], rows["Groot"]["attended"]) == (12, 10)
    assert (rows["Klein"]["registered"], rows["Klein"]["attended"]) == ("<10", "<10")
    budget = figures["tags"].index("budget")
    assert rows["Klein"]["tags"][budget] == "<10" and rows["Groot"]["tags"][budget] == 0
    quarters = [q["quarter"] for q in figures["quarter_rows"]]
    assert len(quarters) == len(set(quarters)) >= 2  # a fixed grid from the first to the last quarter
    _login(client, organiser)
    html = client.get(reverse("meetings:programme")).content.decode()
    assert "&lt;10" in html and "van 1 tot en met 9" in html


def test_search_finds_meetings_by_stem(client, organiser):
    make_meeting(organiser, days=-300, title="Bibliotheken en zorgvragen", summary="Informatie dichtbij.")
    make_meeting(organiser, days=-100, title="Sport en participatie", summary="Life Goals.", place="Leeuwarden")
    html = client.get(reverse("meetings:list"), {"q": "bibliotheek"}).content.decode()
    assert "Bibliotheken en zorgvragen" in html and "Sport en participatie" not in html
    html = client.get(reverse("meetings:list"), {"q": "<script>"}).content.decode()
    assert "Geen eerdere bijeenkomsten gevonden." in html


def test_programme_item_links_a_published_initiative(client, organiser, past_meeting):
    initiative = InitiativeFactory(name="Bibliotheek Deventer")
    services.add_programme_item(
        organiser, past_meeting, title="Tussenresultaten", speaker="Onderzoeker", initiative=initiative
    )
    html = client.get(reverse("meetings:detail", args=[past_meeting.pk])).content.decode()
    assert "Bibliotheek Deventer" in html and reverse("initiatives:detail", args=[initiative.slug]) in html
    assert "Bibliotheek" in client.get(reverse("meetings:list"), {"q": "deventer"}).content.decode()
