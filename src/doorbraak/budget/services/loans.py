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

_WRITE_OFF_FROM = {Loan.Status.WRITE_OFF_REQUESTED, Loan.Status.REPAID}
LOAN_FLOW = {
    Loan.Status.OUTSTANDING: {
        Loan.Status.REPAY_FROM_INCOME,
        Loan.Status.REPAY_IN_FULL,
        Loan.Status.FORGIVEN,
        Loan.Status.REPAID,
        Loan.Status.WRITE_OFF_REQUESTED,
    },
    Loan.Status.REPAY_FROM_INCOME: _WRITE_OFF_FROM,
    Loan.Status.REPAY_IN_FULL: _WRITE_OFF_FROM,
    Loan.Status.WRITE_OFF_REQUESTED: {Loan.Status.WRITTEN_OFF},
    Loan.Status.FORGIVEN: set(),
    Loan.Status.WRITTEN_OFF: set(),
    Loan.Status.REPAID: set(),
}
# "met": the condition was met, so the route agreed at the start (repay by schedule, or forgive) follows.
LOAN_OUTCOMES = ("met", Loan.Status.REPAY_FROM_INCOME, Loan.Status.REPAY_IN_FULL)
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
    user,
    plan: Plan,
    amount_cents: int,
    *,
    condition: str,
    deadline: datetime.date,
    idempotency_key=None,
    route_when_met: str = Loan.Route.REPAY,
    instalment_cents: int | None = None,
    terms: int | None = None,
    first_due: datetime.date | None = None,
) -> LedgerEntry:
    """A conditional loan out of the plan's commitment, with an optional monthly repayment schedule (instalment,
    number of terms, first due date; the last term takes the rest and must be positive)."""
    selectors.visible_plan(user, plan)
    permissions.require("budget.grant_loan", user, plan, _("U mag geen lening verstrekken."))
    if not condition.strip():
        raise RuleError(_("Beschrijf de voorwaarde van de lening."), "condition")
    if deadline <= timezone.localdate():
        raise RuleError(_("De uiterste datum moet in de toekomst liggen."), "deadline")
    if message := date_ranges.LOAN_DEADLINE.problem(deadline):
        raise RuleError(message, "deadline")
    if route_when_met not in Loan.Route.values:
        raise RuleError(_("Kies wat er gebeurt als de voorwaarde is gehaald."), "route_when_met")
    schedule = (instalment_cents, terms, first_due)
    if any(v is not None for v in schedule):
        if any(v is None for v in schedule):
            raise RuleError(
                _("Vul voor een aflossingsschema het termijnbedrag, het aantal termijnen en de eerste vervaldatum in.")
            )
        check_amount(instalment_cents, "instalment")
        if not 1 <= terms <= 120:
            raise RuleError(_("Kies 1 tot en met 120 termijnen."), "terms")
        check_amount(amount_cents)
        if instalment_cents * (terms - 1) >= amount_cents or instalment_cents * terms < amount_cents:
            raise RuleError(
                _("%(n)s termijnen van %(i)s passen niet bij een lening van %(a)s.")
                % {
                    "n": terms,
                    "i": format_euro_cents(instalment_cents),
                    "a": format_euro_cents(amount_cents),
                },
                "instalment",
            )
    return spend(
        user,
        plan,
        amount_cents,
        EntryKind.LOAN_OUT,
        description="Lening",
        idempotency_key=idempotency_key,
        loan_data={
            "condition": condition.strip(),
            "deadline": deadline,
            "route_when_met": route_when_met,
            "instalment_cents": instalment_cents,
            "terms": terms,
            "first_due": first_due,
        },
    )


def loan_outcome(user, loan: Loan, outcome: str) -> Loan:
    """Record the outcome of the loan's condition: kept (repay from income) or lost culpably (repay in full)."""
    selectors.visible_plan(user, loan.plan_id)
    permissions.require("budget.loan_outcome", user, loan, _("U mag de uitkomst van een lening niet vastleggen."))
    if outcome not in LOAN_OUTCOMES:
        raise RuleError(_("Kies een uitkomst."), "outcome")
    if outcome == "met":
        outcome = Loan.Status.FORGIVEN if loan.route_when_met == Loan.Route.FORGIVE else Loan.Status.REPAY_FROM_INCOME
    if outcome == Loan.Status.FORGIVEN:
        return transition(
            loan,
            outcome,
            LOAN_FLOW,
            message=_("De uitkomst van deze lening is al vastgelegd."),
            on_change=lambda row: _book_forgiven(row, user),
        )
    return transition(
        loan,
        outcome,
        LOAN_FLOW,
        message=_("De uitkomst van deze lening is al vastgelegd."),
        on_change=lambda row: event(row.plan, user, "loan_outcome", str(Loan.Status(outcome).label)),
    )


def _book_forgiven(loan, user):
    rest = selectors.loan_outstanding(loan)
    if rest > 0:
        append(
            loan.fund, EntryKind.LOAN_WRITE_OFF, rest, user, plan=loan.plan, loan=loan, description="Kwijtgescholden"
        )
    event(loan.plan, user, "loan_outcome", str(Loan.Status.FORGIVEN.label))


def request_write_off(user, loan: Loan, reason: str) -> Loan:
    """Ask to write off what is still owed on a loan; a second person approves it (four eyes)."""
    selectors.visible_plan(user, loan.plan_id)
    permissions.require("budget.request_write_off", user, loan, _("U mag geen afschrijving aanvragen."))
    if not reason.strip():
        raise RuleError(_("Geef een reden om af te schrijven."), "reason")
    return transition(
        loan,
        Loan.Status.WRITE_OFF_REQUESTED,
        LOAN_FLOW,
        message=_("Deze lening kan nu niet worden afgeschreven."),
        updates={"write_off_reason": reason.strip()[:300], "write_off_requested_by": user},
        on_change=lambda row: event(
            row.plan, user, "loan_write_off", _("Afschrijven aangevraagd: %(r)s") % {"r": reason.strip()}
        ),
    )


def approve_write_off(user, loan: Loan) -> Loan:
    selectors.visible_plan(user, loan.plan_id)
    loan.refresh_from_db()
    if loan.write_off_requested_by_id == user.pk:
        raise RuleError(_("U vroeg deze afschrijving zelf aan; een collega moet haar goedkeuren."))
    permissions.require("budget.approve_write_off", user, loan, _("U mag deze afschrijving niet goedkeuren."))

    def book(row):
        rest = selectors.loan_outstanding(row)
        if rest > 0:
            append(row.fund, EntryKind.LOAN_WRITE_OFF, rest, user, plan=row.plan, loan=row, description="Afgeschreven")
        event(row.plan, user, "loan_write_off", _("Lening afgeschreven: %(a)s") % {"a": format_euro_cents(rest)})

    return transition(
        loan, Loan.Status.WRITTEN_OFF, LOAN_FLOW, message=_("Deze afschrijving is al verwerkt."), on_change=book
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


def expect_reclaim(
    user, plan: Plan, funder: str, amount_cents: int, idempotency_key=None, purpose: str = ""
) -> Reclaim:
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
            municipality_id=plan.municipality_id,
            plan=plan,
            fund=fund,
            funder=funder,
            amount_cents=amount_cents,
            purpose=purpose.strip()[:200],
        )
        append(
            fund,
            EntryKind.RECLAIM_EXPECTED,
            amount_cents,
            user,
            plan=plan,
            reclaim=reclaim,
            description=f"Terugvordering {funder}: {purpose.strip()}"[:200],
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
