"""What the budget still has open when a case closes (issue 16, closing with care): money committed to the plan
and not yet paid, and loans whose condition or repayment is still to come. Listed in settings.CLOSE_CHECKS.

An unpaid commitment can be released from the close page: its `cancel` is `services.close_funding`, which books
the rest of the commitment back to the fund (a RELEASE entry in the ledger) in the close's transaction; or the lead
keeps it (payments still to come from the plan) and the case's timeline records that it stays open. A loan cannot
lapse here: its money is out already, and forgiving it is a write-off with a reason and four eyes in the plan, so
the lead keeps it explicitly and its schedule runs on."""

from __future__ import annotations

from django.utils.translation import gettext as _

from doorbraak.cases.close_checks import OpenItem
from doorbraak.core import permissions
from doorbraak.core.templatetags.doorbraak import format_euro_cents

from . import selectors, services
from .models import Loan

KEEP = _("Laten staan (afhandelen in het maatwerkplan)")
KEEP_COMMITMENT = _("Laten staan (er komen nog betalingen uit het plan)")
RELEASE = _("Vrij laten vallen (terug naar het budget)")
OPEN_LOANS = {Loan.Status.OUTSTANDING, Loan.Status.REPAY_FROM_INCOME, Loan.Status.REPAY_IN_FULL}


def open_items(user, case) -> list[OpenItem]:
    plan = selectors.plan_of(case)
    if plan is None:
        return []
    items = []
    ledger = selectors.plan_ledger(plan)
    remaining = ledger["money"]["remaining"]
    if remaining > 0:
        cancel = None
        if permissions.allowed("budget.close_funding", user, plan):

            def cancel(acting_user, plan=plan):
                services.close_funding(acting_user, plan)

        items.append(
            OpenItem(
                key=f"budget-commitment-{plan.pk}",
                group=_("Verplichtingen die nog niet betaald zijn"),
                label=_("Nog niet betaald van de verplichting voor het maatwerkplan: %(amount)s")
                % {"amount": format_euro_cents(remaining)},
                keep_label=KEEP_COMMITMENT,
                cancel=cancel,
                cancel_label=RELEASE,
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
