"""Budget reads about money: mandates and their levels, the funds a plan may draw on, the budget overview, a fund's
ledger (keyset-paged) and the approver's queue. Re-exported from `budget.selectors` for existing callers."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import OuterRef, Q, Subquery, Sum
from django.utils import timezone

from doorbraak.cases.models import Involvement
from doorbraak.core import permissions
from doorbraak.core.access import deny
from doorbraak.core.db.expressions import PerRowExists
from doorbraak.core.models import Role
from doorbraak.core.seek import SeekPage, parse_position, position

from .models import EntryKind, Fund, LedgerEntry, Loan, MandateHolder, MandateLevel, MandateRule, Plan, PlanFunding

DEFAULT_MANDATES = {
    Role.PROFESSIONAL: 0,
    Role.LEAD: 10_000_00,
    Role.APPROVER: 100_000_00,
}
# The levels a municipality starts with (editable data; `services.mandates.ensure_default_levels`).
DEFAULT_LEVELS = (
    ("Doorbraakregisseur", 10_000_00, Role.LEAD),
    ("Teammanager", 50_000_00, ""),
    ("Gedelegeerde van de wethouder", 100_000_00, Role.APPROVER),
)


def _require_page(user, rule: str, event: str) -> None:
    if not permissions.allowed(rule, user, None):
        raise deny(user, event=event)


# --- Mandates -----------------------------------------------------------------------------------------------


def mandate_levels(municipality_id) -> list[MandateLevel]:
    return list(MandateLevel.objects.filter(municipality_id=municipality_id).order_by("ceiling_cents", "id"))


def mandate_level_of(user) -> MandateLevel | None:
    """The user's level: an explicit MandateHolder row, else the level of the user's role; None without one."""
    if not getattr(user, "municipality_id", None):
        return None
    holder = MandateHolder.objects.filter(user_id=user.pk).select_related("level").first()
    if holder is not None:
        return holder.level
    return MandateLevel.objects.filter(municipality_id=user.municipality_id, default_role=user.role).first()


def mandate_of(user) -> int:
    """How much `user` may approve alone (cents). Levels when the municipality has them; otherwise the older
    per-role MandateRule, else the defaults. Only plan reviewers hold a mandate."""
    if getattr(user, "role", None) not in permissions.PLAN_REVIEWERS:
        return 0
    level = mandate_level_of(user)
    if level is not None:
        return level.ceiling_cents
    rule = MandateRule.objects.filter(municipality_id=user.municipality_id, role=user.role).first()
    if rule is not None:
        return rule.max_amount_cents
    return DEFAULT_MANDATES.get(user.role, 0)


def within_mandate(user, plan, mandate: int | None = None) -> bool:
    """Whether the amount the plan asks lies within what `user` may approve alone (the approve service refuses
    above it, naming the level that must approve); the page shows the approve button only then."""
    return plan.requested_cents <= (mandate_of(user) if mandate is None else mandate)


def required_level(plan_or_amount, municipality_id) -> MandateLevel | None:
    """The lowest level whose ceiling covers the amount: who must approve this plan (None: above every level)."""
    amount = getattr(plan_or_amount, "requested_cents", plan_or_amount)
    return (
        MandateLevel.objects.filter(municipality_id=municipality_id, ceiling_cents__gte=amount)
        .order_by("ceiling_cents", "id")
        .first()
    )


# --- Funds --------------------------------------------------------------------------------------------------


def funds_for(plan: Plan, year: int | None = None) -> list[Fund]:
    """The funds the plan may draw on: its team's funds of the year."""
    year = year or timezone.localdate().year
    return list(Fund.objects.filter(team_id=plan.case.team_id, year=year).order_by("name", "id"))


def fund_for(plan: Plan, year: int | None = None) -> Fund | None:
    """The fund the plan draws on: the fund of its commitment when approved, else the first of the team's funds
    of the year (the approver may pick another)."""
    funding = PlanFunding.objects.filter(plan=plan).select_related("fund").first()
    if funding is not None:
        return funding.fund
    funds = funds_for(plan, year)
    return funds[0] if funds else None


def plan_funding(plan: Plan) -> dict:
    """What the plan page shows about the money: the fund (chosen or default), the other funds the approver may
    pick, who must approve and whether the funding is closed."""
    funding = PlanFunding.objects.filter(plan=plan).select_related("fund").first()
    options = funds_for(plan) if funding is None else []
    levels = mandate_levels(plan.municipality_id) if plan.requested_cents else []  # one read for both answers
    level = next((lv for lv in levels if lv.ceiling_cents >= plan.requested_cents), None)  # as required_level
    return {
        "funding": funding,
        "fund": funding.fund if funding else (options[0] if options else None),
        "options": options,
        "required_level": level,
        "above_all_levels": bool(plan.requested_cents) and level is None and bool(levels),
    }


def fund_overview(user) -> list[dict]:
    """Every fund of the user's municipality with its running totals: one query whatever the number of funds or
    entries (the totals are maintained on Fund by `ledger.append`)."""
    _require_page(user, "budget.view_overview", event="budget.overview")
    rows = []
    for fund in Fund.objects.filter(municipality_id=user.municipality_id).select_related("team"):
        rows.append(
            {
                "fund": fund,
                "allocated": fund.allocated_cents,
                "committed": fund.open_commitments_cents,
                "paid": fund.paid_cents,
                "lent": fund.lent_cents,
                "reclaim_expected": fund.reclaims_open_cents,
                "reclaim_received": fund.reclaim_received_cents,
                "reclaim_refused": fund.reclaim_refused_cents,
                "loans_outstanding": fund.loans_outstanding_cents,
                "available": fund.available_cents,
            }
        )
    return rows


def recompute_balance(fund) -> int:
    """The fund's available amount recomputed from its entries (must equal fund.available_cents)."""
    return recompute_totals(fund)["available_cents"]


def recompute_totals(fund) -> dict:
    """The fund's running totals recomputed from its entries (must equal the columns)."""
    from .models import BALANCE_SIGN, TOTAL_FIELD

    sums = {
        row["kind"]: row["s"]
        for row in LedgerEntry.objects.filter(fund=fund).values("kind").annotate(s=Sum("amount_cents"))
    }
    totals = {field: sums.get(kind, 0) for kind, field in TOTAL_FIELD.items()}
    totals["available_cents"] = sum(BALANCE_SIGN.get(kind, 0) * s for kind, s in sums.items())
    return totals


FUND_PAGE_SIZE = 50


@dataclass(frozen=True)
class EntryPage:
    rows: list
    next_after: int | None


def visible_fund(user, fund_id) -> Fund:
    """A fund of the user's municipality for a budget reader; otherwise a logged 404."""
    from doorbraak.core.access import get_visible_or_404

    _require_page(user, "budget.view_overview", event="budget.fund")
    return get_visible_or_404(
        user,
        Fund.objects.filter(municipality_id=user.municipality_id).select_related("team"),
        fund_id,
        model=Fund,
        event="budget.fund",
        purpose="budget_management",
    )


def fund_entries(fund, *, kind: str = "", since: datetime.date | None = None, until: datetime.date | None = None):
    """The fund's entries, newest first, filtered by kind and booking date (inclusive)."""
    qs = LedgerEntry.objects.filter(fund=fund)
    if kind in EntryKind.values:
        qs = qs.filter(kind=kind)
    if since:
        qs = qs.filter(created_at__date__gte=since)
    if until:
        qs = qs.filter(created_at__date__lte=until)
    return qs.order_by("-id")


def entry_page(qs, after) -> EntryPage:
    """One page after entry id `after` (a seek on the primary key, never an OFFSET or a COUNT)."""
    try:
        after = int(after) if after else None
    except (TypeError, ValueError):
        after = None
    if after:
        qs = qs.filter(id__lt=after)
    rows = list(qs.select_related("plan", "created_by")[: FUND_PAGE_SIZE + 1])
    next_after = rows[FUND_PAGE_SIZE - 1].pk if len(rows) > FUND_PAGE_SIZE else None
    return EntryPage(rows[:FUND_PAGE_SIZE], next_after)


def loan_outstanding(loan: Loan) -> int:
    repaid = loan.entries.filter(kind=EntryKind.LOAN_REPAYMENT).aggregate(s=Sum("amount_cents"))["s"] or 0
    written_off = loan.entries.filter(kind=EntryKind.LOAN_WRITE_OFF).aggregate(s=Sum("amount_cents"))["s"] or 0
    return loan.amount_cents - repaid - written_off


def queue_filter(user) -> Q:
    """The approver's queue holds the submitted plans the user may approve: within the user's mandate, not the
    user's own. A plan above the lead's mandate so lands in the queue of the next level."""
    return Q(requested_cents__lte=mandate_of(user)) & ~Q(submitted_by_id=user.pk)


QUEUE_PAGE_SIZE = 25


def _plans_with_status(user, status):
    """The plans of `status` that `user` may see (the set of `plans_visible_to`, said per status).

    For an approver and a submitted or approved plan that is every such plan of the own municipality (the case
    of each is reviewable, and every visible case is of the municipality): said directly, because the OR of the
    two case sets in `cases_for` is not hashed by PostgreSQL and its second half was scanned once per plan (the
    approver's overview did not finish in ten minutes at 1M cases, issue 15).

    For a lead the gate stays the semi-join `case__in=cases_for(user)`. A per-row EXISTS (walking the plans in
    the list's order, as `cases.selectors.follow_ups_for`) was tried and rejected: PostgreSQL charges the gate's
    hashed involvement subquery once per row, so the estimate grows to millions, which turns on JIT compilation
    (50 ms to 2.3 s at 100k) and misplans the joins around it. `queue_page` makes the walk cheap instead."""
    reviewable = (Plan.Status.SUBMITTED, Plan.Status.APPROVED)
    if getattr(user, "role", None) == Role.APPROVER and user.municipality_id and status in reviewable:
        return Plan.objects.filter(case__municipality_id=user.municipality_id, status=status)
    from .selectors import cases_for

    return Plan.objects.filter(case__in=cases_for(user), status=status)


def _halves(user, status) -> list:
    """A lead's or professional's plans of `status` as the two halves of the gate (`visible_to`): those of the cases
    one is actively involved in and, for a lead, the own team's (read from the plan's team and its partial index).
    Each half is walked in the list's order and stopped after a page; the gate itself is then asked of each row of
    the merged page (`_merged_page`). Said in one query, the OR of the two case sets made PostgreSQL check the case
    of every submitted plan of the municipality (13,655 at 1M cases for a lead's 8, issue 15)."""
    involved = (
        Involvement.objects.with_scopes_disabled()
        .filter(user=user, ended_at__isnull=True, municipality_id=user.municipality_id)
        .values("case_id")
    )
    halves = [Plan.objects.filter(status=status, case_id__in=involved, municipality_id=user.municipality_id)]
    if permissions.is_lead_of_team(user, user.team_id):
        # the team is the municipality's, and the gate checks each row again: no column outside the index here
        halves.append(Plan.objects.filter(status=status, team_id=user.team_id))
    return halves


def _merged_page(user, status, narrow, order, size, related):
    """The first `size` plans in `order` of `_halves(user, status)` narrowed by `narrow(qs)`, each half stopped after
    `size` rows; the gate (`cases_for`) asked of each of those rows by a per-row EXISTS (a handful of primary-key
    lookups, never the whole visible set)."""
    from .selectors import cases_for

    ids = set()
    for half in _halves(user, status):
        ids.update(narrow(half).order_by(*order).values_list("pk", flat=True)[:size])
    gate = PerRowExists(cases_for(user).filter(pk=OuterRef("case_id")))
    return list(Plan.objects.filter(gate, pk__in=ids).select_related(*related).order_by(*order)[:size])


def _walks_halves(user) -> bool:
    return getattr(user, "role", None) != Role.APPROVER and bool(getattr(user, "municipality_id", None))


def plans_awaiting(user):
    """The approver's queue: submitted plans within the user's mandate and not the user's own, oldest first (read
    a page of it with `queue_page`). A plan above a lead's mandate appears in the queue of the next level."""
    if getattr(user, "role", None) not in permissions.PLAN_REVIEWERS:
        return Plan.objects.none()
    return (
        _plans_with_status(user, Plan.Status.SUBMITTED)
        .filter(queue_filter(user))
        .select_related("case", "submitted_by")
        .order_by("submitted_at", "id")
    )


QueuePage = SeekPage  # rows, after (the position this page starts after), next_after (None: the last page)


def queue_page(qs, after) -> QueuePage:
    """One page of the approver's queue (`plans_awaiting`), after position `after` ("<submitted_at in
    microseconds>-<id>" of the last plan shown, from the "next" link): a seek on the submitted plans' index, as
    fast on the hundredth page as on the first, and nothing counted (an approver's queue holds tens of thousands of
    plans at 1M cases); one row more than the page tells whether there is a next page. A malformed position shows
    the oldest plans. Positions are written and read by core.seek (shared with the stories list and the
    moderation queue).

    The page's ids are chosen first and the rows read after (as the case list does): the choice reads only the
    columns of `budget_plan_submitted_idx` (a partial index on the submitted plans, holding the mandate's amount,
    the submitter and the case), so walking the queue reads no plan row, only each walked plan's case for the gate
    (a lead's queue, where most submitted plans are another team's: 244 ms at 100k before, issue 15)."""
    key = parse_position(after)
    if key is not None and key[0] is None:  # submitted plans always have a date: an "n-" position is malformed
        key = None
    if key:
        qs = qs.filter(submitted_at__gte=key[0]).exclude(submitted_at=key[0], id__lte=key[1])
    window = qs.order_by("submitted_at", "id")[: QUEUE_PAGE_SIZE + 1]
    rows = list(
        Plan.objects.filter(pk__in=Subquery(window.values("pk")))
        .select_related("case", "submitted_by")
        .order_by("submitted_at", "id")
    )
    next_after = position(rows[QUEUE_PAGE_SIZE - 1], "submitted_at") if len(rows) > QUEUE_PAGE_SIZE else None
    return QueuePage(rows[:QUEUE_PAGE_SIZE], after if key else None, next_after)


def awaiting_page(user, after) -> QueuePage:
    """The budget overview's queue: `queue_page(plans_awaiting(user), after)`, for a lead read from the two halves
    of the gate (`_merged_page`) with the same filter, order and positions."""
    if getattr(user, "role", None) not in permissions.PLAN_REVIEWERS or not _walks_halves(user):
        return queue_page(plans_awaiting(user), after)
    key = parse_position(after)
    if key is not None and key[0] is None:
        key = None

    within = queue_filter(user)  # the mandate, read once

    def narrow(qs):
        qs = qs.filter(within)
        if key:
            qs = qs.filter(submitted_at__gte=key[0]).exclude(submitted_at=key[0], id__lte=key[1])
        return qs

    order = ("submitted_at", "id")
    rows = _merged_page(user, Plan.Status.SUBMITTED, narrow, order, QUEUE_PAGE_SIZE + 1, ("case", "submitted_by"))
    next_after = position(rows[QUEUE_PAGE_SIZE - 1], "submitted_at") if len(rows) > QUEUE_PAGE_SIZE else None
    return QueuePage(rows[:QUEUE_PAGE_SIZE], after if key else None, next_after)


def running_plans(user, limit: int = 20) -> list:
    """The first `limit` of `approved_plans(user)`; for a lead or professional read from the gate's two halves."""
    if not _walks_halves(user):
        return list(approved_plans(user)[:limit])

    def narrow(qs):
        return qs.exclude(funding__closed_at__isnull=False)

    return _merged_page(user, Plan.Status.APPROVED, narrow, ("-approved_at", "-id"), limit, ("case",))


def approved_plans(user):
    """The approved plans that still run, newest first: a plan whose funding was closed (paid, the rest released,
    as when its case closed) is settled and leaves the list, so the archive does not pad it."""
    return (
        _plans_with_status(user, Plan.Status.APPROVED)
        .exclude(funding__closed_at__isnull=False)
        .select_related("case")
        .order_by("-approved_at", "-id")
    )


# --- Loans: the repayment schedule ------------------------------------------------------------------------


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it has fewer days (31 Jan + 1 = 28/29 Feb)."""
    import calendar

    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def loan_schedule(loan: Loan, repaid_cents: int, today: datetime.date | None = None) -> dict:
    """The loan's terms with their due dates, repayments matched to the terms oldest first, the overdue terms and
    the arrears (due until today minus repaid). Without a schedule: no terms; after a culpably failed condition
    the whole rest is due at once."""
    today = today or timezone.localdate()
    terms = []
    if loan.terms and loan.instalment_cents and loan.first_due:
        left = repaid_cents
        for n in range(loan.terms):
            amount = loan.instalment_cents if n < loan.terms - 1 else loan.amount_cents - loan.instalment_cents * n
            paid = min(left, amount)
            left -= paid
            due = add_months(loan.first_due, n)
            terms.append(
                {
                    "number": n + 1,
                    "due": due,
                    "amount": amount,
                    "paid": paid,
                    "overdue": due < today and paid < amount,
                }
            )
    closed = loan.status in (Loan.Status.REPAID, Loan.Status.FORGIVEN, Loan.Status.WRITTEN_OFF)
    if closed:
        due_now = 0
    elif loan.status == Loan.Status.REPAY_IN_FULL:
        due_now = loan.amount_cents - repaid_cents
    else:
        due_now = max(0, sum(t["amount"] for t in terms if t["due"] <= today) - repaid_cents)
    for t in terms:
        t["overdue"] = t["overdue"] and not closed
    return {
        "terms": terms,
        "overdue": [t for t in terms if t["overdue"]],
        "arrears": due_now,
        "check_due": loan.status == Loan.Status.OUTSTANDING and loan.deadline <= today,
    }


def plan_ledger(plan: Plan) -> dict:
    """The money part of the plan page: totals, entries, loans with their schedule, reclaims, payment orders."""
    from .models import PaymentOrder, Reclaim
    from .selectors import plan_money

    loans = []
    for loan in Loan.objects.filter(plan=plan).order_by("id"):
        outstanding = loan_outstanding(loan)
        repaid = loan.entries.filter(kind=EntryKind.LOAN_REPAYMENT).aggregate(s=Sum("amount_cents"))["s"] or 0
        loans.append({"loan": loan, "outstanding": outstanding, "schedule": loan_schedule(loan, repaid)})
    return {
        "money": plan_money(plan),
        "entries": list(LedgerEntry.objects.filter(plan=plan).select_related("created_by")),
        "loans": loans,
        "reclaims": list(Reclaim.objects.filter(plan=plan).order_by("id")),
        "orders": list(PaymentOrder.objects.filter(plan=plan).select_related("export").order_by("id")),
    }


def open_orders(fund) -> dict:
    """The fund's payment orders not yet in a SEPA file: count and total (one query)."""
    from django.db.models import Count

    from .models import PaymentOrder

    row = PaymentOrder.objects.filter(fund=fund, export__isnull=True).aggregate(n=Count("id"), s=Sum("amount_cents"))
    return {"count": row["n"] or 0, "total": row["s"] or 0}
