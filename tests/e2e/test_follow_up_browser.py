"""Nazorg in a real browser: a professional plans the evaluation schedule, sees the overdue moment marked
"te laat" (on the case and in the list of evaluations that are due), records a measurement linked to it (an
error first, input kept) and sees the outcome tables change; on an approved plan they record realised costs and
see them against the projection. axe on every page and error state."""

import datetime

import pytest

from doorbraak.budget import services as budget_services
from doorbraak.budget.models import RealisedCost
from doorbraak.cases.models import FollowUpMoment, OutcomeMeasurement
from tests.budget.factories import World as BudgetWorld
from tests.cases.factories import World, score
from tests.platforms.factories import make_platform

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


def test_schedule_overdue_moment_and_measurement(page, login_as, axe):
    w = World()
    platform = make_platform(w.case, w.lead, convened_on=TODAY - 50 * DAY, participants=[w.pro])
    platform.breakthrough_on = TODAY - 40 * DAY
    platform.breakthrough = "Een eigen kamer"
    platform.solution_kind = "housing"
    platform.save()
    score(w.case, "housing", 1, w.lead, on=TODAY - 60 * DAY)
    login_as(w.pro)
    page.goto(f"/casussen/{w.case.pk}/")
    page.get_by_role("heading", name="Nazorg").wait_for()
    assert "Er zijn nog geen evaluatiemomenten gepland." in page.content()
    axe(page)

    page.get_by_role("link", name="Evaluaties plannen").click()
    assert page.get_by_label("Vanaf").input_value() == (TODAY - 40 * DAY).isoformat()  # the breakthrough
    page.get_by_label("Elke zoveel weken een evaluatie").fill("30")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_role("alert").wait_for()
    assert "Kies een aantal weken van 1 tot en met 26." in page.get_by_role("alert").inner_text()
    axe(page)
    page.get_by_label("Elke zoveel weken een evaluatie").fill("4")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("De evaluaties zijn gepland.").wait_for()
    table = page.locator("#follow-up-table")
    assert table.locator("tbody tr").count() == 3
    overdue_row = table.locator("tbody tr").first
    assert "te laat" in overdue_row.inner_text()
    axe(page)

    page.goto("/casussen/")
    listing = page.locator("#follow-up-list")
    assert "te laat" in listing.inner_text() and w.case.title in listing.inner_text()
    axe(page)
    listing.get_by_role("link", name=w.case.title).click()

    page.locator("#follow-up-table").get_by_role("link", name="Meting bij evaluatie van").first.click()
    page.get_by_role("heading", name="Uitkomstmeting vastleggen").wait_for()
    page.get_by_label("Trede op de participatieladder").select_option("3")
    page.get_by_label("Tevredenheid van de cliënt (1–10)").fill("11")
    page.get_by_label("Tevredenheid van de professional (1–10)").fill("7")
    page.get_by_label("Zelfredzaamheid nu: Huisvesting").select_option("3")
    page.get_by_label("Toelichting").fill("Woont nu zelfstandig en gaat twee ochtenden naar de moestuin.")
    page.get_by_role("button", name="Opslaan").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "Kies een cijfer van 1 tot en met 10." in alert.inner_text()
    assert page.get_by_label("Toelichting").input_value().startswith("Woont nu zelfstandig")
    assert page.get_by_label("Tevredenheid van de cliënt (1–10)").input_value() == "11"
    assert not OutcomeMeasurement.objects.exists()
    axe(page)
    page.get_by_label("Tevredenheid van de cliënt (1–10)").fill("8")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("De uitkomstmeting is vastgelegd.").wait_for()
    measurements = page.locator("#measurement-table").inner_text()
    assert "3 – Deelname aan georganiseerde activiteiten" in measurements and "Woont nu zelfstandig" in measurements
    assert "+2 (beter)" in page.locator("#domain-change-table").inner_text()
    assert "te laat" not in page.locator("#follow-up-table").inner_text()
    assert FollowUpMoment.objects.filter(case=w.case, done_on=TODAY).count() == 1
    axe(page)


def test_realised_costs_against_the_projection(page, login_as, axe):
    world = BudgetWorld()
    world.fund()
    plan = budget_services.approve_plan(world.lead, world.train_pass_plan())
    login_as(world.professional)
    page.goto(f"/casussen/{plan.case_id}/plan/")
    page.get_by_role("heading", name="Werkelijke kosten tegenover het plan").wait_for()
    assert "nog niet vastgelegd" in page.locator("#realised-table").inner_text()
    axe(page)
    page.get_by_role("link", name="Werkelijke kosten vastleggen").click()
    page.get_by_label("Financier").select_option("wmo")
    page.get_by_label("Werkelijke kosten vanaf de start van het plan").fill("-5")
    page.get_by_label("Toelichting").fill("Abonnement en de eerste uren begeleiding")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_role("alert").wait_for()
    assert "Een bedrag kan niet negatief zijn." in page.get_by_role("alert").inner_text()
    assert page.get_by_label("Toelichting").input_value() == "Abonnement en de eerste uren begeleiding"
    axe(page)
    page.get_by_label("Werkelijke kosten vanaf de start van het plan").fill("4.650,00")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("De werkelijke kosten zijn vastgelegd.").wait_for()
    wmo = page.locator("#realised-table tbody tr", has_text="Wmo 2015")
    text = wmo.inner_text()
    assert "€ 4.650,00" in text and ("duurder" in text or "goedkoper" in text)
    assert RealisedCost.objects.get(plan=plan).amount_cents == 4_650_00
    axe(page)
