"""Issue 17, points 5-6 in a real browser (Chromium + axe): a lead uploads a CSV with one bad row, the dry run shows
the refusal reason, confirms, the cases exist; re-importing the same file changes nothing; bad files get clear Dutch
messages; a case-file export for an access request downloads as JSON and as PDF."""

import json

import pytest

from doorbraak.cases.models import Case
from doorbraak.core.tasks import run_pending_tasks
from tests.cases.factories import World
from tests.transfer.helpers import COLUMNS, csv_bytes, row

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def upload(page, path):
    page.goto("/gegevens/import/")
    page.get_by_label("Bestand (CSV of XLSX)").set_input_files(str(path))
    page.get_by_role("button", name="Controleren").click()


def test_upload_dry_run_confirm_and_reimport(page, login_as, axe, tmp_path):
    w = World()
    path = tmp_path / "bron.csv"
    path.write_bytes(
        csv_bytes(
            [
                row("P1", "H1", w.team.name, title="Import een"),
                row("P2", "H2", w.team.name, title="Import twee", bsn="123456789"),  # fails the eleven-test
                row("P3", "H3", w.team.name, title="Import drie"),
            ]
        )
    )
    login_as(w.lead)
    page.goto("/gegevens/")
    axe(page)
    page.get_by_role("link", name="Bestand importeren").click()
    axe(page)
    upload(page, path)
    page.get_by_text("Wordt gecontroleerd").first.wait_for()
    assert run_pending_tasks() == 1
    page.get_by_text("Gecontroleerd, wacht op bevestiging").wait_for()  # the page polls and reloads by itself
    counts = page.locator("#dry-run-counts").inner_text()
    assert "Aanmaken: 2" in counts and "Geweigerd: 1" in counts
    refused = page.locator("#dry-run-rows tr", has_text="P2").inner_text()
    assert "Geweigerd" in refused and "elfproef" in refused
    axe(page)
    page.get_by_role("button", name="Bevestigen en inlezen").click()
    page.get_by_text("De gegevens worden ingelezen.").wait_for()
    assert run_pending_tasks() == 1
    page.get_by_text("Aangemaakt: 2").wait_for()
    axe(page)
    assert set(Case.objects.filter(title__startswith="Import").values_list("title", flat=True)) == {
        "Import een",
        "Import drie",
    }

    upload(page, path)  # the same file again
    run_pending_tasks()
    page.get_by_text("Ongewijzigd: 2").wait_for()
    page.get_by_role("button", name="Bevestigen en inlezen").click()
    page.get_by_text("Er is niets om in te lezen").wait_for()
    assert Case.objects.filter(title__startswith="Import").count() == 2


def test_bad_files_get_clear_dutch_messages(page, login_as, axe, tmp_path):
    w = World()
    login_as(w.lead)
    cases = [
        ("foto.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "Dit is geen CSV- of XLSX-bestand"),
        ("leeg.csv", b"", "Het bestand is leeg."),
        ("groot.csv", csv_bytes([row("P1", "H1", w.team.name)]) + b"x" * (20 * 1024 * 1024), "groter dan 15 MB"),
        ("kolommen.csv", b"naam,adres\nAnna,Dorpsstraat 1\n", "De kolommen kloppen niet"),
    ]
    for name, content, message in cases:
        path = tmp_path / name
        path.write_bytes(content)
        upload(page, path)
        error = page.locator("#id_file_error")
        error.wait_for()
        assert message in error.inner_text()
        assert "/gegevens/import/" in page.url
    axe(page)
    assert COLUMNS[0] in page.content()  # the help text names the columns


def test_case_file_export_downloads_as_json_and_pdf(page, login_as, axe):
    w = World()
    login_as(w.lead)
    page.goto("/gegevens/export/")
    axe(page)
    page.get_by_label("Casusnummer").fill(str(w.case.pk))
    page.get_by_role("button", name="Naar het dossier").click()
    page.get_by_role("heading", name="Dossier voor een inzageverzoek").wait_for()
    axe(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download JSON").click()
    download = info.value
    assert download.suggested_filename == f"inzage-casus-{w.case.pk}.json"
    data = json.loads(open(download.path(), encoding="utf-8").read())
    assert data["casus"] == w.case.pk and any(s["key"] == "cases.person" for s in data["onderdelen"])
    with page.expect_download() as info:
        page.get_by_role("link", name="Download pdf").click()
    assert open(info.value.path(), "rb").read(4) == b"%PDF"
