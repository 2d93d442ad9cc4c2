"""Issue 11 in the budget app: the probes of the issue as regression tests, the flows applied once, the timeline
through the cases services, the overview's fixed number of queries and the amount input for negative amounts."""

import datetime

import pytest
from django.urls import reverse

from doorbraak.budget import selectors, services
from doorbraak.budget.models import EntryKind, LedgerEntry, Loan, Plan, PlanEvent, Reclaim
from doorbraak.cases.models import TimelineEntry
from doorbraak.core.access import Refusal
from doorbraak.core.errors import RuleError
from doorbraak.core.models import AccessEvent, Role
from doorbraak.core.money import format_euro_input
from doorbraak.core.permissions import Refused
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def _other_team_lead(world):
    return UserFactory(
        municipality=world.municipality, team=TeamFactory(municipality=world.municipality), role=Role.LEAD
    )


def _approved(world):
    world.fund()
    plan = world.train_pass_plan()
    services.approve_plan(world.approver, plan)
    return plan


# --- The probes -----------------------------------------------------------------------------------------------


def test_lead_of_another_team_cannot_approve_and_then_pay_a_plan_they_cannot_see(world):
    world.fund()
    plan = world.train_pass_plan()
    intruder = _other_team_lead(world)
    with pytest.raises(Refusal) as caught:
        services.approve_plan(intruder, Plan.objects.get(pk=plan.pk))
    assert caught.value.reason == "need_to_know"
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.SUBMITTED
    services.approve_plan(world.approver, plan)  # the real approver
    with pytest.raises(Refusal):
        services.pay(intruder, plan, 10_000)
    assert not LedgerEntry.objects.filter(plan=plan, kind=EntryKind.PAYMENT).exists()


@pytest.mark.parametrize("step", ["grant_loan", "expect_reclaim", "loan_outcome", "repay_loan", "move_reclaim"])
def test_lead_of_another_team_is_refused_every_money_step(world, step):
    plan = _approved(world)
    loan = services.grant_loan(
        world.approver, plan, 50_000, condition="Rijbewijs", deadline=TODAY + datetime.timedelta(days=60)
    ).loan
    reclaim = services.expect_reclaim(world.approver, plan, "zvw", 10_000)
    entries = LedgerEntry.objects.count()
    intruder = _other_team_lead(world)
    call = {
        "grant_loan": lambda: services.grant_loan(
            intruder, plan, 10_000, condition="x", deadline=TODAY + datetime.timedelta(days=60)
        ),
        "expect_reclaim": lambda: services.expect_reclaim(intruder, plan, "zvw", 10_000),
        "loan_outcome": lambda: services.loan_outcome(intruder, loan, Loan.Status.REPAY_IN_FULL),
        "repay_loan": lambda: services.repay_loan(intruder, loan, 10_000),
        "move_reclaim": lambda: services.move_reclaim(intruder, reclaim, Reclaim.Status.RECEIVED),
    }[step]
    with pytest.raises(Refusal):
        call()
    assert LedgerEntry.objects.count() == entries
    assert Loan.objects.get(pk=loan.pk).status == Loan.Status.OUTSTANDING
    assert Reclaim.objects.get(pk=reclaim.pk).status == Reclaim.Status.EXPECTED


def test_the_submitter_cannot_return_their_own_plan(world):
    plan = world.train_pass_plan(submit=False)
    services.submit_plan(world.lead, plan)
    with pytest.raises(Refused) as caught:
        services.return_plan(world.lead, plan, "Zelf terughalen")
    assert caught.value.rule == "budget.return_plan"
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.SUBMITTED
    services.return_plan(world.lead2, plan, "Rendement aanvullen")  # a colleague may
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.DRAFT


def test_the_plan_page_asks_the_same_rule_and_the_door_stays_shut_for_the_submitter(world, login):
    plan = world.train_pass_plan(submit=False)
    services.submit_plan(world.lead, plan)
    page = reverse("plan:detail", args=[plan.case_id])
    own = login(world.lead).get(page).content.decode()
    assert reverse("plan:return", args=[plan.case_id]) not in own
    assert reverse("plan:approve", args=[plan.case_id]) not in own
    response = login(world.lead).post(reverse("plan:return", args=[plan.case_id]), {"reason": "Zelf"})
    assert response.status_code == 403
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.SUBMITTED
    colleague = login(world.lead2).get(page).content.decode()
    assert reverse("plan:return", args=[plan.case_id]) in colleague


def test_a_refused_service_call_through_a_page_is_a_logged_404(world, login):
    plan = world.train_pass_plan()
    intruder = _other_team_lead(world)
    response = login(intruder).post(reverse("plan:approve", args=[plan.case_id]))
    assert response.status_code == 404
    assert AccessEvent.objects.filter(actor_id=intruder.pk, outcome=AccessEvent.Outcome.DENIED).exists()


# --- Flows applied once ---------------------------------------------------------------------------------------


def test_double_approve_commits_once(world):
    world.fund()
    plan = world.train_pass_plan()
    first, second = Plan.objects.get(pk=plan.pk), Plan.objects.get(pk=plan.pk)  # two tabs, same state
    services.approve_plan(world.approver, first)
    with pytest.raises(RuleError):
        services.approve_plan(world.lead, second)
    assert LedgerEntry.objects.filter(plan=plan, kind=EntryKind.COMMITMENT).count() == 1
    assert PlanEvent.objects.filter(plan=plan, kind="approved").count() == 1
    assert Plan.objects.get(pk=plan.pk).approved_by == world.approver


def test_double_return_returns_once_and_a_returned_plan_cannot_then_be_approved(world):
    world.fund()
    plan = world.train_pass_plan()
    first, second = Plan.objects.get(pk=plan.pk), Plan.objects.get(pk=plan.pk)
    services.return_plan(world.approver, first, "Aanvullen")
    with pytest.raises(RuleError):
        services.return_plan(world.lead, second, "Aanvullen")
    assert PlanEvent.objects.filter(plan=plan, kind="returned").count() == 1
    with pytest.raises(RuleError):
        services.approve_plan(world.lead, second)  # stale page: the plan is a draft again
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.DRAFT
    assert not LedgerEntry.objects.filter(plan=plan).exists()


def test_double_pay_with_one_form_books_once(world):
    plan = _approved(world)
    services.pay(world.approver, plan, 10_000, idempotency_key="een-formulier")
    again = services.pay(world.approver, plan, 10_000, idempotency_key="een-formulier")
    assert again.replayed
    assert LedgerEntry.objects.filter(plan=plan, kind=EntryKind.PAYMENT).count() == 1


def test_double_loan_outcome_and_reclaim_step_change_state_once(world):
    plan = _approved(world)
    loan = services.grant_loan(
        world.approver, plan, 50_000, condition="Rijbewijs", deadline=TODAY + datetime.timedelta(days=60)
    ).loan
    stale = Loan.objects.get(pk=loan.pk)
    services.loan_outcome(world.approver, loan, Loan.Status.REPAY_FROM_INCOME)
    with pytest.raises(RuleError, match="al vastgelegd"):
        services.loan_outcome(world.lead, stale, Loan.Status.REPAY_IN_FULL)
    assert Loan.objects.get(pk=loan.pk).status == Loan.Status.REPAY_FROM_INCOME
    reclaim = services.expect_reclaim(world.approver, plan, "zvw", 10_000)
    stale_reclaim = Reclaim.objects.get(pk=reclaim.pk)
    services.move_reclaim(world.approver, reclaim, Reclaim.Status.CLAIMED)
    with pytest.raises(RuleError):
        services.move_reclaim(world.lead, stale_reclaim, Reclaim.Status.CLAIMED)
    assert LedgerEntry.objects.filter(reclaim=reclaim, kind=EntryKind.RECLAIM_CLAIMED).count() == 1
    with pytest.raises(RuleError):
        services.move_reclaim(world.approver, reclaim, "onzin")


def test_full_repayment_closes_the_loan_through_the_flow(world):
    plan = _approved(world)
    loan = services.grant_loan(
        world.approver, plan, 50_000, condition="Rijbewijs", deadline=TODAY + datetime.timedelta(days=60)
    ).loan
    services.repay_loan(world.approver, loan, 50_000)
    assert Loan.objects.get(pk=loan.pk).status == Loan.Status.REPAID
    with pytest.raises(RuleError, match="al vastgelegd"):
        services.loan_outcome(world.approver, Loan.objects.get(pk=loan.pk), Loan.Status.REPAY_IN_FULL)


def test_plan_steps_land_on_the_case_timeline_once(world):
    plan = _approved(world)
    kinds = list(TimelineEntry.objects.filter(case_id=plan.case_id).values_list("kind", flat=True))
    assert kinds.count("plan.submitted") == 1 and kinds.count("plan.approved") == 1
    assert "plan.updated" not in kinds  # drafting details stay in the plan's own history


# --- Queries and money ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("funds", [1, 5])
def test_fund_overview_costs_one_query_whatever_the_number_of_funds(world, django_assert_num_queries, funds):
    # Issue 12: the totals are running columns on Fund, so the overview is one query (it was four).
    plan = _approved(world)
    services.grant_loan(
        world.approver, plan, 50_000, condition="Rijbewijs", deadline=TODAY + datetime.timedelta(days=60)
    )
    for n in range(funds - 1):
        team = TeamFactory(municipality=world.municipality)
        services.create_fund(world.approver, team=team, year=TODAY.year, name=f"Handgeld {n}", amount_cents=10_000)
    with django_assert_num_queries(1):
        rows = selectors.fund_overview(world.approver)
    assert len(rows) == funds
    main = next(r for r in rows if r["fund"].team_id == world.team.pk)
    assert main["lent"] == 50_000 and main["loans_outstanding"] == 50_000


def test_fund_overview_counts_only_what_is_still_owed_on_open_loans(world):
    plan = _approved(world)
    first = services.grant_loan(
        world.approver, plan, 40_000, condition="a", deadline=TODAY + datetime.timedelta(days=60)
    ).loan
    second = services.grant_loan(
        world.approver, plan, 20_000, condition="b", deadline=TODAY + datetime.timedelta(days=60)
    ).loan
    services.repay_loan(world.approver, first, 15_000)
    services.repay_loan(world.approver, second, 20_000)  # repaid in full: no longer outstanding
    row = selectors.fund_overview(world.approver)[0]
    assert row["loans_outstanding"] == 25_000 == sum(selectors.loan_outstanding(loan) for loan in (first, second))


def test_the_overview_is_only_for_budget_readers(world):
    with pytest.raises(Refusal):
        selectors.fund_overview(world.professional)


@pytest.mark.parametrize(
    ("cents", "text"), [(-150, "-1,50"), (-5, "-0,05"), (-300_050, "-3.000,50"), (150, "1,50"), (0, "0,00")]
)
def test_amount_inputs_show_negative_amounts_right(cents, text):
    """budget/forms.py cents_to_input(-150) gave "-2,50"; the budget views now fill inputs with core.money."""
    assert format_euro_input(cents) == text


def test_the_pay_form_is_filled_with_what_remains_in_dutch_notation(world, login):
    plan = _approved(world)
    services.pay(world.approver, plan, 50)
    html = login(world.approver).get(reverse("plan:pay", args=[plan.case_id])).content.decode()
    assert 'value="2.999,50"' in html
