"""Issue 12 in the browser (Chromium + axe): a plan co-funded by two funders with shares typed as percentages, the
figures per month and per year, the "Bereken" preview, and bad input that keeps what was typed; the plan page at
320 px keeps its tables in labelled scroll containers."""

import pytest

from tests.budget.factories import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_two_funders_with_percentages_and_figures_per_month_and_year(page, login_as, axe):
    world = World()
    plan = world.train_pass_plan(submit=False)
    login_as(world.professional)
    page.goto(f"/casussen/{plan.case_id}/")
    page.locator("#case-plan-link").click()
    page.get_by_role("heading", name="Maatwerkplan", exact=False).first.wait_for()
    # A weekly cost line: bad input first (end before start, a non-numeric amount), what was typed stays
    page.goto(f"/casussen/{plan.case_id}/plan/regel/nieuw/?scenario=custom")
    page.get_by_label("Omschrijving").fill("Begeleiding thuis")
    page.get_by_label("Eenheid van de prijs").select_option("hour")
    page.get_by_label("Prijs per eenheid").fill("veel")
    page.get_by_label("Aantal per keer").fill("4")
    page.get_by_label("Hoe vaak").select_option("week")
    page.get_by_label("Vanaf maand").fill("6")
    page.get_by_label("Tot en met maand (optioneel)").fill("3")
    page.get_by_label("Wie betaalt").select_option("wmo")
    page.get_by_role("button", name="Bereken").click()
    page.get_by_text("De laatste maand ligt vóór de eerste maand.").first.wait_for()
    assert page.get_by_label("Omschrijving").input_value() == "Begeleiding thuis"
    assert page.get_by_label("Prijs per eenheid").input_value() == "veel"
    axe(page)
    page.get_by_label("Prijs per eenheid").fill("-55,80")
    page.get_by_label("Vanaf maand").fill("1")
    page.get_by_label("Tot en met maand (optioneel)").fill("12")
    page.get_by_role("button", name="Bereken").click()
    page.get_by_text("Een bedrag kan niet negatief zijn.").first.wait_for()
    page.get_by_label("Prijs per eenheid").fill("55,80")
    page.get_by_role("button", name="Bereken").click()
    preview = page.locator("#line-preview")
    preview.wait_for()
    assert "€ 967,20 per maand en € 11.606,40 per jaar" in preview.inner_text()
    axe(page)
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("De kostenregel is toegevoegd.").wait_for()
    lines = page.locator("#lines-table-custom")
    assert "€ 967,20" in lines.inner_text() and "€ 11.606,40" in lines.inner_text()
    # Shares typed as percentages: not adding up first, then right
    page.get_by_role("link", name="Verdeling invullen").click()
    page.get_by_label("Wmo 2015 (gemeente)").fill("60")
    page.get_by_label("Justitie", exact=True).fill("30")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("samen moeten ze precies 100% zijn").first.wait_for()
    assert page.get_by_label("Justitie", exact=True).input_value() == "30"
    axe(page)
    page.get_by_label("Justitie", exact=True).fill("40")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("De verdeling over de financiers is vastgelegd.").wait_for()
    # Custom plan: 3.000,00 + 11.606,40 = 14.606,40; Wmo 60% = 8.763,84, justice 40% = 5.842,56
    split = page.locator("#split-table").inner_text()
    assert "60%" in split and "€ 8.763,84" in split and "40%" in split and "€ 5.842,56" in split
    assert "Uit het handgeldbudget van het team: € 8.763,84" in page.locator("#from-fund").inner_text()
    axe(page)
    # At 320 px the tables scroll inside their labelled region; the page itself does not scroll sideways
    page.set_viewport_size({"width": 320, "height": 800})
    page.reload()
    region = page.get_by_role("region", name="Kostenregels: Maatwerkplan")
    assert region.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    axe(page)


def test_edit_and_confirmed_delete_of_a_line(page, login_as, axe):
    world = World()
    plan = world.train_pass_plan(submit=False)
    line = plan.lines.get(description="NS-jaarabonnement")
    login_as(world.professional)
    page.goto(f"/casussen/{plan.case_id}/plan/")
    page.get_by_role("link", name="Wijzigen NS-jaarabonnement").click()
    page.get_by_label("Aantal per keer").fill("abc")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Vul een aantal in").first.wait_for()
    axe(page)
    page.get_by_label("Aantal per keer").fill("2")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("De kostenregel is gewijzigd.").wait_for()
    page.get_by_role("link", name="Verwijderen NS-jaarabonnement").click()
    page.get_by_text("Weet u zeker dat u “NS-jaarabonnement”").wait_for()
    axe(page)
    page.get_by_role("button", name="Ja, verwijderen").click()
    page.get_by_text("De kostenregel is verwijderd.").wait_for()
    history = page.locator("#history").inner_text()
    assert "Kostenregel gewijzigd" in history and "Kostenregel verwijderd: NS-jaarabonnement" in history
    assert not plan.lines.filter(pk=line.pk).exists()
