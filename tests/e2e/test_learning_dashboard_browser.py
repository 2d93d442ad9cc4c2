"""The policy officer's learning pages in a real browser: dashboard with charts and tables, a wrong period,
the pattern page with a planted finding, the council report PDF, open data with its dictionary, and the
refresh button. axe on every page and error state."""

import datetime
import re
import time

import pytest

from doorbraak.learning.insights import facts
from tests.helpers.browser import make_council_report_pdf
from tests.learning.test_dashboard import bare_world, make_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_policy_officer_reads_dashboard_patterns_report_and_open_data(page, login_as, axe):
    w = bare_world()
    today = datetime.date.today()
    for i in range(120):
        expert = i % 2 == 0
        # planted: with an experience expert at the table nearly every case breaks through within three weeks
        within = (i % 20 != 0) if expert else (i % 4 == 0)
        make_case(
            w,
            days=8 if within else 45,
            expert=expert,
            blockers=["no_places"] if i % 3 else ["not_heard"],
            scores=[("housing", 1, 3 if expert else 2)],
            opened=today - datetime.timedelta(days=30 + i),
        )
    facts.refresh_facts(w.municipality)

    login_as(w.policy)
    page.goto("/leren/")
    page.get_by_role("heading", name="Leren van vastgelopen situaties").wait_for()
    figures = page.locator("#key-figures").inner_text()
    # Issue 13: protected counts (within 3 of the true count), with the explanation on the page.
    assert abs(int(re.search(r"Casussen geopend\n(\d+)", figures)[1]) - 120) <= 3
    assert "Afgeronde en licht verstoorde aantallen" in page.locator("#protection-note").inner_text()
    assert page.get_by_role("img", name="Casussen geopend (blauw) en doorgebroken (groen) per maand").count() == 1
    barrier_rows = page.locator("#barrier-table tbody tr").all_inner_texts()
    shown = dict(row.split("\t") for row in barrier_rows)
    assert abs(int(shown["Geen plekken"]) - 80) <= 3 and abs(int(shown["Niet gehoord worden"]) - 40) <= 3
    axe(page)

    page.goto("/leren/?van=2025-13&tot=2025-01")
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "Vul de maanden in als jaar en maand" in alert.inner_text()
    axe(page)

    page.get_by_role("navigation", name="Leren").get_by_role("link", name="Patronen", exact=True).click()
    page.get_by_role("heading", name="Wat gaat samen met een snellere doorbraak?").wait_for()
    findings = page.locator("#findings").inner_text()
    assert "Ervaringsdeskundige aan tafel: ja gaat samen met vaker een doorbraak binnen drie weken" in findings
    assert "Cliënt aan tafel" not in findings  # nothing planted there, nothing claimed
    axe(page)

    page.get_by_role("navigation", name="Leren").get_by_role("link", name="Raadsrapportage", exact=True).click()
    page.get_by_role("button", name="Maak de pdf").wait_for()
    assert "Doorbraken" in page.locator("#report-preview").inner_text()
    axe(page)
    started = time.monotonic()
    pdf = make_council_report_pdf(page, axe)  # made by a worker, not in the request
    assert pdf.startswith(b"%PDF")
    assert "De pdf is klaar." in page.locator("#report-state").inner_text()
    axe(page)
    assert time.monotonic() - started < 30
    page.get_by_role("link", name="Terug naar de raadsrapportage").click()
    assert "Klaar" in page.locator("#council-reports").inner_text()

    page.get_by_role("navigation", name="Leren").get_by_role("link", name="Open data", exact=True).click()
    page.get_by_role("heading", name="Datawoordenboek").wait_for()
    axe(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="Blokkades in het systeem (blokkades.csv)").click()
    text = open(info.value.path(), encoding="utf-8").read()
    assert text.splitlines()[0] == (
        "gemeente,periode_van,periode_tot_en_met,uitsplitsing,blokkade,omschrijving,casussen"
    )
    assert f"no_places,Geen plekken,{shown['Geen plekken']}" in text  # the same cell as on the dashboard

    page.get_by_role("navigation", name="Leren").get_by_role("link", name="Overzicht", exact=True).click()
    page.get_by_role("button", name="Cijfers nu bijwerken").click()
    page.get_by_text("Het bijwerken van de cijfers staat in de wachtrij.").wait_for()  # a task (issue 14)
    axe(page)
