"""One state-transition mechanism for every model with a status (issue 11): Case, Platform, Plan, Story,
PolicyProposal, Loan, Reclaim, Submission.

Each model's app declares its flow as a table `{from_state: {to_state, ...}}` next to the model (or in its
services) and changes state only through `transition()`:

    PLAN_FLOW = {"draft": {"submitted"}, "submitted": {"approved", "returned", "draft"}, ...}
    transition(plan, "approved", PLAN_FLOW, updates={"approved_by": user, "approved_at": now},
               on_change=lambda p: add_timeline(...))

`transition()` runs one conditional `UPDATE ... SET status = to WHERE pk = ... AND status IN (allowed sources)`,
so a double click or two racing requests change the state exactly once: the loser gets a RuleError
("al gebeurd" or "kan niet vanuit ..."), nothing is written twice, and `on_change` (the timeline entry, the
ledger release) runs only for the winner, inside the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.db import transaction
from django.utils.translation import gettext as _

from .errors import RuleError

Flow = Mapping[str, set[str] | frozenset[str]]


def sources(flow: Flow, to: str) -> set[str]:
    """The states from which `to` may follow."""
    return {state for state, targets in flow.items() if to in targets}


def may_follow(flow: Flow, current: str, to: str) -> bool:
    return to in flow.get(current, ())


def check_flow(flow: Flow, states) -> None:
    """For tests and at import: every state named in the flow is a known state."""
    known = set(states)
    unknown = {s for s in flow} | {t for targets in flow.values() for t in targets}
    unknown -= known
    if unknown:
        raise ValueError(f"unknown states in flow: {sorted(unknown)}")


def _label(obj, field: str, value: str) -> str:
    try:
        choices = dict(obj._meta.get_field(field).flatchoices)
    except Exception:  # noqa: BLE001 - a field without choices: show the code
        return value
    return str(choices.get(value, value))


def transition(
    obj,
    to: str,
    flow: Flow,
    *,
    field: str = "status",
    updates: dict | None = None,
    on_change: Callable[[object], None] | None = None,
    message: str | None = None,
):
    """Move `obj` to state `to` if the flow allows it from the state in the database, atomically.

    Returns `obj` with the new state (and `updates`) set. Raises RuleError when the state in the database is
    already `to` (a double submit) or `to` may not follow it; then nothing is written and `obj` is refreshed.
    """
    allowed = sources(flow, to)
    values = {field: to, **(updates or {})}
    model = type(obj)
    with transaction.atomic():
        changed = model._base_manager.filter(pk=obj.pk, **{f"{field}__in": allowed}).update(**values)
        if not changed:
            current = model._base_manager.filter(pk=obj.pk).values_list(field, flat=True).first()
            if current is not None:
                setattr(obj, field, current)
            if message:
                raise RuleError(message)
            if current == to:
                raise RuleError(
                    _("Dit is al gebeurd: de status is al “%(state)s”.") % {"state": _label(obj, field, to)}
                )
            raise RuleError(
                _("Dit kan niet meer: de status is “%(state)s”.") % {"state": _label(obj, field, current or "")}
            )
        for name, value in values.items():
            setattr(obj, name, value)
        if on_change is not None:
            on_change(obj)
    return obj
