"""Budget reads: everything a page shows, and the plan gate every service asks.

Need-to-know: cases are reached through Case.objects.visible_to; approvers additionally see cases whose plan
waits for (or went through) budget approval in their own municipality. `visible_plan(user, plan)` is that gate
for a plan (and through it for its loans and reclaims): a plan the user may not see is a `core.access.Refusal`
(404, logged with reason tenancy or need_to_know). Services call it before anything else.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from fractions import Fraction

from django.db.models import Q, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from doorbraak.cases.models import Case
from doorbraak.cases.selectors import case_id_subject, case_subject
from doorbraak.core import charts, permissions
from doorbraak.core.access import deny, get_visible_or_404
from doorbraak.core.choices import Funder
from doorbraak.core.models import Role

from . import calculations as calc
from .catalogue_data import cpi_index
from .funders import NATIONAL_FUNDERS, default_kind
from .models import (
    CatalogueItem,
    EntryKind,
    FunderKind,
    FunderSetting,
    LedgerEntry,
    Plan,
    PlanShare,
    RealisedCost,
    Scenario,
)
from .selectors_funds import (  # noqa: F401 - re-exported: the money reads live in selectors_funds
    DEFAULT_MANDATES,
    QUEUE_PAGE_SIZE,
    QueuePage,
    approved_plans,
    awaiting_page,
    fund_for,
    fund_overview,
    loan_outstanding,
    mandate_of,
    plan_ledger,
    plans_awaiting,
    queue_page,
    recompute_balance,
    running_plans,
    within_mandate,
)

STALE_AFTER_YEARS = 4
FUNDER_LABELS = dict(Funder.choices)


def cases_for(user):
    visible = Case.objects.visible_to(user)
    if user.is_authenticated and user.role == Role.APPROVER and user.municipality_id:
        reviewable = Case.objects.filter(
            municipality_id=user.municipality_id,
            plan__status__in=[Plan.Status.SUBMITTED, Plan.Status.APPROVED],
        )
        return Case.objects.filter(Q(pk__in=visible.values("pk")) | Q(pk__in=reviewable.values("pk")))
    return visible


def case_for(user, case_id: int) -> Case:
    """The case if the user may see it (or review its plan); otherwise Http404 and a denied access event."""
    return get_visible_or_404(
        user, cases_for(user).select_related("team", "household"), case_id, model=Case, subject=case_subject
    )


def plan_of(case) -> Plan | None:
    plan = Plan.objects.filter(case=case).select_related("submitted_by", "approved_by").first()
    if plan is not None:
        plan.case = case  # the caller read the case through its gate: not read again
    return plan


def plan_for_page(case) -> Plan | None:
    """The plan of `case` for its page: with its lines and shares read once (the summary, the funding split,
    realised-versus-projected and the share forms all use them), the case already known."""
    plan = (
        Plan.objects.filter(case=case)
        .select_related("submitted_by", "approved_by")
        .prefetch_related("lines", "shares")
        .first()
    )
    if plan is not None:
        plan.case = case
    return plan


def plan_for(user, case_id) -> tuple[Case, Plan]:
    """The case and its plan for a plan page: Refusal (404, logged) when the case is not visible, Http404 (no
    plan yet) when the visible case has no plan."""
    case = case_for(user, case_id)
    plan = plan_of(case)
    if plan is None:
        raise Http404
    return case, plan


def _plan_subject(plan):
    return case_id_subject(plan.case_id)


def plans_visible_to(user):
    """The plans `user` may see: of visible cases, and for approvers the submitted/approved plans of their
    municipality."""
    return Plan.objects.filter(case__in=cases_for(user))


def plan_is_visible(user, plan) -> bool:
    return plans_visible_to(user).filter(pk=getattr(plan, "pk", plan)).exists()


def visible_plan(user, plan, *, event: str = "plan.read") -> None:
    """The plan gate of every budget service: returns quietly when `user` may see `plan` (a Plan or its id),
    otherwise raises Refusal (404, logged). Nothing about the plan is read into the caller's object."""
    plan_id = getattr(plan, "pk", plan)
    get_visible_or_404(user, plans_visible_to(user).only("pk"), plan_id, model=Plan, event=event, subject=_plan_subject)


def require_page(user, rule: str, event: str = "page.read") -> None:
    """A page-level read (overview, catalogue): a user the rule refuses gets the 404 of a role-gated page."""
    if not permissions.allowed(rule, user, None):
        raise deny(user, event=event)


# --- Plan figures (read by the pages and by the services) ---------------------------------------------------


def as_line(line) -> calc.Line:
    """A stored PlanLine as the schedule's Line."""
    return calc.Line(
        unit=line.unit,
        amount_cents=line.amount_cents,
        quantity=line.quantity,
        duration=line.duration,
        funder=line.funder,
        start_month=line.start_month,
        rhythm=line.rhythm,
        end_month=line.end_month,
    )


def plan_lines(plan: Plan, scenario: str) -> list[calc.Line]:
    return [as_line(line) for line in plan.lines.all() if line.scenario == scenario]


def agreed_shares(plan: Plan) -> dict[str, Fraction]:
    """How what the hand budget pays (`plan_funding(plan).from_fund`, the approved amount) divides over funders:
    the municipal parts and the pre-financed external parts, as exact fractions, so splitting the approved amount
    by them gives those parts to the cent (the pre-financed ones are what is reclaimed afterwards)."""
    split = plan_funding(plan)
    if not split.from_shares or split.from_fund <= 0:
        return {}
    paid = {
        f: v for f, v in split.parts.items() if v and (split.kinds[f] == calc.MUNICIPAL_KIND or f in split.prefinanced)
    }
    return {f: Fraction(v, split.from_fund) for f, v in paid.items()}


def funder_settings(municipality_id) -> dict[str, FunderSetting]:
    return {f.code: f for f in FunderSetting.objects.filter(municipality_id=municipality_id)}


def funder_kinds(municipality_id, settings: dict | None = None) -> dict[str, str]:
    """code -> municipal / external / own: the national defaults, overridden by the municipality's own list."""
    settings = funder_settings(municipality_id) if settings is None else settings
    kinds = {code: default_kind(code) for code in Funder.values}
    kinds.update({code: row.kind for code, row in settings.items()})
    return kinds


def funder_labels(municipality_id, settings: dict | None = None) -> dict[str, str]:
    settings = funder_settings(municipality_id) if settings is None else settings
    labels = {code: str(label) for code, label in Funder.choices}
    labels.update({code: row.name for code, row in settings.items() if row.name})
    return labels


def funder_choices(municipality_id, keep: str | None = None) -> list[tuple[str, str]]:
    """The active funders of the municipality for a select (the national set unless switched off; "Anders" only
    when the municipality gave it a name); `keep` stays available (a line's current funder)."""
    settings = funder_settings(municipality_id)
    labels = funder_labels(municipality_id, settings)
    out = []
    for code in Funder.values:
        row = settings.get(code)
        active = row.active if row else code in NATIONAL_FUNDERS
        if active or code == keep:
            out.append((code, labels[code]))
    return out


def funder_list(user) -> list[dict]:
    """The funder maintenance page (`budget.manage_funders`): every funder code with its state in the user's
    municipality (name shown, municipal / external / own, active), the municipality's own row where it has one.
    A code without a row has the national default (active when it is in the national set)."""
    require_page(user, "budget.manage_funders")
    settings = funder_settings(user.municipality_id)
    rows = []
    for code, national_label in Funder.choices:
        row = settings.get(code)
        rows.append(
            {
                "code": code,
                "national_label": national_label,
                "name": row.name if row else "",
                "label": (row.name if row and row.name else national_label),
                "kind": row.kind if row else default_kind(code),
                "kind_label": FunderKind(row.kind if row else default_kind(code)).label,
                "active": row.active if row else code in NATIONAL_FUNDERS,
            }
        )
    return rows


def share_inputs(plan: Plan) -> list[calc.ShareInput]:
    return [
        calc.ShareInput(s.funder, s.basis_points, s.amount_cents, s.prefinanced)
        for s in plan.shares.all()
        if s.agreement != PlanShare.Agreement.REFUSED
    ]


def plan_funding(plan: Plan, custom: calc.ScenarioResult | None = None) -> calc.FundingSplit:
    """Who bears the custom plan and what the hand budget pays (calculations.funding_split)."""
    if custom is None:
        custom = calc.scenario(plan_lines(plan, Scenario.CUSTOM), plan.horizon_years)
    return calc.funding_split(
        custom.total, custom.per_funder_total, share_inputs(plan), funder_kinds(plan.municipality_id)
    )


def plan_money(plan) -> dict:
    """Committed, paid and lent on a plan (cents)."""
    sums = {
        row["kind"]: row["s"]
        for row in LedgerEntry.objects.filter(plan=plan).values("kind").annotate(s=Sum("amount_cents"))
    }
    committed = sums.get(EntryKind.COMMITMENT, 0) - sums.get(EntryKind.RELEASE, 0)
    spent = sums.get(EntryKind.PAYMENT, 0) + sums.get(EntryKind.LOAN_OUT, 0)
    return {
        "committed": committed,
        "paid": sums.get(EntryKind.PAYMENT, 0),
        "lent": sums.get(EntryKind.LOAN_OUT, 0),
        "remaining": committed - spent,
    }


def plan_start(plan: Plan) -> datetime.date | None:
    """The projection's month 1 is the month the plan was approved (as learning.facts counts it)."""
    if plan.approved_at is None:
        return None
    return timezone.localtime(plan.approved_at).date().replace(day=1)


def current_year() -> int:
    return timezone.localdate().year


def catalogue_rows(user, year: int | None = None) -> list[dict]:
    """All items of the user's municipality grouped by funder, with the CPI-indexed price and a stale flag.
    Only for the catalogue's readers (`budget.read_catalogue`); anyone else gets the role-gated 404."""
    require_page(user, "budget.read_catalogue")
    year = year or current_year()
    groups: dict[str, list] = {}
    cpi = cpi_index()
    for item in CatalogueItem.objects.filter(municipality_id=user.municipality_id).order_by("funder", "name"):
        factor = calc.cpi_factor(cpi, item.price_year, year)
        groups.setdefault(item.funder, []).append(
            {
                "item": item,
                "factor": factor,
                "indexed_cents": calc.indexed_amount(item.amount_cents, factor),
                "stale": year - item.price_year > STALE_AFTER_YEARS,
            }
        )
    return [{"funder": f, "label": FUNDER_LABELS.get(f, f), "rows": rows} for f, rows in groups.items()]


def indexed_price(item, year: int | None = None) -> int:
    return calc.indexed_amount(item.amount_cents, calc.cpi_factor(cpi_index(), item.price_year, year or current_year()))


def saving_label(cents: int) -> str:
    """The saving chart's value text: 'bespaart € 1.235' / 'betaalt € 1.235' (rounded to whole euros)."""
    amount = charts.euro_label(abs(cents))
    return _("bespaart %(amount)s") % {"amount": amount} if cents >= 0 else _("betaalt %(amount)s") % {"amount": amount}


KIND_LABELS = {
    calc.MUNICIPAL_KIND: _("gemeente"),
    calc.EXTERNAL_KIND: _("externe financier"),
    calc.OWN_KIND: _("eigen bijdrage"),
}


def _percent_text(value: Decimal) -> str:
    """12.50 -> '12,5'; 33.3333 -> '33,3333' (Dutch decimal comma, no trailing zeros)."""
    text = format(value.normalize(), "f") if value else "0"
    return text.replace(".", ",")


def plan_summary(plan: Plan) -> dict:
    """Everything the plan page, the PDF and the chart show: per scenario, per funder, per year and per month, all
    sums over the one schedule (calculations.schedule)."""
    horizon = plan.horizon_years
    settings = funder_settings(plan.municipality_id)
    labels = funder_labels(plan.municipality_id, settings)
    kinds = funder_kinds(plan.municipality_id, settings)
    lines = list(plan.lines.all())
    results = {s: calc.scenario([as_line(ln) for ln in lines if ln.scenario == s], horizon) for s in Scenario.values}
    custom = results[Scenario.CUSTOM]
    scenarios = []
    funders = sorted({f for r in results.values() for f in r.per_funder_total})
    for value, label in Scenario.choices:
        r = results[value]
        scenarios.append(
            {
                "value": value,
                "label": label,
                "result": r,
                "lines": [
                    {
                        "line": ln,
                        "preview": calc.preview(as_line(ln), horizon),
                        "funder": labels.get(ln.funder, ln.funder),
                    }
                    for ln in lines
                    if ln.scenario == value
                ],
                "outcome": getattr(plan, f"outcome_{value}"),
            }
        )
    comparisons = []
    for other in (Scenario.DO_NOTHING, Scenario.REGULAR):
        saved = calc.avoided(custom, results[other])
        comparisons.append(
            {
                "against": Scenario(other).label,
                "total": results[other].total - custom.total,
                "per_funder": [{"funder": labels[f], "code": f, "amount": v} for f, v in saved.items()],
                "break_even": calc.payback_month(custom, results[other]) if results[other].total else None,
            }
        )
    saved_vs_nothing = calc.avoided(custom, results[Scenario.DO_NOTHING])
    shares = calc.proposed_shares(saved_vs_nothing)
    split = calc.split_amount(custom.total, shares)
    cofunding = [
        {
            "code": f,
            "funder": labels[f],
            "percent": _percent_text((s * 100).quantize(Decimal("0.01"))),
            "amount": split.get(f, 0),
        }
        for f, s in sorted(shares.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    funding = calc.funding_split(custom.total, custom.per_funder_total, share_inputs(plan), kinds)
    share_rows = {s.funder: s for s in plan.shares.all()}
    agreed_rows = [
        {
            "code": f,
            "funder": labels.get(f, f),
            "kind": KIND_LABELS[funding.kinds[f]],
            "kind_code": funding.kinds[f],
            "percent": _percent_text(calc.shown_percentage(v, custom.total)),
            "amount": v,
            "share": share_rows.get(f),
            "prefinanced": f in funding.prefinanced,
        }
        for f, v in sorted(funding.parts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    payers = [labels[f] for f, v in custom.per_funder_total.items() if v > 0]
    savers = [labels[f] for f, v in saved_vs_nothing.items() if v > 0 and not custom.per_funder_total.get(f)]
    funder_rows = [
        {
            "funder": labels[f],
            "per_scenario": [results[s].per_funder_total.get(f, 0) for s in Scenario.values],
            "saved": saved_vs_nothing.get(f, 0),
        }
        for f in funders
    ]
    # The two charts (core.charts): cost per scenario stacked per funder, scaled so the highest estimate fits;
    # who saves (green) and who pays (red) with the custom plan against doing nothing.
    scenario_chart = charts.stacked_bars(
        [(s["label"], s["result"].per_funder_total, s["result"].total) for s in scenarios],
        [(f, labels[f]) for f in funders],
        peak=max(r.high for r in results.values()),
        label=charts.euro_label,
    )
    saving_chart = charts.horizontal_bars(
        [(labels[f], v) for f, v in saved_vs_nothing.items() if v],
        signed=True,
        label=saving_label,
        row_height=32,
        bar_y=5,
        bar_height=20,
        extra=190,
    )
    funder_year_rows = [
        {
            "funder": labels[f],
            "year": y + 1,
            "per_scenario": [results[s].per_funder_year.get(f, [0] * horizon)[y] for s in Scenario.values],
        }
        for f in funders
        for y in range(horizon)
    ]
    return {
        "funder_year_rows": funder_year_rows,
        "scenario_chart": scenario_chart,
        "saving_chart": saving_chart,
        "scenarios": scenarios,
        "comparisons": comparisons,
        "cofunding": cofunding,
        "funder_rows": funder_rows,
        "agreed": agreed_rows if funding.from_shares else [],
        "funding": funding,
        "funding_rows": agreed_rows,
        "wrong_pocket": {"payers": payers, "savers": savers} if savers and payers else None,
        "years": list(range(1, horizon + 1)),
        "custom": custom,
    }


def plan_events(plan: Plan, limit: int = 50) -> list:
    """The plan's own history, newest first as the model orders it."""
    return list(plan.events.select_related("actor")[:limit])


def realised_cost_history(plan: Plan) -> list[RealisedCost]:
    return list(RealisedCost.objects.filter(plan=plan).select_related("recorded_by").order_by("-up_to", "-id"))


def realised_vs_projected(plan: Plan, today=None, history: list[RealisedCost] | None = None) -> list[dict]:
    """Per funder: the plan's projection up to the date of the latest realised-cost record (today when none yet),
    against what was really spent.

    months = calendar months from the plan's start (the approval month) up to and including that date;
    custom/regular = projected cost of the custom plan / the regular offer in those months (cost_to_month);
    realised = the funder's latest record (None when none); difference = realised - custom (positive: dearer than
    planned); projected return = regular - custom; realised return = regular - realised. `history`: the plan's
    realised costs as `realised_cost_history` gives them (newest first), when the caller has them already."""
    start = plan_start(plan)
    if plan.status != Plan.Status.APPROVED or start is None:
        return []
    today = today or timezone.localdate()
    lines: dict[str, list[calc.Line]] = {Scenario.CUSTOM: [], Scenario.REGULAR: []}
    for line in plan.lines.all():  # prefetched on the plan page
        if line.scenario in lines:
            lines[line.scenario].append(as_line(line))
    latest: dict[str, RealisedCost] = {}
    rows = reversed(history) if history is not None else RealisedCost.objects.filter(plan=plan).order_by("up_to", "id")
    for row in rows:
        latest[row.funder] = row  # oldest first: the latest up_to wins
    funders = set(latest) | {ln.funder for rows in lines.values() for ln in rows}
    result = []
    for funder in sorted(funders, key=lambda f: str(FUNDER_LABELS.get(f, f))):
        record = latest.get(funder)
        up_to = record.up_to if record else today
        months = calc.months_between(start, up_to)
        custom = calc.cost_to_month(lines[Scenario.CUSTOM], plan.horizon_years, months).get(funder, 0)
        regular = calc.cost_to_month(lines[Scenario.REGULAR], plan.horizon_years, months).get(funder, 0)
        realised = record.amount_cents if record else None
        result.append(
            {
                "funder": funder,
                "label": FUNDER_LABELS.get(funder, funder),
                "up_to": up_to,
                "months": months,
                "recorded": record is not None,
                "custom": custom,
                "regular": regular,
                "realised": realised,
                "difference": None if realised is None else realised - custom,
                "projected_return": regular - custom,
                "realised_return": None if realised is None else regular - realised,
            }
        )
    return result
