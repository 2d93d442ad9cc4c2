"""The budget app's rules in the rule book (issue 11), registered from BudgetConfig.ready().

Each rule answers *who* may do an action on an object (a plan, loan, reclaim, fund, team or catalogue item):
a role set of `core.permissions` and the object's municipality. *Which state* may follow is the flows'
business (`services/plans.py`, `services/loans.py`, through `core.transitions`); *need-to-know* (may this
user see this plan at all?) is the plan gate `selectors.plan_for` / `selectors.visible_plan`, which answers
a logged 404 (`core.access.Refusal`). Every public service asks both: the gate first, then the rule.

    permissions.require("budget.approve_plan", user, plan)      # services
    {% test_rule "budget.approve_plan" user plan as can_approve %}  # templates
"""

from __future__ import annotations

import rules

from doorbraak.core.permissions import (
    BUDGET_READERS,
    CATALOGUE_EDITORS,
    CATALOGUE_READERS,
    COST_RECORDERS,
    FUND_MANAGERS,
    PAYERS,
    PLAN_EDITORS,
    PLAN_REVIEWERS,
    define,
    has_role,
    is_authenticated,
    same_municipality,
)


@rules.predicate
def has_municipality(user) -> bool:
    return bool(getattr(user, "municipality_id", None))


@rules.predicate
def own_municipality_or_none(user, obj) -> bool:
    """No object (a page or a new item of the user's own municipality), or an object of the user's municipality."""
    return obj is None or same_municipality(user, obj)


@rules.predicate
def not_the_submitter(user, plan) -> bool:
    """Four eyes: whoever submitted a plan never approves or returns it."""
    return plan is not None and getattr(plan, "submitted_by_id", None) != user.pk


@rules.predicate
def not_the_write_off_requester(user, loan) -> bool:
    """Four eyes on a write-off: whoever asked for it does not approve it."""
    return loan is not None and getattr(loan, "write_off_requested_by_id", None) != user.pk


@rules.predicate
def may_see_plan(user, plan) -> bool:
    """The need-to-know gate as a predicate (for templates and the matrix); services use selectors.visible_plan."""
    from . import selectors

    return plan is not None and selectors.plan_is_visible(user, plan)


in_municipality = is_authenticated & has_municipality & same_municipality

RULES = {
    # Pages and reads
    "budget.view_overview": has_role(BUDGET_READERS) & has_municipality,
    "budget.view_plan": is_authenticated & may_see_plan,
    "budget.read_catalogue": has_role(CATALOGUE_READERS) & has_municipality,
    # Catalogue
    "budget.edit_catalogue": has_role(CATALOGUE_EDITORS) & has_municipality & own_municipality_or_none,
    # Plans
    "budget.edit_plan": has_role(PLAN_EDITORS) & in_municipality,
    "budget.submit_plan": has_role(PLAN_EDITORS) & in_municipality,
    "budget.approve_plan": has_role(PLAN_REVIEWERS) & in_municipality & not_the_submitter,
    "budget.return_plan": has_role(PLAN_REVIEWERS) & in_municipality & not_the_submitter,
    # Ledger
    "budget.pay": has_role(PAYERS) & in_municipality,
    "budget.manage_funds": has_role(FUND_MANAGERS) & has_municipality & own_municipality_or_none,
    # Loans and reclaims
    "budget.grant_loan": has_role(PAYERS) & in_municipality,
    "budget.loan_outcome": has_role(PAYERS) & in_municipality,
    "budget.repay_loan": has_role(PAYERS) & in_municipality,
    "budget.expect_reclaim": has_role(PAYERS) & in_municipality,
    "budget.move_reclaim": has_role(PAYERS) & in_municipality,
    # Realised costs (nazorg); the plan gate keeps it to involved professionals and the municipality's approvers
    "budget.record_cost": has_role(COST_RECORDERS) & in_municipality,
    # --- issue 12: funds, mandates, payments, loans ---
    "budget.close_funding": has_role(PAYERS) & in_municipality,
    "budget.export_sepa": has_role(FUND_MANAGERS) & in_municipality,
    "budget.manage_mandates": has_role(FUND_MANAGERS) & has_municipality & own_municipality_or_none,
    # the municipality's list of funders (administrator or budget holder, like the mandates)
    "budget.manage_funders": has_role(FUND_MANAGERS) & has_municipality & own_municipality_or_none,
    "budget.request_write_off": has_role(PAYERS) & in_municipality,
    "budget.approve_write_off": has_role(PAYERS) & in_municipality & not_the_write_off_requester,
}


def register() -> None:
    for name, predicate in RULES.items():
        define(name, predicate)
