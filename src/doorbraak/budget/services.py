"""Budget writes: catalogue, plans, approval by mandate, and the ledger. One function per use case.

Every function checks permission, validates, and writes inside one transaction; a refusal raises
BudgetError with a Dutch message and writes nothing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from doorbraak.cases.models import Case, TimelineEntry
from doorbraak.cases.services import claim_form_token
from doorbraak.core import dates as date_ranges
from doorbraak.core.choices import Funder
from doorbraak.core.models import Role
from doorbraak.core.templatetags.doorbraak import format_euro_cents

from . import calculations as calc
from .catalogue_data import CATALOGUE
from .models import (
    BALANCE_SIGN,
    MAX_AMOUNT_CENTS,
    CatalogueItem,
    CatalogueRevision,
    EntryKind,
    Fund,
    LedgerEntry,
    Loan,
    MandateRule,
    Plan,
    PlanEvent,
    PlanLine,
    PlanShare,
    RealisedCost,
    Reclaim,
    Scenario,
)

DEFAULT_MANDATES = {
    Role.PROFESSIONAL: 0,
    Role.LEAD: 10_000_00,
    Role.APPROVER: 100_000_00,
}
CATALOGUE_EDITORS = {Role.LEAD, Role.APPROVER, Role.POLICY, Role.ADMIN}
PLAN_EDITORS = {Role.PROFESSIONAL, Role.LEAD}
PAYERS = {Role.LEAD, Role.APPROVER}
FUND_MANAGERS = {Role.APPROVER, Role.ADMIN}


class BudgetError(Exception):
    """A refused budget action; the message is Dutch and shown to the user."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


def _check_amount(amount_cents, field="amount"):
    if not isinstance(amount_cents, int) or isinstance(amount_cents, bool):
        raise BudgetError(_("Het bedrag moet een bedrag in euro's zijn."), field)
    if amount_cents <= 0:
        raise BudgetError(_("Het bedrag moet groter dan € 0,00 zijn."), field)
    if amount_cents > MAX_AMOUNT_CENTS:
        raise BudgetError(_("Dit bedrag is onwaarschijnlijk hoog. Controleer het bedrag."), field)


def _require_role(user, roles, message):
    if not (user.is_active and user.role in roles):
        raise BudgetError(message)


# --------------------------------------------------------------------------------------------------
# Catalogue
# --------------------------------------------------------------------------------------------------


def ensure_default_catalogue(municipality) -> int:
    """Give a municipality the default reference prices (once per code). Returns the number added."""
    existing = set(CatalogueItem.objects.filter(municipality=municipality).values_list("code", flat=True))
    new = [
        CatalogueItem(municipality=municipality, is_default=True, **row)
        for row in CATALOGUE
        if row["code"] not in existing
    ]
    if not new:
        return 0
    with transaction.atomic():
        CatalogueItem.objects.bulk_create(new, ignore_conflicts=True)
        items = CatalogueItem.objects.filter(municipality=municipality, code__in=[i.code for i in new])
        CatalogueRevision.objects.bulk_create([
            CatalogueRevision(
                municipality=municipality, item=item, amount_cents=item.amount_cents, price_year=item.price_year,
                source=item.source, source_type=item.source_type, confidence=item.confidence,
                reason="Standaardcatalogus",
            )
            for item in items if not item.revisions.exists()
        ])
    return len(new)


def change_catalogue_item(user, item, *, amount_cents, price_year, source, source_type, confidence, reason):
    _require_role(user, CATALOGUE_EDITORS, _("U mag de kostenkengetallen niet wijzigen."))
    if item.municipality_id != user.municipality_id:
        raise BudgetError(_("Dit kostenkengetal hoort niet bij uw gemeente."))
    _check_amount(amount_cents, "amount")
    if not reason.strip():
        raise BudgetError(_("Geef een reden voor de wijziging."), "reason")
    with transaction.atomic():
        item = CatalogueItem.objects.select_for_update().get(pk=item.pk)
        item.amount_cents, item.price_year = amount_cents, price_year
        item.source, item.source_type, item.confidence = source, source_type, confidence
        item.save()
        CatalogueRevision.objects.create(
            municipality=item.municipality, item=item, amount_cents=amount_cents, price_year=price_year,
            source=source, source_type=source_type, confidence=confidence, reason=reason.strip()[:300],
            changed_by=user,
        )
    return item


def add_catalogue_item(user, *, code, name, unit, amount_cents, funder, source, source_type, confidence, price_year):
    _require_role(user, CATALOGUE_EDITORS, _("U mag geen kostenkengetallen toevoegen."))
    _check_amount(amount_cents, "amount")
    if CatalogueItem.objects.filter(municipality=user.municipality, code=code).exists():
        raise BudgetError(_("Er is al een kostenkengetal met deze code."), "code")
    with transaction.atomic():
        item = CatalogueItem.objects.create(
            municipality=user.municipality, code=code, name=name, unit=unit, amount_cents=amount_cents,
            funder=funder, source=source, source_type=source_type, confidence=confidence, price_year=price_year,
        )
        CatalogueRevision.objects.create(
            municipality=item.municipality, item=item, amount_cents=amount_cents, price_year=price_year,
            source=source, source_type=source_type, confidence=confidence, reason="Toegevoegd", changed_by=user,
        )
    return item


# --------------------------------------------------------------------------------------------------
# Plans
# --------------------------------------------------------------------------------------------------


def _event(plan, user, kind, summary, timeline=True):
    PlanEvent.objects.create(municipality_id=plan.municipality_id, plan=plan, actor=user, kind=kind,
                             summary=summary[:300])
    if timeline:
        TimelineEntry.objects.create(municipality_id=plan.municipality_id, case_id=plan.case_id, actor=user,
                                     kind=f"plan.{kind}", summary=summary[:300])


def _editable(user, plan):
    _require_role(user, PLAN_EDITORS, _("Alleen professionals en doorbraakregisseurs kunnen een plan maken."))
    if plan.status != Plan.Status.DRAFT:
        raise BudgetError(_("Dit plan is al ingediend en kan niet meer worden gewijzigd."))


def start_plan(user, case: Case) -> Plan:
    _require_role(user, PLAN_EDITORS, _("Alleen professionals en doorbraakregisseurs kunnen een plan maken."))
    with transaction.atomic():
        plan, created = Plan.objects.get_or_create(
            case=case, defaults={"municipality_id": case.municipality_id, "created_by": user}
        )
        if created:
            _event(plan, user, "created", _("Maatwerkplan gestart"))
    return plan


def update_plan(user, plan: Plan, **fields) -> Plan:
    _editable(user, plan)
    horizon = fields.get("horizon_years", plan.horizon_years)
    try:
        calc.check_horizon(int(horizon))
    except (TypeError, ValueError):
        raise BudgetError(_("Kies een looptijd van 1 tot en met 5 jaar."), "horizon_years")
    allowed = {"horizon_years", "outcome_do_nothing", "outcome_regular", "outcome_custom",
               "justification_legality", "justification_return", "justification_engagement"}
    with transaction.atomic():
        for name, value in fields.items():
            if name in allowed:
                setattr(plan, name, value)
        plan.save()
        _event(plan, user, "updated", _("Plan bijgewerkt"), timeline=False)
    return plan


def add_line(user, plan: Plan, *, scenario, description, unit, amount_cents, quantity, duration, funder,
             start_month=0, catalogue_item=None) -> PlanLine:
    _editable(user, plan)
    _check_amount(amount_cents, "amount")
    if quantity <= 0 or quantity > 100_000:
        raise BudgetError(_("Het aantal moet groter dan 0 en niet onwaarschijnlijk groot zijn."), "quantity")
    if duration <= 0 or duration > 100_000:
        raise BudgetError(_("De duur moet groter dan 0 en niet onwaarschijnlijk groot zijn."), "duration")
    if not (0 <= start_month < plan.horizon_years * 12):
        raise BudgetError(_("De start moet binnen de looptijd van het plan liggen."), "start_month")
    if scenario not in Scenario.values:
        raise BudgetError(_("Kies een scenario."), "scenario")
    with transaction.atomic():
        line = PlanLine.objects.create(
            municipality_id=plan.municipality_id, plan=plan, scenario=scenario, description=description[:200],
            unit=unit, amount_cents=amount_cents, quantity=quantity, duration=duration, funder=funder,
            start_month=start_month, catalogue_item=catalogue_item,
        )
        _event(plan, user, "line_added", _("Kostenregel toegevoegd aan %(s)s") % {"s": Scenario(scenario).label},
               timeline=False)
    return line


def remove_line(user, plan: Plan, line_id: int) -> None:
    _editable(user, plan)
    with transaction.atomic():
        deleted, _rows = PlanLine.objects.filter(plan=plan, pk=line_id).delete()
        if deleted:
            _event(plan, user, "line_removed", _("Kostenregel verwijderd"), timeline=False)


def plan_lines(plan: Plan, scenario: str) -> list[calc.Line]:
    return [
        calc.Line(unit=line.unit, amount_cents=line.amount_cents, quantity=line.quantity, duration=line.duration,
                  funder=line.funder, start_month=line.start_month)
        for line in plan.lines.all() if line.scenario == scenario
    ]


MUNICIPAL_FUNDERS = {Funder.WMO, Funder.JEUGDWET, Funder.PARTICIPATIEWET}


def agreed_shares(plan: Plan) -> dict[str, Decimal]:
    return {s.funder: Decimal(s.basis_points) / Decimal(10000) for s in plan.shares.all()}


def adopt_cofunding(user, plan: Plan) -> list[PlanShare]:
    """Split the custom plan between funders in proportion to each funder's avoided cost (vs doing nothing)."""
    _editable(user, plan)
    custom = calc.scenario(plan_lines(plan, Scenario.CUSTOM), plan.horizon_years)
    nothing = calc.scenario(plan_lines(plan, Scenario.DO_NOTHING), plan.horizon_years)
    shares = calc.proposed_shares(calc.avoided(custom, nothing))
    if not shares:
        raise BudgetError(_("Er is geen financier die bespaart; een verdeling kan nog niet worden voorgesteld."))
    with transaction.atomic():
        PlanShare.objects.filter(plan=plan).delete()
        rows = PlanShare.objects.bulk_create([
            PlanShare(municipality_id=plan.municipality_id, plan=plan, funder=f, basis_points=int(share * 10000))
            for f, share in shares.items()
        ])
        _event(plan, user, "cofunding", _("Verdeling over financiers vastgelegd"), timeline=False)
    return rows


def clear_cofunding(user, plan: Plan) -> None:
    _editable(user, plan)
    with transaction.atomic():
        PlanShare.objects.filter(plan=plan).delete()
        _event(plan, user, "cofunding", _("Verdeling over financiers verwijderd"), timeline=False)


def submit_plan(user, plan: Plan) -> Plan:
    _editable(user, plan)
    missing = [
        label for name, label in (
            ("justification_legality", _("rechtmatigheid")),
            ("justification_return", _("rendement")),
            ("justification_engagement", _("betrokkenheid")),
        ) if not getattr(plan, name).strip()
    ]
    if missing:
        raise BudgetError(_("Vul eerst de onderbouwing in voor: %(m)s.") % {"m": ", ".join(str(m) for m in missing)})
    custom = plan_lines(plan, Scenario.CUSTOM)
    if not custom:
        raise BudgetError(_("Het maatwerkplan heeft nog geen kostenregels."))
    total = calc.scenario(custom, plan.horizon_years).total
    with transaction.atomic():
        updated = Plan.objects.filter(pk=plan.pk, status=Plan.Status.DRAFT).update(
            status=Plan.Status.SUBMITTED, submitted_by=user, submitted_at=timezone.now(), requested_cents=total,
        )
        if not updated:
            raise BudgetError(_("Dit plan is al ingediend."))
        plan.refresh_from_db()
        _event(plan, user, "submitted", _("Plan ingediend voor %(a)s") % {"a": format_euro_cents(total)})
    return plan


def mandate_of(user) -> int:
    rule = MandateRule.objects.filter(municipality_id=user.municipality_id, role=user.role).first()
    if rule is not None:
        return rule.max_amount_cents
    return DEFAULT_MANDATES.get(user.role, 0)


def fund_for(plan: Plan, year: int | None = None) -> Fund | None:
    year = year or timezone.localdate().year
    return Fund.objects.filter(team_id=plan.case.team_id, year=year).order_by("name").first()


def approve_plan(user, plan: Plan) -> Plan:
    if plan.status != Plan.Status.SUBMITTED:
        raise BudgetError(_("Alleen een ingediend plan kan worden goedgekeurd."))
    if user.municipality_id != plan.municipality_id:
        raise BudgetError(_("Dit plan hoort niet bij uw gemeente."))
    if plan.submitted_by_id == user.pk:
        raise BudgetError(_("U kunt uw eigen plan niet goedkeuren. Een collega met mandaat moet dit doen."))
    mandate = mandate_of(user)
    if mandate <= 0:
        raise BudgetError(_("U heeft geen mandaat om plannen goed te keuren."))
    if plan.requested_cents > mandate:
        if user.role == Role.APPROVER:
            raise BudgetError(
                _("Dit plan (%(a)s) is hoger dan het hoogste mandaat (%(m)s). Leg het voor aan de wethouder; "
                  "dat gaat buiten Doorbraak om.") % {"a": format_euro_cents(plan.requested_cents),
                                                     "m": format_euro_cents(mandate)})
        raise BudgetError(
            _("Dit plan (%(a)s) is hoger dan uw mandaat (%(m)s). Een budgetfiatteur moet het goedkeuren.")
            % {"a": format_euro_cents(plan.requested_cents), "m": format_euro_cents(mandate)})
    fund = fund_for(plan)
    if fund is None:
        raise BudgetError(_("Er is geen handgeldbudget voor dit team in %(y)s. Vraag de budgetfiatteur er een aan "
                            "te maken.") % {"y": timezone.localdate().year})
    with transaction.atomic():
        updated = Plan.objects.filter(pk=plan.pk, status=Plan.Status.SUBMITTED).exclude(submitted_by=user).update(
            status=Plan.Status.APPROVED, approved_by=user, approved_at=timezone.now()
        )
        if not updated:
            raise BudgetError(_("Dit plan is al goedgekeurd of teruggestuurd."))
        plan.refresh_from_db()
        _append(fund, EntryKind.COMMITMENT, plan.requested_cents, user, plan=plan,
                description="Goedgekeurd maatwerkplan")
        # Co-funding: the municipality pre-finances; other funders' shares are expected back.
        for funder, amount in calc.split_amount(plan.requested_cents, agreed_shares(plan)).items():
            if funder not in MUNICIPAL_FUNDERS and amount > 0:
                reclaim = Reclaim.objects.create(municipality_id=plan.municipality_id, plan=plan, fund=fund,
                                                 funder=funder, amount_cents=amount)
                _append(fund, EntryKind.RECLAIM_EXPECTED, amount, user, plan=plan, reclaim=reclaim,
                        description=f"Cofinanciering {funder}")
        _event(plan, user, "approved", _("Plan goedgekeurd (%(a)s)") % {"a": format_euro_cents(plan.requested_cents)})
    return plan


def return_plan(user, plan: Plan, reason: str) -> Plan:
    _require_role(user, {Role.LEAD, Role.APPROVER}, _("U mag plannen niet beoordelen."))
    if plan.status != Plan.Status.SUBMITTED:
        raise BudgetError(_("Alleen een ingediend plan kan worden teruggestuurd."))
    if not reason.strip():
        raise BudgetError(_("Geef een reden waarom het plan terug gaat."), "reason")
    with transaction.atomic():
        Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.DRAFT, requested_cents=0)
        plan.refresh_from_db()
        _event(plan, user, "returned", _("Plan teruggestuurd: %(r)s") % {"r": reason.strip()})
    return plan


# --------------------------------------------------------------------------------------------------
# Ledger
# --------------------------------------------------------------------------------------------------


def _append(fund, kind, amount_cents, user, *, plan=None, loan=None, reclaim=None, description="",
            idempotency_key=None) -> LedgerEntry:
    """Insert one entry and move the fund's available cash in the same transaction. Refuses overspending with a
    conditional UPDATE, so concurrent payments cannot take the fund below zero. Call inside atomic()."""
    _check_amount(amount_cents)
    sign = BALANCE_SIGN.get(kind, 0)
    if sign < 0:
        moved = Fund.objects.filter(pk=fund.pk, available_cents__gte=amount_cents).update(
            available_cents=F("available_cents") - amount_cents
        )
        if not moved:
            raise BudgetError(_("Er staat niet genoeg geld in %(f)s voor dit bedrag.") % {"f": fund}, "amount")
    elif sign > 0:
        Fund.objects.filter(pk=fund.pk).update(available_cents=F("available_cents") + amount_cents)
    return LedgerEntry.objects.create(
        municipality_id=fund.municipality_id, fund=fund, kind=kind, amount_cents=amount_cents, plan=plan, loan=loan,
        reclaim=reclaim, description=description[:200], idempotency_key=idempotency_key or None, created_by=user,
    )


def recompute_balance(fund) -> int:
    """The fund's available cash recomputed from its entries (must equal fund.available_cents)."""
    total = 0
    for row in LedgerEntry.objects.filter(fund=fund).values("kind").annotate(s=Sum("amount_cents")):
        total += BALANCE_SIGN.get(row["kind"], 0) * row["s"]
    return total


def create_fund(user, *, team, year, name, amount_cents, idempotency_key=None) -> Fund:
    """Create (or top up) a team's fund for a year with an allocation."""
    _require_role(user, FUND_MANAGERS, _("Alleen een budgetfiatteur kan een budget aanmaken."))
    _check_amount(amount_cents)
    done = _existing(idempotency_key, user, kind=EntryKind.ALLOCATION, team=team)
    if done is not None:
        done.fund.replayed = True
        return done.fund
    if team.municipality_id != user.municipality_id:
        raise BudgetError(_("Dit team hoort niet bij uw gemeente."))
    with transaction.atomic():
        fund, _created = Fund.objects.get_or_create(
            team=team, year=year, name=name, defaults={"municipality_id": team.municipality_id}
        )
        _append(fund, EntryKind.ALLOCATION, amount_cents, user, description="Toegekend budget",
                idempotency_key=idempotency_key)
    fund.refresh_from_db()
    return fund


def allocate(user, fund, amount_cents, description="Extra budget") -> LedgerEntry:
    _require_role(user, FUND_MANAGERS, _("Alleen een budgetfiatteur kan budget toekennen."))
    with transaction.atomic():
        return _append(fund, EntryKind.ALLOCATION, amount_cents, user, description=description)


def plan_money(plan) -> dict:
    """Committed, paid and lent on a plan (cents)."""
    sums = {row["kind"]: row["s"] for row in LedgerEntry.objects.filter(plan=plan).values("kind").annotate(
        s=Sum("amount_cents"))}
    committed = sums.get(EntryKind.COMMITMENT, 0) - sums.get(EntryKind.RELEASE, 0)
    spent = sums.get(EntryKind.PAYMENT, 0) + sums.get(EntryKind.LOAN_OUT, 0)
    return {"committed": committed, "paid": sums.get(EntryKind.PAYMENT, 0), "lent": sums.get(EntryKind.LOAN_OUT, 0),
            "remaining": committed - spent}


IDEMPOTENCY_KEY_LENGTH = 64  # LedgerEntry.idempotency_key
REPLAY_MESSAGE = _("Dit formulier was al verstuurd; er is niets opnieuw geboekt.")
FOREIGN_TOKEN_MESSAGE = _("Dit formulier hoort bij een andere boeking of een andere gebruiker; er is niets geboekt. "
                          "Open het formulier opnieuw.")
NO_COMMITMENT_MESSAGE = _("Voor dit plan is geen budget vastgelegd, dus er kan niets van betaald worden. Vraag de "
                          "budgetfiatteur om het plan opnieuw te beoordelen.")


def _check_key(key):
    if key is not None and (not isinstance(key, str) or len(key) > IDEMPOTENCY_KEY_LENGTH):
        raise BudgetError(FOREIGN_TOKEN_MESSAGE)


def _existing(key, user, *, kind, plan=None, loan=None, team=None):
    """The entry booked earlier with this one-time key, if any, marked `replayed`. A key is bound to the user, the
    kind of booking and the object it was first used for: the same key from another user or for another plan, loan
    or team is refused (BudgetError), never mistaken for a replay."""
    _check_key(key)
    if not key:
        return None
    entry = LedgerEntry.objects.filter(idempotency_key=key).select_related("fund").first()
    if entry is None:
        return None
    same = (entry.created_by_id == user.pk and entry.kind == kind
            and (plan is None or entry.plan_id == plan.pk)
            and (loan is None or entry.loan_id == loan.pk)
            and (team is None or entry.fund.team_id == team.pk))
    if not same:
        raise BudgetError(FOREIGN_TOKEN_MESSAGE)
    entry.replayed = True
    return entry


def _commitment_fund(plan):
    commitment = LedgerEntry.objects.filter(plan=plan, kind=EntryKind.COMMITMENT).select_related("fund").first()
    if commitment is None:
        raise BudgetError(NO_COMMITMENT_MESSAGE)
    return commitment.fund


def _spend(user, plan: Plan, amount_cents, kind, *, description, idempotency_key, loan_data=None):
    _require_role(user, PAYERS, _("U mag geen betalingen doen."))
    _check_amount(amount_cents)
    if user.municipality_id != plan.municipality_id:
        raise BudgetError(_("Dit plan hoort niet bij uw gemeente."))
    done = _existing(idempotency_key, user, kind=kind, plan=plan)
    if done is not None:
        return done
    try:
        with transaction.atomic():
            locked = Plan.objects.select_for_update().get(pk=plan.pk)
            if locked.status != Plan.Status.APPROVED:
                raise BudgetError(_("Dit plan is nog niet goedgekeurd. Er kan pas betaald worden na goedkeuring."))
            fund = _commitment_fund(plan)
            remaining = plan_money(plan)["remaining"]
            if amount_cents > remaining:
                raise BudgetError(_("Dit is meer dan er voor dit plan nog is goedgekeurd (%(r)s).")
                                  % {"r": format_euro_cents(remaining)}, "amount")
            loan = None
            if loan_data is not None:
                loan = Loan.objects.create(municipality_id=plan.municipality_id, plan=plan, fund=fund,
                                           amount_cents=amount_cents, **loan_data)
            entry = _append(fund, kind, amount_cents, user, plan=plan, loan=loan, description=description,
                            idempotency_key=idempotency_key)
            what = _("Lening verstrekt") if loan else _("Betaald")
            _event(plan, user, kind, f"{what}: {format_euro_cents(amount_cents)}")
            return entry
    except IntegrityError:
        done = _existing(idempotency_key, user, kind=kind, plan=plan)
        if done is not None:
            return done
        raise


def pay(user, plan: Plan, amount_cents: int, *, description="", idempotency_key=None) -> LedgerEntry:
    return _spend(user, plan, amount_cents, EntryKind.PAYMENT, description=description or "Betaling",
                  idempotency_key=idempotency_key)


def grant_loan(user, plan: Plan, amount_cents: int, *, condition: str, deadline: datetime.date,
               idempotency_key=None) -> LedgerEntry:
    if not condition.strip():
        raise BudgetError(_("Beschrijf de voorwaarde van de lening."), "condition")
    if deadline <= timezone.localdate():
        raise BudgetError(_("De uiterste datum moet in de toekomst liggen."), "deadline")
    if message := date_ranges.LOAN_DEADLINE.problem(deadline):
        raise BudgetError(message, "deadline")
    return _spend(user, plan, amount_cents, EntryKind.LOAN_OUT, description="Lening",
                  idempotency_key=idempotency_key, loan_data={"condition": condition.strip(), "deadline": deadline})


def loan_outcome(user, loan: Loan, outcome: str) -> Loan:
    """Record the outcome of the loan's condition: kept (repay from income) or lost culpably (repay in full)."""
    _require_role(user, PAYERS, _("U mag de uitkomst van een lening niet vastleggen."))
    if outcome not in (Loan.Status.REPAY_FROM_INCOME, Loan.Status.REPAY_IN_FULL):
        raise BudgetError(_("Kies een uitkomst."), "outcome")
    with transaction.atomic():
        updated = Loan.objects.filter(pk=loan.pk, status=Loan.Status.OUTSTANDING).update(status=outcome)
        if not updated:
            raise BudgetError(_("De uitkomst van deze lening is al vastgelegd."))
        loan.refresh_from_db()
        _event(loan.plan, user, "loan_outcome", str(Loan.Status(outcome).label))
    return loan


def loan_outstanding(loan: Loan) -> int:
    repaid = loan.entries.filter(kind=EntryKind.LOAN_REPAYMENT).aggregate(s=Sum("amount_cents"))["s"] or 0
    return loan.amount_cents - repaid


def repay_loan(user, loan: Loan, amount_cents: int, *, idempotency_key=None) -> LedgerEntry:
    _require_role(user, PAYERS, _("U mag geen aflossing vastleggen."))
    _check_amount(amount_cents)
    done = _existing(idempotency_key, user, kind=EntryKind.LOAN_REPAYMENT, loan=loan)
    if done is not None:
        return done
    with transaction.atomic():
        loan = Loan.objects.select_for_update().get(pk=loan.pk)
        outstanding = loan_outstanding(loan)
        if amount_cents > outstanding:
            raise BudgetError(_("Dit is meer dan er nog openstaat (%(o)s).") % {"o": format_euro_cents(outstanding)},
                              "amount")
        entry = _append(loan.fund, EntryKind.LOAN_REPAYMENT, amount_cents, user, plan=loan.plan, loan=loan,
                        description="Aflossing", idempotency_key=idempotency_key)
        if amount_cents == outstanding:
            Loan.objects.filter(pk=loan.pk).update(status=Loan.Status.REPAID)
        _event(loan.plan, user, "loan_repayment", f"Aflossing {format_euro_cents(amount_cents)}")
    return entry


RECLAIM_FLOW = {
    Reclaim.Status.EXPECTED: {Reclaim.Status.CLAIMED, Reclaim.Status.REFUSED},
    Reclaim.Status.CLAIMED: {Reclaim.Status.RECEIVED, Reclaim.Status.REFUSED},
}
RECLAIM_KIND = {
    Reclaim.Status.CLAIMED: EntryKind.RECLAIM_CLAIMED,
    Reclaim.Status.RECEIVED: EntryKind.RECLAIM_RECEIVED,
    Reclaim.Status.REFUSED: EntryKind.RECLAIM_REFUSED,
}


def expect_reclaim(user, plan: Plan, funder: str, amount_cents: int, idempotency_key=None) -> Reclaim:
    """A pre-financed cost that the regular funder should pay back."""
    _require_role(user, PAYERS, _("U mag geen terugvordering vastleggen."))
    _check_amount(amount_cents)
    done = _existing(idempotency_key, user, kind=EntryKind.RECLAIM_EXPECTED, plan=plan)
    if done is not None:
        done.reclaim.replayed = True
        return done.reclaim
    if funder not in Funder.values:
        raise BudgetError(_("Kies een financier."), "funder")
    if plan.status != Plan.Status.APPROVED:
        raise BudgetError(_("Een terugvordering kan pas bij een goedgekeurd plan."))
    fund = _commitment_fund(plan)
    with transaction.atomic():
        reclaim = Reclaim.objects.create(municipality_id=plan.municipality_id, plan=plan, fund=fund,
                                         funder=funder, amount_cents=amount_cents)
        _append(fund, EntryKind.RECLAIM_EXPECTED, amount_cents, user, plan=plan, reclaim=reclaim,
                description=f"Terugvordering {funder}", idempotency_key=idempotency_key)
        _event(plan, user, "reclaim_expected", f"Terugvordering verwacht: {format_euro_cents(amount_cents)}")
    return reclaim


def move_reclaim(user, reclaim: Reclaim, status: str) -> Reclaim:
    _require_role(user, PAYERS, _("U mag geen terugvordering vastleggen."))
    with transaction.atomic():
        reclaim = Reclaim.objects.select_for_update().get(pk=reclaim.pk)
        if status not in RECLAIM_FLOW.get(reclaim.status, set()):
            raise BudgetError(_("Deze stap kan niet vanuit de huidige status."))
        Reclaim.objects.filter(pk=reclaim.pk).update(status=status)
        _append(reclaim.fund, RECLAIM_KIND[status], reclaim.amount_cents, user, plan=reclaim.plan, reclaim=reclaim,
                description=f"Terugvordering {reclaim.funder}")
        reclaim.refresh_from_db()
        _event(reclaim.plan, user, RECLAIM_KIND[status], f"{reclaim.get_status_display()}: "
               f"{format_euro_cents(reclaim.amount_cents)}")
    return reclaim


# --------------------------------------------------------------------------------------------------
# Realised costs (nazorg): what the case really cost, per funder, against the plan's projection
# --------------------------------------------------------------------------------------------------

COST_RECORDERS = {Role.PROFESSIONAL, Role.LEAD, Role.APPROVER}


def plan_start(plan: Plan) -> datetime.date | None:
    """The projection's month 1 is the month the plan was approved (as learning.facts counts it)."""
    if plan.approved_at is None:
        return None
    return timezone.localtime(plan.approved_at).date().replace(day=1)


def may_record_costs(user, plan: Plan) -> bool:
    """Involved professionals of the case (the need-to-know gate) and budget approvers of the municipality."""
    if not (user.is_active and user.role in COST_RECORDERS and user.municipality_id == plan.municipality_id):
        return False
    if user.role == Role.APPROVER:
        return True
    return Case.objects.visible_to(user).filter(pk=plan.case_id).exists()


def record_realised_cost(user, plan: Plan, *, funder, amount_cents, up_to, note="", token=None) -> RealisedCost:
    """Costs that really occurred for `funder` from the plan's start up to and including `up_to`. A later
    record supersedes an earlier one for the same funder (the latest `up_to` counts)."""
    if not may_record_costs(user, plan):
        raise BudgetError(_("U mag voor dit plan geen werkelijke kosten vastleggen."))
    if plan.status != Plan.Status.APPROVED:
        raise BudgetError(_("Werkelijke kosten kunnen pas worden vastgelegd als het plan is goedgekeurd."))
    if funder not in Funder.values:
        raise BudgetError(_("Kies een financier."), "funder")
    if isinstance(amount_cents, bool) or not isinstance(amount_cents, int) or amount_cents < 0:
        raise BudgetError(_("Een bedrag kan niet negatief zijn."), "amount")
    if amount_cents > MAX_AMOUNT_CENTS:
        raise BudgetError(_("Dit bedrag is onwaarschijnlijk hoog. Controleer het bedrag."), "amount")
    if up_to > timezone.localdate():
        raise BudgetError(_("Deze datum ligt in de toekomst. Leg kosten vast die al gemaakt zijn."), "up_to")
    if message := date_ranges.RECENT_PAST.problem(up_to):
        raise BudgetError(message, "up_to")
    start = plan_start(plan)
    if up_to < start:
        raise BudgetError(_("Kies een datum vanaf de start van het plan (%(d)s).")
                          % {"d": f"{start.day}-{start.month}-{start.year}"}, "up_to")
    with transaction.atomic():
        claim_form_token(user, token, purpose="budget.record_realised_cost", obj=plan)
        row = RealisedCost.objects.create(municipality_id=plan.municipality_id, plan=plan, funder=funder,
                                          amount_cents=amount_cents, up_to=up_to, note=note.strip()[:300],
                                          recorded_by=user)
        _event(plan, user, "realised_cost",
               _("Werkelijke kosten %(f)s tot en met %(d)s: %(a)s")
               % {"f": Funder(funder).label, "d": f"{up_to.day}-{up_to.month}-{up_to.year}",
                  "a": format_euro_cents(amount_cents)})
    return row
