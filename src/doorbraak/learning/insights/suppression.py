"""Small-cell suppression for learning outputs (AVG-09). Pure functions, no Django.

Rules:
- primary: a count 0 < n < threshold is emitted as the string "<10" (SMALL); 0 stays 0, n >= threshold stays n;
- secondary: if exactly one cell is primarily suppressed, the next-smallest other cell is hidden too
  (emitted as HIDDEN, "x"), so that a known total cannot reveal the small cell by subtraction;
- total: exact when no cell is hidden; HIDDEN as soon as any cell is hidden. A rounded total can still pin a
  hidden cell at the edges of the rounding interval, so we do not show one.
"""

from __future__ import annotations

THRESHOLD = 10
SMALL = "<10"
HIDDEN = "x"
TOTAL_LABEL = "Totaal"


def suppress(count: int, threshold: int = THRESHOLD) -> int | str:
    """Primary suppression of one count: 0 < count < threshold -> "<10" (the marker names the default)."""
    if count < 0:
        raise ValueError("counts cannot be negative")
    if 0 < count < threshold:
        return SMALL if threshold == THRESHOLD else f"<{threshold}"
    return count


def suppress_table(
    rows: dict[str, int], total_label: str = TOTAL_LABEL, threshold: int = THRESHOLD
) -> dict[str, int | str]:
    """Suppress a one-dimensional frequency table; returns the cells (input order) and the total last."""
    if total_label in rows:
        raise ValueError("total_label clashes with a row label")
    out: dict[str, int | str] = {label: suppress(n, threshold) for label, n in rows.items()}
    primary = [label for label, value in out.items() if isinstance(value, str)]
    if len(primary) == 1:
        others = [(n, label) for label, n in rows.items() if label != primary[0]]
        # Prefer a non-zero cell (hiding a 0 protects nothing); fall back to a zero cell.
        candidates = sorted(others, key=lambda item: (item[0] == 0, item[0], item[1]))
        if candidates:
            out[candidates[0][1]] = HIDDEN
    any_hidden = any(isinstance(value, str) for value in out.values())
    out[total_label] = HIDDEN if any_hidden else sum(rows.values())
    return out
