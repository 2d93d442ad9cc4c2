"""The hand-budget ledger: funds, allocations and payments. Every booking is one append-only LedgerEntry and
moves the fund's available cash in the same transaction; a one-time form token is the entry's idempotency key."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doorbraak.core import permissions
from doorbraak.core.errors import RuleError
from doorbraak.core.templatetags.doorbraak import format_euro_cents

from .. import selectors
from ..models import BALANCE_SIGN, EntryKind, Fund, LedgerEntry, Loan, Plan
from ._base import check_amount, event

IDEMPOTENCY_KEY_LENGTH = 64  # LedgerEntry.idempotency_key
REPLAY_MESSAGE = gettext_lazy("Dit formulier was al verstuurd; er is niets opnieuw geboekt.")
FOREIGN_TOKEN_MESSAGE = gettext_lazy(
    "Dit formulier hoort bij een andere boeking of een andere gebruiker; er is "
    "niets geboekt. Open het formulier opnieuw."
)
NO_COMMITMENT_MESSAGE = gettext_lazy(
    "Voor dit plan is geen budget vastgelegd, dus er kan niets van betaald worden. "
    "Vraag de budgetfiatteur om het plan opnieuw te beoordelen."
)


def append(
    fund, kind, amount_cents, user, *, plan=None, loan=None, reclaim=None, description="", idempotency_key=None
) -> LedgerEntry:
    """Insert one entry and move the fund's available cash in the same transaction. Refuses overspending with a
    conditional UPDATE, so concurrent payments cannot take the fund below zero. Call inside atomic()."""
    check_amount(amount_cents)
    sign = BALANCE_SIGN.get(kind, 0)
    if sign < 0:
        moved = Fund.objects.filter(pk=fund.pk, available_cents__gte=amount_cents).update(
            available_cents=F("available_cents") - amount_cents
        )
        if not moved:
            raise RuleError(_("Er staat niet genoeg geld in %(f)s voor dit bedrag.") % {"f": fund}, "amount")
    elif sign > 0:
        Fund.objects.filter(pk=fund.pk).update(available_cents=F("available_cents") + amount_cents)
    return LedgerEntry.objects.create(
        municipality_id=fund.municipality_id,
        fund=fund,
        kind=kind,
        amount_cents=amount_cents,
        plan=plan,
        loan=loan,
        reclaim=reclaim,
        description=description[:200],
        idempotency_key=idempotency_key or None,
        created_by=user,
    )


def _check_key(key):
    if key is not None and (not isinstance(key, str) or len(key) > IDEMPOTENCY_KEY_LENGTH):
        raise RuleError(FOREIGN_TOKEN_MESSAGE)


def existing(key, user, *, kind, plan=None, loan=None, team=None):
    """The entry booked earlier with this one-time key, if any, marked `replayed`. A key is bound to the user, the
    kind of booking and the object it was first used for: the same key from another user or for another plan, loan
    or team is refused (RuleError), never mistaken for a replay."""
    _check_key(key)
    if not key:
        return None
    entry = LedgerEntry.objects.filter(idempotency_key=key).select_related("fund").first()
    if entry is None:
        return None
    same = (
        entry.created_by_id == user.pk
        and entry.kind == kind
        and (plan is None or entry.plan_id == plan.pk)
        and (loan is None or entry.loan_id == loan.pk)
        and (team is None or entry.fund.team_id == team.pk)
    )
    if not same:
        raise RuleError(FOREIGN_TOKEN_MESSAGE)
    entry.replayed = True
    return entry


def commitment_fund(plan):
    commitment = LedgerEntry.objects.filter(plan=plan, kind=EntryKind.COMMITMENT).select_related("fund").first()
    if commitment is None:
        raise RuleError(NO_COMMITMENT_MESSAGE)
    return commitment.fund


def create_fund(user, *, team, year, name, amount_cents, idempotency_key=None) -> Fund:
    """Create (or top up) a team's fund for a year with an allocation."""
    permissions.require(
        "budget.manage_funds",
        user,
        team,
        _("Alleen een budgetfiatteur van de gemeente van dit team kan een budget aanmaken."),
    )
    check_amount(amount_cents)
    done = existing(idempotency_key, user, kind=EntryKind.ALLOCATION, team=team)
    if done is not None:
        done.fund.replayed = True
        return done.fund
    with transaction.atomic():
        fund, _created = Fund.objects.get_or_create(
            team=team, year=year, name=name, defaults={"municipality_id": team.municipality_id}
        )
        append(
            fund,
            EntryKind.ALLOCATION,
            amount_cents,
            user,
            description="Toegekend budget",
            idempotency_key=idempotency_key,
        )
    fund.refresh_from_db()
    return fund


def allocate(user, fund, amount_cents, description="Extra budget") -> LedgerEntry:
    permissions.require("budget.manage_funds", user, fund, _("Alleen een budgetfiatteur kan budget toekennen."))
    with transaction.atomic():
        return append(fund, EntryKind.ALLOCATION, amount_cents, user, description=description)


def spend(user, plan: Plan, amount_cents, kind, *, description, idempotency_key, loan_data=None):
    """A payment or a loan out of an approved plan's commitment. The caller has checked the gate and the rule."""
    check_amount(amount_cents)
    done = existing(idempotency_key, user, kind=kind, plan=plan)
    if done is not None:
        return done
    try:
        with transaction.atomic():
            locked = Plan.objects.select_for_update().get(pk=plan.pk)
            if locked.status != Plan.Status.APPROVED:
                raise RuleError(_("Dit plan is nog niet goedgekeurd. Er kan pas betaald worden na goedkeuring."))
            fund = commitment_fund(plan)
            remaining = selectors.plan_money(plan)["remaining"]
            if amount_cents > remaining:
                raise RuleError(
                    _("Dit is meer dan er voor dit plan nog is goedgekeurd (%(r)s).")
                    % {"r": format_euro_cents(remaining)},
                    "amount",
                )
            loan = None
            if loan_data is not None:
                loan = Loan.objects.create(
                    municipality_id=plan.municipality_id, plan=plan, fund=fund, amount_cents=amount_cents, **loan_data
                )
            entry = append(
                fund,
                kind,
                amount_cents,
                user,
                plan=plan,
                loan=loan,
                description=description,
                idempotency_key=idempotency_key,
            )
            what = _("Lening verstrekt") if loan else _("Betaald")
            event(plan, user, kind, f"{what}: {format_euro_cents(amount_cents)}")
            return entry
    except IntegrityError:
        done = existing(idempotency_key, user, kind=kind, plan=plan)
        if done is not None:
            return done
        raise


def pay(user, plan: Plan, amount_cents: int, *, description="", idempotency_key=None) -> LedgerEntry:
    selectors.visible_plan(user, plan)
    permissions.require("budget.pay", user, plan, _("U mag geen betalingen doen."))
    return spend(
        user,
        plan,
        amount_cents,
        EntryKind.PAYMENT,
        description=description or "Betaling",
        idempotency_key=idempotency_key,
    )
