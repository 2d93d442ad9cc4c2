"""The custom plan: drafting (lines, co-funding), submission, approval by mandate and return (four eyes).

Every service asks the plan gate (`selectors.visible_plan`: 404 for a plan the user may not see), then its rule
(`budget.<action>`, Refused/403), then the business rules (RuleError). State changes go through PLAN_FLOW and
`core.transitions.transition`, so a double click or a race approves, returns or submits once.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doorbraak.cases.models import Case
from doorbraak.core import permissions
from doorbraak.core.access import get_visible_or_404
from doorbraak.core.choices import Funder
from doorbraak.core.errors import RuleError
from doorbraak.core.templatetags.doorbraak import format_euro_cents
from doorbraak.core.transitions import transition

from .. import calculations as calc
from .. import selectors
from ..funders import DEFAULT_MUNICIPAL, NATIONAL_FUNDERS
from ..models import MAX_AMOUNT_CENTS, FunderKind, FunderSetting, Plan, PlanLine, PlanShare, Rhythm, Scenario, Unit
from ._base import check_amount, event

PLAN_FLOW = {
    Plan.Status.DRAFT: {Plan.Status.SUBMITTED},
    Plan.Status.SUBMITTED: {Plan.Status.APPROVED, Plan.Status.DRAFT},  # approved, or returned to draft
    Plan.Status.APPROVED: set(),
}
# The national default of the funders paid from this municipality's budgets; a municipality's own list
# (FunderSetting, `selectors.funder_kinds`) is what counts for a plan.
MUNICIPAL_FUNDERS = set(DEFAULT_MUNICIPAL)
MAX_QUANTITY = 100_000
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


def _line_fields(
    plan,
    *,
    scenario,
    description,
    unit,
    amount_cents,
    quantity,
    funder,
    rhythm,
    duration,
    start_month,
    end_month,
    catalogue_item,
):
    """The business rules of a cost line; returns the fields to store (the schedule's Line checked too)."""
    check_amount(amount_cents, "amount")
    if scenario not in Scenario.values:
        raise RuleError(_("Kies een scenario."), "scenario")
    if unit not in Unit.values:
        raise RuleError(_("Kies een eenheid."), "unit")
    if rhythm not in Rhythm.values:
        raise RuleError(_("Kies hoe vaak deze kosten terugkomen."), "rhythm")
    if funder not in Funder.values:
        raise RuleError(_("Kies wie betaalt."), "funder")
    if not description.strip():
        raise RuleError(_("Vul een omschrijving in."), "description")
    if quantity is None or quantity <= 0 or quantity > MAX_QUANTITY:
        raise RuleError(_("Het aantal moet groter dan 0 en niet onwaarschijnlijk groot zijn."), "quantity")
    months = plan.horizon_years * 12
    if not (0 <= start_month < months):
        raise RuleError(
            _("De eerste maand moet binnen de looptijd liggen (maand 1 tot en met %(n)s).") % {"n": months},
            "start_month",
        )
    if rhythm == Rhythm.ONCE:
        duration, end_month = Decimal(1), None
    elif end_month is not None:
        if end_month < start_month:
            raise RuleError(_("De laatste maand ligt vóór de eerste maand."), "end_month")
        if end_month >= months:
            raise RuleError(
                _("De laatste maand moet binnen de looptijd liggen (uiterlijk maand %(n)s).") % {"n": months},
                "end_month",
            )
        duration = Decimal(1)
    elif duration is None or duration <= 0 or duration > MAX_QUANTITY:
        raise RuleError(_("Vul een laatste maand in of hoe vaak (een aantal keer groter dan 0)."), "duration")
    if catalogue_item is not None and catalogue_item.municipality_id != plan.municipality_id:
        raise RuleError(_("Dit kostenkengetal hoort niet bij uw gemeente."), "catalogue_item")
    fields = {
        "scenario": scenario,
        "description": description.strip()[:200],
        "unit": unit,
        "amount_cents": amount_cents,
        "quantity": quantity,
        "rhythm": rhythm,
        "duration": duration,
        "start_month": start_month,
        "end_month": end_month,
        "funder": funder,
        "catalogue_item": catalogue_item,
    }
    line = _as_calc_line(fields)
    total = sum(calc.line_month_cents(line, plan.horizon_years))
    if total > MAX_AMOUNT_CENTS:
        raise RuleError(
            _("Deze kostenregel kost in totaal onwaarschijnlijk veel. Controleer prijs en aantal."), "quantity"
        )
    return fields


def _as_calc_line(fields) -> calc.Line:
    return calc.Line(
        unit=fields["unit"],
        amount_cents=fields["amount_cents"],
        quantity=fields["quantity"],
        duration=fields["duration"],
        funder=fields["funder"],
        start_month=fields["start_month"],
        rhythm=fields["rhythm"],
        end_month=fields["end_month"],
    )


def _line_summary(fields) -> str:
    q = fields["quantity"]
    q = format(q.normalize(), "f").replace(".", ",") if isinstance(q, Decimal) else q
    return (
        f"{fields['description']}: {format_euro_cents(fields['amount_cents'])} × {q} {Rhythm(fields['rhythm']).label}"
    )


def preview_line(user, plan: Plan, **fields) -> calc.LinePreview:
    """What a line would cost (per period, month, year, in total) before it is saved; the same rules as saving."""
    _editable(user, plan)
    return calc.preview(_as_calc_line(_line_fields(plan, **_line_defaults(fields))), plan.horizon_years)


def _line_defaults(fields):
    fields = dict(fields)
    fields.setdefault("rhythm", None)
    fields.setdefault("duration", Decimal(1))
    fields.setdefault("start_month", 0)
    fields.setdefault("end_month", None)
    fields.setdefault("catalogue_item", None)
    if fields["rhythm"] is None:  # callers of before issue 12: the unit's own rhythm (count units once)
        fields["rhythm"] = calc.legacy_rhythm(fields["unit"]) if fields["unit"] in Unit.values else ""
        if fields["rhythm"] == "once" and fields.get("duration"):
            fields["quantity"] = fields["quantity"] * fields["duration"]
    return fields


def add_line(user, plan: Plan, **fields) -> PlanLine:
    """Add a cost line: scenario, description, unit, amount_cents, quantity (per period), funder, rhythm, and
    start_month (0-based) with end_month (inclusive) or duration (number of periods)."""
    _editable(user, plan)
    data = _line_fields(plan, **_line_defaults(fields))
    with transaction.atomic():
        line = PlanLine.objects.create(municipality_id=plan.municipality_id, plan=plan, **data)
        event(
            plan,
            user,
            "line_added",
            _("Kostenregel toegevoegd aan %(s)s: %(l)s")
            % {"s": Scenario(data["scenario"]).label, "l": _line_summary(data)},
            timeline=False,
        )
    return line


def change_line(user, plan: Plan, line_id: int, **fields) -> PlanLine:
    _editable(user, plan)
    line = PlanLine.objects.filter(plan=plan, pk=line_id).first()
    if line is None:
        raise RuleError(_("Deze kostenregel bestaat niet (meer)."))
    data = _line_fields(plan, **_line_defaults(fields))
    with transaction.atomic():
        before = _line_summary({k: getattr(line, k) for k in ("description", "amount_cents", "quantity", "rhythm")})
        PlanLine.objects.filter(pk=line.pk).update(**data)
        event(
            plan,
            user,
            "line_changed",
            _("Kostenregel gewijzigd: was %(b)s, nu %(a)s") % {"b": before, "a": _line_summary(data)},
            timeline=False,
        )
    line.refresh_from_db()
    return line


def remove_line(user, plan: Plan, line_id: int) -> None:
    _editable(user, plan)
    with transaction.atomic():
        line = PlanLine.objects.filter(plan=plan, pk=line_id).first()
        if line is None:
            return
        summary = _line_summary({k: getattr(line, k) for k in ("description", "amount_cents", "quantity", "rhythm")})
        line.delete()
        event(plan, user, "line_removed", _("Kostenregel verwijderd: %(l)s") % {"l": summary}, timeline=False)


# --- Shares (co-funding) ----------------------------------------------------------------------------------------


def _custom(plan):
    return calc.scenario(selectors.plan_lines(plan, Scenario.CUSTOM), plan.horizon_years)


def set_shares(user, plan: Plan, *, mode: str, values: dict, prefinanced=()) -> list[PlanShare]:
    """Store the split of the custom plan over funders, typed as percentages (`mode` "percent", values Decimal
    percent with at most two decimals) or as amounts ("amount", values cents). Empty or zero values are left out.
    Percentages must add up to 100%, amounts to the custom plan's total. The household's own contribution is never
    pre-financed from the fund; only external funders are."""
    _editable(user, plan)
    if mode not in ("percent", "amount"):
        raise RuleError(_("Kies of u percentages of bedragen invult."), "mode")
    kinds = selectors.funder_kinds(plan.municipality_id)
    custom = _custom(plan)
    if custom.total <= 0:
        raise RuleError(_("Het maatwerkplan heeft nog geen kosten om te verdelen."))
    typed = {}
    for code, value in values.items():
        if value in (None, 0, Decimal(0)):
            continue
        if code not in Funder.values:
            raise RuleError(_("Onbekende financier."))
        if mode == "percent":
            value = Decimal(value)
            if value < 0 or value > 100 or value != value.quantize(Decimal("0.01")):
                raise RuleError(
                    _("Een percentage ligt tussen 0 en 100, met hoogstens twee cijfers achter de komma."),
                    f"share_{code}",
                )
            typed[code] = calc.percent_to_basis_points(value)
        else:
            if not isinstance(value, int) or value < 0 or value > MAX_AMOUNT_CENTS:
                raise RuleError(_("Vul een bedrag in euro's in, niet negatief."), f"share_{code}")
            typed[code] = value
    if not typed:
        raise RuleError(_("Vul voor minstens één financier een deel in."))
    if mode == "percent" and sum(typed.values()) != 10000:
        raise RuleError(
            _("De percentages tellen op tot %(p)s%%; samen moeten ze precies 100%% zijn.")
            % {"p": str(Decimal(sum(typed.values())) / 100).replace(".", ",")}
        )
    if mode == "amount" and sum(typed.values()) != custom.total:
        raise RuleError(
            _("De bedragen tellen op tot %(s)s; het maatwerkplan kost %(t)s. Samen moeten ze precies dat zijn.")
            % {"s": format_euro_cents(sum(typed.values())), "t": format_euro_cents(custom.total)}
        )
    for code in prefinanced:
        if code in typed and kinds.get(code) != FunderKind.EXTERNAL:
            raise RuleError(
                _("Alleen het deel van een externe financier kan de gemeente voorschieten; een eigen bijdrage nooit."),
                f"pre_{code}",
            )
    with transaction.atomic():
        old = {s.funder: s for s in PlanShare.objects.filter(plan=plan)}
        PlanShare.objects.filter(plan=plan).delete()
        rows = PlanShare.objects.bulk_create(
            [
                PlanShare(
                    municipality_id=plan.municipality_id,
                    plan=plan,
                    funder=code,
                    basis_points=value if mode == "percent" else None,
                    amount_cents=value if mode == "amount" else None,
                    prefinanced=code in prefinanced,
                    agreement=old[code].agreement if code in old else PlanShare.Agreement.PROPOSED,
                    agreement_date=old[code].agreement_date if code in old else None,
                    document_reference=old[code].document_reference if code in old else "",
                )
                for code, value in sorted(typed.items())
            ]
        )
        event(plan, user, "cofunding", _("Verdeling over financiers vastgelegd"), timeline=False)
    return rows


def adopt_cofunding(user, plan: Plan) -> list[PlanShare]:
    """Take over the suggestion: shares in proportion to each funder's avoided cost (vs doing nothing)."""
    _editable(user, plan)
    custom = _custom(plan)
    nothing = calc.scenario(selectors.plan_lines(plan, Scenario.DO_NOTHING), plan.horizon_years)
    shares = calc.proposed_shares(calc.avoided(custom, nothing))
    if not shares:
        raise RuleError(_("Er is geen financier die bespaart; een verdeling kan nog niet worden voorgesteld."))
    return set_shares(user, plan, mode="percent", values={f: s * 100 for f, s in shares.items()})


def clear_cofunding(user, plan: Plan) -> None:
    _editable(user, plan)
    with transaction.atomic():
        PlanShare.objects.filter(plan=plan).delete()
        event(plan, user, "cofunding", _("Verdeling over financiers verwijderd"), timeline=False)


AGREEMENT_FLOW = {
    PlanShare.Agreement.PROPOSED: {PlanShare.Agreement.AGREED, PlanShare.Agreement.REFUSED},
    PlanShare.Agreement.AGREED: {PlanShare.Agreement.RECEIVED, PlanShare.Agreement.REFUSED},
    PlanShare.Agreement.RECEIVED: set(),
    PlanShare.Agreement.REFUSED: set(),
}


def record_agreement(user, plan: Plan, share_id: int, *, status: str, on, reference: str = "") -> PlanShare:
    """The co-funding agreement of an external share: proposed -> agreed -> received, or refused; with the date
    and the document reference (required when agreed). Allowed in every plan status (money comes in later)."""
    selectors.visible_plan(user, plan)
    permissions.require("budget.edit_plan", user, plan, EDITORS_ONLY)
    share = PlanShare.objects.filter(plan=plan, pk=share_id).first()
    if share is None:
        raise RuleError(_("Deze verdeling bestaat niet (meer)."))
    if selectors.funder_kinds(plan.municipality_id).get(share.funder) != FunderKind.EXTERNAL:
        raise RuleError(_("Alleen met een externe financier wordt een cofinancieringsafspraak gemaakt."))
    if status not in PlanShare.Agreement.values:
        raise RuleError(_("Kies de stand van de afspraak."), "status")
    if on is None:
        raise RuleError(_("Vul de datum in."), "on")
    if on > timezone.localdate():
        raise RuleError(_("Deze datum ligt in de toekomst."), "on")
    if status == PlanShare.Agreement.AGREED and not reference.strip():
        raise RuleError(_("Vul het kenmerk van de afspraak of het document in."), "reference")
    transition(
        share,
        status,
        AGREEMENT_FLOW,
        field="agreement",
        message=_("Deze afspraak kan niet meer naar die stand."),
        updates={"agreement_date": on, "document_reference": reference.strip()[:120] or share.document_reference},
        on_change=lambda s: event(
            plan,
            user,
            "cofunding",
            _("Cofinanciering %(f)s: %(s)s") % {"f": s.get_funder_display(), "s": PlanShare.Agreement(status).label},
            timeline=False,
        ),
    )
    share.refresh_from_db()
    return share


# --- Funders as data ------------------------------------------------------------------------------------------


FUNDER_NAME_MAX = 120  # FunderSetting.name
OTHER_NEEDS_A_NAME = _("Geef “Anders” een naam: welke financier is het?")


@transaction.atomic
def set_funder(user, *, code: str, name: str = "", kind: str, active: bool = True) -> FunderSetting:
    """Add or change one funder of the user's municipality (administrator or budget holder): the name shown
    (empty: the national name), municipal / external / own, active or switched off. "Anders" only with a name (also
    a database CHECK). A switched-off funder is no longer offered for new lines; lines that use it keep it."""
    permissions.require(
        "budget.manage_funders", user, None, _("Alleen een beheerder of budgetfiatteur kan financiers beheren.")
    )
    if code not in Funder.values:
        raise RuleError(_("Kies een financier uit de lijst."), "code")
    if kind not in FunderKind.values:
        raise RuleError(_("Kies of de gemeente, een externe financier of het huishouden zelf betaalt."), "kind")
    name = (name or "").strip()
    if len(name) > FUNDER_NAME_MAX:
        raise RuleError(_("Een naam heeft ten hoogste 120 tekens."), "name")
    if code == Funder.OTHER and not name:
        raise RuleError(OTHER_NEEDS_A_NAME, "name")
    row, _created = FunderSetting.objects.update_or_create(
        municipality_id=user.municipality_id,
        code=code,
        defaults={"name": name, "kind": kind, "active": bool(active)},
    )
    return row


def ensure_funders(municipality) -> None:
    """Seed the municipality's funder list with the national set (idempotent)."""
    have = set(FunderSetting.objects.filter(municipality=municipality).values_list("code", flat=True))
    FunderSetting.objects.bulk_create(
        [
            FunderSetting(municipality=municipality, code=code, kind=kind)
            for code, kind in NATIONAL_FUNDERS.items()
            if code not in have
        ]
    )


# --- What the plan asks from the hand budget (the interface with the approval services) ---------------------------


def plan_funding(plan: Plan) -> calc.FundingSplit:
    """Per funder code, who bears the custom plan; which codes are municipal / external / own; what the hand
    budget pays (`from_fund`) and which external parts it pre-finances (`prefinanced`: to be reclaimed)."""
    return selectors.plan_funding(plan)


def amount_from_fund_cents(plan: Plan) -> int:
    """What the plan asks from the team's flexible (hand) budget, in cents: the part borne by this municipality's
    budgets plus the external parts it pre-finances; never external funders' own payments or the household's own
    contribution. A split whose typed amounts no longer add up to the plan is refused (RuleError)."""
    split = plan_funding(plan)
    if not split.balanced:
        raise RuleError(
            _("De verdeling over financiers telt niet op tot het maatwerkplan (%(t)s). Pas de verdeling aan.")
            % {"t": format_euro_cents(split.total)}
        )
    return split.from_fund
