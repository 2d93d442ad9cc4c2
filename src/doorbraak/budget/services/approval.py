"""Submission, approval by mandate and return of a custom plan (four eyes), and what approval books.

Every service asks the plan gate (`selectors.visible_plan`: 404 for a plan the user may not see), then its rule
(`budget.<action>`, Refused/403), then the business rules (RuleError). State changes go through PLAN_FLOW and
`core.transitions.transition`, so a double click or a race approves, returns or submits once.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from doorbraak.core import permissions
from doorbraak.core.errors import RuleError
from doorbraak.core.models import Role
from doorbraak.core.templatetags.doorbraak import format_euro_cents
from doorbraak.core.transitions import transition

from .. import calculations as calc
from .. import selectors, selectors_funds
from ..models import EntryKind, Fund, MandateHolder, MandateLevel, Plan, PlanFunding, Reclaim, Scenario
from ._base import check_amount, event
from .ledger import append
from .plans import MUNICIPAL_FUNDERS, PLAN_FLOW, _editable, amount_from_fund_cents


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
    total = amount_from_fund_cents(plan)
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
    """The commitment (exactly `amount_from_fund_cents`, fixed at submission as `requested_cents`) on the chosen
    fund, refused with the fund's balance when it does not fit; then the reclaims of pre-financed shares."""
    amount = plan.requested_cents
    append(fund, EntryKind.COMMITMENT, amount, user, plan=plan, description="Goedgekeurd maatwerkplan")
    PlanFunding.objects.create(municipality_id=plan.municipality_id, plan=plan, fund=fund, committed_cents=amount)
    # Co-funding: the municipality pre-finances; other funders' shares are expected back.
    for funder, share in calc.split_amount(amount, selectors.agreed_shares(plan)).items():
        if funder not in MUNICIPAL_FUNDERS and share > 0:
            reclaim = Reclaim.objects.create(
                municipality_id=plan.municipality_id,
                plan=plan,
                fund=fund,
                funder=funder,
                amount_cents=share,
                purpose=_("Cofinanciering"),
            )
            append(
                fund,
                EntryKind.RECLAIM_EXPECTED,
                share,
                user,
                plan=plan,
                reclaim=reclaim,
                description=f"Cofinanciering {funder}",
            )
    event(
        plan,
        user,
        "approved",
        _("Plan goedgekeurd (%(a)s) ten laste van %(f)s") % {"a": format_euro_cents(amount), "f": fund},
    )


def above_mandate_message(user, plan, mandate) -> str:
    """Who must approve a plan above `mandate`: the next mandate level, or outside Doorbraak above every level."""
    level = selectors_funds.required_level(plan, plan.municipality_id)
    a, m = format_euro_cents(plan.requested_cents), format_euro_cents(mandate)
    if level is not None:
        return _(
            "Dit plan (%(a)s) is hoger dan uw mandaat (%(m)s). Het moet worden goedgekeurd door: %(l)s "
            "(mandaat tot %(c)s); het staat in hun lijst."
        ) % {"a": a, "m": m, "l": level.name, "c": format_euro_cents(level.ceiling_cents)}
    if selectors_funds.mandate_levels(plan.municipality_id) or user.role == Role.APPROVER:
        return _(
            "Dit plan (%(a)s) is hoger dan het hoogste mandaat (%(m)s). Leg het voor aan de wethouder; "
            "dat gaat buiten Doorbraak om."
        ) % {"a": a, "m": m}
    return _("Dit plan (%(a)s) is hoger dan uw mandaat (%(m)s). Een budgetfiatteur moet het goedkeuren.") % {
        "a": a,
        "m": m,
    }


def approve_plan(user, plan: Plan, fund: Fund | None = None) -> Plan:
    """Approve within the user's mandate (four eyes always), committing the plan's amount on `fund` (one of the
    team's funds of the year; default the first). Beyond the fund's balance: refused with that balance."""
    selectors.visible_plan(user, plan)
    if plan.submitted_by_id == user.pk:  # four eyes (the rule says the same); the submitter gets a Dutch message
        raise RuleError(_("U kunt uw eigen plan niet goedkeuren. Een collega met mandaat moet dit doen."))
    permissions.require("budget.approve_plan", user, plan, _("U mag plannen niet goedkeuren."))
    if plan.status != Plan.Status.SUBMITTED:
        raise RuleError(_("Alleen een ingediend plan kan worden goedgekeurd."))
    mandate = selectors_funds.mandate_of(user)
    if mandate <= 0:
        raise RuleError(_("U heeft geen mandaat om plannen goed te keuren."))
    if plan.requested_cents > mandate:
        raise RuleError(above_mandate_message(user, plan, mandate))
    options = selectors_funds.funds_for(plan)
    if fund is None:
        fund = options[0] if options else None
    elif fund.pk not in {f.pk for f in options}:
        raise RuleError(_("Kies een budget van het team van deze casus voor dit jaar."), "fund")
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


def set_mandate_level(user, *, name: str, ceiling_cents: int, default_role: str | None = None):
    """Create or change a mandate level of the user's municipality (administrator or budget holder)."""
    permissions.require(
        "budget.manage_mandates", user, None, _("Alleen een beheerder of budgetfiatteur kan mandaten wijzigen.")
    )
    name = (name or "").strip()
    if not name:
        raise RuleError(_("Geef het mandaatniveau een naam."), "name")
    check_amount(ceiling_cents, "ceiling")
    level, created = MandateLevel.objects.get_or_create(
        municipality_id=user.municipality_id,
        name=name[:80],
        defaults={"ceiling_cents": ceiling_cents, "default_role": default_role or ""},
    )
    if not created:
        level.ceiling_cents = ceiling_cents
        if default_role is not None:
            level.default_role = default_role
        level.save(update_fields=["ceiling_cents", "default_role"])
    return level


def assign_mandate(user, holder, level):
    """Give `holder` (a plan reviewer of the same municipality) an explicit mandate level."""
    permissions.require(
        "budget.manage_mandates", user, holder, _("Alleen een beheerder of budgetfiatteur kan mandaten wijzigen.")
    )
    if level.municipality_id != user.municipality_id or holder.role not in permissions.PLAN_REVIEWERS:
        raise RuleError(_("Alleen een doorbraakregisseur of budgetfiatteur van deze gemeente kan een mandaat hebben."))
    row, _created = MandateHolder.objects.update_or_create(
        user=holder, defaults={"level": level, "municipality_id": user.municipality_id}
    )
    return row


def ensure_default_levels(municipality_id) -> None:
    """The starting levels of a municipality (doorbraakregisseur, teammanager, gedelegeerde van de wethouder)."""
    if MandateLevel.objects.filter(municipality_id=municipality_id).exists():
        return
    for name, ceiling, role in selectors_funds.DEFAULT_LEVELS:
        MandateLevel.objects.create(
            municipality_id=municipality_id, name=name, ceiling_cents=ceiling, default_role=role
        )
