"""Statistics for the pattern question. Pure functions on counts and sums, no Django.

Honest about small numbers:
- a group with fewer than SMALL (10) cases shows "<10" and nothing else (AVG-09);
- a group with fewer than MIN_N (30) cases shows its count but no estimate ("te weinig casussen");
- a factor only "goes with" an outcome when the confidence interval of the difference with the other cases
  excludes zero after a Bonferroni correction over every comparison on the page; otherwise we say that no
  difference can be shown. This is association in observational data, never proof of cause.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from statistics import NormalDist

SMALL = 10
MIN_N = 30
ALPHA = 0.05
Z95 = NormalDist().inv_cdf(0.975)


def z_for(alpha: float) -> float:
    return NormalDist().inv_cdf(1 - alpha / 2)


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval of a proportion k/n."""
    if n <= 0:
        raise ValueError("n must be positive")
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def diff_proportions(k1: int, n1: int, k2: int, n2: int, z: float = Z95) -> tuple[float, float, float]:
    """p1 - p2 with Newcombe's hybrid score interval (method 10)."""
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson(k1, n1, z)
    l2, u2 = wilson(k2, n2, z)
    d = p1 - p2
    lo = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    hi = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return d, lo, hi


def mean_var(n: int, total: float, total_sq: float) -> tuple[float, float]:
    """Mean and sample variance from n, sum and sum of squares."""
    mean = total / n
    var = max(0.0, (total_sq - n * mean * mean) / (n - 1)) if n > 1 else 0.0
    return mean, var


def mean_ci(n: int, total: float, total_sq: float, z: float = Z95) -> tuple[float, float, float]:
    mean, var = mean_var(n, total, total_sq)
    half = z * math.sqrt(var / n)
    return mean, mean - half, mean + half


def diff_means(a: tuple[int, float, float], b: tuple[int, float, float], z: float = Z95) -> tuple[float, float, float]:
    """Difference of means (Welch, normal approximation) from (n, sum, sum of squares) of two groups."""
    m1, v1 = mean_var(*a)
    m2, v2 = mean_var(*b)
    half = z * math.sqrt(v1 / a[0] + v2 / b[0])
    d = m1 - m2
    return d, d - half, d + half


def median_from_histogram(histogram: dict[int, int]) -> float | None:
    """Median of integer values given as {value: count}."""
    n = sum(histogram.values())
    if n == 0:
        return None
    ordered = sorted(histogram.items())

    def nth(index: int) -> int:
        seen = 0
        for value, count in ordered:
            seen += count
            if index < seen:
                return value
        return ordered[-1][0]

    if n % 2:
        return float(nth(n // 2))
    return (nth(n // 2 - 1) + nth(n // 2)) / 2


@dataclass
class Group:
    """Aggregates of one group of cases (all with a casusplatform)."""

    n: int = 0  # cases
    within: int = 0  # breakthrough within three weeks
    zrm_n: int = 0  # cases with a ZRM change
    zrm_sum: float = 0.0
    zrm_sq: float = 0.0

    def add(self, other: Group) -> None:
        self.n += other.n
        self.within += other.within
        self.zrm_n += other.zrm_n
        self.zrm_sum += other.zrm_sum
        self.zrm_sq += other.zrm_sq

    def minus(self, other: Group) -> Group:
        return Group(
            self.n - other.n,
            self.within - other.within,
            self.zrm_n - other.zrm_n,
            self.zrm_sum - other.zrm_sum,
            self.zrm_sq - other.zrm_sq,
        )


@dataclass
class Factor:
    key: str
    label: str
    levels: list[tuple[object, str]]  # (value, label); for a yes/no factor: [(True, "ja"), (False, "nee")]
    binary: bool = False


@dataclass
class Comparison:
    estimate: float
    low: float
    high: float
    claim: int  # +1 goes with more/better, -1 with less/worse, 0 no difference shown


@dataclass
class LevelResult:
    value: object
    label: str
    n: int
    status: str  # "small" (<10), "few" (<30), "ok"
    share: float | None = None
    share_ci: tuple[float, float] | None = None
    zrm: float | None = None
    zrm_ci: tuple[float, float] | None = None
    zrm_status: str = "small"
    share_vs_rest: Comparison | None = None
    zrm_vs_rest: Comparison | None = None


@dataclass
class FactorResult:
    factor: Factor
    levels: list[LevelResult] = field(default_factory=list)

    @property
    def findings(self) -> list[tuple[LevelResult, str, Comparison]]:
        out = []
        for level in self.levels:
            for outcome, comparison in (("share", level.share_vs_rest), ("zrm", level.zrm_vs_rest)):
                if comparison and comparison.claim:
                    out.append((level, outcome, comparison))
        return out


def _status(n: int, min_n: int) -> str:
    if n < SMALL:
        return "small"
    return "few" if n < min_n else "ok"


def _claim(low: float, high: float) -> int:
    if low > 0:
        return 1
    if high < 0:
        return -1
    return 0


def comparisons_count(factors: list[Factor]) -> int:
    """Every comparison the analysis can make (two outcomes per tested level): the Bonferroni divisor."""
    return sum(2 * (1 if f.binary else len(f.levels)) for f in factors)


def analyse(
    groups: dict[str, dict[object, Group]], factors: list[Factor], *, min_n: int = MIN_N, alpha: float = ALPHA
) -> list[FactorResult]:
    """Compare each level of each factor with the other cases (level vs rest).

    `groups[factor.key][level value]` holds the aggregates of the cases at that level; levels missing from
    `groups` count as empty. Comparisons use a Bonferroni-corrected interval; the per-level estimates use 95%.
    """
    z_adjusted = z_for(alpha / max(1, comparisons_count(factors)))
    results = []
    for factor in factors:
        declared = {value for value, _label in factor.levels}
        by_level = {value: g for value, g in groups.get(factor.key, {}).items() if value in declared}
        everyone = Group()  # only the factor's declared levels: cases outside them are not compared
        for g in by_level.values():
            everyone.add(g)
        result = FactorResult(factor)
        for index, (value, label) in enumerate(factor.levels):
            g = by_level.get(value, Group())
            level = LevelResult(value=value, label=label, n=g.n, status=_status(g.n, min_n))
            if level.status == "ok":
                level.share = g.within / g.n
                level.share_ci = wilson(g.within, g.n)
            level.zrm_status = _status(g.zrm_n, min_n) if level.status == "ok" else level.status
            if level.zrm_status == "ok":
                mean, lo, hi = mean_ci(g.zrm_n, g.zrm_sum, g.zrm_sq)
                level.zrm, level.zrm_ci = mean, (lo, hi)
            tested = not factor.binary or index == 0
            rest = everyone.minus(g)
            if tested and level.status == "ok" and rest.n >= min_n:
                d, lo, hi = diff_proportions(g.within, g.n, rest.within, rest.n, z_adjusted)
                level.share_vs_rest = Comparison(d, lo, hi, _claim(lo, hi))
            if tested and level.zrm_status == "ok" and rest.zrm_n >= min_n:
                d, lo, hi = diff_means(
                    (g.zrm_n, g.zrm_sum, g.zrm_sq), (rest.zrm_n, rest.zrm_sum, rest.zrm_sq), z_adjusted
                )
                level.zrm_vs_rest = Comparison(d, lo, hi, _claim(lo, hi))
            result.levels.append(level)
        results.append(result)
    return results
