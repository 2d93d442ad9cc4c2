"""The object a document belongs to, reached only through that object's own need-to-know gate.

    case, owner = resolve(user, case_id, OwnerType.LOAN, loan_id)

- a case: `cases.selectors.get_case_for` (involved professionals and the team's lead);
- a platform: `platforms.selectors.get_platform_for` (the case's gate, then the platform of that case);
- the plan, a loan, a reclaim: `budget.selectors.plan_for` (the case's gate, plus approvers for a submitted or
  approved plan), then the loan or reclaim of that plan.

Anyone else gets `core.access.Refusal`: the ordinary 404 page and a denied access event.
"""

from __future__ import annotations

from doorbraak.budget import selectors as budget_selectors
from doorbraak.budget.models import Loan, Plan, Reclaim
from doorbraak.cases.models import Case
from doorbraak.cases.selectors import case_id_subject, case_subject, get_case_for
from doorbraak.core.access import NOT_FOUND, deny, get_visible_or_404
from doorbraak.platforms.models import Platform
from doorbraak.platforms.selectors import get_platform_for

from .models import OwnerType

# The owner as it is named in URLs (Dutch) and in the database (English).
URL_NAMES = {
    OwnerType.CASE: "casus",
    OwnerType.PLATFORM: "platform",
    OwnerType.PLAN: "plan",
    OwnerType.LOAN: "lening",
    OwnerType.RECLAIM: "terugvordering",
}
FROM_URL = {slug: owner for owner, slug in URL_NAMES.items()}
MODELS = {Case: OwnerType.CASE, Platform: OwnerType.PLATFORM, Plan: OwnerType.PLAN, Loan: OwnerType.LOAN}
MODELS[Reclaim] = OwnerType.RECLAIM


def owner_type_of(obj) -> str:
    return MODELS[type(obj)]


def case_id_of(obj) -> int:
    if isinstance(obj, Case):
        return obj.pk
    if isinstance(obj, (Loan, Reclaim)):
        return obj.plan.case_id
    return obj.case_id


def _unknown(user, case_id, owner_type, owner_id):
    return deny(
        user,
        reason=NOT_FOUND,
        event="document.read",
        object_type="documents.document",
        object_id=f"{owner_type}:{owner_id}"[:64],
        subject=case_id_subject(case_id) if isinstance(case_id, int) else None,
    )


def resolve(user, case_id, owner_type: str, owner_id):
    """(case, owner) when `user` may see the owner; otherwise a Refusal (404, logged)."""
    if owner_type == OwnerType.CASE:
        case = get_case_for(user, case_id)
        if str(owner_id) != str(case.pk):
            raise _unknown(user, case_id, owner_type, owner_id)
        return case, case
    if owner_type == OwnerType.PLATFORM:
        platform = get_platform_for(user, case_id, owner_id)
        return platform.case, platform
    if owner_type in (OwnerType.PLAN, OwnerType.LOAN, OwnerType.RECLAIM):
        case, plan = budget_selectors.plan_for(user, case_id)
        plan.case = case
        if owner_type == OwnerType.PLAN:
            if str(owner_id) != str(plan.pk):
                raise _unknown(user, case_id, owner_type, owner_id)
            return case, plan
        model = Loan if owner_type == OwnerType.LOAN else Reclaim
        row = get_visible_or_404(
            user, model.objects.filter(plan=plan), owner_id, subject=lambda r: case_id_subject(case.pk)
        )
        row.plan = plan
        return case, row
    raise _unknown(user, case_id, owner_type, owner_id)


def subject_of(case) -> tuple[str, int]:
    return case_subject(case)
