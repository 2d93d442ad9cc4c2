"""Budget writes, one function per use case, split by concern:

- `catalogue`: the cost catalogue (kostenkengetallen);
- `plans`: drafting (lines, co-funding shares) and what a plan asks from the fund (PLAN_FLOW);
- `approval`: submission, approval by mandate, return (four eyes), and what approval books;
- `ledger`: funds, allocations, payments (append-only entries, one-time tokens);
- `loans`: conditional loans and reclaims (LOAN_FLOW, RECLAIM_FLOW);
- `costs`: realised costs (nazorg).

Every public function receives the acting user and checks, in this order: the plan gate (need-to-know,
`selectors.visible_plan`: a logged 404 `core.access.Refusal`), the rule (`budget.<action>` in
`budget/permissions.py`: `core.permissions.Refused`, 403) and the business rules (`core.errors.RuleError` with a
Dutch message and optional field), and writes inside one transaction. Reads live in `budget.selectors`.
Callers keep `from doorbraak.budget import services; services.approve_plan(user, plan)`.
"""

from .approval import (
    approve_plan,
    assign_mandate,
    ensure_default_levels,
    return_plan,
    set_mandate_level,
    submit_plan,
)
from .catalogue import add_catalogue_item, change_catalogue_item, ensure_default_catalogue
from .costs import record_realised_cost
from .ledger import (
    FOREIGN_TOKEN_MESSAGE,
    IDEMPOTENCY_KEY_LENGTH,
    NO_COMMITMENT_MESSAGE,
    REPLAY_MESSAGE,
    DuplicatePayment,
    allocate,
    close_funding,
    create_fund,
    export_sepa,
    pay,
    set_fund_iban,
)
from .loans import (
    LOAN_FLOW,
    RECLAIM_FLOW,
    RECLAIM_KIND,
    approve_write_off,
    expect_reclaim,
    grant_loan,
    loan_outcome,
    move_reclaim,
    repay_loan,
    request_write_off,
)
from .plans import (
    AGREEMENT_FLOW,
    MUNICIPAL_FUNDERS,
    PLAN_FLOW,
    add_line,
    adopt_cofunding,
    amount_from_fund_cents,
    change_line,
    clear_cofunding,
    ensure_funders,
    plan_funding,
    preview_line,
    record_agreement,
    remove_line,
    set_funder,
    set_shares,
    start_plan,
    update_plan,
)

__all__ = [
    "assign_mandate",
    "ensure_default_levels",
    "set_fund_iban",
    "set_mandate_level",
    "approve_write_off",
    "request_write_off",
    "DuplicatePayment",
    "close_funding",
    "export_sepa",
    # --- issue 12: cost schedule, shares, funders ---
    "AGREEMENT_FLOW",
    "amount_from_fund_cents",
    "change_line",
    "ensure_funders",
    "plan_funding",
    "preview_line",
    "record_agreement",
    "set_shares",
    "set_funder",
    # ---
    "FOREIGN_TOKEN_MESSAGE",
    "IDEMPOTENCY_KEY_LENGTH",
    "LOAN_FLOW",
    "MUNICIPAL_FUNDERS",
    "NO_COMMITMENT_MESSAGE",
    "PLAN_FLOW",
    "RECLAIM_FLOW",
    "RECLAIM_KIND",
    "REPLAY_MESSAGE",
    "add_catalogue_item",
    "add_line",
    "adopt_cofunding",
    "allocate",
    "approve_plan",
    "change_catalogue_item",
    "clear_cofunding",
    "create_fund",
    "ensure_default_catalogue",
    "expect_reclaim",
    "grant_loan",
    "loan_outcome",
    "move_reclaim",
    "pay",
    "record_realised_cost",
    "remove_line",
    "repay_loan",
    "return_plan",
    "start_plan",
    "submit_plan",
    "update_plan",
]
