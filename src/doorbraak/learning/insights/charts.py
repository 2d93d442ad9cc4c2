"""Geometry for the server-rendered SVG charts of the learning pages (no JavaScript, CSP-safe). Pure.

Charts only draw numbers that are already suppressed: a cell shown as "<10" or "x" gets no bar and its label
says so. Every chart has the same numbers in a table next to it."""

from __future__ import annotations

LABEL_WIDTH = 230
BAR_AREA = 420


def _num(value) -> int | float | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def monthly_bars(rows: list[dict], height: int = 180) -> dict:
    """Grouped vertical bars per month: opened and broke through."""
    peak = max([_num(r["opened"]) or 0 for r in rows] + [_num(r["broke"]) or 0 for r in rows] + [1])
    step = 34
    bars = []
    for i, r in enumerate(rows):
        x = 40 + i * step
        group = {"x": x, "label": r["label"], "label_x": x + 14, "bars": []}
        for j, (key, css) in enumerate((("opened", "db-chart-f0"), ("broke", "db-chart-f2"))):
            value = _num(r[key])
            h = round((value or 0) * height / peak)
            group["bars"].append({"x": x + j * 14, "y": 10 + height - h, "h": h, "css": css, "value": r[key]})
        bars.append(group)
    return {
        "groups": bars,
        "width": 60 + len(rows) * step,
        "height": height + 60,
        "axis_y": height + 10,
        "peak": peak,
        "label_y": height + 28,
    }


def horizontal_bars(items: list[tuple[str, object]], css: str = "db-chart-f0") -> dict:
    """One bar per (label, value); suppressed values get no bar, only their label."""
    peak = max([_num(v) or 0 for _, v in items] + [1])
    rows = []
    for i, (label, value) in enumerate(items):
        n = _num(value)
        width = max(1, round(n * BAR_AREA / peak)) if n else 0
        rows.append(
            {"y": i * 30, "label": label, "value": value, "width": width, "css": css, "text_x": LABEL_WIDTH + width + 6}
        )
    return {"rows": rows, "width": LABEL_WIDTH + BAR_AREA + 120, "height": 30 * len(items) + 10, "bar_x": LABEL_WIDTH}


def diverging_bars(items: list[tuple[str, float | None]], scale: float = 2.0) -> dict:
    """Bars left (decline) or right (improvement) of a zero line; `scale` is the largest absolute value drawn."""
    half = BAR_AREA // 2
    zero = LABEL_WIDTH + half
    rows = []
    for i, (label, value) in enumerate(items):
        row = {"y": i * 30, "label": label, "value": value, "width": 0, "x": zero, "css": "db-chart-saves"}
        if value is not None:
            width = max(1, round(min(abs(value), scale) * half / scale))
            row.update(
                width=width,
                x=zero if value >= 0 else zero - width,
                css="db-chart-saves" if value >= 0 else "db-chart-pays",
            )
        row["text_x"] = zero + half + 8
        rows.append(row)
    return {"rows": rows, "width": LABEL_WIDTH + BAR_AREA + 80, "height": 30 * len(items) + 10, "zero": zero}
