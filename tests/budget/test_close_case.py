"""Issue 12, point 4: closing a case releases what is left of its plan's commitment through the budget service
(`close_funding`), chosen explicitly on the close page; a kept commitment stays open."""

import pytest
from django.urls import reverse

from doorbraak.budget import selectors, selectors_funds
from doorbraak.budget import services as budget_services
from doorbraak.budget.models import EntryKind, LedgerEntry, PlanFunding
from doorbraak.cases.models import Case, TimelineEntry

pytestmark = pytest.mark.django_db
IBAN = "NL91ABNA0417164300"


def _partly_paid(world):
    fund = world.fund(1_000_000)
    case = world.case()
    plan = world.train_pass_plan(case=case)
    budget_services.approve_plan(world.approver, plan)  # commits € 3.000 (the NS year pass)
    budget_services.pay(world.lead, plan, 120_001, payee_name="NS", iban=IBAN)
    fund.refresh_from_db()
    return fund, case, plan


def test_closing_a_case_with_a_partly_paid_plan_releases_exactly_the_unpaid_rest(world, login):
    fund, case, plan = _partly_paid(world)
    before = fund.available_cents
    key = f"budget-commitment-{plan.pk}"
    client = login(world.lead)
    page = client.get(reverse("cases:close", args=[case.pk])).content.decode()
    assert "€ 1.799,99" in page and "Vrij laten vallen (terug naar het budget)" in page

    response = client.post(reverse("cases:close", args=[case.pk]), {f"decision-{key}": "cancel"})

    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).status == Case.Status.CLOSED
    fund.refresh_from_db()
    assert fund.available_cents - before == 300_000 - 120_001 == 179_999
    assert fund.open_commitments_cents == 0
    assert {k: getattr(fund, k) for k in selectors_funds.recompute_totals(fund)} == selectors_funds.recompute_totals(
        fund
    )
    release = LedgerEntry.objects.get(plan=plan, kind=EntryKind.RELEASE)
    assert release.amount_cents == 179_999 and release.created_by == world.lead
    assert PlanFunding.objects.get(plan=plan).closed_at is not None
    assert selectors.plan_money(plan)["remaining"] == 0
    # the fund page's ledger shows the release
    fund_page = login(world.approver).get(reverse("budget:fund_detail", args=[fund.pk])).content.decode()
    assert "Vrijval bij afsluiten" in fund_page and "1.799,99" in fund_page


def test_a_kept_commitment_stays_open_after_the_close(world, login):
    fund, case, plan = _partly_paid(world)
    before = fund.available_cents
    key = f"budget-commitment-{plan.pk}"
    login(world.lead).post(reverse("cases:close", args=[case.pk]), {f"decision-{key}": "keep"})
    assert Case.objects.get(pk=case.pk).status == Case.Status.CLOSED
    fund.refresh_from_db()
    assert fund.available_cents == before and fund.open_commitments_cents == 179_999
    assert not LedgerEntry.objects.filter(plan=plan, kind=EntryKind.RELEASE).exists()
    assert TimelineEntry.objects.filter(case=case, kind="case.close_kept").count() == 1


def test_no_decision_closes_nothing_and_releases_nothing(world, login):
    fund, case, plan = _partly_paid(world)
    page = login(world.lead).post(reverse("cases:close", args=[case.pk]), {})
    assert page.status_code == 400 and "Kies bij elk open punt" in page.content.decode()
    assert Case.objects.get(pk=case.pk).status != Case.Status.CLOSED
    assert not LedgerEntry.objects.filter(plan=plan, kind=EntryKind.RELEASE).exists()
