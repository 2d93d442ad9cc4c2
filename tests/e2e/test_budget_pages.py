"""Every budget page passes axe, including forms with errors; bad input keeps what was typed."""

import pytest

from doorbraak.budget import services
from doorbraak.budget.models import CatalogueItem
from tests.budget.factories import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_catalogue_pages_and_override_with_errors(page, login_as, axe):
    world = World()
    login_as(world.lead)
    page.goto("/budget/kostenkengetallen/")
    assert page.get_by_role("columnheader", name="Omschrijving").is_visible()
    axe(page)
    item = CatalogueItem.objects.get(municipality=world.municipality, code="ns_annual_pass")
    page.goto(f"/budget/kostenkengetallen/{item.pk}/wijzigen/")
    page.get_by_label("Nieuw bedrag").fill("-10")
    page.get_by_label("Reden van de wijziging").fill("Nieuw NS-tarief")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Een bedrag kan niet negatief zijn.").first.wait_for()
    assert page.get_by_label("Reden van de wijziging").input_value() == "Nieuw NS-tarief"
    axe(page)
    page.goto("/budget/kostenkengetallen/nieuw/")
    page.get_by_role("button", name="Opslaan").click()
    axe(page)


def test_overview_plan_settings_and_loan_forms_with_errors(page, login_as, axe):
    world = World()
    world.fund()
    plan = world.train_pass_plan(submit=False)
    login_as(world.approver)
    page.goto("/budget/")
    page.get_by_label("Bedrag").fill("heel veel")
    page.get_by_role("button", name="Toekennen").click()
    page.get_by_text("Vul een bedrag in euro's in").first.wait_for()
    axe(page)
    login_as(world.professional)
    page.goto(f"/casussen/{plan.case_id}/plan/instellingen/")
    page.get_by_label("Looptijd in jaren").fill("9")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Kies een looptijd van 1 tot en met 5 jaar.").first.wait_for()
    axe(page)
    services.submit_plan(world.professional, plan)
    services.approve_plan(world.approver, plan)
    login_as(world.lead)
    page.goto(f"/casussen/{plan.case_id}/plan/lening/")
    page.get_by_label("Bedrag van de lening").fill("999.999,00")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_role("heading", name="Lening verstrekken").wait_for()
    axe(page)
