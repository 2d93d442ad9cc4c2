"""The hand-budget ledger: funds, allocations and payments. Every booking is one append-only LedgerEntry and
moves the fund's available cash in the same transaction; a one-time form token is the entry's idempotency key."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doorbraak.core import permissions
from doorbraak.core.errors import RuleError
from doorbraak.core.templatetags.doorbraak import format_euro_cents

from .. import selectors
from ..models import (
    BALANCE_SIGN,
    TOTAL_FIELD,
    EntryKind,
    Fund,
    LedgerEntry,
    Loan,
    PaymentOrder,
    Plan,
    PlanFunding,
    SepaExport,
)
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
    """Insert one entry and move the fund's running totals in the same transaction (one UPDATE with
    F-expressions). A kind that lowers `available` (a commitment) is a conditional UPDATE, so two concurrent
    approvals cannot commit more than the fund holds: the loser gets the fund's balance in a Dutch message. The
    database CHECKs (available >= 0, the formula, open commitments >= 0) are the last line. Call inside atomic()."""
    check_amount(amount_cents)
    sign = BALANCE_SIGN.get(kind, 0)
    changes = {TOTAL_FIELD[kind]: F(TOTAL_FIELD[kind]) + amount_cents} if kind in TOTAL_FIELD else {}
    rows = Fund.objects.filter(pk=fund.pk)
    if sign:
        changes["available_cents"] = F("available_cents") + sign * amount_cents
    if sign < 0:
        rows = rows.filter(available_cents__gte=amount_cents)
    if kind in (EntryKind.PAYMENT, EntryKind.LOAN_OUT, EntryKind.RELEASE):
        # spends or releases an open commitment: never more than is open
        rows = rows.filter(committed_cents__gte=F("released_cents") + F("paid_cents") + F("lent_cents") + amount_cents)
    if changes and not rows.update(**changes):
        available = Fund.objects.filter(pk=fund.pk).values_list("available_cents", flat=True).first() or 0
        raise RuleError(
            _("Er staat niet genoeg geld in %(f)s: nog beschikbaar %(a)s, nodig %(n)s.")
            % {"f": fund, "a": format_euro_cents(available), "n": format_euro_cents(amount_cents)},
            "amount",
        )
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


DUPLICATE_WINDOW = datetime.timedelta(hours=24)


class DuplicatePayment(RuleError):
    """A payment with the same plan, payee and amount within 24 hours: paid again only with an explicit "yes"."""

    def __init__(self, first):
        self.first = first
        super().__init__(
            _(
                "Op %(d)s is al %(a)s aan %(p)s betaald voor dit plan. Vink “Ja, nogmaals betalen” aan als dit "
                "echt een tweede betaling is."
            )
            % {
                "d": timezone.localtime(first.created_at).strftime("%d-%m-%Y %H:%M"),
                "a": format_euro_cents(first.amount_cents),
                "p": first.payee_name,
            },
            "pay_again",
        )


def normalise_iban(value: str) -> str:
    """The IBAN in its electronic form, or a RuleError in Dutch (wrong check digits, length, country)."""
    from schwifty import IBAN
    from schwifty.exceptions import SchwiftyException

    text = "".join(str(value or "").split()).upper()
    if not text:
        raise RuleError(_("Vul het IBAN van de begunstigde in."), "iban")
    try:
        return IBAN(text).compact
    except SchwiftyException:
        raise RuleError(
            _("Dit IBAN klopt niet (controleer de tekens en de controlecijfers), bijvoorbeeld NL91 ABNA 0417 1643 00."),
            "iban",
        ) from None


def duplicate_of(plan, payee_iban, amount_cents, now=None):
    """The earlier payment order with the same plan, payee IBAN and amount in the last 24 hours, if any."""
    now = now or timezone.now()
    return (
        PaymentOrder.objects.filter(
            plan=plan, iban=payee_iban, amount_cents=amount_cents, created_at__gte=now - DUPLICATE_WINDOW
        )
        .order_by("-created_at")
        .first()
    )


def pay(
    user,
    plan: Plan,
    amount_cents: int,
    *,
    description="",
    idempotency_key=None,
    payee_name="",
    iban="",
    pay_again=False,
) -> LedgerEntry:
    """A payment out of the plan's commitment. With a payee (name and IBAN, checked by schwifty) it becomes a
    payment order for the SEPA file; a second order for the same plan, payee and amount within 24 hours is refused
    (DuplicatePayment, showing the first) unless `pay_again`."""
    selectors.visible_plan(user, plan)
    permissions.require("budget.pay", user, plan, _("U mag geen betalingen doen."))
    done = existing(idempotency_key, user, kind=EntryKind.PAYMENT, plan=plan)
    if done is not None:
        return done
    compact = ""
    if payee_name.strip() or iban.strip():
        if not payee_name.strip():
            raise RuleError(_("Vul de naam van de begunstigde in."), "payee_name")
        compact = normalise_iban(iban)
        check_amount(amount_cents)
        if not pay_again and (first := duplicate_of(plan, compact, amount_cents)) is not None:
            raise DuplicatePayment(first)
    with transaction.atomic():
        entry = spend(
            user,
            plan,
            amount_cents,
            EntryKind.PAYMENT,
            description=description or "Betaling",
            idempotency_key=idempotency_key,
        )
        if compact and not getattr(entry, "replayed", False):
            PaymentOrder.objects.create(
                municipality_id=plan.municipality_id,
                entry=entry,
                plan=plan,
                fund=entry.fund,
                payee_name=payee_name.strip()[:70],
                iban=compact,
                amount_cents=amount_cents,
                reference=(description or "Betaling")[:140],
            )
    return entry


def close_funding(user, plan: Plan) -> int:
    """Close the plan's money: what is still open of its commitment goes back to the fund (a RELEASE entry).
    Returns the cents released. Once only."""
    selectors.visible_plan(user, plan)
    permissions.require("budget.close_funding", user, plan, _("U mag de financiering van dit plan niet afsluiten."))
    with transaction.atomic():
        funding = PlanFunding.objects.select_for_update().filter(plan=plan).first()
        if funding is None:
            raise RuleError(NO_COMMITMENT_MESSAGE)
        if funding.closed_at is not None:
            raise RuleError(_("De financiering van dit plan is al afgesloten."))
        remaining = selectors.plan_money(plan)["remaining"]
        if remaining > 0:
            append(funding.fund, EntryKind.RELEASE, remaining, user, plan=plan, description="Vrijval bij afsluiten")
        funding.closed_at = timezone.now()
        funding.closed_by = user
        funding.save(update_fields=["closed_at", "closed_by"])
        event(
            plan,
            user,
            "funding_closed",
            _("Financiering afgesloten; vrijgevallen: %(a)s") % {"a": format_euro_cents(remaining)},
        )
    return remaining


def export_sepa(user, fund: Fund, execution_date=None):
    """All payment orders of the fund not yet exported, in one pain.001.001.03 file (sepaxml validates it against
    the XSD), each order marked in the same transaction so it is exported exactly once. None when nothing is open."""
    from sepaxml import SepaTransfer

    permissions.require("budget.export_sepa", user, fund, _("U mag geen betaalbestand maken."))
    if not fund.iban:
        raise RuleError(_("Dit budget heeft nog geen IBAN van de gemeente; vul dat eerst in."))
    with transaction.atomic():
        orders = list(PaymentOrder.objects.select_for_update().filter(fund=fund, export__isnull=True).order_by("id"))
        if not orders:
            return None
        config = {"name": str(fund.municipality)[:70], "IBAN": fund.iban, "batch": True, "currency": "EUR"}
        sepa = SepaTransfer(config, clean=True)
        when = execution_date or timezone.localdate()
        for order in orders:
            sepa.add_payment(
                {
                    "name": order.payee_name,
                    "IBAN": order.iban,
                    "amount": order.amount_cents,
                    "execution_date": when,
                    "description": order.reference or "Betaling",
                    "endtoend_id": f"DB{order.pk}",
                }
            )
        xml = sepa.export(validate=True).decode()
        export = SepaExport.objects.create(
            municipality_id=fund.municipality_id,
            fund=fund,
            message_id=sepa.msg_id[:35],
            xml=xml,
            total_cents=sum(o.amount_cents for o in orders),
            count=len(orders),
            created_by=user,
        )
        marked = PaymentOrder.objects.filter(pk__in=[o.pk for o in orders], export__isnull=True).update(export=export)
        if marked != len(orders):  # pragma: no cover - the rows are locked; a second exporter waits
            raise RuleError(_("Een deel van deze betalingen is intussen al geëxporteerd. Probeer het opnieuw."))
    return export


def set_fund_iban(user, fund: Fund, iban: str) -> Fund:
    """The municipality's account the fund's SEPA file pays from."""
    permissions.require("budget.export_sepa", user, fund, _("U mag het IBAN van dit budget niet wijzigen."))
    fund.iban = normalise_iban(iban)
    Fund.objects.filter(pk=fund.pk).update(iban=fund.iban)
    return fund
