"""Geometry for the server-rendered SVG charts of budget and learning (no JavaScript, CSP-safe). Pure.

Each builder returns plain dicts and lists; the templates draw them (`templates/includes/chart_hbars.html` for
horizontal bars, the page itself for the other kinds). Every chart has a `<title>` (role="img") and the same
numbers in a table next to it. Values that are not numbers (a suppressed learning cell shown as "<10" or "x",
or None) get no bar; their label says so.

Amount labels are whole euros ROUNDED half away from zero (`euro_label`): € 1.234,56 is "€ 1.235", never the
truncated "€ 1.234"; -€ 1.234,56 is "-€ 1.235".
"""

from __future__ import annotations

from collections.abc import Callable

from doorbraak.core.templatetags.doorbraak import format_euro_cents

LABEL_WIDTH = 230  # room for the row labels of horizontal and diverging bars
BAR_AREA = 420  # the longest bar
PALETTE = 6  # db-chart-f0 ... db-chart-f5 in doorbraak.css


def _num(value) -> int | float | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _text(label: Callable | None, value) -> str | None:
    return label(value) if label is not None else None


def series_css(index: int) -> str:
    """The fill class of the index-th series (funder, line in a legend); six colours, then round again."""
    return f"db-chart-f{index % PALETTE}"


def euro_label(cents) -> str:
    """An amount in cents as a chart label in whole euros, rounded (half away from zero): 123456 -> '€ 1.235',
    123449 -> '€ 1.234', -123456 -> '-€ 1.235'. None -> ''."""
    return format_euro_cents(cents, decimals=False)  # rounds to whole euros; None or "" -> ""


def vertical_bars(
    groups: list[tuple[str, list]],
    series: list[str],
    *,
    height: int = 180,
    step: int = 34,
    bar_width: int = 12,
) -> dict:
    """Grouped vertical bars: one group per (label, [value per series]); `series` are the fill classes.
    The tallest value fills `height`."""
    peak = max([_num(v) or 0 for _, values in groups for v in values] + [1])
    gap = bar_width + 2
    out = []
    for i, (label, values) in enumerate(groups):
        x = 40 + i * step
        bars = []
        for j, css in enumerate(series):
            value = values[j]
            h = round((_num(value) or 0) * height / peak)
            bars.append(
                {"x": x + j * gap, "y": 10 + height - h, "h": h, "width": bar_width, "css": css, "value": value}
            )
        out.append({"x": x, "label": label, "label_x": x + len(series) * gap // 2, "bars": bars})
    return {
        "groups": out,
        "width": 60 + len(groups) * step,
        "height": height + 60,
        "axis_y": height + 10,
        "peak": peak,
        "label_y": height + 28,
    }


def horizontal_bars(
    items: list[tuple[str, object]],
    css: str = "db-chart-f0",
    *,
    signed: bool = False,
    label: Callable | None = None,
    row_height: int = 30,
    bar_y: int = 6,
    bar_height: int = 18,
    extra: int = 120,
) -> dict:
    """One bar per (label, value), the longest `BAR_AREA` wide. `signed`: bar length by absolute value, green
    (db-chart-saves) for >= 0 and red (db-chart-pays) below. `label(value)` gives each row's value text."""
    peak = max([abs(_num(v) or 0) for _, v in items] + [1])
    rows = []
    for i, (name, value) in enumerate(items):
        n = _num(value)
        width = max(1, round(abs(n) * BAR_AREA / peak)) if n else 0
        row_css = ("db-chart-saves" if n is None or n >= 0 else "db-chart-pays") if signed else css
        rows.append(
            {
                "y": i * row_height,
                "label": name,
                "value": value,
                "text": _text(label, value),
                "width": width,
                "css": row_css,
                "text_x": LABEL_WIDTH + width + 6,
            }
        )
    return {
        "rows": rows,
        "width": LABEL_WIDTH + BAR_AREA + extra,
        "height": row_height * len(items) + 10,
        "bar_x": LABEL_WIDTH,
        "bar_y": bar_y,
        "bar_height": bar_height,
        "text_y": bar_y + bar_height // 2 + 5,
    }


def diverging_bars(items: list[tuple[str, float | None]], scale: float = 2.0, *, label: Callable | None = None) -> dict:
    """Bars left (decline) or right (improvement) of a zero line; `scale` is the largest absolute value drawn."""
    half = BAR_AREA // 2
    zero = LABEL_WIDTH + half
    rows = []
    for i, (name, value) in enumerate(items):
        row = {"y": i * 30, "label": name, "value": value, "text": _text(label, value), "width": 0, "x": zero}
        row["css"] = "db-chart-saves"
        if _num(value) is not None:
            width = max(1, round(min(abs(value), scale) * half / scale))
            row.update(
                width=width,
                x=zero if value >= 0 else zero - width,
                css="db-chart-saves" if value >= 0 else "db-chart-pays",
            )
        row["text_x"] = zero + half + 8
        rows.append(row)
    return {"rows": rows, "width": LABEL_WIDTH + BAR_AREA + 80, "height": 30 * len(items) + 10, "zero": zero}


def stacked_bars(
    items: list[tuple[str, dict, int]],
    series: list[tuple[str, str]],
    *,
    peak: int | None = None,
    label: Callable | None = None,
    area: int = BAR_AREA,
    label_width: int = 120,
    row_height: int = 40,
) -> dict:
    """Stacked horizontal bars with a legend: one bar per (label, {series key: amount}, total), one segment per
    series (key, name) in `series` order with a non-zero amount. `peak` (at least the largest total) is the
    amount that fills `area`. `label(amount)` gives the total's and each segment's text."""
    peak = max([peak or 0] + [total for _, _, total in items] + [1])
    rows = []
    for i, (name, parts, total) in enumerate(items):
        segments, x = [], 0
        for j, (key, series_name) in enumerate(series):
            amount = parts.get(key, 0)
            if amount:
                width = max(1, round(amount * area / peak))
                segments.append(
                    {"x": x, "width": width, "css": series_css(j), "name": series_name, "text": _text(label, amount)}
                )
                x += width
        rows.append(
            {"y": i * row_height, "label": name, "segments": segments, "bar_end": x, "total": total}
            | {"text": _text(label, total)}
        )
    return {
        "rows": rows,
        "legend": [{"label": series_name, "css": series_css(j)} for j, (_, series_name) in enumerate(series)],
        "width": label_width + area + 60,
        "height": row_height * len(items) + 10,
        "bar_x": label_width,
    }
