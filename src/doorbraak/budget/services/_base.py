"""What every budget service shares: the amount check and the plan's history (PlanEvent + case timeline)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from doorbraak.cases import services as case_services
from doorbraak.core.errors import RuleError

from ..models import MAX_AMOUNT_CENTS, PlanEvent


def check_amount(amount_cents, field="amount"):
    if not isinstance(amount_cents, int) or isinstance(amount_cents, bool):
        raise RuleError(_("Het bedrag moet een bedrag in euro's zijn."), field)
    if amount_cents <= 0:
        raise RuleError(_("Het bedrag moet groter dan € 0,00 zijn."), field)
    if amount_cents > MAX_AMOUNT_CENTS:
        raise RuleError(_("Dit bedrag is onwaarschijnlijk hoog. Controleer het bedrag."), field)


def event(plan, user, kind, summary, timeline=True):
    """One row in the plan's history; with `timeline` also an entry on the case's timeline (through the cases
    services, the owner of the timeline). Call inside the service's transaction."""
    PlanEvent.objects.create(
        municipality_id=plan.municipality_id, plan=plan, actor=user, kind=kind, summary=summary[:300]
    )
    if timeline:
        case_services.add_timeline(plan.case, user, f"plan.{kind}", summary[:300])
