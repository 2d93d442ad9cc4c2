"""Issue 12 in a real browser (Chromium, axe on every page and error state): a plan co-funded by the Wmo (this
municipality) and the Zvw (external) with shares typed as percentages is approved within the lead's mandate and paid
only for the municipal share, to the cent; closing the case releases what is left of a commitment; the funder list
is maintained per municipality; a reclaim typed wrong on the plan page keeps what was typed."""

from decimal import Decimal

import pytest

from doorbraak.budget import selectors, services
from doorbraak.budget.models import EntryKind, Fund, LedgerEntry, Plan, PlanFunding
from doorbraak.cases.models import Case
from doorbraak.core.models import Role
from tests.budget.factories import World
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
IBAN = "NL91 ABNA 0417 1643 00"


def _co_funded_plan(world):
    """The train pass (EUR 3.000, Wmo) plus a care line borne by the Zvw: custom plan EUR 4.234,57."""
    plan = world.train_pass_plan(submit=False)
    services.add_line(
        world.professional,
        plan,
        scenario="custom",
        description="Ambulante ggz-behandeling",
        unit="each",
        amount_cents=123_457,
        quantity=Decimal(1),
        duration=Decimal(1),
        funder="zvw",
    )
    return plan


def test_co_funded_plan_with_percentages_approved_within_mandate_and_paid_only_the_municipal_share(page, login_as, axe):
    world = World()
    fund = world.fund(1_000_000)
    plan = _co_funded_plan(world)
    login_as(world.professional)
    page.goto(f"/casussen/{plan.case_id}/plan/")
    page.get_by_role("link", name="Verdeling invullen").click()
    # Shares that do not add up first: a Dutch message, what was typed stays. The proposal (by avoided cost) is
    # prefilled as a suggestion; the user types their own split over it.
    for box in page.locator('input[name^="share_"]').all():
        box.fill("")
    page.get_by_label("Wmo 2015 (gemeente)", exact=True).fill("60")
    page.get_by_label("Zorgverzekeringswet (Zvw)", exact=True).fill("30")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("samen moeten ze precies 100% zijn").first.wait_for()
    assert page.get_by_label("Zorgverzekeringswet (Zvw)", exact=True).input_value() == "30"
    axe(page)
    page.get_by_label("Zorgverzekeringswet (Zvw)", exact=True).fill("40")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("De verdeling over de financiers is vastgelegd.").wait_for()
    # 4.234,57 split 60/40 by the largest remainder: 2.540,74 + 1.693,83 (the cent goes to the larger remainder)
    split = page.locator("#split-table").inner_text()
    assert "€ 2.540,74" in split and "€ 1.693,83" in split
    assert "Uit het handgeldbudget van het team: € 2.540,74" in page.locator("#from-fund").inner_text()
    axe(page)
    page.get_by_role("button", name="Plan indienen voor goedkeuring").click()
    page.get_by_text("Het plan is ingediend voor goedkeuring.").wait_for()

    # The lead approves within the lead's mandate (EUR 10.000): the commitment is the municipal part only
    login_as(world.lead)
    page.goto(f"/casussen/{plan.case_id}/plan/")
    axe(page)
    page.get_by_role("button", name="Plan goedkeuren").click()
    page.get_by_text("Het plan is goedgekeurd.").wait_for()
    assert "vastgelegd: € 2.540,74" in page.locator("#plan-fund").inner_text()
    commitment = LedgerEntry.objects.get(plan=plan, kind=EntryKind.COMMITMENT)
    assert commitment.amount_cents == 254_074 == services.amount_from_fund_cents(Plan.objects.get(pk=plan.pk))
    axe(page)

    # Payment: an absurd amount and a non-numeric one are refused with what was typed kept; then the rest
    page.get_by_role("link", name="Betaling vastleggen").click()
    assert page.locator('input[name="amount"]').input_value() == "2.540,74"  # what is left of the commitment
    page.get_by_label("Waarvoor").fill("NS-jaarabonnement")
    page.get_by_label("Naam begunstigde").fill("NS Reizigers")
    page.get_by_label("IBAN begunstigde").fill(IBAN)
    for typed, message in (("1.000.000.000.000,00", "onwaarschijnlijk hoog"), ("tweeduizend", "Vul een bedrag in")):
        page.locator('input[name="amount"]').fill(typed)
        page.get_by_role("button", name="Opslaan").click()
        page.get_by_text(message).first.wait_for()
        assert page.locator('input[name="amount"]').input_value() == typed
        assert page.get_by_label("Naam begunstigde").input_value() == "NS Reizigers"
        axe(page)
    page.locator('input[name="amount"]').fill("2.540,75")  # one cent more than the municipal share
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("meer dan er voor dit plan").first.wait_for()
    axe(page)
    page.locator('input[name="amount"]').fill("2.540,74")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("De betaling is vastgelegd.").wait_for()
    assert "Nog beschikbaar voor dit plan: € 0,00" in page.locator("#plan-money").inner_text()
    payment = LedgerEntry.objects.get(plan=plan, kind=EntryKind.PAYMENT)
    assert payment.amount_cents == 254_074
    fund.refresh_from_db()
    assert fund.allocated_cents - fund.available_cents == 254_074  # the Zvw's part never left the fund
    assert fund.paid_cents == 254_074 and fund.open_commitments_cents == 0


def test_closing_the_case_releases_the_unpaid_rest_of_the_commitment(page, login_as, axe):
    world = World()
    fund = world.fund(1_000_000)
    plan = world.train_pass_plan()
    services.approve_plan(world.approver, plan)
    services.pay(world.lead, plan, 120_001, payee_name="NS", iban=IBAN)
    fund.refresh_from_db()
    before = fund.available_cents
    login_as(world.lead)
    page.goto(f"/casussen/{plan.case_id}/sluiten/")
    page.get_by_text("Nog niet betaald van de verplichting voor het maatwerkplan: € 1.799,99").wait_for()
    axe(page)
    page.get_by_role("button", name="Casus definitief afsluiten").click()  # nothing chosen: nothing happens
    page.get_by_text("Kies bij elk open punt").first.wait_for()
    axe(page)
    page.get_by_label("Vrij laten vallen (terug naar het budget)").check()
    page.get_by_role("button", name="Casus definitief afsluiten").click()
    page.get_by_text("De casus is afgesloten.").wait_for()
    assert Case.objects.get(pk=plan.case_id).status == Case.Status.CLOSED
    fund.refresh_from_db()
    assert fund.available_cents - before == 179_999 and fund.open_commitments_cents == 0
    assert PlanFunding.objects.get(plan=plan).closed_at is not None
    login_as(world.approver)
    page.goto(f"/budget/fondsen/{fund.pk}/")
    entries = page.locator("main").inner_text()
    assert "Vrijval bij afsluiten" in entries and "1.799,99" in entries
    axe(page)
    page.goto("/budget/")
    assert plan.case.title not in page.locator("main").inner_text()  # settled: not among the running plans
    assert Fund.objects.get(pk=fund.pk).available_cents == selectors.recompute_balance(fund)


def test_funder_list_maintenance_and_the_line_form(page, login_as, axe):
    world = World()
    admin = UserFactory(municipality=world.municipality, role=Role.ADMIN)
    plan = world.train_pass_plan(submit=False)
    login_as(admin)
    page.goto("/budget/financiers/")
    page.get_by_role("region", name="Financiers").wait_for()
    axe(page)
    page.locator('select[name="code"]').select_option("other")
    page.get_by_role("button", name="Toevoegen").click()
    page.get_by_text("een naam: welke financier is het?").first.wait_for()
    axe(page)
    page.locator('input[name="name"]').fill("Stichting Urgente Noden")
    page.get_by_role("button", name="Toevoegen").click()
    page.get_by_text("Stichting Urgente Noden staat in de lijst").wait_for()
    page.get_by_role("link", name="Wijzigen: UWV").click()
    axe(page)
    page.locator('input[name="active"]').uncheck()
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("UWV is bijgewerkt.").wait_for()
    assert ">uit<" in page.locator("#funder-uwv").inner_html()
    login_as(world.professional)
    page.goto(f"/casussen/{plan.case_id}/plan/regel/nieuw/?scenario=custom")
    options = page.get_by_label("Wie betaalt").inner_text()
    assert "Stichting Urgente Noden" in options and "UWV" not in options
    axe(page)


def test_reclaim_typed_wrong_on_the_plan_page_keeps_what_was_typed(page, login_as, axe):
    world = World()
    world.fund(1_000_000)
    plan = world.train_pass_plan()
    services.approve_plan(world.approver, plan)
    login_as(world.lead)
    page.goto(f"/casussen/{plan.case_id}/plan/")
    page.get_by_label("Terugvorderen bij").select_option("bijzondere_bijstand")
    page.get_by_label("Waarvoor (bijvoorbeeld: bijzondere bijstand)").fill("Woninginrichting")
    page.locator('form[action$="/terugvordering/"] input[name="amount"]').fill("-250")
    page.get_by_role("button", name="Terugvordering vastleggen").click()
    page.get_by_text("Een bedrag kan niet negatief zijn.").first.wait_for()
    assert page.locator('form[action$="/terugvordering/"] input[name="amount"]').input_value() == "-250"
    assert page.get_by_label("Waarvoor (bijvoorbeeld: bijzondere bijstand)").input_value() == "Woninginrichting"
    assert page.get_by_label("Terugvorderen bij").input_value() == "bijzondere_bijstand"
    axe(page)
    page.locator('form[action$="/terugvordering/"] input[name="amount"]').fill("250,00")
    page.get_by_role("button", name="Terugvordering vastleggen").click()
    page.get_by_text("De terugvordering is vastgelegd.").wait_for()
