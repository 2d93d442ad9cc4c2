"""Ledger invariants: append-only, recomputable, never below zero, no overspending, double submit pays once."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from doorbraak.budget import selectors, selectors_funds, services
from doorbraak.budget.models import EntryKind, Fund, LedgerEntry, Loan, Plan, Reclaim
from doorbraak.core.errors import RuleError

pytestmark = pytest.mark.django_db


def approved_plan(world, extra_cents=0):
    plan = world.train_pass_plan(submit=False)
    if extra_cents:
        services.add_line(
            world.professional,
            plan,
            scenario="custom",
            description="Extra",
            unit="each",
            amount_cents=extra_cents,
            quantity=Decimal(1),
            duration=Decimal(1),
            funder="wmo",
        )
    services.submit_plan(world.professional, plan)
    services.approve_plan(world.approver, Plan.objects.get(pk=plan.pk))
    return Plan.objects.get(pk=plan.pk)


def test_payment_of_an_approved_plan(world):
    fund = world.fund(1_000_000)
    plan = approved_plan(world)
    services.pay(world.lead, plan, 300_000, description="NS-jaarabonnement", idempotency_key="k1")
    fund.refresh_from_db()
    assert fund.available_cents == 700_000 == selectors.recompute_balance(fund)
    assert selectors.plan_money(plan) == {"committed": 300_000, "paid": 300_000, "lent": 0, "remaining": 0}


def test_unapproved_plan_cannot_be_paid(world):
    fund = world.fund()
    plan = world.train_pass_plan()
    with pytest.raises(RuleError, match="nog niet goedgekeurd"):
        services.pay(world.approver, plan, 100, idempotency_key="x")
    fund.refresh_from_db()
    assert fund.available_cents == 250_000_00
    assert not LedgerEntry.objects.filter(kind=EntryKind.PAYMENT).exists()


def test_approving_more_than_the_fund_holds_is_refused_with_its_balance_and_nothing_written(world):
    # Issue 12: the commitment itself is refused (it used to be the payment), with the fund's balance.
    fund = world.fund(100_000)  # EUR 1.000 while the plan needs EUR 3.000
    plan = world.train_pass_plan()
    with pytest.raises(RuleError, match=r"nog beschikbaar € 1\.000,00, nodig € 3\.000,00"):
        services.approve_plan(world.approver, plan)
    fund.refresh_from_db()
    plan.refresh_from_db()
    assert plan.status == Plan.Status.SUBMITTED
    assert fund.available_cents == 100_000 == selectors.recompute_balance(fund)
    assert not LedgerEntry.objects.filter(kind=EntryKind.COMMITMENT).exists()


def test_paying_more_than_approved_is_refused(world):
    world.fund()
    plan = approved_plan(world)
    with pytest.raises(RuleError, match="meer dan er voor dit plan"):
        services.pay(world.lead, plan, 300_001, idempotency_key="k")


def test_double_submit_pays_once(world):
    fund = world.fund()
    plan = approved_plan(world)
    first = services.pay(world.lead, plan, 100_000, idempotency_key="same-token")
    second = services.pay(world.lead, plan, 100_000, idempotency_key="same-token")
    assert first.pk == second.pk
    assert LedgerEntry.objects.filter(kind=EntryKind.PAYMENT).count() == 1
    fund.refresh_from_db()
    assert fund.available_cents == 250_000_00 - 300_000  # the commitment; the payment spends inside it
    assert fund.paid_cents == 100_000


def test_entries_are_append_only(world):
    fund = world.fund()
    entry = LedgerEntry.objects.get(fund=fund)
    entry.amount_cents = 1
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        LedgerEntry.objects.filter(fund=fund).update(amount_cents=1)
    with pytest.raises(PermissionError):
        LedgerEntry.objects.filter(fund=fund).delete()


def test_database_refuses_negative_balance_and_non_positive_entries(world):
    fund = world.fund(100)
    with pytest.raises(IntegrityError), transaction.atomic():
        Fund.objects.filter(pk=fund.pk).update(available_cents=-1)
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(municipality=world.municipality, fund=fund, kind="payment", amount_cents=0)


@pytest.mark.postgres_only
def test_postgres_trigger_refuses_update_of_entries(world):
    fund = world.fund()
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE budget_ledgerentry SET amount_cents = 1 WHERE fund_id = %s", [fund.pk])


def test_car_loan_kept_job_repaid_from_income(world):
    fund = world.fund(1_200_000)
    plan = approved_plan(world, extra_cents=800_000)  # commits EUR 11.000
    deadline = datetime.date.today() + datetime.timedelta(days=183)
    services.grant_loan(
        world.lead, plan, 800_000, condition="Baan zes maanden houden", deadline=deadline, idempotency_key="loan"
    )
    loan = Loan.objects.get(plan=plan)
    fund.refresh_from_db()
    assert fund.available_cents == 100_000 and fund.lent_cents == 800_000
    services.loan_outcome(world.lead, loan, Loan.Status.REPAY_FROM_INCOME)
    with pytest.raises(RuleError, match="al vastgelegd"):
        services.loan_outcome(world.lead, loan, Loan.Status.REPAY_IN_FULL)
    services.repay_loan(world.lead, loan, 500_000, idempotency_key="r1")
    with pytest.raises(RuleError, match="meer dan er nog openstaat"):
        services.repay_loan(world.lead, loan, 400_000, idempotency_key="r2")
    services.repay_loan(world.lead, loan, 300_000, idempotency_key="r3")
    loan.refresh_from_db()
    fund.refresh_from_db()
    assert loan.status == Loan.Status.REPAID
    assert fund.available_cents == 900_000 == selectors.recompute_balance(fund)  # repaid money can be used again
    assert fund.loans_outstanding_cents == 0


def test_reclaim_flow_expected_claimed_received(world):
    fund = world.fund(1_000_000)
    plan = approved_plan(world)
    services.pay(world.lead, plan, 300_000, idempotency_key="p")
    reclaim = services.expect_reclaim(world.lead, plan, "zvw", 100_000)
    with pytest.raises(RuleError):
        services.move_reclaim(world.lead, reclaim, Reclaim.Status.RECEIVED)  # must be claimed first
    services.move_reclaim(world.lead, reclaim, Reclaim.Status.CLAIMED)
    services.move_reclaim(world.lead, reclaim, Reclaim.Status.RECEIVED)
    fund.refresh_from_db()
    assert fund.available_cents == 800_000 == selectors.recompute_balance(fund)
    refused = services.expect_reclaim(world.lead, plan, "justice", 50_000)
    services.move_reclaim(world.lead, refused, Reclaim.Status.REFUSED)
    fund.refresh_from_db()
    assert fund.available_cents == 800_000


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    ops=st.lists(
        st.tuples(
            st.sampled_from(["allocate", "pay", "reclaim", "loan", "repay"]),
            st.integers(min_value=-5, max_value=400_000),
        ),
        max_size=12,
    )
)
def test_property_balance_never_negative_and_always_recomputable(world, ops):
    """Issue 12: with commitments. Every running total equals the sum of its entries, available never below zero,
    the plan never spends more than its open commitment, and a closed plan releases exactly what was open."""
    with transaction.atomic():
        fund = world.fund(2_400_000, year=datetime.date.today().year)
        plan = approved_plan(world, extra_cents=2_000_000)
        for i, (op, amount) in enumerate(ops):
            try:
                if op == "allocate":
                    services.allocate(world.approver, fund, amount)
                elif op == "pay":
                    services.pay(world.lead, plan, amount, idempotency_key=f"p{i}")
                elif op == "reclaim":
                    r = services.expect_reclaim(world.lead, plan, "zvw", amount)
                    services.move_reclaim(world.lead, r, Reclaim.Status.CLAIMED)
                    services.move_reclaim(world.lead, r, Reclaim.Status.RECEIVED)
                elif op == "loan":
                    services.grant_loan(
                        world.lead,
                        plan,
                        amount,
                        condition="c",
                        deadline=datetime.date.today() + datetime.timedelta(days=30),
                        idempotency_key=f"l{i}",
                    )
                elif op == "repay":
                    loan = Loan.objects.filter(plan=plan).first()
                    if loan:
                        services.repay_loan(world.lead, loan, amount, idempotency_key=f"r{i}")
            except RuleError:
                pass
            fund.refresh_from_db()
            assert fund.available_cents >= 0
            totals = selectors_funds.recompute_totals(fund)
            assert {k: getattr(fund, k) for k in totals} == totals
            assert selectors.plan_money(plan)["remaining"] >= 0
            assert fund.open_commitments_cents == selectors.plan_money(plan)["remaining"]
        fund.refresh_from_db()
        before = fund.available_cents
        released = services.close_funding(world.lead, plan)
        fund.refresh_from_db()
        assert fund.available_cents == before + released and fund.open_commitments_cents == 0
        assert selectors.plan_money(plan)["remaining"] == 0
        transaction.set_rollback(True)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_approvals_for_the_last_money_one_wins(world):
    """Issue 12: two approvers approve two plans of EUR 3.000 at once from a fund of EUR 5.000: exactly one
    commitment is booked, the other is refused with the fund's balance, and the fund never goes below zero."""
    fund = world.fund(500_000)
    plan_a = world.train_pass_plan()
    plan_b = world.train_pass_plan(case=world.case("Tweede"))
    barrier = threading.Barrier(2)
    results = []

    def approve(user, plan):
        from django.db import connection as conn
        from django_scopes import scopes_disabled

        try:
            with scopes_disabled():
                barrier.wait()
                services.approve_plan(user, Plan.objects.get(pk=plan.pk))
            results.append("ok")
        except RuleError as err:
            results.append(err.message)
        finally:
            conn.close()

    threads = [
        threading.Thread(target=approve, args=(world.approver, plan_a)),
        threading.Thread(target=approve, args=(world.approver2, plan_b)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("ok") == 1, results
    assert any("nog beschikbaar € 2.000,00" in r for r in results), results
    fund.refresh_from_db()
    assert fund.available_cents == 200_000 == selectors.recompute_balance(fund)
    assert Plan.objects.filter(status=Plan.Status.APPROVED).count() == 1
