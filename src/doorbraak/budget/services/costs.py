"""Realised costs (nazorg): what the case really cost, per funder, against the plan's projection."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doorbraak.core import dates as date_ranges
from doorbraak.core import permissions
from doorbraak.core.choices import Funder
from doorbraak.core.errors import RuleError
from doorbraak.core.form_tokens import claim_form_token
from doorbraak.core.templatetags.doorbraak import format_euro_cents

from .. import selectors
from ..models import MAX_AMOUNT_CENTS, Plan, RealisedCost
from ._base import event


def record_realised_cost(user, plan: Plan, *, funder, amount_cents, up_to, note="", token=None) -> RealisedCost:
    """Costs that really occurred for `funder` from the plan's start up to and including `up_to`. A later
    record supersedes an earlier one for the same funder (the latest `up_to` counts). Involved professionals and
    leads of the case (the plan gate) and the municipality's budget approvers (who reach approved plans)."""
    selectors.visible_plan(user, plan)
    permissions.require("budget.record_cost", user, plan, _("U mag voor dit plan geen werkelijke kosten vastleggen."))
    if plan.status != Plan.Status.APPROVED:
        raise RuleError(_("Werkelijke kosten kunnen pas worden vastgelegd als het plan is goedgekeurd."))
    if funder not in Funder.values:
        raise RuleError(_("Kies een financier."), "funder")
    if isinstance(amount_cents, bool) or not isinstance(amount_cents, int) or amount_cents < 0:
        raise RuleError(_("Een bedrag kan niet negatief zijn."), "amount")
    if amount_cents > MAX_AMOUNT_CENTS:
        raise RuleError(_("Dit bedrag is onwaarschijnlijk hoog. Controleer het bedrag."), "amount")
    if up_to > timezone.localdate():
        raise RuleError(_("Deze datum ligt in de toekomst. Leg kosten vast die al gemaakt zijn."), "up_to")
    if message := date_ranges.RECENT_PAST.problem(up_to):
        raise RuleError(message, "up_to")
    start = selectors.plan_start(plan)
    if up_to < start:
        raise RuleError(
            _("Kies een datum vanaf de start van het plan (%(d)s).") % {"d": date_ranges.dutch(start)},
            "up_to",
        )
    with transaction.atomic():
        claim_form_token(user, token, purpose="budget.record_realised_cost", obj=plan)
        row = RealisedCost.objects.create(
            municipality_id=plan.municipality_id,
            plan=plan,
            funder=funder,
            amount_cents=amount_cents,
            up_to=up_to,
            note=note.strip()[:300],
            recorded_by=user,
        )
        event(
            plan,
            user,
            "realised_cost",
            _("Werkelijke kosten %(f)s tot en met %(d)s: %(a)s")
            % {
                "f": Funder(funder).label,
                "d": date_ranges.dutch(up_to),
                "a": format_euro_cents(amount_cents),
            },
        )
    return row
