"""The rule book (issue 11): who may do what, as named predicates in one registry (the `rules` package).

Every rule has a dotted name `<app>.<action>` and is registered once, by the owning app's `permissions.py`
(imported in its AppConfig.ready()). Services, selectors, templates and the navigation all ask the same rule:

    permissions.require("budget.approve_plan", user, plan)     # in the service: raises Refused (403)
    permissions.allowed("budget.approve_plan", user, plan)     # in a view or selector: True/False
    {% load rules %}{% test_rule "budget.approve_plan" user plan as can_approve %}   # in a template

Role sets and the predicates every app shares (role, municipality, lead of a team) live here; a predicate
about one app's objects lives in that app's `permissions.py`. `registered()` lists every rule, so the
service-level matrix test can check that none is left untested.

Need-to-know on reads stays the visibility gate (`Case.objects.visible_to(user)` + `core.access`): a service
that receives an object the user cannot see raises `core.access.Refusal` (404, logged), not Refused.
"""

from __future__ import annotations

import rules
from django.core.exceptions import PermissionDenied

from .models import Municipality, Role

# --- Role sets (the only place they are written) -----------------------------------------------------------
CASE_WORKERS = frozenset({Role.PROFESSIONAL, Role.LEAD, Role.APPROVER})  # work on cases they are involved in
CASE_OPENERS = frozenset({Role.PROFESSIONAL, Role.LEAD})  # may open a case
PLAN_EDITORS = frozenset({Role.PROFESSIONAL, Role.LEAD})  # may draft and submit a plan
PLAN_REVIEWERS = frozenset({Role.LEAD, Role.APPROVER})  # may approve or return a plan (mandate applies)
PAYERS = frozenset({Role.LEAD, Role.APPROVER})  # may record payments, loans and reclaims
FUND_MANAGERS = frozenset({Role.APPROVER, Role.ADMIN})  # may create and top up funds
BUDGET_READERS = frozenset({Role.LEAD, Role.APPROVER, Role.ADMIN})  # may open the budget overview
CATALOGUE_EDITORS = frozenset({Role.LEAD, Role.APPROVER, Role.POLICY, Role.ADMIN})
CATALOGUE_READERS = frozenset({Role.PROFESSIONAL, Role.LEAD, Role.APPROVER, Role.POLICY, Role.ADMIN})
COST_RECORDERS = frozenset({Role.PROFESSIONAL, Role.LEAD, Role.APPROVER})  # realised costs
LEARNING_READERS = frozenset({Role.POLICY, Role.LEAD})  # dashboard, patterns, council report
STORY_WRITERS = frozenset({Role.PROFESSIONAL, Role.LEAD, Role.APPROVER})  # anonymised stories of their cases
STORY_READERS = STORY_WRITERS | {Role.POLICY}
MODERATORS = frozenset({Role.MODERATOR})
ADMINISTRATORS = frozenset({Role.ADMIN})


class Refused(PermissionDenied):
    """A rule of the rule book says no. A PermissionDenied, so a page that lets it through answers 403 (logged by
    the 403 handler with reason "forbidden"); `rule` names the rule for tests and logs."""

    def __init__(self, rule: str, message: str = ""):
        super().__init__(message or rule)
        self.rule = rule


# --- Shared predicates ------------------------------------------------------------------------------------


def _role(user):
    return getattr(user, "role", None) if getattr(user, "is_authenticated", False) else None


def has_role(*roles) -> rules.Predicate:
    """A predicate: the user is active, logged in and has one of these roles."""
    wanted = frozenset(roles[0]) if len(roles) == 1 and not isinstance(roles[0], str) else frozenset(roles)
    name = "has_role:" + ",".join(sorted(str(r) for r in wanted))

    def check(user):
        return getattr(user, "is_active", False) and _role(user) in wanted

    return rules.Predicate(check, name=name)


@rules.predicate
def is_authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


@rules.predicate
def same_municipality(user, obj) -> bool:
    """The object belongs to the user's municipality (obj has municipality_id, or is a Municipality)."""
    if obj is None or not getattr(user, "municipality_id", None):
        return False
    municipality_id = obj.pk if isinstance(obj, Municipality) else getattr(obj, "municipality_id", None)
    return municipality_id == user.municipality_id


def is_lead_of_team(user, team_id) -> bool:
    """The one "lead of the case's team" rule: a breakthrough lead of that team, in the same municipality."""
    return bool(_role(user) == Role.LEAD and team_id is not None and getattr(user, "team_id", None) == team_id)


# --- The registry -----------------------------------------------------------------------------------------


def define(name: str, predicate) -> None:
    """Register a rule (once; registering the same name again replaces it, for module reloads in tests)."""
    if rules.rule_exists(name):
        rules.set_rule(name, predicate)
    else:
        rules.add_rule(name, predicate)


def allowed(name: str, user, obj=None) -> bool:
    """Does rule `name` allow `user` (on `obj`)? An unknown rule name is a programming error."""
    if not rules.rule_exists(name):
        raise KeyError(f"no such rule: {name}")
    return rules.test_rule(name, user, obj)


def require(name: str, user, obj=None, message: str = "") -> None:
    """Raise Refused unless rule `name` allows `user` (on `obj`). Services call this first."""
    if not allowed(name, user, obj):
        raise Refused(name, message)


def registered(prefix: str = "") -> list[str]:
    """Every registered rule name (optionally of one app), sorted."""
    from rules.rulesets import default_rules

    return sorted(name for name in default_rules if name.startswith(prefix))
