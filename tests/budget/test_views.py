"""Pages: need-to-know 404, approver visibility, Dutch messages on bad input, catalogue, PDF."""

import pytest
from django.urls import reverse

from doorbraak.budget import selectors
from doorbraak.budget.models import LedgerEntry, Plan
from doorbraak.core.models import AccessEvent

pytestmark = pytest.mark.django_db


def test_plan_page_is_404_for_someone_not_involved(world, login):
    plan = world.train_pass_plan(submit=False)
    client = login(world.outsider)
    assert client.get(reverse("plan:detail", args=[plan.case_id])).status_code == 404
    assert client.get(reverse("plan:pdf", args=[plan.case_id])).status_code == 404


def test_approver_sees_submitted_plan_with_return_and_wrong_pocket(world, login):
    world.fund()
    plan = world.train_pass_plan()
    client = login(world.approver)
    html = client.get(reverse("plan:detail", args=[plan.case_id])).content.decode()
    assert "€ 59.000,00" in html and "€ 3.000,00" in html  # do nothing vs custom
    assert "bespaart € 50.000,00" in html  # justice saves the detention
    assert html.count('role="img"') == 2 and "scenario-table" in html
    assert "bespaart € 50.000" in html  # the saving chart label
    assert AccessEvent.objects.filter(event="plan.read").exists()
    response = client.post(reverse("plan:approve", args=[plan.case_id]), follow=True)
    assert "Het plan is goedgekeurd." in response.content.decode()


def test_approval_by_submitter_gets_dutch_message(world, login):
    world.fund()
    plan = world.train_pass_plan(submit=False)
    client = login(world.lead)
    client.post(reverse("plan:submit", args=[plan.case_id]))
    response = client.post(reverse("plan:approve", args=[plan.case_id]), follow=True)
    assert "U kunt uw eigen plan niet goedkeuren" in response.content.decode()
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.SUBMITTED


def test_bad_horizon_rerenders_form_with_dutch_error_and_keeps_input(world, login):
    plan = world.train_pass_plan(submit=False)
    client = login(world.professional)
    response = client.post(
        reverse("plan:settings", args=[plan.case_id]), {"horizon_years": "7", "outcome_custom": "Mijn getypte tekst"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "1 tot en met 5 jaar" in html and "Mijn getypte tekst" in html


@pytest.mark.parametrize(
    "amount,message", [("-50", "negatief"), ("abc", "bedrag in euro"), ("99999999999", "onwaarschijnlijk hoog")]
)
def test_bad_amounts_on_a_line_give_dutch_messages(world, login, amount, message):
    plan = world.train_pass_plan(submit=False)
    client = login(world.professional)
    before = plan.lines.count()
    response = client.post(
        reverse("plan:line_add", args=[plan.case_id]),
        {
            "scenario": "custom",
            "description": "Fiets",
            "unit": "each",
            "amount": amount,
            "quantity": "1",
            "duration": "1",
            "start_month": "0",
            "funder": "wmo",
        },
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert plan.lines.count() == before


def test_line_from_catalogue_uses_indexed_price(world, login):
    from doorbraak.budget import services

    services.ensure_default_catalogue(world.municipality)
    from doorbraak.budget.models import CatalogueItem

    item = CatalogueItem.objects.get(municipality=world.municipality, code="ns_annual_pass")
    plan = world.train_pass_plan(submit=False)
    client = login(world.professional)
    response = client.post(
        reverse("plan:line_add", args=[plan.case_id]),
        {
            "scenario": "custom",
            "catalogue_item": item.pk,
            "quantity": "1",
            "rhythm": "year",
            "duration": "1",
            "start_month": "1",
        },
    )
    assert response.status_code == 302
    line = plan.lines.get(catalogue_item=item)
    from doorbraak.budget.selectors import indexed_price

    assert line.amount_cents == indexed_price(item) > 300_000 and line.funder == "wmo"


def test_paying_via_form_twice_with_same_token_pays_once(world, login):
    world.fund()
    plan = world.train_pass_plan()
    from doorbraak.budget import services

    services.approve_plan(world.approver, plan)
    client = login(world.lead)
    # Issue 12: a payment names its payee with an IBAN.
    data = {
        "token": "abc123",
        "amount": "3.000,00",
        "description": "NS-jaarabonnement",
        "payee_name": "NS Reizigers",
        "iban": "NL91 ABNA 0417 1643 00",
    }
    assert client.post(reverse("plan:pay", args=[plan.case_id]), data).status_code == 302
    assert client.post(reverse("plan:pay", args=[plan.case_id]), data).status_code == 302
    assert LedgerEntry.objects.filter(kind="payment").count() == 1


def test_approving_more_than_fund_via_form_is_refused_in_dutch_with_the_balance(world, login):
    # Issue 12: the approval (the commitment) is refused, no longer the payment.
    world.fund(100_000)
    plan = world.train_pass_plan()
    client = login(world.approver)
    response = client.post(reverse("plan:approve", args=[plan.case_id]), follow=True)
    html = response.content.decode()
    assert "niet genoeg geld" in html and "nog beschikbaar € 1.000,00" in html
    plan.refresh_from_db()
    assert plan.status == "submitted"


def test_catalogue_page_groups_by_funder_with_cpi_and_stale_flag(world, login):
    client = login(world.professional)
    html = client.get(reverse("budget:catalogue")).content.decode()
    assert "NS-jaarabonnement" in html and "€ 3.000,00 (2018)" in html
    assert "verouderd" in html and "× 1,3" in html
    assert "Wmo 2015 (gemeente)" in html and "Justitie" in html


def test_catalogue_override_via_page_keeps_history(world, login):
    from doorbraak.budget import services
    from doorbraak.budget.models import CatalogueItem

    services.ensure_default_catalogue(world.municipality)
    item = CatalogueItem.objects.get(municipality=world.municipality, code="ns_annual_pass")
    client = login(world.lead)
    url = reverse("budget:catalogue_change", args=[item.pk])
    response = client.post(
        url,
        {
            "amount": "-1",
            "price_year": "2025",
            "source": "x",
            "source_type": "official",
            "confidence": "high",
            "reason": "r",
        },
    )
    assert response.status_code == 400 and "negatief" in response.content.decode()
    client.post(
        url,
        {
            "amount": "3.250,00",
            "price_year": "2025",
            "source": "NS 2025",
            "source_type": "official",
            "confidence": "high",
            "reason": "Nieuw tarief",
        },
    )
    item.refresh_from_db()
    assert item.amount_cents == 325_000 and item.revisions.count() == 2
    assert "Nieuw tarief" in client.get(url).content.decode()


def test_pdf_contains_title_and_totals(world, login):
    plan = world.train_pass_plan()
    client = login(world.professional)
    response = client.get(reverse("plan:pdf", args=[plan.case_id]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AccessEvent.objects.filter(event="plan.print").exists()
    from django.template.loader import render_to_string

    from doorbraak.budget.selectors import plan_summary

    html = render_to_string("budget/plan_print.html", {"case": plan.case, "plan": plan, "summary": plan_summary(plan)})
    assert plan.case.title in html and "€ 59.000,00" in html
    assert "Dat scheelt ongeveer € 56.000,00" in html and "Justitie bespaart" in html


def test_overview_shows_fund_figures(world, login):
    world.fund()
    client = login(world.approver)
    html = client.get(reverse("budget:overview")).content.decode()
    assert "€ 250.000,00" in html
    assert login(world.professional).get(reverse("budget:overview")).status_code == 404


def test_plan_page_names_the_wrong_pocket_and_shows_agreed_split(world, login):
    plan = world.train_pass_plan(submit=False)
    client = login(world.professional)
    html = client.get(reverse("plan:detail", args=[plan.case_id])).content.decode()
    assert 'id="wrong-pocket"' in html and "Justitie bespaart zonder mee te betalen" in html
    response = client.post(reverse("plan:cofunding", args=[plan.case_id]), {"action": "adopt"}, follow=True)
    html = response.content.decode()
    split = html[html.index('id="split-table"') :]
    split = split[: split.index("</table>")]
    # Issue 12: the agreed split is a table; each percentage reproduces its amount (89,29% of € 3.000 = € 2.678,70).
    assert "Justitie" in split and "89,29%" in split and "€ 2.678,70" in split and "10,71%" in split


def test_multi_year_plan_shows_cost_per_funder_per_year(world, login):
    from doorbraak.budget import services

    plan = world.train_pass_plan(submit=False)
    services.update_plan(world.professional, plan, horizon_years=2)
    services.add_line(
        world.professional,
        plan,
        scenario="custom",
        description="Begeleiding",
        unit="month",
        amount_cents=10_000,
        quantity=1,
        duration=18,
        funder="wmo",
    )
    client = login(world.professional)
    html = client.get(reverse("plan:detail", args=[plan.case_id])).content.decode()
    assert 'id="funder-year-table"' in html
    # Wmo, year 2 of the custom plan: only the 6 remaining months of EUR 100 (pass covers year 1 only).
    row = html.split("Wmo 2015 (gemeente), jaar 2")[1].split("</tr>")[0]
    assert "€ 600,00" in row


def test_double_submit_of_fund_and_reclaim_books_once(world, login):
    from doorbraak.budget import services
    from doorbraak.budget.models import Fund, Reclaim

    client = login(world.approver)
    data = {"token": "fund-token", "team": world.team.pk, "year": "2026", "name": "Handgeld", "amount": "1.000,00"}
    client.post(reverse("budget:fund_create"), data)
    client.post(reverse("budget:fund_create"), data)
    fund = Fund.objects.get(name="Handgeld", year=2026)
    assert fund.available_cents == 100_000 == selectors.recompute_balance(fund)
    world.fund()
    plan = world.train_pass_plan()
    services.approve_plan(world.approver, plan)
    data = {"token": "reclaim-token", "funder": "zvw", "amount": "500", "purpose": "Zvw-zorg"}  # issue 12: purpose
    client.post(reverse("plan:reclaim_add", args=[plan.case_id]), data)
    client.post(reverse("plan:reclaim_add", args=[plan.case_id]), data)
    assert Reclaim.objects.filter(plan=plan).count() == 1
