"""Documents in a real browser (issue 16): an involved professional uploads and downloads a case document, an
uninvolved one gets the 404 page; an executable renamed to .pdf and an oversized file are refused with a clear
Dutch message and the chosen kind stays. axe on every page and error state."""

import pytest

from doorbraak.core.models import AccessEvent
from doorbraak.documents.models import Document
from tests.cases.factories import World
from tests.documents.helpers import EXE, PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _documents(settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = str(tmp_path / "private")
    settings.CLAMAV_ADDRESS = ""
    settings.DOCUMENT_MAX_MB = 1


def _choose(page, name, data):
    page.get_by_label("Bestand").set_input_files(files=[{"name": name, "mimeType": "application/pdf", "buffer": data}])


def test_upload_refusals_download_and_the_gate(page, login_as, axe, browser, live_server):
    w = World()
    login_as(w.pro)
    page.goto(f"/casussen/{w.case.pk}/")
    page.get_by_role("heading", name="Documenten").wait_for()
    page.get_by_role("link", name="Document toevoegen bij de casus").click()
    page.get_by_role("heading", name="Document toevoegen bij de casus").wait_for()
    axe(page)
    # an executable renamed to .pdf
    page.get_by_label("Soort document").select_option("decision")
    _choose(page, "beschikking.pdf", EXE)
    page.get_by_role("button", name="Opslaan").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "Dit soort bestand kan niet worden opgeslagen" in page.content()
    assert page.get_by_label("Soort document").input_value() == "decision"
    axe(page)
    # an oversized file: the limit in the message, the kind still chosen
    _choose(page, "groot.pdf", PDF + b"0" * (1024 * 1024 + 1))
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("een document mag hoogstens 1 MB zijn").first.wait_for()
    assert page.get_by_label("Soort document").input_value() == "decision"
    axe(page)
    # the real decision
    _choose(page, "beschikking.pdf", PDF)
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Het document is opgeslagen.").wait_for()
    assert "niet op virussen gescand" in page.content()
    axe(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download beschikking.pdf").click()
    assert info.value.suggested_filename == "beschikking.pdf"
    assert open(info.value.path(), "rb").read() == PDF
    document = Document.objects.get()
    assert AccessEvent.objects.filter(event="document.download", actor_id=w.pro.pk, outcome="success").count() == 1

    # an uninvolved professional of the same team: the ordinary 404 page, logged
    other = browser.new_context(base_url=live_server.url, locale="nl-NL")
    try:
        from tests.helpers import browser as browser_helpers

        outsider_page = other.new_page()
        browser_helpers.authenticate(outsider_page, live_server.url, w.uninvolved)
        response = outsider_page.goto(f"/casussen/{w.case.pk}/documenten/{document.pk}/")
        assert response.status == 404
        outsider_page.get_by_role("heading", name="Pagina niet gevonden").wait_for()
        axe(outsider_page)
    finally:
        other.close()
    assert AccessEvent.objects.filter(actor_id=w.uninvolved.pk, outcome="denied", reason="need_to_know").exists()
