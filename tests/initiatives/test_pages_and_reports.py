"""Initiative pages, research with reports, and the PDF view."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from doorbraak.core.errors import RuleError
from doorbraak.core.models import Role
from doorbraak.demo.initiatives import load
from doorbraak.initiatives import services
from doorbraak.initiatives.models import Initiative, ResearchReport
from tests.factories import UserFactory

from .factories import InitiativeFactory, ResearchFactory

pytestmark = pytest.mark.django_db

ADMIN = lambda: UserFactory(role=Role.ADMIN)  # noqa: E731 - who attaches report PDFs (the admin site)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_seeded_page_shows_all_parts_with_unique_title(client):
    load()
    response = client.get(reverse("initiatives:detail", args=["toolbox-emmen"]))
    html = response.content.decode()
    assert "<title>Toolbox Emmen – Initiatieven – Doorbraak</title>" in html
    for text in [
        "Emmen, Drenthe",
        "Verdienmodel",
        "social impact",
        "Actieonderzoek",
        "Onderzoeksvraag",
        "In onderzoek",
    ]:
        assert text in html
    assert "Een moderator leest elke reactie eerst." in html


def test_research_reports_are_listed_with_summary(client):
    load()
    html = client.get(reverse("initiatives:detail", args=["bibliotheken-informatie-dichtbij"])).content.decode()
    assert "Eerste rapport: de Bibliotheek Deventer" in html
    assert "Voortgangsrapport" in html


def test_pdf_is_checked_and_served_through_a_view(client, media):
    research = ResearchFactory()
    report = ResearchReport.objects.create(research=research, kind="final", title="Eindrapport")
    with pytest.raises(RuleError):
        services.attach_report_pdf(ADMIN(), report, SimpleUploadedFile("rapport.pdf", b"MZ nopdf", "application/pdf"))
    with pytest.raises(RuleError):
        services.attach_report_pdf(ADMIN(), report, SimpleUploadedFile("rapport.exe", PDF, "application/pdf"))
    services.attach_report_pdf(ADMIN(), report, SimpleUploadedFile("rapport.pdf", PDF, "application/pdf"))
    page = client.get(reverse("initiatives:detail", args=[research.initiative.slug])).content.decode()
    url = reverse("initiatives:report_pdf", args=[report.pk])
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_pdf_of_a_draft_is_not_public(client, media):
    research = ResearchFactory(initiative=InitiativeFactory(is_published=False))
    report = ResearchReport.objects.create(research=research, kind="final", title="Eindrapport")
    services.attach_report_pdf(ADMIN(), report, SimpleUploadedFile("rapport.pdf", PDF, "application/pdf"))
    assert client.get(reverse("initiatives:report_pdf", args=[report.pk])).status_code == 404
    assert client.get(reverse("initiatives:report_pdf", args=[9999])).status_code == 404


def test_unknown_initiative_is_404(client):
    assert client.get(reverse("initiatives:detail", args=["bestaat-niet"])).status_code == 404


def test_database_refuses_unknown_group():
    from django.db import IntegrityError, transaction

    initiative = InitiativeFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Initiative.objects.filter(pk=initiative.pk).update(group="iets-anders")


def test_admin_report_form_refuses_a_file_that_is_not_a_pdf():
    from doorbraak.initiatives.admin import ResearchReportForm

    research = ResearchFactory()
    data = {"research": research.pk, "kind": "final", "title": "Eindrapport", "summary": ""}
    fake = SimpleUploadedFile("rapport.pdf", b"<html>geen pdf</html>", "application/pdf")
    form = ResearchReportForm(data=data, files={"pdf": fake})
    assert not form.is_valid()
    assert "Dit is geen pdf-bestand." in form.errors["pdf"]
    real = SimpleUploadedFile("rapport.pdf", PDF, "application/pdf")
    assert ResearchReportForm(data=data, files={"pdf": real}).is_valid()


def test_detail_page_query_count_does_not_grow_with_comments(client, django_assert_max_num_queries):
    from doorbraak.initiatives.models import Moderation

    from .factories import CommentFactory

    research = ResearchFactory()
    for n in range(15):
        CommentFactory(initiative=research.initiative, body=f"Reactie {n}", moderation=Moderation.APPROVED)
        ResearchReport.objects.create(research=research, title=f"Rapport {n}")
    with django_assert_max_num_queries(6):
        response = client.get(reverse("initiatives:detail", args=[research.initiative.slug]))
    assert response.content.decode().count("Reactie van een bezoeker") == 15


def test_load_demo_command_fills_the_registry(settings):
    from django.core.management import call_command

    settings.DEMO = True
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())  # idempotent
    assert Initiative.objects.filter(is_published=True).count() >= 20
    assert Initiative.objects.filter(slug="linawijs-culemborg").count() == 1


def test_links_must_be_web_addresses():
    initiative = InitiativeFactory(links=[{"label": "Site", "url": "javascript:alert(1)"}])
    with pytest.raises(ValidationError):
        initiative.full_clean()
    initiative.links = [{"label": "Site", "url": "https://www.voorbeeld.nl"}]
    initiative.full_clean()
