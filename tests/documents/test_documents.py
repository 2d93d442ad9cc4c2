"""Documents (issue 16, point 5): upload to a case, platform, plan, loan or reclaim; type by content; size limit;
stored outside the web root under a random name; served only through the owner's gate as an attachment; every
download in the access log; retention by kind and the purge; the ClamAV hook against a fake clamd."""

import datetime
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from doorbraak.core.models import AccessEvent
from doorbraak.documents import scan, services
from doorbraak.documents.models import Document, DocumentKind, OwnerType, ScanStatus, retention_date
from tests.budget.factories import World as BudgetWorld
from tests.cases.factories import World, login
from tests.documents.helpers import EICAR_SIGNATURE, EXE, PDF, PNG, FakeClamd, unused_address
from tests.platforms.factories import make_platform

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = str(tmp_path / "private")
    settings.CLAMAV_ADDRESS = ""
    settings.DOCUMENT_MAX_MB = 1
    return tmp_path / "private"


def _upload_url(case, owner="casus", owner_id=None):
    return f"/casussen/{case.pk}/documenten/{owner}/{owner_id or case.pk}/nieuw/"


def _post(client, url, name, data, kind="decision"):
    return client.post(url, {"kind": kind, "file": SimpleUploadedFile(name, data)})


def test_professional_uploads_and_downloads_a_case_document(client, _private_root):
    w = World()
    login(client, w.pro)
    response = _post(client, _upload_url(w.case), "beschikking.pdf", PDF)
    assert response.status_code == 302
    document = Document.objects.get(case=w.case)
    assert (document.owner_type, document.kind, document.content_type) == ("case", "decision", "application/pdf")
    assert document.retention_until == retention_date("decision", datetime.date.today())
    # stored outside the web root under a random name, no extension, the exact bytes
    stored = list(Path(_private_root, "documents").rglob("*"))
    files = [p for p in stored if p.is_file()]
    assert len(files) == 1 and re.fullmatch(r"[0-9a-f]{32}", files[0].name) and files[0].read_bytes() == PDF
    page = client.get(f"/casussen/{w.case.pk}/").content.decode()
    assert "Download beschikking.pdf" in page and "Niet op virussen gescand" in page
    download = client.get(f"/casussen/{w.case.pk}/documenten/{document.pk}/")
    assert download.status_code == 200
    assert (
        download["Content-Disposition"].startswith("attachment;")
        and "beschikking.pdf" in download["Content-Disposition"]
    )
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download["Content-Security-Policy"]
    assert b"".join(download.streaming_content) == PDF
    assert AccessEvent.objects.filter(event="document.download", actor_id=w.pro.pk, outcome="success").count() == 1
    assert AccessEvent.objects.filter(event="document.upload", actor_id=w.pro.pk).count() == 1


def test_upload_result_says_plainly_that_no_scanner_is_configured(client):
    w = World()
    login(client, w.pro)
    response = client.post(
        _upload_url(w.case), {"kind": "report", "file": SimpleUploadedFile("verslag.pdf", PDF)}, follow=True
    )
    text = response.content.decode()
    assert "Het document is opgeslagen." in text
    assert "niet op virussen gescand, want er is geen virusscanner ingesteld" in text
    assert Document.objects.get().scan_status == ScanStatus.NOT_SCANNED


def test_uninvolved_professional_and_other_municipality_get_404_logged(client):
    w = World()
    login(client, w.pro)
    _post(client, _upload_url(w.case), "brief.pdf", PDF, kind="refusal_letter")
    document = Document.objects.get()
    for outsider in (w.uninvolved, w.stranger):
        other = Client()
        login(other, outsider)
        assert other.get(f"/casussen/{w.case.pk}/documenten/{document.pk}/").status_code == 404
        assert other.get(_upload_url(w.case)).status_code == 404
        assert _post(other, _upload_url(w.case), "x.pdf", PDF).status_code == 404
        denied = AccessEvent.objects.filter(actor_id=outsider.pk, outcome="denied")
        assert denied.filter(reason__in=["need_to_know", "tenancy"]).count() >= 3
        assert not AccessEvent.objects.filter(actor_id=outsider.pk, event="document.download", outcome="success")
    assert Document.objects.count() == 1


def test_document_id_of_another_case_is_404(client):
    w = World()
    other_case = type(w.case).objects.create(
        municipality=w.municipality,
        household=w.case.household,
        team=w.team,
        title="Ander",
        question="?",
        created_by=w.lead,
    )
    login(client, w.pro)
    _post(client, _upload_url(w.case), "brief.pdf", PDF)
    document = Document.objects.get()
    lead = Client()
    login(lead, w.lead)  # the lead sees both cases, but the document is not under the other one
    assert lead.get(f"/casussen/{other_case.pk}/documenten/{document.pk}/").status_code == 404
    assert lead.get(f"/casussen/{w.case.pk}/documenten/{document.pk}/").status_code == 200


def test_executable_renamed_to_pdf_is_refused_and_the_form_keeps_the_kind(client):
    w = World()
    login(client, w.pro)
    response = _post(client, _upload_url(w.case), "beschikking.pdf", EXE, kind="agreement")
    assert response.status_code == 400
    text = response.content.decode()
    assert "Dit soort bestand kan niet worden opgeslagen" in text
    assert re.search(r'<option value="agreement" selected', text)
    assert Document.objects.count() == 0
    assert not any(Path(services.root()).rglob("*.part"))


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("pagina.pdf", b"<html><script>alert(1)</script></html>", "Dit soort bestand kan niet worden opgeslagen"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>', "Dit soort bestand"),
        ("foto.pdf", PNG, "eindigt op .pdf, maar de inhoud is van een ander soort (.png)"),
        ("leeg.pdf", b"", "leeg"),
    ],
)
def test_active_content_wrong_name_and_empty_file_are_refused(client, name, data, message):
    w = World()
    login(client, w.pro)
    response = _post(client, _upload_url(w.case), name, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Document.objects.count() == 0


def test_oversized_file_is_refused_with_the_limit_in_the_message(client, settings):
    settings.DOCUMENT_MAX_MB = 1
    w = World()
    login(client, w.pro)
    response = _post(client, _upload_url(w.case), "groot.pdf", PDF + b"0" * (1024 * 1024 + 10), kind="quote")
    assert response.status_code == 400
    text = response.content.decode()
    assert "hoogstens 1 MB" in text
    assert re.search(r'<option value="quote" selected', text)
    assert Document.objects.count() == 0


def test_service_repeats_the_size_and_type_checks(settings):
    settings.DOCUMENT_MAX_MB = 1
    w = World()
    big = SimpleUploadedFile("groot.pdf", PDF + b"0" * (1024 * 1024))
    with pytest.raises(services.RuleError, match="hoogstens 1 MB"):
        services.upload(w.pro, w.case.pk, OwnerType.CASE, w.case.pk, kind="decision", file=big)
    with pytest.raises(services.RuleError, match="Kies wat voor document"):
        services.upload(w.pro, w.case.pk, OwnerType.CASE, w.case.pk, kind="x", file=SimpleUploadedFile("a.pdf", PDF))


def test_image_and_xlsx_are_accepted():
    import io

    import openpyxl

    w = World()
    book = io.BytesIO()
    openpyxl.Workbook().save(book)
    for name, data, kind in (("foto.png", PNG, "report"), ("offerte.xlsx", book.getvalue(), "quote")):
        document, _message = services.upload(
            w.pro, w.case.pk, OwnerType.CASE, w.case.pk, kind=kind, file=SimpleUploadedFile(name, data)
        )
        assert document.file_name == name
    assert sorted(Document.objects.values_list("content_type", flat=True)) == [
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "image/png",
    ]


def test_platform_plan_loan_and_reclaim_documents_use_their_own_gate(client):
    bw = BudgetWorld()
    bw.fund()
    case = bw.case()
    plan = bw.train_pass_plan(case=case)
    from doorbraak.budget import services as budget_services

    budget_services.approve_plan(bw.approver, plan)
    loan = budget_services.grant_loan(
        bw.lead, plan, 10_000, condition="Werk", deadline=datetime.date.today() + datetime.timedelta(days=30)
    ).loan
    reclaim = budget_services.expect_reclaim(bw.lead, plan, "zvw", 5_000)
    bw.professional.organisation = bw.lead.organisation
    bw.professional.save()
    platform = make_platform(case, bw.lead, participants=[bw.professional])
    login(client, bw.professional)
    for owner, owner_id in (
        ("platform", platform.pk),
        ("plan", plan.pk),
        ("lening", loan.pk),
        ("terugvordering", reclaim.pk),
    ):
        response = _post(client, _upload_url(case, owner, owner_id), f"{owner}.pdf", PDF)
        assert response.status_code == 302, owner
    assert sorted(Document.objects.values_list("owner_type", flat=True)) == ["loan", "plan", "platform", "reclaim"]
    plan_page = client.get(f"/casussen/{case.pk}/plan/").content.decode()
    assert "Download plan.pdf" in plan_page and "Download lening.pdf" in plan_page
    assert "Download terugvordering.pdf" in plan_page and "Download platform.pdf" not in plan_page
    platform_page = client.get(f"/casussen/{case.pk}/platform/{platform.pk}/").content.decode()
    assert "Download platform.pdf" in platform_page and "Download plan.pdf" not in platform_page
    # an approver reaches the plan's documents through the plan's gate, but not the platform's
    approver = Client()
    login(approver, bw.approver)
    plan_doc = Document.objects.get(owner_type="plan")
    platform_doc = Document.objects.get(owner_type="platform")
    assert approver.get(f"/casussen/{case.pk}/documenten/{plan_doc.pk}/").status_code == 200
    assert approver.get(f"/casussen/{case.pk}/documenten/{platform_doc.pk}/").status_code == 404
    # a loan id of another plan is not found under this case
    assert _post(client, _upload_url(case, "lening", loan.pk + 999), "x.pdf", PDF).status_code == 404
    assert client.get(_upload_url(case, "onbekend", 1)).status_code == 404


def test_closed_case_takes_no_new_documents(client):
    w = World()
    w.case.status = "closed"
    w.case.save(update_fields=["status"])
    with pytest.raises(services.RuleError, match="afgesloten"):
        services.upload(
            w.lead, w.case.pk, OwnerType.CASE, w.case.pk, kind="report", file=SimpleUploadedFile("a.pdf", PDF)
        )


def test_retention_follows_the_kind_and_the_purge_deletes_expired_documents():
    w = World()
    today = datetime.date(2026, 3, 1)
    assert retention_date(DocumentKind.QUOTE, today) == datetime.date(2028, 3, 1)
    assert retention_date(DocumentKind.AGREEMENT, today) == datetime.date(2033, 3, 1)
    assert retention_date(DocumentKind.REPORT, datetime.date(2024, 2, 29)) == datetime.date(2029, 2, 28)
    old, _m = services.upload(
        w.pro, w.case.pk, "case", w.case.pk, kind="quote", file=SimpleUploadedFile("oud.pdf", PDF)
    )
    new, _m = services.upload(
        w.pro, w.case.pk, "case", w.case.pk, kind="decision", file=SimpleUploadedFile("nieuw.pdf", PDF)
    )
    assert services.path_of(old).is_file()
    assert services.purge_expired(today=old.retention_until + datetime.timedelta(days=1)) == 1
    assert not services.path_of(old).exists() and services.path_of(new).is_file()
    assert list(Document.objects.values_list("pk", flat=True)) == [new.pk]


def test_purge_is_a_scheduled_job():
    from doorbraak.schedule import SCHEDULE

    assert "doorbraak.documents.tasks.purge_expired_documents" in [job.task_path for job in SCHEDULE]


# --- the ClamAV hook, against a fake clamd speaking INSTREAM on 127.0.0.1 ---------------------------------


@pytest.fixture
def clamd(settings):
    server = FakeClamd()
    settings.CLAMAV_ADDRESS = server.address
    yield server
    server.close()


def test_clean_file_is_scanned_through_instream(client, clamd):
    w = World()
    login(client, w.pro)
    big = PDF + b"%" + b"x" * (200 * 1024)  # more than one 64 KiB chunk
    response = client.post(
        _upload_url(w.case), {"kind": "report", "file": SimpleUploadedFile("v.pdf", big)}, follow=True
    )
    assert "op virussen gescand; er is niets gevonden" in response.content.decode()
    assert clamd.commands == [b"zINSTREAM\0"] and clamd.received == [big]
    assert Document.objects.get().scan_status == ScanStatus.CLEAN


def test_infected_file_is_refused_and_logged(client, clamd):
    w = World()
    login(client, w.pro)
    infected = PDF + b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
    response = _post(client, _upload_url(w.case), "v.pdf", infected)
    assert response.status_code == 400
    assert f"virus gevonden ({EICAR_SIGNATURE})" in response.content.decode()
    assert Document.objects.count() == 0
    assert AccessEvent.objects.filter(event="document.upload", outcome="denied", reason="virus_found").count() == 1


def test_unreachable_scanner_refuses_the_upload(client, settings):
    settings.CLAMAV_ADDRESS = unused_address()  # nothing listens there
    settings.CLAMAV_TIMEOUT_SECONDS = 2
    w = World()
    login(client, w.pro)
    response = _post(client, _upload_url(w.case), "v.pdf", PDF)
    assert response.status_code == 400
    assert "virusscanner is nu niet bereikbaar" in response.content.decode()
    assert Document.objects.count() == 0


def test_scan_reports_not_configured_without_address():
    assert scan.scan(PDF, address="") is scan.Result.NOT_CONFIGURED


def test_pages_of_a_closed_case_offer_no_upload_but_keep_the_downloads(client):
    w = World()
    platform = make_platform(w.case, w.lead, participants=[w.pro])
    document, _m = services.upload(
        w.lead, w.case.pk, "platform", platform.pk, kind="report", file=SimpleUploadedFile("verslag.pdf", PDF)
    )
    w.case.status = "closed"
    w.case.save(update_fields=["status"])
    login(client, w.lead)
    for url in (f"/casussen/{w.case.pk}/", f"/casussen/{w.case.pk}/platform/{platform.pk}/"):
        page = client.get(url).content.decode()
        assert "Document toevoegen" not in page
    assert "Download verslag.pdf" in client.get(f"/casussen/{w.case.pk}/platform/{platform.pk}/").content.decode()
    assert client.get(f"/casussen/{w.case.pk}/documenten/{document.pk}/").status_code == 200
