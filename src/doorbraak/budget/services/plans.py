"""The custom plan: drafting (lines, co-funding), submission, approval by mandate and return (four eyes).

Every service asks the plan gate (`selectors.visible_plan`: 404 for a plan the user may not see), then its rule
(`budget.<action>`, Refused/403), then the business rules (RuleError). State changes go through PLAN_FLOW and
`core.transitions.transition`, so a double click or a race approves, returns or submits once.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from doorbraak.cases.models import Case
from doorbraak.core import permissions
from doorbraak.core.access import get_visible_or_404
from doorbraak.core.choices import Funder
from doorbraak.core.errors import RuleError

from .. import calculations as calc
from .. import selectors
from ..models import Plan, PlanLine, PlanShare, Scenario
from ._base import check_amount, event

PLAN_FLOW = {
    Plan.Status.DRAFT: {Plan.Status.SUBMITTED},
    Plan.Status.SUBMITTED: {Plan.Status.APPROVED, Plan.Status.DRAFT},  # approved, or returned to draft
    Plan.Status.APPROVED: set(),
}
MUNICIPAL_FUNDERS = {Funder.WMO, Funder.JEUGDWET, Funder.PARTICIPATIEWET}
EDITORS_ONLY = _("Alleen professionals en doorbraakregisseurs kunnen een plan maken.")


def _editable(user, plan, rule="budget.edit_plan"):
    selectors.visible_plan(user, plan)
    permissions.require(rule, user, plan, EDITORS_ONLY)
    if plan.status != Plan.Status.DRAFT:
        raise RuleError(_("Dit plan is al ingediend en kan niet meer worden gewijzigd."))


def start_plan(user, case: Case) -> Plan:
    get_visible_or_404(
        user,
        selectors.cases_for(user).only("pk"),
        case.pk,
        model=Case,
        event="plan.read",
        subject=lambda c: ("household", c.household_id),
    )
    permissions.require("budget.edit_plan", user, case, EDITORS_ONLY)
    with transaction.atomic():
        plan, created = Plan.objects.get_or_create(
            case=case, defaults={"municipality_id": case.municipality_id, "created_by": user}
        )
        if created:
            event(plan, user, "created", _("Maatwerkplan gestart"))
    return plan


def update_plan(user, plan: Plan, **fields) -> Plan:
    _editable(user, plan)
    horizon = fields.get("horizon_years", plan.horizon_years)
    try:
        calc.check_horizon(int(horizon))
    except (TypeError, ValueError):
        raise RuleError(_("Kies een looptijd van 1 tot en met 5 jaar."), "horizon_years") from None
    allowed = {
        "horizon_years",
        "outcome_do_nothing",
        "outcome_regular",
        "outcome_custom",
        "justification_legality",
        "justification_return",
        "justification_engagement",
    }
    with transaction.atomic():
        for name, value in fields.items():
            if name in allowed:
                setattr(plan, name, value)
        plan.save()
        event(plan, user, "updated", _("Plan bijgewerkt"), timeline=False)
    return plan


def add_line(
    user,
    plan: Plan,
    *,
    scenario,
    description,
    unit,
    amount_cents,
    quantity,
    duration,
    funder,
    start_month=0,
    catalogue_item=None,
) -> PlanLine:
    _editable(user, plan)
    check_amount(amount_cents, "amount")
    if quantity <= 0 or quantity > 100_000:
        raise RuleError(_("Het aantal moet groter dan 0 en niet onwaarschijnlijk groot zijn."), "quantity")
    if duration <= 0 or duration > 100_000:
        raise RuleError(_("De duur moet groter dan 0 en niet onwaarschijnlijk groot zijn."), "duration")
    if not (0 <= start_month < plan.horizon_years * 12):
        raise RuleError(_("De start moet binnen de looptijd van het plan liggen."), "start_month")
    if scenario not in Scenario.values:
        raise RuleError(_("Kies een scenario."), "scenario")
    if catalogue_item is not None and catalogue_item.municipality_id != plan.municipality_id:
        raise RuleError(_("Dit kostenkengetal hoort niet bij uw gemeente."), "catalogue_item")
    with transaction.atomic():
        line = PlanLine.objects.create(
            municipality_id=plan.municipality_id,
            plan=plan,
            scenario=scenario,
            description=description[:200],
            unit=unit,
            amount_cents=amount_cents,
            quantity=quantity,
            duration=duration,
            funder=funder,
            start_month=start_month,
            catalogue_item=catalogue_item,
        )
        event(
            plan,
            user,
            "line_added",
            _("Kostenregel toegevoegd aan %(s)s") % {"s": Scenario(scenario).label},
            timeline=False,
        )
    return line


def remove_line(user, plan: Plan, line_id: int) -> None:
    _editable(user, plan)
    with transaction.atomic():
        deleted, _rows = PlanLine.objects.filter(plan=plan, pk=line_id).delete()
        if deleted:
            event(plan, user, "line_removed", _("Kostenregel verwijderd"), timeline=False)


def adopt_cofunding(user, plan: Plan) -> list[PlanShare]:
    """Split the custom plan between funders in proportion to each funder's avoided cost (vs doing nothing)."""
    _editable(user, plan)
    custom = calc.scenario(selectors.plan_lines(plan, Scenario.CUSTOM), plan.horizon_years)
    nothing = calc.scenario(selectors.plan_lines(plan, Scenario.DO_NOTHING), plan.horizon_years)
    shares = calc.proposed_shares(calc.avoided(custom, nothing))
    if not shares:
        raise RuleError(_("Er is geen financier die bespaart; een verdeling kan nog niet worden voorgesteld."))
    with transaction.atomic():
        PlanShare.objects.filter(plan=plan).delete()
        rows = PlanShare.objects.bulk_create(
            [
                PlanShare(municipality_id=plan.municipality_id, plan=plan, funder=f, basis_points=int(share * 10000))
                for f, share in shares.items()
            ]
        )
        event(plan, user, "cofunding", _("Verdeling over financiers vastgelegd"), timeline=False)
    return rows


def clear_cofunding(user, plan: Plan) -> None:
    _editable(user, plan)
    with transaction.atomic():
        PlanShare.objects.filter(plan=plan).delete()
        event(plan, user, "cofunding", _("Verdeling over financiers verwijderd"), timeline=False)


def amount_from_fund_cents(plan: Plan) -> int:
    """What the plan asks from the team's flexible (hand) budget, in cents.

    Today: the whole custom scenario over the horizon. Issue 12 narrows this to the part borne by this
    municipality's flexible budget (external funders' and the household's shares excluded); the approval
    services (`services.approval`) book exactly this amount.
    """
    return calc.scenario(selectors.plan_lines(plan, Scenario.CUSTOM), plan.horizon_years).total
