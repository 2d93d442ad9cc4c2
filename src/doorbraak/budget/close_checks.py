"""What the budget still has open when a case closes (issue 16, closing with care): money committed to the plan
and not yet paid, and loans whose condition or repayment is still to come. Listed in settings.CLOSE_CHECKS.

Read only, through budget.selectors: releasing a commitment or settling a loan is the payer's work in the plan
(budget.services), so these items cannot lapse from the close page; the lead keeps each one explicitly and the
case's timeline records that it stays open."""

from __future__ import annotations

from django.utils.translation import gettext as _

from doorbraak.cases.close_checks import OpenItem
from doorbraak.core.templatetags.doorbraak import format_euro_cents

from . import selectors
from .models import Loan

KEEP = _("Laten staan (afhandelen in het maatwerkplan)")
OPEN_LOANS = {Loan.Status.OUTSTANDING, Loan.Status.REPAY_FROM_INCOME, Loan.Status.REPAY_IN_FULL}


def open_items(user, case) -> list[OpenItem]:
    plan = selectors.plan_of(case)
    if plan is None:
        return []
    items = []
    ledger = selectors.plan_ledger(plan)
    remaining = ledger["money"]["remaining"]
    if remaining > 0:
        items.append(
            OpenItem(
                key=f"budget-commitment-{plan.pk}",
                group=_("Verplichtingen die nog niet betaald zijn"),
                label=_("Nog niet betaald van de verplichting voor het maatwerkplan: %(amount)s")
                % {"amount": format_euro_cents(remaining)},
                keep_label=KEEP,
            )
        )
    for row in ledger["loans"]:
        loan = row["loan"]
        if loan.status not in OPEN_LOANS or row["outstanding"] <= 0:
            continue
        if loan.status == Loan.Status.OUTSTANDING:
            label = _("Lening van %(amount)s: de voorwaarde loopt tot %(deadline)s") % {
                "amount": format_euro_cents(loan.amount_cents),
                "deadline": loan.deadline.strftime("%d-%m-%Y"),
            }
        else:
            label = _("Lening van %(amount)s: nog %(left)s af te lossen") % {
                "amount": format_euro_cents(loan.amount_cents),
                "left": format_euro_cents(row["outstanding"]),
            }
        items.append(
            OpenItem(
                key=f"budget-loan-{loan.pk}",
                group=_("Leningen met termijnen die nog komen"),
                label=label,
                keep_label=KEEP,
            )
        )
    return items
