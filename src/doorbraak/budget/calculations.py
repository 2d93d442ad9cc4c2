"""Scenario arithmetic for the custom plan: ONE cost schedule. Pure functions, no ORM, no floats.

Money is integer cents; intermediate values are Decimal or Fraction. Every figure derives from one function,
`line_month_cents`: a line's cost in each month of the horizon, in cents. It rounds the line's *cumulative*
cost half-up to the cent at the end of every month and takes the differences, so a line's months add up to its
rounded total, months add up to years, years to the horizon total, for every funder (property-tested).

A line is a price per unit (`unit`: per hour, dagdeel, day, night, km, piece, week, month or year), a quantity per
period and a rhythm:
- `once`: amount x quantity in the start month;
- `day`, `week`, `month`, `year`: amount x quantity every period, accrued evenly over the months the periods
  cover (a week is 12/52 month, a day 12/365 month, a year 12 months), from `start_month` (0 = the plan's first
  month) up to and including `end_month`, or for `duration` periods when no end month is given. What falls past
  the horizon is dropped.
A line without a rhythm (older callers) keeps the meaning it had before issue 12: count units (piece, hour,
dagdeel, km) are quantity x duration items in the start month, time units recur per their own unit.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import lru_cache

ZERO = Decimal(0)
# How many months one period of a rhythm covers.
MONTHS_PER_PERIOD: dict[str, Fraction] = {
    "year": Fraction(12),
    "month": Fraction(1),
    "week": Fraction(12, 52),
    "day": Fraction(12, 365),
}
F0 = Fraction(0)
RHYTHMS = {"once"} | set(MONTHS_PER_PERIOD)
TIME_UNITS = {"year", "month", "week", "day", "night"}
COUNT_UNITS = {"each", "hour", "daypart", "km"}
UNITS = TIME_UNITS | COUNT_UNITS
DEFAULT_LOW = Decimal("0.8")
DEFAULT_HIGH = Decimal("1.2")
MIN_HORIZON, MAX_HORIZON = 1, 5


def legacy_rhythm(unit: str) -> str:
    """The rhythm a line had before rhythms existed (used for lines without one and by the data migration)."""
    if unit in COUNT_UNITS:
        return "once"
    return "day" if unit == "night" else unit


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
    rhythm: str | None = None  # None: the meaning before issue 12 (see the module docstring)
    end_month: int | None = None  # inclusive, 0-based; wins over duration

    def __post_init__(self):
        if self.unit not in UNITS:
            raise ValueError(f"unknown unit {self.unit}")
        if self.rhythm is not None and self.rhythm not in RHYTHMS:
            raise ValueError(f"unknown rhythm {self.rhythm}")
        if isinstance(self.amount_cents, float) or isinstance(self.quantity, float) or isinstance(self.duration, float):
            raise TypeError("money and quantities are never float")
        if self.amount_cents < 0 or self.quantity < 0 or self.duration < 0 or self.start_month < 0:
            raise ValueError("negative values are not allowed")
        if self.end_month is not None and self.end_month < self.start_month:
            raise ValueError("the end month lies before the start month")

    @property
    def effective_rhythm(self) -> str:
        return self.rhythm or legacy_rhythm(self.unit)

    @property
    def per_period_quantity(self) -> Decimal:
        """Units per period; a legacy count line is quantity x duration items at once."""
        if self.rhythm is None and self.unit in COUNT_UNITS:
            return self.quantity * self.duration
        return self.quantity

    def span(self) -> tuple[Fraction, Fraction]:
        """[start, end) in months for a recurring line (exact fractions)."""
        start = Fraction(self.start_month)
        if self.end_month is not None:
            return start, Fraction(self.end_month + 1)
        return start, start + Fraction(self.duration) * MONTHS_PER_PERIOD[self.effective_rhythm]


def round_cents(value) -> int:
    """Half-up (away from zero) to a whole cent; exact for Decimal and Fraction."""
    if isinstance(value, Fraction):
        sign = -1 if value < 0 else 1
        v = abs(value) + Fraction(1, 2)
        return sign * (v.numerator // v.denominator)
    return int(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def check_horizon(horizon_years: int) -> None:
    if not (MIN_HORIZON <= horizon_years <= MAX_HORIZON):
        raise ValueError("horizon must be 1-5 years")


def _month_weights(line: Line, horizon_years: int) -> list[Fraction]:
    """Periods of the line falling in each month of the horizon (index 0 = first month), exact."""
    months = horizon_years * 12
    weights = [F0] * months
    rhythm = line.effective_rhythm
    if rhythm == "once":
        if line.start_month < months:
            weights[line.start_month] = Fraction(1)
        return weights
    per_period = MONTHS_PER_PERIOD[rhythm]
    start, end = line.span()
    for m in range(int(start), min(months, int(end) + 1)):
        overlap = min(end, Fraction(m + 1)) - max(start, Fraction(m))
        if overlap > 0:
            weights[m] = overlap / per_period
    return weights


def units_per_year(line: Line, horizon_years: int) -> list[Fraction]:
    """Units of the line (periods x quantity per period) in each plan year."""
    check_horizon(horizon_years)
    w = _month_weights(line, horizon_years)
    q = Fraction(line.per_period_quantity)
    return [sum(w[y * 12 : (y + 1) * 12], F0) * q for y in range(horizon_years)]


def line_month_exact(line: Line, horizon_years: int, factor: Decimal = Decimal(1)) -> list[Fraction]:
    """Unrounded (exact) cost per month in cents."""
    base = Fraction(line.amount_cents) * Fraction(line.per_period_quantity) * Fraction(factor)
    return [base * w for w in _month_weights(line, horizon_years)]


def _half_up(value: Fraction) -> int:
    """round_cents for a non-negative Fraction, in integers."""
    return (2 * value.numerator + value.denominator) // (2 * value.denominator)


@lru_cache(maxsize=8192)
def _integer_weights(line: Line, horizon_years: int) -> tuple[tuple[int, ...], int]:
    """The month weights over one common denominator: (numerators, denominator). Cached: a Line is immutable."""
    weights = _month_weights(line, horizon_years)
    den = 1
    for w in weights:
        if w:
            den = math.lcm(den, w.denominator)
    return tuple(w.numerator * (den // w.denominator) for w in weights), den


def _base(line: Line, factor) -> Fraction:
    return Fraction(line.amount_cents) * Fraction(line.per_period_quantity) * Fraction(factor)


def line_month_cents(line: Line, horizon_years: int, factor: Decimal = Decimal(1)) -> list[int]:
    """THE schedule of one line: cost per month in cents. The cumulative cost is rounded half-up at the end of
    every month and the months are its differences, so they add up to the rounded total exactly."""
    nums, den = _integer_weights(line, horizon_years)
    base = _base(line, factor)
    bn, d = base.numerator, base.denominator * den
    out, cumulative, previous = [], 0, 0
    for n in nums:
        if not n:
            out.append(0)
            continue
        cumulative += n
        rounded = (2 * bn * cumulative + d) // (2 * d)
        out.append(rounded - previous)
        previous = rounded
    return out


def line_total_cents(line: Line, horizon_years: int, factor: Decimal = Decimal(1)) -> int:
    """The line's total within the horizon (= the sum of its months): its exact cost rounded once."""
    nums, den = _integer_weights(line, horizon_years)
    base = _base(line, factor)
    return (2 * base.numerator * sum(nums) + base.denominator * den) // (2 * base.denominator * den)


def line_cost_per_year(line: Line, horizon_years: int, factor: Decimal = Decimal(1)) -> list[int]:
    """Cost of one line in each plan year, in cents (the sum of its months)."""
    check_horizon(horizon_years)
    months = line_month_cents(line, horizon_years, factor)
    return [sum(months[y * 12 : (y + 1) * 12]) for y in range(horizon_years)]


def line_cost_per_month(line: Line, horizon_years: int) -> list[int]:
    return line_month_cents(line, horizon_years)


@dataclass(frozen=True)
class LinePreview:
    """What one line costs, said before it is saved: per period, per month and per year while it runs, in total
    within the horizon, and the months it covers (1-based)."""

    per_period: int
    per_month: int
    per_year: int
    total: int
    first_month: int | None
    last_month: int | None
    rhythm: str


def preview(line: Line, horizon_years: int) -> LinePreview:
    check_horizon(horizon_years)
    nums, _den = _integer_weights(line, horizon_years)
    active = [i for i, w in enumerate(nums) if w > 0] if line.amount_cents and line.per_period_quantity else []
    rhythm = line.effective_rhythm
    per_period = round_cents(Decimal(line.amount_cents) * line.per_period_quantity)
    if rhythm == "once":
        per_month = per_year = per_period
    else:
        rate = Fraction(line.amount_cents) * Fraction(line.per_period_quantity) / MONTHS_PER_PERIOD[rhythm]
        per_month, per_year = round_cents(rate), round_cents(rate * 12)
    return LinePreview(
        per_period=per_period,
        per_month=per_month,
        per_year=per_year,
        total=line_total_cents(line, horizon_years),
        first_month=active[0] + 1 if active else None,
        last_month=active[-1] + 1 if active else None,
        rhythm=rhythm,
    )


@dataclass
class ScenarioResult:
    per_year: list[int]
    per_funder_year: dict[str, list[int]]
    total: int
    per_funder_total: dict[str, int]
    low: int
    high: int
    per_month: list[int] = field(repr=False, default_factory=list)
    per_funder_month: dict[str, list[int]] = field(repr=False, default_factory=dict)


def schedule(lines: list[Line], horizon_years: int) -> dict[str, list[int]]:
    """Lines -> money per month per funder (cents). Every other figure of a scenario is a sum over this."""
    check_horizon(horizon_years)
    months = horizon_years * 12
    per_funder: dict[str, list[int]] = defaultdict(lambda: [0] * months)
    for line in lines:
        row = per_funder[line.funder]
        for m, c in enumerate(line_month_cents(line, horizon_years)):
            row[m] += c
    return dict(per_funder)


def scenario(lines: list[Line], horizon_years: int) -> ScenarioResult:
    per_funder_month = schedule(lines, horizon_years)
    months = horizon_years * 12
    per_month = [sum(row[m] for row in per_funder_month.values()) for m in range(months)]
    per_funder_year = {
        f: [sum(row[y * 12 : (y + 1) * 12]) for y in range(horizon_years)] for f, row in per_funder_month.items()
    }
    per_year = [sum(per_month[y * 12 : (y + 1) * 12]) for y in range(horizon_years)]
    low = sum(line_total_cents(line, horizon_years, line.low) for line in lines)
    high = sum(line_total_cents(line, horizon_years, line.high) for line in lines)
    return ScenarioResult(
        per_year=per_year,
        per_funder_year=per_funder_year,
        total=sum(per_year),
        per_funder_total={f: sum(v) for f, v in per_funder_year.items()},
        low=low,
        high=high,
        per_month=per_month,
        per_funder_month=per_funder_month,
    )


def avoided(custom: ScenarioResult, other: ScenarioResult) -> dict[str, int]:
    """Cost avoided per funder by the custom plan against another scenario (positive = that funder saves)."""
    funders = set(custom.per_funder_total) | set(other.per_funder_total)
    return {f: other.per_funder_total.get(f, 0) - custom.per_funder_total.get(f, 0) for f in sorted(funders)}


def cost_to_month(lines: list[Line], horizon_years: int, months: int) -> dict[str, int]:
    """Projected cost per funder of the first `months` months of the plan (capped at the horizon), in cents: the
    sum of those months of the schedule. Used to set realised costs "up to now" against the projection."""
    months = max(0, min(months, horizon_years * 12))
    return {f: sum(row[:months]) for f, row in sorted(schedule(lines, horizon_years).items())}


def months_between(start, end) -> int:
    """Whole months from date `start` up to and including the month of date `end` (0 if end < start)."""
    if end < start:
        return 0
    return (end.year - start.year) * 12 + (end.month - start.month) + 1


def payback_month(custom: ScenarioResult, other: ScenarioResult) -> int | None:
    """The first month (1-based) from which the custom plan stays cheaper than `other` cumulatively, up to the end
    of the horizon; None when there is none (then the custom plan is not cheaper over the horizon either)."""
    cum_c = cum_o = 0
    cheaper = []
    for c, o in zip(custom.per_month, other.per_month, strict=True):
        cum_c += c
        cum_o += o
        cheaper.append(cum_c < cum_o)
    month = None
    for m in range(len(cheaper) - 1, -1, -1):
        if not cheaper[m]:
            break
        month = m + 1
    return month


break_even_month = payback_month  # one notion: from this month on the plan has paid for itself


def largest_remainder(total_cents: int, weights: dict[str, int | Decimal]) -> dict[str, int]:
    """Split `total_cents` (>= 0) in proportion to non-negative weights: every part is the floor of its exact
    quota, and the cents left go one each to the largest remainders (ties: the larger weight, then the code).
    The parts add up to the total exactly and each differs from its exact quota by less than one cent."""
    weights = {k: Fraction(v) for k, v in weights.items() if v}
    weight_sum = sum(weights.values(), Fraction(0))
    if not weights or weight_sum <= 0:
        return {}
    quotas = {k: Fraction(total_cents) * w / weight_sum for k, w in weights.items()}
    parts = {k: q.numerator // q.denominator for k, q in quotas.items()}
    left = total_cents - sum(parts.values())
    order = sorted(quotas, key=lambda k: (-(quotas[k] - parts[k]), -weights[k], k))
    for k in order[:left]:
        parts[k] += 1
    return parts


def proposed_shares(avoided_per_funder: dict[str, int]) -> dict[str, Decimal]:
    """Co-funding proposal: shares in basis points (summing to exactly 1) in proportion to each funder's positive
    avoided cost, split by the largest remainder."""
    positive = {f: v for f, v in avoided_per_funder.items() if v > 0}
    points = largest_remainder(10000, positive)
    return {f: Decimal(bp) / Decimal(10000) for f, bp in points.items() if bp}


def split_amount(total_cents: int, shares: dict[str, Decimal]) -> dict[str, int]:
    """Split an amount over shares by the largest remainder; cents add up exactly."""
    return largest_remainder(total_cents, shares)


def shown_percentage(amount_cents: int, total_cents: int) -> Decimal:
    """The percentage of `amount_cents` in `total_cents` at the fewest decimals (0 to 10) at which it reproduces
    the amount: round_half_up(total x percentage / 100) == amount."""
    if total_cents <= 0:
        return Decimal(0)
    exact = Fraction(amount_cents * 100, total_cents)
    for places in range(11):
        step = Decimal(1).scaleb(-places)
        shown = (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(step, rounding=ROUND_HALF_UP)
        if round_cents(Decimal(total_cents) * shown / 100) == amount_cents:
            return shown
    return shown


def percent_to_basis_points(percent: Decimal) -> int:
    """12,5 (%) -> 1250; more than two decimals are refused by the form before this."""
    return int((Decimal(percent) * 100).to_integral_value(rounding=ROUND_FLOOR))


def cpi_factor(cpi: dict[int, float | Decimal], price_year: int, current_year: int) -> Decimal:
    """CPI factor from price_year to current_year (4 decimals). Years outside the series use its nearest end."""
    years = sorted(cpi)

    def index(year):
        year = min(max(year, years[0]), years[-1])
        return Decimal(str(cpi[year]))

    return (index(current_year) / index(price_year)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def indexed_amount(amount_cents: int, factor: Decimal) -> int:
    return round_cents(Decimal(amount_cents) * factor)


# --- Who bears the custom plan (issue 12): the split over funders and what the hand budget pays -----------------

MUNICIPAL_KIND, EXTERNAL_KIND, OWN_KIND = "municipal", "external", "own"


@dataclass(frozen=True)
class ShareInput:
    """A co-funding share as typed: a percentage in basis points or an amount in cents (exactly one)."""

    funder: str
    basis_points: int | None = None
    amount_cents: int | None = None
    prefinanced: bool = False


@dataclass(frozen=True)
class FundingSplit:
    """Who bears the custom plan, in cents.

    parts: per funder code (from the agreed shares, or else from the custom lines' funders);
    kinds: per code in parts, "municipal" / "external" / "own";
    from_fund: what the team's hand budget pays: the municipal parts plus the external parts the municipality
      pre-finances (never the household's own contribution);
    prefinanced: the external parts paid from the fund first and to be reclaimed from their funder;
    balanced: the parts add up to the total (typed amounts can stop adding up when lines change)."""

    total: int
    parts: dict[str, int]
    kinds: dict[str, str]
    from_fund: int
    prefinanced: dict[str, int]
    municipal: int
    external: int
    own: int
    balanced: bool
    from_shares: bool

    def codes(self, kind: str) -> set[str]:
        return {f for f, k in self.kinds.items() if k == kind}


def share_parts(total_cents: int, shares: list[ShareInput]) -> dict[str, int]:
    """The amounts of typed shares: amounts as typed; percentages of the total by the largest remainder when they
    add up to 100%, otherwise each rounded on its own (the split is then not balanced)."""
    parts = {s.funder: s.amount_cents for s in shares if s.amount_cents is not None}
    percent = {s.funder: s.basis_points for s in shares if s.basis_points is not None}
    if percent:
        if sum(percent.values()) == 10000 and not parts:
            parts.update(largest_remainder(total_cents, percent))
        else:
            parts.update({f: round_cents(Fraction(total_cents * bp, 10000)) for f, bp in percent.items()})
    return parts


def funding_split(
    total_cents: int, per_funder_total: dict[str, int], shares: list[ShareInput], kinds: dict[str, str]
) -> FundingSplit:
    """Pure: the custom plan's total and cost per funder, the typed shares (may be empty) and each code's kind ->
    the split and what the hand budget pays."""
    if shares:
        parts = share_parts(total_cents, shares)
        pre = {s.funder for s in shares if s.prefinanced}
    else:
        parts = {f: v for f, v in per_funder_total.items() if v}
        pre = set()
    kind_of = {f: kinds.get(f, EXTERNAL_KIND) for f in parts}
    by_kind = {
        k: sum(v for f, v in parts.items() if kind_of[f] == k) for k in (MUNICIPAL_KIND, EXTERNAL_KIND, OWN_KIND)
    }
    prefinanced = {f: v for f, v in parts.items() if f in pre and kind_of[f] == EXTERNAL_KIND and v > 0}
    balanced = sum(parts.values()) == total_cents and (
        not shares
        or all(s.amount_cents is not None for s in shares)
        or sum(s.basis_points or 0 for s in shares) == 10000
    )
    return FundingSplit(
        total=total_cents,
        parts=parts,
        kinds=kind_of,
        from_fund=by_kind[MUNICIPAL_KIND] + sum(prefinanced.values()),
        prefinanced=prefinanced,
        municipal=by_kind[MUNICIPAL_KIND],
        external=by_kind[EXTERNAL_KIND],
        own=by_kind[OWN_KIND],
        balanced=balanced,
        from_shares=bool(shares),
    )
