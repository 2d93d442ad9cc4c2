"""Conditional loans (the car) and reclaims from other funders, as flows applied by `core.transitions`.

A loan or reclaim is reached through its plan: the plan gate (`selectors.visible_plan`, 404) comes first, then
the rule (`budget.<action>`, Refused), then the flow (RuleError on a double click or a forbidden step).
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doorbraak.core import dates as date_ranges
from doorbraak.core import permissions
from doorbraak.core.choices import Funder
from doorbraak.core.errors import RuleError
from doorbraak.core.templatetags.doorbraak import format_euro_cents
from doorbraak.core.transitions import transition

from .. import selectors
from ..models import EntryKind, LedgerEntry, Loan, Plan, Reclaim
from ._base import check_amount, event
from .ledger import append, commitment_fund, existing, spend

LOAN_FLOW = {
    Loan.Status.OUTSTANDING: {Loan.Status.REPAY_FROM_INCOME, Loan.Status.REPAY_IN_FULL, Loan.Status.REPAID},
    Loan.Status.REPAY_FROM_INCOME: {Loan.Status.REPAID},
    Loan.Status.REPAY_IN_FULL: {Loan.Status.REPAID},
    Loan.Status.REPAID: set(),
}
LOAN_OUTCOMES = (Loan.Status.REPAY_FROM_INCOME, Loan.Status.REPAY_IN_FULL)
RECLAIM_FLOW = {
    Reclaim.Status.EXPECTED: {Reclaim.Status.CLAIMED, Reclaim.Status.REFUSED},
    Reclaim.Status.CLAIMED: {Reclaim.Status.RECEIVED, Reclaim.Status.REFUSED},
    Reclaim.Status.RECEIVED: set(),
    Reclaim.Status.REFUSED: set(),
}
RECLAIM_KIND = {
    Reclaim.Status.CLAIMED: EntryKind.RECLAIM_CLAIMED,
    Reclaim.Status.RECEIVED: EntryKind.RECLAIM_RECEIVED,
    Reclaim.Status.REFUSED: EntryKind.RECLAIM_REFUSED,
}


def grant_loan(
    user, plan: Plan, amount_cents: int, *, condition: str, deadline: datetime.date, idempotency_key=None
) -> LedgerEntry:
    selectors.visible_plan(user, plan)
    permissions.require("budget.grant_loan", user, plan, _("U mag geen lening verstrekken."))
    if not condition.strip():
        raise RuleError(_("Beschrijf de voorwaarde van de lening."), "condition")
    if deadline <= timezone.localdate():
        raise RuleError(_("De uiterste datum moet in de toekomst liggen."), "deadline")
    if message := date_ranges.LOAN_DEADLINE.problem(deadline):
        raise RuleError(message, "deadline")
    return spend(
        user,
        plan,
        amount_cents,
        EntryKind.LOAN_OUT,
        description="Lening",
        idempotency_key=idempotency_key,
        loan_data={"condition": condition.strip(), "deadline": deadline},
    )


def loan_outcome(user, loan: Loan, outcome: str) -> Loan:
    """Record the outcome of the loan's condition: kept (repay from income) or lost culpably (repay in full)."""
    selectors.visible_plan(user, loan.plan_id)
    permissions.require("budget.loan_outcome", user, loan, _("U mag de uitkomst van een lening niet vastleggen."))
    if outcome not in LOAN_OUTCOMES:
        raise RuleError(_("Kies een uitkomst."), "outcome")
    return transition(
        loan,
        outcome,
        LOAN_FLOW,
        message=_("De uitkomst van deze lening is al vastgelegd."),
        on_change=lambda row: event(row.plan, user, "loan_outcome", str(Loan.Status(outcome).label)),
    )


def repay_loan(user, loan: Loan, amount_cents: int, *, idempotency_key=None) -> LedgerEntry:
    selectors.visible_plan(user, loan.plan_id)
    permissions.require("budget.repay_loan", user, loan, _("U mag geen aflossing vastleggen."))
    check_amount(amount_cents)
    done = existing(idempotency_key, user, kind=EntryKind.LOAN_REPAYMENT, loan=loan)
    if done is not None:
        return done
    with transaction.atomic():
        loan = Loan.objects.select_for_update().get(pk=loan.pk)
        outstanding = selectors.loan_outstanding(loan)
        if amount_cents > outstanding:
            raise RuleError(
                _("Dit is meer dan er nog openstaat (%(o)s).") % {"o": format_euro_cents(outstanding)}, "amount"
            )
        entry = append(
            loan.fund,
            EntryKind.LOAN_REPAYMENT,
            amount_cents,
            user,
            plan=loan.plan,
            loan=loan,
            description="Aflossing",
            idempotency_key=idempotency_key,
        )
        if amount_cents == outstanding:
            transition(loan, Loan.Status.REPAID, LOAN_FLOW)
        event(loan.plan, user, "loan_repayment", f"Aflossing {format_euro_cents(amount_cents)}")
    return entry


def expect_reclaim(user, plan: Plan, funder: str, amount_cents: int, idempotency_key=None) -> Reclaim:
    """A pre-financed cost that the regular funder should pay back."""
    selectors.visible_plan(user, plan)
    permissions.require("budget.expect_reclaim", user, plan, _("U mag geen terugvordering vastleggen."))
    check_amount(amount_cents)
    done = existing(idempotency_key, user, kind=EntryKind.RECLAIM_EXPECTED, plan=plan)
    if done is not None:
        done.reclaim.replayed = True
        return done.reclaim
    if funder not in Funder.values:
        raise RuleError(_("Kies een financier."), "funder")
    if plan.status != Plan.Status.APPROVED:
        raise RuleError(_("Een terugvordering kan pas bij een goedgekeurd plan."))
    fund = commitment_fund(plan)
    with transaction.atomic():
        reclaim = Reclaim.objects.create(
            municipality_id=plan.municipality_id, plan=plan, fund=fund, funder=funder, amount_cents=amount_cents
        )
        append(
            fund,
            EntryKind.RECLAIM_EXPECTED,
            amount_cents,
            user,
            plan=plan,
            reclaim=reclaim,
            description=f"Terugvordering {funder}",
            idempotency_key=idempotency_key,
        )
        event(plan, user, "reclaim_expected", f"Terugvordering verwacht: {format_euro_cents(amount_cents)}")
    return reclaim


def _book_reclaim_step(reclaim, user, status):
    append(
        reclaim.fund,
        RECLAIM_KIND[status],
        reclaim.amount_cents,
        user,
        plan=reclaim.plan,
        reclaim=reclaim,
        description=f"Terugvordering {reclaim.funder}",
    )
    event(
        reclaim.plan,
        user,
        RECLAIM_KIND[status],
        f"{reclaim.get_status_display()}: {format_euro_cents(reclaim.amount_cents)}",
    )


def move_reclaim(user, reclaim: Reclaim, status: str) -> Reclaim:
    selectors.visible_plan(user, reclaim.plan_id)
    permissions.require("budget.move_reclaim", user, reclaim, _("U mag geen terugvordering vastleggen."))
    if status not in RECLAIM_KIND:
        raise RuleError(_("Deze stap kan niet vanuit de huidige status."))
    return transition(reclaim, status, RECLAIM_FLOW, on_change=lambda row: _book_reclaim_step(row, user, status))
