"""Issue 13 in a real browser: a policy officer filters the dashboard by team and period and sees protected figures
with the explanation; an anonymous visitor downloads the open data of the same cells and gets the same values.
axe on every page."""

import csv
import datetime
import io

import pytest
from django_scopes import scope

from doorbraak.cases.models import Case
from doorbraak.learning.insights import analytics, facts, protection
from doorbraak.learning.insights.protected import Breakdown
from tests.factories import TeamFactory
from tests.learning.test_dashboard import bare_world, make_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def world_with_two_teams():
    w = bare_world()
    today = datetime.date.today()
    second = TeamFactory(municipality=w.municipality, name="Sociaal team Oost")
    cases = []
    for i in range(70):
        cases.append(
            make_case(
                w,
                days=8 if i % 3 else 40,
                blockers=["no_places"] if i % 2 else ["not_heard"],
                opened=today - datetime.timedelta(days=35 + i % 50),
            )
        )
    Case.objects.filter(pk__in=[c.pk for c in cases[:28]]).update(team=second)
    facts.refresh_facts(w.municipality)
    return w, second


def test_policy_officer_filters_by_team_and_period_and_a_visitor_downloads_the_same_cells(page, login_as, axe):
    w, second = world_with_two_teams()
    period = analytics.from_grid(protection.quarter_cell(datetime.date.today() - datetime.timedelta(days=60)))
    breakdown = Breakdown("team", str(second.pk))
    with scope(municipality=w.municipality.pk):
        expected = analytics.dashboard(w.municipality, period, breakdown=breakdown)
    assert expected["summary"]["cases"] != 0

    login_as(w.policy)
    page.goto("/leren/")
    page.get_by_role("heading", name="Leren van vastgelopen situaties").wait_for()
    page.get_by_label("Maand, kwartaal of jaar").select_option(period.code)
    page.get_by_label("Uitsplitsing (één tegelijk)").select_option(f"team:{second.pk}")
    page.get_by_role("button", name="Toon cijfers").click()
    page.locator("#breakdown-label").wait_for()
    assert "Team: Sociaal team Oost" in page.locator("#breakdown-label").inner_text()
    assert period.label in page.locator("main").inner_text()
    note = page.locator("#protection-note").inner_text()
    assert "Afgeronde en licht verstoorde aantallen" in note and "“<10”" in note
    figures = page.locator("#key-figures").inner_text()
    shown_cases = str(expected["summary"]["cases"])
    assert f"Casussen geopend\n{shown_cases}" in figures
    monthly = page.locator("#monthly-table tbody tr").all_inner_texts()
    assert [row.split("\t")[1] for row in monthly] == [str(r["opened"]) for r in expected["monthly"]["rows"]]
    axe(page)

    # A range that is not on the grid is refused with a Dutch error, and the figures fall back to this year.
    page.goto("/leren/?van=2025-06&tot=2025-07")
    assert "Kies een maand, een kwartaal of een heel jaar" in page.get_by_role("alert").inner_text()
    axe(page)

    # An anonymous visitor: the public open data for the same period and team.
    page.context.clear_cookies()
    page.goto(f"/open-data/{w.municipality.code}/")
    page.get_by_role("heading", name="Hoe de aantallen zijn verstoord").wait_for()
    page.get_by_label("Maand, kwartaal of jaar").select_option(period.code)
    page.get_by_label("Uitsplitsing (één tegelijk)").select_option(f"team:{second.pk}")
    page.get_by_role("button", name="Toon cijfers").click()
    page.locator("#breakdown-label").wait_for()
    axe(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="Casussen per maand (maanden.csv)").click()
    rows = list(csv.DictReader(io.StringIO(open(info.value.path(), encoding="utf-8").read())))
    assert [r["geopend"] for r in rows] == [str(r["opened"]) for r in expected["monthly"]["rows"]]
    assert {r["uitsplitsing"] for r in rows} == {f"team:{second.pk}"}
    with page.expect_download() as info:
        page.get_by_role("link", name="Blokkades in het systeem (blokkades.csv)").click()
    barriers = {r["blokkade"]: r["casussen"] for r in csv.DictReader(open(info.value.path(), encoding="utf-8"))}
    assert barriers == {b["code"]: str(b["cases"]) for b in expected["barriers"]["codes"]}
    with page.expect_download() as info:
        page.get_by_role("link", name="Datawoordenboek (woordenboek.csv)").click()
    assert "Afgeronde en licht verstoorde aantallen" in open(info.value.path(), encoding="utf-8").read()
