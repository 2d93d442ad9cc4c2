"""The rule book of the case platform (issue 11): named rules `platforms.<action>`, registered in
PlatformsConfig.ready(). Every rule starts from the case's need-to-know gate (cases.permissions)."""

from __future__ import annotations

import rules

from doorbraak.cases.permissions import is_lead_of_case, work_on
from doorbraak.core.permissions import define


@rules.predicate
def at_the_table(user, platform) -> bool:
    """The user sits at this platform's table (a participant)."""
    participants = getattr(platform, "participants", None)
    if participants is None:
        return False
    user_id = getattr(user, "pk", None)
    prefetched = getattr(platform, "_prefetched_objects_cache", {}).get("participants")
    if prefetched is not None:  # selectors.platform_detail read them for this request
        return any(p.user_id == user_id for p in prefetched)
    return participants.filter(user_id=user_id).exists()


RULES = {
    "platforms.start": is_lead_of_case,  # convene a platform; obj: the case
    "platforms.invite": is_lead_of_case,
    "platforms.add_action": work_on,
    "platforms.mark_action_done": work_on,  # obj: the action
    "platforms.add_decision": work_on,
    "platforms.decide_as_lead": is_lead_of_case,  # "de tafel werd het niet eens: de doorbraakregisseur besluit"
    "platforms.record_breakthrough": work_on,
    "platforms.evaluate": work_on,
    "platforms.escalate": is_lead_of_case,
    "platforms.record_escalation_outcome": is_lead_of_case,  # obj: the escalation
    "platforms.print": work_on & (is_lead_of_case | at_the_table),  # the printable summary
    # --- issue 16 ---
    "platforms.add_external": is_lead_of_case,  # a participant without an account; obj: the case
    "platforms.cancel_action": is_lead_of_case,  # let an open action lapse when the case closes; obj: the case
}


def register() -> None:
    for name, predicate in RULES.items():
        define(name, predicate)
