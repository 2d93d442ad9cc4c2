"""Issue 12 in a real browser (Chromium, axe on every page and error state): a plan above the lead's mandate
escalates, is approved within mandate, paid once to a payee whose IBAN is checked, and leaves in a SEPA file; a
conditional loan with monthly instalments has a missed term flagged and is repaid; a reclaim from bijzondere
bijstand is received."""

import datetime
import os
from decimal import Decimal

import pytest
import xmlschema

from doorbraak.budget import services
from doorbraak.budget.models import Fund, Loan, MandateLevel, PaymentOrder, Plan
from tests.budget.factories import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
XSD = os.path.join(os.path.dirname(__import__("sepaxml").__file__), "schemas", "pain.001.001.03.xsd")


def test_escalation_approval_payment_once_and_sepa_file(page, login_as, axe, tmp_path):
    world = World()
    fund = world.fund(500_000)
    services.ensure_default_levels(world.municipality.pk)
    MandateLevel.objects.filter(name="Doorbraakregisseur").update(ceiling_cents=100_000)  # EUR 1.000
    plan = world.train_pass_plan()  # EUR 3.000: above the lead's mandate
    login_as(world.lead)
    page.goto(f"/casussen/{plan.case_id}/plan/")
    assert "Goed te keuren door: Teammanager" in page.locator("#plan-required-level").inner_text()
    axe(page)
    # Above the lead's mandate: no approve button, the page says why (the service refuses it too: test_mandates).
    assert page.get_by_role("button", name="Plan goedkeuren").count() == 0
    assert "hoger dan uw mandaat" in page.locator("#plan-above-mandate").inner_text()
    axe(page)
    login_as(world.approver)
    page.goto("/budget/")
    page.get_by_role("link", name=plan.case.title).click()
    page.get_by_role("button", name="Plan goedkeuren").click()
    page.get_by_text("Het plan is goedgekeurd.").wait_for()
    assert "Dit plan trekt op Handgeld" in page.locator("#plan-fund").inner_text()

    page.get_by_role("link", name="Betaling vastleggen").click()
    page.get_by_label("Bedrag").fill("1.500,00")
    page.get_by_label("Waarvoor").fill("NS-jaarabonnement")
    page.get_by_label("Naam begunstigde").fill("NS Reizigers")
    page.get_by_label("IBAN begunstigde").fill("NL92 ABNA 0417 1643 00")  # wrong check digits
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Dit IBAN klopt niet").first.wait_for()
    assert page.get_by_label("IBAN begunstigde").input_value() == "NL92 ABNA 0417 1643 00"
    axe(page)
    page.get_by_label("IBAN begunstigde").fill("NL91 ABNA 0417 1643 00")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("De betaling is vastgelegd.").wait_for()
    page.get_by_role("link", name="Betaling vastleggen").click()
    page.get_by_label("Bedrag").fill("1.500,00")
    page.get_by_label("Waarvoor").fill("NS-jaarabonnement")
    page.get_by_label("Naam begunstigde").fill("NS Reizigers")
    page.get_by_label("IBAN begunstigde").fill("NL91ABNA0417164300")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("al € 1.500,00 aan NS Reizigers betaald").first.wait_for()
    axe(page)
    assert PaymentOrder.objects.count() == 1

    page.goto("/budget/")
    page.get_by_role("link", name="Handgeld").first.click()
    assert "€ 2.000,00" in page.locator("#fund-available").inner_text()
    axe(page)
    page.get_by_label("IBAN van de gemeente voor dit budget").fill("NL20 INGB 0001 2345 67")
    page.get_by_role("button", name="IBAN opslaan").click()
    page.get_by_role("button", name="Betaalbestand maken").click()
    page.get_by_text("Betaalbestand gemaakt: 1 betalingen").wait_for()
    with page.expect_download() as info:
        page.get_by_role("link", name="Betaalbestand van").first.click()
    path = tmp_path / "sepa.xml"
    info.value.save_as(path)
    xmlschema.XMLSchema(XSD).validate(path.read_text())
    assert "NL91ABNA0417164300" in path.read_text()
    page.goto(f"/budget/fondsen/{fund.pk}/?since=2026-05-01&until=2026-01-01")
    page.get_by_text("De einddatum ligt voor de begindatum.").first.wait_for()
    axe(page)
    assert Fund.objects.get(pk=fund.pk).available_cents == 200_000


def test_loan_with_monthly_instalments_missed_term_repaid_and_bijzondere_bijstand(page, login_as, axe):
    world = World()
    world.fund(2_000_000)
    plan = world.train_pass_plan(submit=False)
    services.add_line(
        world.professional,
        plan,
        scenario="custom",
        description="Auto",
        unit="each",
        amount_cents=600_000,
        quantity=Decimal(1),
        duration=Decimal(1),
        funder="participatiewet",
    )
    services.submit_plan(world.professional, plan)
    services.approve_plan(world.approver, Plan.objects.get(pk=plan.pk))
    today = datetime.date.today()
    login_as(world.lead)
    page.goto(f"/casussen/{plan.case_id}/plan/lening/")
    page.get_by_label("Bedrag van de lening").fill("3.000,00")
    page.locator("#id_condition").fill("Baan zes maanden houden")
    page.get_by_label("Controledatum van de voorwaarde").fill((today + datetime.timedelta(days=150)).isoformat())
    page.get_by_label("Termijnbedrag per maand").fill("500,00")
    page.get_by_label("Aantal termijnen").fill("6")
    page.get_by_label("Eerste vervaldatum").fill((today + datetime.timedelta(days=10)).isoformat())
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("De lening is verstrekt.").wait_for()
    loan = Loan.objects.get(plan=plan)
    assert loan.terms == 6 and loan.instalment_cents == 50_000
    # A month passes without a repayment: the schedule is moved back in time instead of the clock.
    Loan.objects.filter(pk=loan.pk).update(first_due=today - datetime.timedelta(days=20))
    page.reload()
    card = page.locator(f"#loan-{loan.pk}")
    assert "Achterstand: € 500,00 (1 termijn(en) te laat)" in card.inner_text()
    assert card.locator(".db-term-overdue").count() == 1
    axe(page)
    page.get_by_label("Voorwaarde gehaald: de afgesproken route").check()
    page.get_by_role("button", name="Uitkomst vastleggen").click()
    page.get_by_text("De uitkomst van de lening is vastgelegd.").wait_for()
    page.get_by_label("Afgelost bedrag").fill("3.000,00")
    page.get_by_role("button", name="Aflossing vastleggen").click()
    page.get_by_text("De aflossing is vastgelegd.").wait_for()
    assert Loan.objects.get(pk=loan.pk).status == Loan.Status.REPAID
    assert page.locator(f"#loan-{loan.pk} .db-term-overdue").count() == 0
    axe(page)

    page.get_by_label("Terugvorderen bij").select_option("participatiewet")
    page.get_by_label("Waarvoor (bijvoorbeeld: bijzondere bijstand)").fill("Bijzondere bijstand")
    page.locator("form[action$='terugvordering/'] input[name=amount]").fill("-4")
    page.get_by_role("button", name="Terugvordering vastleggen").click()
    page.get_by_text("Een bedrag kan niet negatief zijn.").first.wait_for()
    axe(page)
    page.get_by_label("Terugvorderen bij").select_option("participatiewet")
    page.get_by_label("Waarvoor (bijvoorbeeld: bijzondere bijstand)").fill("Bijzondere bijstand")
    page.locator("form[action$='terugvordering/'] input[name=amount]").fill("400,00")
    page.get_by_role("button", name="Terugvordering vastleggen").click()
    page.get_by_text("De terugvordering is vastgelegd.").wait_for()
    page.get_by_role("button", name="Ingediend").click()
    page.get_by_role("button", name="Ontvangen").click()
    page.get_by_text("De terugvordering is bijgewerkt.").first.wait_for()
    login_as(world.approver)
    page.goto("/budget/")
    funds = page.locator("#funds").inner_text()
    assert "€ 400,00" in funds  # received
    axe(page)
