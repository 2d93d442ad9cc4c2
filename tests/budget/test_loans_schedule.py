"""Issue 12 point 6: loans with a repayment schedule, arrears, the condition's outcome, write-off with four eyes;
reclaims with a purpose (bijzondere bijstand) that leave "expected" when received."""

import datetime
from decimal import Decimal

import pytest

from doorbraak.budget import selectors, selectors_funds, services
from doorbraak.budget.models import Fund, Loan, Plan, Reclaim
from doorbraak.core.errors import RuleError

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def plan(world):
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
        funder="wmo",
    )
    services.submit_plan(world.professional, plan)
    services.approve_plan(world.approver, Plan.objects.get(pk=plan.pk))
    return Plan.objects.get(pk=plan.pk)


def _loan(world, plan, **kw):
    defaults = dict(
        condition="Baan houden",
        deadline=TODAY + datetime.timedelta(days=200),
        instalment_cents=100_000,
        terms=6,
        first_due=TODAY - datetime.timedelta(days=45),
    )
    return services.grant_loan(world.lead, plan, 600_000, **{**defaults, **kw}).loan


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert selectors_funds.add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert selectors_funds.add_months(datetime.date(2026, 11, 15), 3) == datetime.date(2027, 2, 15)


def test_schedule_matches_repayments_and_flags_the_missed_term(world, plan):
    loan = _loan(world, plan)
    schedule = selectors_funds.loan_schedule(loan, 0)
    assert [t["amount"] for t in schedule["terms"]] == [100_000] * 6
    assert [t["overdue"] for t in schedule["terms"][:3]] == [True, True, False]
    assert schedule["arrears"] == 200_000
    services.repay_loan(world.lead, loan, 100_000)
    ledger = selectors.plan_ledger(plan)["loans"][0]["schedule"]
    assert [t["paid"] for t in ledger["terms"][:2]] == [100_000, 0] and len(ledger["overdue"]) == 1
    assert ledger["arrears"] == 100_000


def test_schedule_that_does_not_fit_the_amount_is_refused(world, plan):
    with pytest.raises(RuleError, match="passen niet"):
        _loan(world, plan, instalment_cents=50_000)  # 6 x EUR 500 < EUR 6.000
    with pytest.raises(RuleError, match="termijnbedrag, het aantal termijnen"):
        _loan(world, plan, terms=None)


def test_condition_met_forgive_route_and_culpable_failure(world, plan):
    loan = _loan(world, plan, route_when_met=Loan.Route.FORGIVE, instalment_cents=None, terms=None, first_due=None)
    services.loan_outcome(world.lead, loan, "met")
    loan.refresh_from_db()
    assert loan.status == Loan.Status.FORGIVEN and selectors.loan_outstanding(loan) == 0
    fund = Fund.objects.get()
    assert fund.loans_outstanding_cents == 0 and fund.written_off_cents == 600_000


def test_culpable_failure_makes_the_whole_rest_due(world, plan):
    loan = _loan(world, plan)
    services.repay_loan(world.lead, loan, 100_000)
    services.loan_outcome(world.lead, Loan.objects.get(pk=loan.pk), Loan.Status.REPAY_IN_FULL)
    loan.refresh_from_db()
    assert selectors_funds.loan_schedule(loan, 100_000)["arrears"] == 500_000


def test_write_off_needs_a_reason_and_a_second_person(world, plan):
    loan = _loan(world, plan)
    with pytest.raises(RuleError, match="reden"):
        services.request_write_off(world.lead, loan, "  ")
    services.request_write_off(world.lead, loan, "Schuldsanering")
    with pytest.raises(RuleError, match="zelf aan"):
        services.approve_write_off(world.lead, Loan.objects.get(pk=loan.pk))
    services.approve_write_off(world.approver, Loan.objects.get(pk=loan.pk))
    loan.refresh_from_db()
    assert loan.status == Loan.Status.WRITTEN_OFF and selectors.loan_outstanding(loan) == 0


def test_reclaim_from_bijzondere_bijstand_leaves_expected_when_received(world, plan):
    reclaim = services.expect_reclaim(world.lead, plan, "participatiewet", 40_000, purpose="Bijzondere bijstand")
    assert reclaim.purpose == "Bijzondere bijstand"
    row = selectors.fund_overview(world.approver)[0]
    assert row["reclaim_expected"] == 40_000
    services.move_reclaim(world.lead, reclaim, Reclaim.Status.CLAIMED)
    services.move_reclaim(world.lead, reclaim, Reclaim.Status.RECEIVED)
    row = selectors.fund_overview(world.approver)[0]
    assert row["reclaim_expected"] == 0 and row["reclaim_received"] == 40_000
