"""Budget models, split by owner: `plans` (catalogue, plans, lines, shares, realised costs) and `funds`
(mandates, funds, ledger, loans, reclaims). Import from `doorbraak.budget.models` as before."""

from .funds import BALANCE_SIGN, AppendOnlyQuerySet, EntryKind, Fund, LedgerEntry, Loan, MandateRule, Reclaim
from .plans import (
    MAX_AMOUNT_CENTS,
    CatalogueItem,
    CatalogueRevision,
    Confidence,
    Plan,
    PlanEvent,
    PlanLine,
    PlanShare,
    RealisedCost,
    Scenario,
    SourceType,
    Unit,
)

__all__ = [
    "BALANCE_SIGN",
    "MAX_AMOUNT_CENTS",
    "AppendOnlyQuerySet",
    "CatalogueItem",
    "CatalogueRevision",
    "Confidence",
    "EntryKind",
    "Fund",
    "LedgerEntry",
    "Loan",
    "MandateRule",
    "Plan",
    "PlanEvent",
    "PlanLine",
    "PlanShare",
    "RealisedCost",
    "Reclaim",
    "Scenario",
    "SourceType",
    "Unit",
]
