"""The custom plan: drafting (lines, co-funding), submission, approval by mandate and return (four eyes).

Every service asks the plan gate (`selectors.visible_plan`: 404 for a plan the user may not see), then its rule
(`budget.<action>`, Refused/403), then the business rules (RuleError). State changes go through PLAN_FLOW and
`core.transitions.transition`, so a double click or a race approves, returns or submits once.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doorbraak.cases.models import Case
from doorbraak.core import permissions
from doorbraak.core.access import get_visible_or_404
from doorbraak.core.choices import Funder
from doorbraak.core.errors import RuleError
from doorbraak.core.models import Role
from doorbraak.core.templatetags.doorbraak import format_euro_cents
from doorbraak.core.transitions import transition

from .. import calculations as calc
from .. import selectors
from ..models import EntryKind, Plan, PlanLine, PlanShare, Reclaim, Scenario
from ._base import check_amount, event
from .ledger import append

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


def submit_plan(user, plan: Plan) -> Plan:
    _editable(user, plan, rule="budget.submit_plan")
    missing = [
        label
        for name, label in (
            ("justification_legality", _("rechtmatigheid")),
            ("justification_return", _("rendement")),
            ("justification_engagement", _("betrokkenheid")),
        )
        if not getattr(plan, name).strip()
    ]
    if missing:
        raise RuleError(_("Vul eerst de onderbouwing in voor: %(m)s.") % {"m": ", ".join(str(m) for m in missing)})
    custom = selectors.plan_lines(plan, Scenario.CUSTOM)
    if not custom:
        raise RuleError(_("Het maatwerkplan heeft nog geen kostenregels."))
    total = calc.scenario(custom, plan.horizon_years).total
    transition(
        plan,
        Plan.Status.SUBMITTED,
        PLAN_FLOW,
        message=_("Dit plan is al ingediend."),
        updates={"submitted_by": user, "submitted_at": timezone.now(), "requested_cents": total},
        on_change=lambda p: event(
            p, user, "submitted", _("Plan ingediend voor %(a)s") % {"a": format_euro_cents(total)}
        ),
    )
    return plan


def _book_approval(plan, user, fund):
    append(fund, EntryKind.COMMITMENT, plan.requested_cents, user, plan=plan, description="Goedgekeurd maatwerkplan")
    # Co-funding: the municipality pre-finances; other funders' shares are expected back.
    for funder, amount in calc.split_amount(plan.requested_cents, selectors.agreed_shares(plan)).items():
        if funder not in MUNICIPAL_FUNDERS and amount > 0:
            reclaim = Reclaim.objects.create(
                municipality_id=plan.municipality_id, plan=plan, fund=fund, funder=funder, amount_cents=amount
            )
            append(
                fund,
                EntryKind.RECLAIM_EXPECTED,
                amount,
                user,
                plan=plan,
                reclaim=reclaim,
                description=f"Cofinanciering {funder}",
            )
    event(plan, user, "approved", _("Plan goedgekeurd (%(a)s)") % {"a": format_euro_cents(plan.requested_cents)})


def approve_plan(user, plan: Plan) -> Plan:
    selectors.visible_plan(user, plan)
    if plan.submitted_by_id == user.pk:  # four eyes (the rule says the same); the submitter gets a Dutch message
        raise RuleError(_("U kunt uw eigen plan niet goedkeuren. Een collega met mandaat moet dit doen."))
    permissions.require("budget.approve_plan", user, plan, _("U mag plannen niet goedkeuren."))
    if plan.status != Plan.Status.SUBMITTED:
        raise RuleError(_("Alleen een ingediend plan kan worden goedgekeurd."))
    mandate = selectors.mandate_of(user)
    if mandate <= 0:
        raise RuleError(_("U heeft geen mandaat om plannen goed te keuren."))
    if plan.requested_cents > mandate:
        if user.role == Role.APPROVER:
            raise RuleError(
                _(
                    "Dit plan (%(a)s) is hoger dan het hoogste mandaat (%(m)s). Leg het voor aan de wethouder; "
                    "dat gaat buiten Doorbraak om."
                )
                % {"a": format_euro_cents(plan.requested_cents), "m": format_euro_cents(mandate)}
            )
        raise RuleError(
            _("Dit plan (%(a)s) is hoger dan uw mandaat (%(m)s). Een budgetfiatteur moet het goedkeuren.")
            % {"a": format_euro_cents(plan.requested_cents), "m": format_euro_cents(mandate)}
        )
    fund = selectors.fund_for(plan)
    if fund is None:
        raise RuleError(
            _("Er is geen handgeldbudget voor dit team in %(y)s. Vraag de budgetfiatteur er een aan te maken.")
            % {"y": timezone.localdate().year}
        )
    transition(
        plan,
        Plan.Status.APPROVED,
        PLAN_FLOW,
        message=_("Dit plan is al goedgekeurd of teruggestuurd."),
        updates={"approved_by": user, "approved_at": timezone.now()},
        on_change=lambda p: _book_approval(p, user, fund),
    )
    return plan


def return_plan(user, plan: Plan, reason: str) -> Plan:
    selectors.visible_plan(user, plan)
    permissions.require(
        "budget.return_plan", user, plan, _("U mag dit plan niet beoordelen; wie het indiende, stuurt het niet terug.")
    )
    if plan.status != Plan.Status.SUBMITTED:
        raise RuleError(_("Alleen een ingediend plan kan worden teruggestuurd."))
    if not reason.strip():
        raise RuleError(_("Geef een reden waarom het plan terug gaat."), "reason")
    transition(
        plan,
        Plan.Status.DRAFT,
        PLAN_FLOW,
        message=_("Dit plan is al goedgekeurd of teruggestuurd."),
        updates={"requested_cents": 0},
        on_change=lambda p: event(p, user, "returned", _("Plan teruggestuurd: %(r)s") % {"r": reason.strip()}),
    )
    return plan
