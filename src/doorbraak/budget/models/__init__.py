"""Budget models, split by owner: `plans` (catalogue, plans, lines, shares, realised costs) and `funds`
(mandates, funds, ledger, loans, reclaims). Import from `doorbraak.budget.models` as before."""

from .funds import BALANCE_SIGN, AppendOnlyQuerySet, EntryKind, Fund, LedgerEntry, Loan, MandateRule, Reclaim

# --- issue 12: cost schedule and funders ---
from .plans import (  # noqa: E402
    MAX_AMOUNT_CENTS,
    CatalogueItem,
    CatalogueRevision,
    Confidence,
    FunderKind,
    FunderSetting,
    Plan,
    PlanEvent,
    PlanLine,
    PlanShare,
    RealisedCost,
    Rhythm,
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
    # --- issue 12: cost schedule and funders ---
    "FunderKind",
    "FunderSetting",
    "Rhythm",
]
