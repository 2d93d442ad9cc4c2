"""The rule book of the case file (issue 11): who may do what with a case, as named rules `cases.<action>`.

Registered in CasesConfig.ready(); services call `permissions.require(...)`, views and templates ask
`permissions.allowed(...)` / `{% test_rule %}`. Need-to-know stays `Case.objects.visible_to(user)`: every rule on a
case object starts from it. Rules take the case, or an object that belongs to one (an involvement, a consent, a
follow-up moment, a platform, an action of a platform).
"""

from __future__ import annotations

import rules

from doorbraak.core import permissions
from doorbraak.core.permissions import CASE_OPENERS, CASE_WORKERS, define, has_role, is_authenticated


def case_of(obj):
    """The case an object belongs to (the case itself, obj.case, or obj.platform.case); None for anything else."""
    from .models import Case

    if isinstance(obj, Case):
        return obj
    if getattr(obj, "case_id", None) is not None:
        return obj.case
    platform = getattr(obj, "platform", None)
    if platform is not None and getattr(platform, "case_id", None) is not None:
        return platform.case
    return None


@rules.predicate
def sees_case(user, obj) -> bool:
    """Need-to-know: the user is actively involved in the case, or is the lead of its team."""
    from .models import Case
    from .selectors import GATE_PASSED_FOR

    case = case_of(obj)
    if case is None:
        return False
    if user is not None and user.pk is not None and case.__dict__.get(GATE_PASSED_FOR) == user.pk:
        return True  # read through the gate for this user in this request (selectors.get_case_for)
    return Case.objects.visible_to(user).filter(pk=case.pk).exists()


@rules.predicate
def is_lead_of_case(user, obj) -> bool:
    """The one "lead of the case's team" rule (core.permissions.is_lead_of_team), in the case's municipality."""
    case = case_of(obj)
    return (
        case is not None
        and getattr(user, "is_active", False)
        and getattr(user, "municipality_id", None) == case.municipality_id
        and permissions.is_lead_of_team(user, case.team_id)
    )


@rules.predicate
def team_in_own_municipality(user, team) -> bool:
    """Opening a case: the chosen team is of the user's municipality (no team given: the role alone decides)."""
    return team is None or permissions.same_municipality(user, team)


@rules.predicate
def own_involvement(user, involvement) -> bool:
    return getattr(involvement, "user_id", None) == getattr(user, "pk", None)


work_on = is_authenticated & sees_case

RULES = {
    "cases.search": has_role(CASE_WORKERS),  # the case list and search (only visible cases are listed)
    "cases.open_case": has_role(CASE_OPENERS) & team_in_own_municipality,
    "cases.work_on": work_on,
    "cases.lead_of": is_lead_of_case,
    "cases.add_member": work_on,
    "cases.rescore": work_on,
    "cases.involve": work_on,
    "cases.end_involvement": work_on & (own_involvement | is_lead_of_case),  # obj: the involvement
    "cases.record_consent": work_on,
    "cases.withdraw_consent": work_on,
    "cases.close": is_lead_of_case,
    "cases.set_status": work_on,
    "cases.follow_up": work_on,  # plan, add and hold evaluation moments
    "cases.record_measurement": work_on,
}


def register() -> None:
    for name, predicate in RULES.items():
        define(name, predicate)
