"""Budget stories in a real browser: train pass from plan to payment, car on loan with its outcome."""

import datetime
from decimal import Decimal

import pytest

from doorbraak.budget import services
from doorbraak.budget.models import Loan, Plan
from tests.budget.factories import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def add_line(page, case_id, scenario, description, unit, amount, quantity, funder):
    page.goto(f"/casussen/{case_id}/plan/regel/nieuw/?scenario={scenario}")
    page.locator("#id_description").fill(description)
    page.locator("#id_unit").select_option(unit)
    page.get_by_label("Prijs per eenheid").fill(amount)
    page.locator("#id_quantity").fill(quantity)
    page.get_by_label("Wie betaalt").select_option(funder)
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("De kostenregel is toegevoegd.").wait_for()


def test_train_pass_from_plan_to_approval_to_payment(page, login_as, axe):
    world = World()
    world.fund()
    case = world.case()
    login_as(world.professional)
    page.goto(f"/casussen/{case.pk}/plan/")
    axe(page)
    page.get_by_role("button", name="Maatwerkplan starten").click()
    # Bad input first: a negative price keeps what was typed and explains in Dutch.
    page.goto(f"/casussen/{case.pk}/plan/regel/nieuw/")
    page.get_by_label("Omschrijving").fill("NS-jaarabonnement")
    page.get_by_label("Prijs per eenheid").fill("-3000")
    page.get_by_role("button", name="Opslaan").click()
    assert page.get_by_text("Een bedrag kan niet negatief zijn.").first.is_visible()
    assert page.get_by_label("Omschrijving").input_value() == "NS-jaarabonnement"
    axe(page)
    add_line(page, case.pk, "do_nothing", "Detentie", "year", "50.000,00", "1", "justice")
    add_line(page, case.pk, "do_nothing", "Casusoverleg met zes professionals", "each", "1.500,00", "6", "wmo")
    add_line(page, case.pk, "custom", "NS-jaarabonnement", "year", "3.000,00", "1", "wmo")
    page.get_by_role("link", name="Looptijd, uitkomsten en onderbouwing").click()
    page.get_by_label("Rechtmatigheid: waarom mag dit?").fill("Wmo-maatwerk: vervoer om mee te doen.")
    page.get_by_label("Rendement: waarom loont dit?").fill("Justitie bespaart detentie.")
    page.get_by_label("Betrokkenheid: hoe doet de cliënt mee?").fill("Meneer koos zelf het abonnement.")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Het plan is bijgewerkt.").wait_for()
    table = page.locator("#scenario-table")
    assert "€ 59.000,00" in table.inner_text() and "€ 3.000,00" in table.inner_text()
    assert "Justitie: bespaart € 50.000,00" in page.locator("#return").inner_text()
    assert page.locator("svg[role=img]").count() == 2
    axe(page)
    page.get_by_role("button", name="Plan indienen voor goedkeuring").click()
    page.get_by_text("Het plan is ingediend voor goedkeuring.").wait_for()

    login_as(world.approver)
    page.goto("/budget/")
    axe(page)
    page.get_by_role("link", name=case.title).click()
    page.get_by_role("button", name="Plan goedkeuren").click()
    page.get_by_text("Het plan is goedgekeurd.").wait_for()
    assert Plan.objects.get(case=case).approved_by == world.approver

    login_as(world.lead)
    page.goto(f"/casussen/{case.pk}/plan/")
    page.get_by_role("link", name="Betaling vastleggen").click()
    page.get_by_label("Bedrag").fill("3.000,00")
    page.get_by_label("Waarvoor").fill("NS-jaarabonnement")
    page.get_by_label("Naam begunstigde").fill("NS Reizigers")  # issue 12: a payment names its payee
    page.get_by_label("IBAN begunstigde").fill("NL91 ABNA 0417 1643 00")
    axe(page)
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("De betaling is vastgelegd.").wait_for()
    assert "Betaald: € 3.000,00" in page.locator("#plan-money").inner_text()
    axe(page)
    page.goto("/budget/")
    assert "€ 247.000,00" in page.locator("#funds").inner_text()


def test_car_on_loan_and_its_outcome(page, login_as, axe):
    world = World()
    world.fund()
    case = world.case("Auto op lening om bij een nieuwe baan te komen")
    plan = services.start_plan(world.professional, case)
    services.add_line(
        world.professional,
        plan,
        scenario="do_nothing",
        description="Bijstand",
        unit="month",
        amount_cents=133_000,
        quantity=Decimal(1),
        duration=Decimal(12),
        funder="participatiewet",
    )
    services.add_line(
        world.professional,
        plan,
        scenario="custom",
        description="Gebruikte auto (lening)",
        unit="each",
        amount_cents=800_000,
        quantity=Decimal(1),
        duration=Decimal(1),
        funder="participatiewet",
    )
    services.update_plan(
        world.professional,
        plan,
        justification_legality="Participatiewet",
        justification_return="Uit de bijstand",
        justification_engagement="Zelf gekozen",
    )
    services.submit_plan(world.professional, plan)
    services.approve_plan(world.lead, Plan.objects.get(pk=plan.pk))

    login_as(world.lead2)
    page.goto(f"/casussen/{case.pk}/plan/")
    page.get_by_role("link", name="Lening verstrekken").click()
    page.get_by_label("Bedrag van de lening").fill("8.000,00")
    page.locator("#id_condition").fill("Baan zes maanden houden; anders direct volledig terugbetalen.")
    page.get_by_label("Controledatum van de voorwaarde").fill(
        (datetime.date.today() + datetime.timedelta(days=183)).isoformat()
    )
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("De lening is verstrekt.").wait_for()
    assert "Uitgeleend: € 8.000,00" in page.locator("#plan-money").inner_text()
    axe(page)
    page.get_by_label("Voorwaarde niet gehaald door eigen schuld: direct volledig terugbetalen").check()
    page.get_by_role("button", name="Uitkomst vastleggen").click()
    page.get_by_text("De uitkomst van de lening is vastgelegd.").wait_for()
    assert Loan.objects.get(plan=plan).status == Loan.Status.REPAY_IN_FULL
    page.get_by_label("Afgelost bedrag").fill("8.000,00")
    page.get_by_role("button", name="Aflossing vastleggen").click()
    page.get_by_text("De aflossing is vastgelegd.").wait_for()
    assert Loan.objects.get(plan=plan).status == Loan.Status.REPAID
    page.goto("/budget/")
    assert "€ 250.000,00" in page.locator("#funds").inner_text()


@pytest.mark.parametrize("key", ["gym", "flower_beds", "assistance_dog"])
def test_story_plan_is_approved_and_paid_in_the_browser(page, login_as, axe, key):
    from doorbraak.demo import stories
    from doorbraak.demo.budget import _load_plan

    STORIES = stories()

    world = World()
    world.fund()
    story = next(s for s in STORIES if s["key"] == key)
    case = world.case(story["title"])
    users = {"professional": world.professional, "lead": world.lead, "approver": world.approver}
    _load_plan({**story, "key": "treatment"}, case, users)  # loads the lines and submits, like the demo
    plan = Plan.objects.get(case=case)
    assert plan.status == Plan.Status.SUBMITTED
    login_as(world.approver)
    page.goto(f"/casussen/{case.pk}/plan/")
    axe(page)
    page.get_by_role("button", name="Plan goedkeuren").click()
    page.get_by_text("Het plan is goedgekeurd.").wait_for()
    page.get_by_role("link", name="Betaling vastleggen").click()
    amount = f"{plan.requested_cents // 100},{plan.requested_cents % 100:02d}"
    page.get_by_label("Bedrag").fill(amount)
    page.get_by_label("Waarvoor").fill(story["title"][:100])
    page.get_by_label("Naam begunstigde").fill("Leverancier")
    page.get_by_label("IBAN begunstigde").fill("NL91ABNA0417164300")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("De betaling is vastgelegd.").wait_for()
    assert "Nog beschikbaar voor dit plan: € 0,00" in page.locator("#plan-money").inner_text()
