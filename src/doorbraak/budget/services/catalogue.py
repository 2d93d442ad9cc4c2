"""The cost catalogue (kostenkengetallen): the default prices of a municipality and their audited changes."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from doorbraak.core import permissions
from doorbraak.core.errors import RuleError

from ..catalogue_data import catalogue_items
from ..models import CatalogueItem, CatalogueRevision
from ._base import check_amount


def ensure_default_catalogue(municipality) -> int:
    """Give a municipality the default reference prices (once per code). Returns the number added.
    A system step (the catalogue page and the demo call it), not a user's action: it writes only the reviewed
    default rows, never changes an existing item."""
    existing = set(CatalogueItem.objects.filter(municipality=municipality).values_list("code", flat=True))
    new = [
        CatalogueItem(municipality=municipality, is_default=True, **row)
        for row in catalogue_items()
        if row["code"] not in existing
    ]
    if not new:
        return 0
    with transaction.atomic():
        CatalogueItem.objects.bulk_create(new, ignore_conflicts=True)
        items = CatalogueItem.objects.filter(municipality=municipality, code__in=[i.code for i in new])
        CatalogueRevision.objects.bulk_create(
            [
                CatalogueRevision(
                    municipality=municipality,
                    item=item,
                    amount_cents=item.amount_cents,
                    price_year=item.price_year,
                    source=item.source,
                    source_type=item.source_type,
                    confidence=item.confidence,
                    reason="Standaardcatalogus",
                )
                for item in items
                if not item.revisions.exists()
            ]
        )
    return len(new)


def change_catalogue_item(user, item, *, amount_cents, price_year, source, source_type, confidence, reason):
    permissions.require("budget.edit_catalogue", user, item, _("U mag dit kostenkengetal niet wijzigen."))
    check_amount(amount_cents, "amount")
    if not reason.strip():
        raise RuleError(_("Geef een reden voor de wijziging."), "reason")
    with transaction.atomic():
        item = CatalogueItem.objects.select_for_update().get(pk=item.pk)
        item.amount_cents, item.price_year = amount_cents, price_year
        item.source, item.source_type, item.confidence = source, source_type, confidence
        item.save()
        CatalogueRevision.objects.create(
            municipality=item.municipality,
            item=item,
            amount_cents=amount_cents,
            price_year=price_year,
            source=source,
            source_type=source_type,
            confidence=confidence,
            reason=reason.strip()[:300],
            changed_by=user,
        )
    return item


def add_catalogue_item(user, *, code, name, unit, amount_cents, funder, source, source_type, confidence, price_year):
    permissions.require("budget.edit_catalogue", user, None, _("U mag geen kostenkengetallen toevoegen."))
    check_amount(amount_cents, "amount")
    if CatalogueItem.objects.filter(municipality_id=user.municipality_id, code=code).exists():
        raise RuleError(_("Er is al een kostenkengetal met deze code."), "code")
    with transaction.atomic():
        item = CatalogueItem.objects.create(
            municipality_id=user.municipality_id,
            code=code,
            name=name,
            unit=unit,
            amount_cents=amount_cents,
            funder=funder,
            source=source,
            source_type=source_type,
            confidence=confidence,
            price_year=price_year,
        )
        CatalogueRevision.objects.create(
            municipality=item.municipality,
            item=item,
            amount_cents=amount_cents,
            price_year=price_year,
            source=source,
            source_type=source_type,
            confidence=confidence,
            reason="Toegevoegd",
            changed_by=user,
        )
    return item
