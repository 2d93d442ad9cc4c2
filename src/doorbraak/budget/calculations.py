"""Scenario arithmetic for the custom plan. Pure functions, no ORM, no floats.

Money is integer cents; intermediate values are Decimal. A line's cost is rounded half-up to the cent
only once per line per year, so totals are sums of rounded line-years and always add up.

Timing of a line:
- time units (day, night, week, month, year) cover `duration` units starting `start_month` months after
  the plan starts, spread evenly over the months they cover; what falls beyond the horizon is dropped.
- count units (each, hour) are a number of items (quantity x duration) incurred in the start month.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
# How many months one unit covers.
MONTHS_PER_UNIT: dict[str, Decimal] = {
    "year": Decimal(12),
    "month": Decimal(1),
    "week": Decimal(12) / Decimal(52),
    "day": Decimal(12) / Decimal(365),
    "night": Decimal(12) / Decimal(365),
}
COUNT_UNITS = {"each", "hour"}
UNITS = set(MONTHS_PER_UNIT) | COUNT_UNITS
DEFAULT_LOW = Decimal("0.8")
DEFAULT_HIGH = Decimal("1.2")
MIN_HORIZON, MAX_HORIZON = 1, 5


@dataclass(frozen=True)
class Line:
    unit: str
    amount_cents: int
    quantity: Decimal
    duration: Decimal
    funder: str
    start_month: int = 0
    low: Decimal = DEFAULT_LOW
    high: Decimal = DEFAULT_HIGH

    def __post_init__(self):
        if self.unit not in UNITS:
            raise ValueError(f"unknown unit {self.unit}")
        if isinstance(self.amount_cents, float) or isinstance(self.quantity, float) or isinstance(self.duration, float):
            raise TypeError("money and quantities are never float")
        if self.amount_cents < 0 or self.quantity < 0 or self.duration < 0 or self.start_month < 0:
            raise ValueError("negative values are not allowed")


def round_cents(value: Decimal) -> int:
    return int(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def check_horizon(horizon_years: int) -> None:
    if not (MIN_HORIZON <= horizon_years <= MAX_HORIZON):
        raise ValueError("horizon must be 1-5 years")


def _month_weights(line: Line, horizon_years: int) -> list[Decimal]:
    """Units of the line falling in each month of the horizon (index 0 = first month)."""
    months = horizon_years * 12
    weights = [ZERO] * months
    if line.unit in COUNT_UNITS:
        if line.start_month < months:
            weights[line.start_month] = line.duration
        return weights
    per_unit = MONTHS_PER_UNIT[line.unit]
    start = Decimal(line.start_month)
    end = start + line.duration * per_unit
    for m in range(months):
        overlap = min(end, Decimal(m + 1)) - max(start, Decimal(m))
        if overlap > 0:
            weights[m] = overlap / per_unit
    return weights


def units_per_year(line: Line, horizon_years: int) -> list[Decimal]:
    check_horizon(horizon_years)
    w = _month_weights(line, horizon_years)
    return [sum(w[y * 12 : (y + 1) * 12], ZERO) for y in range(horizon_years)]


def line_cost_per_year(line: Line, horizon_years: int, factor: Decimal = Decimal(1)) -> list[int]:
    """Cost of one line in each plan year, in cents, rounded half-up once per year."""
    return [
        round_cents(Decimal(line.amount_cents) * line.quantity * units * factor)
        for units in units_per_year(line, horizon_years)
    ]


def line_cost_per_month(line: Line, horizon_years: int) -> list[Decimal]:
    """Unrounded cost per month (for the break-even point only)."""
    base = Decimal(line.amount_cents) * line.quantity
    return [base * w for w in _month_weights(line, horizon_years)]


@dataclass
class ScenarioResult:
    per_year: list[int]
    per_funder_year: dict[str, list[int]]
    total: int
    per_funder_total: dict[str, int]
    low: int
    high: int
    per_month: list[Decimal] = field(repr=False, default_factory=list)


def scenario(lines: list[Line], horizon_years: int) -> ScenarioResult:
    check_horizon(horizon_years)
    per_year = [0] * horizon_years
    per_funder_year: dict[str, list[int]] = defaultdict(lambda: [0] * horizon_years)
    per_month = [ZERO] * (horizon_years * 12)
    low = high = 0
    for line in lines:
        costs = line_cost_per_year(line, horizon_years)
        for y, c in enumerate(costs):
            per_year[y] += c
            per_funder_year[line.funder][y] += c
        low += sum(line_cost_per_year(line, horizon_years, line.low))
        high += sum(line_cost_per_year(line, horizon_years, line.high))
        for m, c in enumerate(line_cost_per_month(line, horizon_years)):
            per_month[m] += c
    return ScenarioResult(
        per_year=per_year,
        per_funder_year=dict(per_funder_year),
        total=sum(per_year),
        per_funder_total={f: sum(v) for f, v in per_funder_year.items()},
        low=low,
        high=high,
        per_month=per_month,
    )


def avoided(custom: ScenarioResult, other: ScenarioResult) -> dict[str, int]:
    """Cost avoided per funder by the custom plan against another scenario (positive = that funder saves)."""
    funders = set(custom.per_funder_total) | set(other.per_funder_total)
    return {f: other.per_funder_total.get(f, 0) - custom.per_funder_total.get(f, 0) for f in sorted(funders)}


def cost_to_month(lines: list[Line], horizon_years: int, months: int) -> dict[str, int]:
    """Projected cost per funder of the first `months` months of the plan (capped at the horizon), in cents,
    rounded half-up once per funder. Used to set realised costs "up to now" against the projection."""
    check_horizon(horizon_years)
    months = max(0, min(months, horizon_years * 12))
    per_funder: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        per_funder[line.funder] += sum(line_cost_per_month(line, horizon_years)[:months], ZERO)
    return {f: round_cents(v) for f, v in sorted(per_funder.items())}


def months_between(start, end) -> int:
    """Whole months from date `start` up to and including the month of date `end` (0 if end < start)."""
    if end < start:
        return 0
    return (end.year - start.year) * 12 + (end.month - start.month) + 1


def break_even_month(custom: ScenarioResult, other: ScenarioResult) -> int | None:
    """First month (1-based) where the cumulative custom cost <= the cumulative cost of `other`; None if not
    within the horizon."""
    cum_c = cum_o = ZERO
    for m, (c, o) in enumerate(zip(custom.per_month, other.per_month, strict=True), start=1):
        cum_c += c
        cum_o += o
        if cum_c <= cum_o and (cum_c > 0 or cum_o > 0):
            return m
    return None


def proposed_shares(avoided_per_funder: dict[str, int]) -> dict[str, Decimal]:
    """Co-funding proposal: shares (summing to 1) in proportion to each funder's positive avoided cost."""
    positive = {f: v for f, v in avoided_per_funder.items() if v > 0}
    total = sum(positive.values())
    if total <= 0:
        return {}
    shares = {
        f: (Decimal(v) / Decimal(total)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
        for f, v in positive.items()
    }
    # Give the rounding remainder to the largest share so the shares add up to exactly 1.
    biggest = max(shares, key=lambda f: shares[f])
    shares[biggest] += Decimal(1) - sum(shares.values())
    return shares


def split_amount(total_cents: int, shares: dict[str, Decimal]) -> dict[str, int]:
    """Split an amount over shares; cents add up exactly (remainder to the largest share)."""
    if not shares:
        return {}
    parts = {f: round_cents(Decimal(total_cents) * s) for f, s in shares.items()}
    biggest = max(shares, key=lambda f: shares[f])
    parts[biggest] += total_cents - sum(parts.values())
    return parts


def cpi_factor(cpi: dict[int, float | Decimal], price_year: int, current_year: int) -> Decimal:
    """CPI factor from price_year to current_year (4 decimals). Years outside the series use its nearest end."""
    years = sorted(cpi)

    def index(year):
        year = min(max(year, years[0]), years[-1])
        return Decimal(str(cpi[year]))

    return (index(current_year) / index(price_year)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def indexed_amount(amount_cents: int, factor: Decimal) -> int:
    return round_cents(Decimal(amount_cents) * factor)
