"""Reads of documents: the upload page's target and the document list an owner's page shows."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from doorbraak.budget.models import Loan, Reclaim
from doorbraak.cases.models import Case
from doorbraak.core.access import RoleForbidden
from doorbraak.core.permissions import allowed
from doorbraak.core.templatetags.doorbraak import format_euro_cents

from . import owners
from .models import Document, OwnerType


def back_url(case, owner_type: str, owner) -> str:
    if owner_type == OwnerType.CASE:
        return reverse("cases:detail", kwargs={"case_id": case.pk}) + "#documenten"
    if owner_type == OwnerType.PLATFORM:
        return reverse("platforms:detail", kwargs={"case_id": case.pk, "pk": owner.pk}) + "#documenten"
    return reverse("plan:detail", kwargs={"case_id": case.pk}) + "#documenten"


def label_of(owner_type: str, owner) -> str:
    if owner_type == OwnerType.CASE:
        return _("de casus")
    if owner_type == OwnerType.PLATFORM:
        return _("het casusplatform van %(d)s") % {"d": owner.convened_on.strftime("%d-%m-%Y")}
    if owner_type == OwnerType.PLAN:
        return _("het maatwerkplan")
    if owner_type == OwnerType.LOAN:
        return _("de lening van %(amount)s") % {"amount": format_euro_cents(owner.amount_cents)}
    return _("de terugvordering van %(amount)s bij %(funder)s") % {
        "amount": format_euro_cents(owner.amount_cents),
        "funder": owner.get_funder_display(),
    }


def upload_target(user, case_id, owner_slug: str, owner_id) -> dict:
    """What a document is added to, through the owner's own gate (404, logged) and the upload rule (403)."""
    owner_type = owners.FROM_URL.get(owner_slug, owner_slug if owner_slug in OwnerType.values else "")
    case, owner = owners.resolve(user, case_id, owner_type, owner_id)
    if not allowed("documents.upload", user, owner):
        raise RoleForbidden
    return {
        "case": case,
        "owner": owner,
        "owner_type": owner_type,
        "label": label_of(owner_type, owner),
        "back": back_url(case, owner_type, owner),
        "closed": case.status == Case.Status.CLOSED,
    }


def _upload_url(case_id, owner_type, owner_id) -> str:
    return reverse(
        "documents:upload",
        kwargs={"case_id": case_id, "owner": owners.URL_NAMES[owner_type], "owner_id": owner_id},
    )


def documents_for(user, obj) -> dict:
    """The documents of `obj` (a case, platform or plan whose page the user already opened through its gate) and,
        for a plan, of its loans and reclaims: groups of {label, documents, upload_url}. No upload links on a closed
    case. At most four queries (loans, reclaims, documents with their uploader, the plan's case)."""
    owner_type = owners.owner_type_of(obj)
    case_id = owners.case_id_of(obj)
    targets = [(owner_type, obj)]
    if owner_type == OwnerType.PLAN:
        targets += [(OwnerType.LOAN, loan) for loan in Loan.objects.filter(plan_id=obj.pk).order_by("id")]
        targets += [(OwnerType.RECLAIM, r) for r in Reclaim.objects.filter(plan_id=obj.pk).order_by("id")]
    rows = Document.objects.filter(case_id=case_id).select_related("uploaded_by").order_by("-uploaded_at", "-id")
    by_owner: dict[tuple[str, int], list[Document]] = {}
    for document in rows:
        by_owner.setdefault((document.owner_type, document.owner_id), []).append(document)
    may_upload = allowed("documents.upload", user, obj)
    case = obj if owner_type == OwnerType.CASE else obj.case  # the page's own case (platform.case, plan.case)
    groups = []
    for kind, owner in targets:
        groups.append(
            {
                "label": label_of(kind, owner),
                "documents": by_owner.get((kind, owner.pk), []),
                "upload_url": _upload_url(case_id, kind, owner.pk) if may_upload else "",
            }
        )
    return {"groups": groups, "case_id": case_id, "closed": case.status == Case.Status.CLOSED}
