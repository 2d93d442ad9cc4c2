"""The cell-key method for every released learning figure (issue 13; docs/apps/learning.md, standards §8). Pure.

- Every case has a permanent random record key in 0..KEY_RANGE-1 (learning.RecordKey).
- A cell's key is the sum of its records' keys modulo KEY_RANGE: the same records always give the same key, so
  the same cell always shows the same value; asking again or averaging gains nothing.
- The published perturbation table gives the noise for (true count, cell key): integer noise in -D..+D
  (MAX_NOISE = 3) with mean 0 and variance VARIANCE = 2.25 for counts of 13 and more. For smaller counts the row
  is the same column layout cut off symmetrically (cut values become 0), so that the mean stays exactly 0 and
  a count never crosses the threshold: a true 1..9 stays in 1..9 (shown "<10"), a true 10 or more stays at 10 or
  more. So "<10" means what it says, and amounts or means are shown exactly when their count is shown.
- Zero stays zero (a cell without records has no key).

Why D = 3 and V = 2.25: with D = 1 or 2 an attacker who differences a handful of released cells narrows a small
cell to a few values; with D = 3 the LP reconstruction in tests/learning/test_attack_protected.py pins no small
cell, while a count of 50 moves by at most 6% (utility bound in that test). ABS TableBuilder and the Eurostat
census tables use D = 2..5 and V = 1..3.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from doorbraak.core import dates

KEY_RANGE = 256
MAX_NOISE = 3
THRESHOLD = 10
SMALL = "<10"
MIN_N = 30  # percentages, means and intervals only from 30 (as before, insights.stats.MIN_N)

# How many of the KEY_RANGE columns get each noise value in the general row (sums to 256).
_WEIGHTS = {0: 64, 1: 52, -1: 52, 2: 32, -2: 32, 3: 12, -3: 12}
_ORDER = [0, 1, -1, 2, -2, 3, -3]


def _general_row() -> list[int]:
    # Interleave the values over the columns (a column's value must not follow the key's size, which is
    # uniform anyway): take the values round-robin while their weight lasts.
    left = dict(_WEIGHTS)
    row: list[int] = []
    while len(row) < KEY_RANGE:
        for value in _ORDER:
            if left[value]:
                row.append(value)
                left[value] -= 1
    return row


GENERAL_ROW = _general_row()
VARIANCE = sum(v * v for v in GENERAL_ROW) / KEY_RANGE  # 2.25


def max_noise_for(n: int) -> int:
    """The largest |noise| a true count n can get: small counts stay in 1..9, others at 10 or more."""
    if n <= 0:
        return 0
    if n < THRESHOLD:
        return min(MAX_NOISE, n - 1, THRESHOLD - 1 - n)
    return min(MAX_NOISE, n - THRESHOLD)


def row_for(n: int) -> list[int]:
    m = max_noise_for(n)
    return [v if abs(v) <= m else 0 for v in GENERAL_ROW]


def noise(n: int, cell_key: int) -> int:
    if n <= 0:
        return 0
    v = GENERAL_ROW[cell_key % KEY_RANGE]
    return v if abs(v) <= max_noise_for(n) else 0


def perturb(n: int, key_sum: int) -> int:
    """The published count of a cell with true count n whose records' keys add up to key_sum."""
    return n + noise(n, key_sum % KEY_RANGE) if n > 0 else 0


def shown(count: int) -> int | str:
    """What a page shows for a published count: 0, "<10" or the number."""
    if 0 < count < THRESHOLD:
        return SMALL
    return count


def table_rows() -> list[tuple[str, int, int, float]]:
    """The published perturbation table in brief, per row (true count 1..12 and "13+"): (label, max |noise|,
    variance); the full table (every cell key) is table_csv_rows()."""
    out = []
    for n in list(range(1, THRESHOLD + MAX_NOISE)) + [THRESHOLD + MAX_NOISE]:
        row = row_for(n)
        label = f"{n}" if n < THRESHOLD + MAX_NOISE else f"{n}+"
        out.append((label, max_noise_for(n), sum(v * v for v in row) / KEY_RANGE))
    return out


def table_csv_rows() -> list[list]:
    """The full perturbation table: one line per (row, cell key) with the noise (open data verstoringstabel)."""
    rows = []
    for n in list(range(1, THRESHOLD + MAX_NOISE)) + [THRESHOLD + MAX_NOISE]:
        label = f"{n}" if n < THRESHOLD + MAX_NOISE else f"{n}+"
        for key, value in enumerate(row_for(n)):
            rows.append([label, key, value])
    return rows


# --- The grid of periods ---------------------------------------------------------------------------------------

MONTH, QUARTER, YEAR, ALL = "m", "q", "y", "a"
ALL_START = datetime.date(1900, 1, 1)


@dataclass(frozen=True)
class GridPeriod:
    grain: str
    start: datetime.date  # first day of the first month (ALL_START for all time)

    @property
    def months_count(self) -> int:
        return {MONTH: 1, QUARTER: 3, YEAR: 12}.get(self.grain, 0)

    @property
    def end(self) -> datetime.date:
        if self.grain == ALL:
            return datetime.date(2100, 12, 1)
        return dates.add_months(self.start, self.months_count - 1)

    @property
    def code(self) -> str:
        if self.grain == MONTH:
            return f"{self.start:%Y-%m}"
        if self.grain == QUARTER:
            return f"{self.start.year}-K{(self.start.month - 1) // 3 + 1}"
        if self.grain == YEAR:
            return f"{self.start.year}"
        return "alles"


def month_cell(d: datetime.date) -> GridPeriod:
    return GridPeriod(MONTH, d.replace(day=1))


def quarter_cell(d: datetime.date) -> GridPeriod:
    return GridPeriod(QUARTER, datetime.date(d.year, 3 * ((d.month - 1) // 3) + 1, 1))


def year_cell(d: datetime.date) -> GridPeriod:
    return GridPeriod(YEAR, datetime.date(d.year, 1, 1))


ALL_TIME = GridPeriod(ALL, ALL_START)


def cells_of_month(d: datetime.date) -> list[GridPeriod]:
    """Every grid cell a month belongs to."""
    return [month_cell(d), quarter_cell(d), year_cell(d), ALL_TIME]


def grid_cell(start: datetime.date, end: datetime.date) -> GridPeriod | None:
    """The grid cell that is exactly the months start..end (first days), or None when there is none."""
    start, end = start.replace(day=1), end.replace(day=1)
    if start == end:
        return month_cell(start)
    if start.month in (1, 4, 7, 10) and end == dates.add_months(start, 2):
        return GridPeriod(QUARTER, start)
    if start.month == 1 and end == datetime.date(start.year, 12, 1):
        return GridPeriod(YEAR, start)
    return None


def parse_code(code: str) -> GridPeriod | None:
    """ "2025" (year), "2025-K3" (quarter), "2025-07" (month); None when it is none of these."""
    code = (code or "").strip()
    try:
        if len(code) == 4 and code.isdigit():
            year = int(code)
            return GridPeriod(YEAR, datetime.date(year, 1, 1)) if 2000 <= year <= 2100 else None
        year_part, _, rest = code.partition("-")
        if len(year_part) != 4 or not year_part.isdigit() or not (2000 <= int(year_part) <= 2100):
            return None
        if rest[:1].upper() == "K" and rest[1:] in ("1", "2", "3", "4"):
            return GridPeriod(QUARTER, datetime.date(int(year_part), 3 * (int(rest[1:]) - 1) + 1, 1))
        if len(rest) == 2 and rest.isdigit() and 1 <= int(rest) <= 12:
            return GridPeriod(MONTH, datetime.date(int(year_part), int(rest), 1))
    except ValueError:
        return None
    return None
