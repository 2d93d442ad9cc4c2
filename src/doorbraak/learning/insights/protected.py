"""The protected release layer (issue 13): every learning figure that leaves the case data is read from here.

`build_cells(municipality_id, today)` runs at the end of every facts refresh (learning.insights.facts, full and
incremental, in the same transaction) and replaces the municipality's ProtectedCell rows: for every grid
period (each calendar month, quarter and year, and all time) x every breakdown (the whole municipality, or one
team, area, funder, life domain or kind of solution) x every measure, the true count and the sum of the records'
keys are taken from the facts and only the perturbed count (learning.insights.protection) is stored, with the
amounts, means and medians that may be shown. Months are counted once and added up into quarters, years and
all time (counts and key sums are additive over disjoint months), so the build is one pass over the facts.

Measures (the time axis is the month the case was opened, except "breakthroughs"):
- on every breakdown: cases, platforms, closed, broke (opened in the period and broke through), budget (+ spend),
  breakthroughs (by the month of the breakthrough), judged (platforms convened at least three weeks before the
  refresh), judged_broke (+ median days), within (judged and broke through within 21 days), b:<blocker code>,
  t:<theme id>;
- on the whole municipality, a team or an area only: fp:<funder> (cases with an approved plan with this funder,
  + spend and projected return), fr:<funder> (of those, with realised costs, + projected and realised return to
  date), zd:<domain> (cases scored twice, + mean and variance of the change), zi:<domain> (improved), and the
  pattern levels p:<factor>:<level> (judged platforms), pw:<factor>:<level> (within three weeks),
  pz:<factor>:<level> (with a ZRM change, + mean and variance).
Reads: `read(municipality, period, breakdown)` and `read_months(...)`; themes read all time.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from doorbraak.cases.models import LifeDomain
from doorbraak.core.choices import Funder
from doorbraak.platforms.models import BlockerTag

from ..models import CaseDomainFact, CaseFact, CaseFunderFact, ProtectedCell, ThemeBlocker
from . import protection
from .protection import ALL_TIME, THRESHOLD, GridPeriod, month_cell, quarter_cell, year_cell

BREAKTHROUGH_DAYS = 21
BASIC_DIMENSIONS = ("team", "area", "funder", "domain", "solution")
DETAIL_DIMENSIONS = ("", "team", "area")  # also funder tables, life domains and patterns
DIMENSIONS = ("",) + BASIC_DIMENSIONS

FUNDER_CODES = list(Funder.values)
DOMAIN_CODES = list(LifeDomain.values)
BLOCKER_CODES = list(BlockerTag.values)


@dataclass(frozen=True)
class Breakdown:
    """One level of breakdown: the whole municipality (dimension "") or one value of one dimension."""

    dimension: str = ""
    value: str = ""

    @property
    def detailed(self) -> bool:
        return self.dimension in DETAIL_DIMENSIONS


WHOLE = Breakdown()


@dataclass(frozen=True)
class Cell:
    count: int  # perturbed
    stats: dict | None = None

    @property
    def shown(self) -> int | str:
        return protection.shown(self.count)


EMPTY = Cell(0, None)


def org_band(n: int) -> str:
    return "1-2" if n <= 2 else ("3-4" if n <= 4 else "5+")


def domain_band(n: int) -> str:
    return "0-1" if n <= 1 else ("2-3" if n <= 3 else "4+")


def _bits(mask: int, codes: list[str]) -> list[str]:
    return [code for i, code in enumerate(codes) if mask & (1 << i)]


def build_cells(municipality_id: int, *, today: datetime.date, trace: dict | None = None) -> int:
    """Replace the municipality's protected cells (see the module docstring); returns how many were stored.
    `trace` (tests only: the attack test): filled with (month, dimension, value, measure) -> set of pseudonyms."""
    cut = today - datetime.timedelta(days=BREAKTHROUGH_DAYS)
    theme_masks: dict[int, int] = defaultdict(int)
    for theme_id, code in ThemeBlocker.objects.filter(municipality_id=municipality_id).values_list("theme_id", "code"):
        if code in BLOCKER_CODES:
            theme_masks[theme_id] |= 1 << BLOCKER_CODES.index(code)
    # (month, dimension, value, measure) -> [n, key sum, amount 1, amount 2, sum, sum of squares]
    acc: dict[tuple, list] = defaultdict(lambda: [0, 0, 0, 0, 0.0, 0.0])
    days: dict[tuple, Counter] = defaultdict(Counter)  # (month, dimension, value) -> days to breakthrough
    case_dims: dict[str, tuple[int, list]] = {}
    current = [""]  # the pseudonym being added (for trace)

    def add(month, dims, measure, key, a1=0, a2=0, f=None):
        if trace is not None:
            for dim, value in dims:
                trace.setdefault((month, dim, value, measure), set()).add(current[0])
        for dim, value in dims:
            row = acc[(month, dim, value, measure)]
            row[0] += 1
            row[1] += key
            row[2] += a1
            row[3] += a2
            if f is not None:
                row[4] += f
                row[5] += f * f

    rows = CaseFact.objects.filter(municipality_id=municipality_id).values_list(
        "pseudonym",
        "record_key",
        "opened_month",
        "breakthrough_month",
        "convened_on",
        "status",
        "spend_cents",
        "days_to_breakthrough",
        "blockers",
        "funders",
        "team_id",
        "area",
        "problem_domains",
        "solution_kind",
        "client_present",
        "expert_present",
        "organisations",
        "domains",
        "budget_band",
        "zrm_change",
    )
    for (
        pseudonym,
        key,
        month,
        broke_month,
        convened,
        status,
        spend,
        days_to,
        blockers,
        funders,
        team_id,
        area,
        problem_domains,
        kind,
        client,
        expert,
        orgs,
        doms,
        band,
        zrm,
    ) in rows.iterator(chunk_size=5000):
        current[0] = pseudonym
        detail = [("", "")]
        if team_id is not None:
            detail.append(("team", str(team_id)))
        if area:
            detail.append(("area", area))
        basic = detail + [("funder", f) for f in _bits(funders, FUNDER_CODES)]
        basic += [("domain", d) for d in _bits(problem_domains, DOMAIN_CODES)]
        if kind:
            basic.append(("solution", kind))
        case_dims[pseudonym] = (key, detail)
        measures = ["cases"]
        if convened is not None:
            measures.append("platforms")
        if status == "closed":
            measures.append("closed")
        if broke_month is not None:
            measures.append("broke")
        for code in _bits(blockers, BLOCKER_CODES):
            measures.append(f"b:{code}")
        for theme_id, mask in theme_masks.items():
            if blockers & mask:
                measures.append(f"t:{theme_id}")
        judged = convened is not None and convened <= cut
        if judged:
            measures.append("judged")
            if days_to is not None:
                measures.append("judged_broke")
                if days_to <= BREAKTHROUGH_DAYS:
                    measures.append("within")
        for measure in measures:
            add(month, basic, measure, key)
        if spend and spend > 0:
            add(month, basic, "budget", key, a1=spend)
        if broke_month is not None:
            add(broke_month, basic, "breakthroughs", key)
        if not judged:
            continue
        if days_to is not None:
            for dim, value in detail:
                days[(month, dim, value)][days_to] += 1
        levels = [
            f"client_present:{int(bool(client))}",
            f"expert_present:{int(bool(expert))}",
            f"organisations:{org_band(orgs)}",
            f"domains:{domain_band(doms)}",
            f"budget_band:{band}",
        ]
        if kind:
            levels.append(f"solution_kind:{kind}")
        for level in levels:
            add(month, detail, f"p:{level}", key)
            if days_to is not None and days_to <= BREAKTHROUGH_DAYS:
                add(month, detail, f"pw:{level}", key)
            if zrm is not None:
                add(month, detail, f"pz:{level}", key, f=float(zrm))
    for pseudonym, month, funder, spend, projected, to_date, realised in (
        CaseFunderFact.objects.filter(municipality_id=municipality_id)
        .values_list(
            "pseudonym",
            "opened_month",
            "funder",
            "spend_cents",
            "projected_return_cents",
            "projected_to_date_cents",
            "realised_return_cents",
        )
        .iterator(chunk_size=5000)
    ):
        key, detail = case_dims.get(pseudonym, (0, [("", "")]))
        current[0] = pseudonym
        add(month, detail, f"fp:{funder}", key, a1=spend or 0, a2=projected or 0)
        if realised is not None:
            add(month, detail, f"fr:{funder}", key, a1=to_date or 0, a2=realised)
    for pseudonym, month, domain, first, last in (
        CaseDomainFact.objects.filter(municipality_id=municipality_id)
        .values_list("pseudonym", "opened_month", "domain", "first_score", "last_score")
        .iterator(chunk_size=5000)
    ):
        key, detail = case_dims.get(pseudonym, (0, [("", "")]))
        current[0] = pseudonym
        change = last - first
        add(month, detail, f"zd:{domain}", key, f=float(change))
        if change > 0:
            add(month, detail, f"zi:{domain}", key)
    # Months -> quarters, years, all time.
    cells: dict[tuple, list] = {}
    hist: dict[tuple, Counter] = {}
    for (month, dim, value, measure), row in acc.items():
        for period in (month_cell(month), quarter_cell(month), year_cell(month), ALL_TIME):
            target = cells.get((period, dim, value, measure))
            if target is None:
                cells[(period, dim, value, measure)] = list(row)
            else:
                for i in range(6):
                    target[i] += row[i]
    for (month, dim, value), counter in days.items():
        for period in (month_cell(month), quarter_cell(month), year_cell(month), ALL_TIME):
            hist.setdefault((period, dim, value), Counter()).update(counter)
    out = []
    for (period, dim, value, measure), (n, key_sum, a1, a2, s, ss) in cells.items():
        count = protection.perturb(n, key_sum)
        out.append(
            ProtectedCell(
                municipality_id=municipality_id,
                grain=period.grain,
                period=period.start,
                dimension=dim,
                value=value[:120],
                measure=measure,
                count=count,
                stats=_stats(measure, count, n, a1, a2, s, ss, hist.get((period, dim, value))),
            )
        )
    ProtectedCell.objects.filter(municipality_id=municipality_id).delete()
    ProtectedCell.objects.bulk_create(out, batch_size=5000)
    return len(out)


def _stats(measure, count, n, a1, a2, s, ss, histogram) -> dict | None:
    """What may be shown next to a count: nothing unless the (perturbed, hence also the true) count reaches 10."""
    if count < THRESHOLD:
        return None
    if measure == "budget":
        return {"amount": a1}
    if measure.startswith("fp:"):
        return {"spend": a1, "projected": a2}
    if measure.startswith("fr:"):
        return {"to_date": a1, "realised": a2}
    if measure == "judged_broke" and histogram:
        return {"median": _median(histogram)}
    if measure.startswith(("zd:", "pz:")):
        mean = s / n
        var = max(0.0, (ss - n * mean * mean) / (n - 1)) if n > 1 else 0.0
        return {"mean": mean, "var": var}
    return None


def _median(histogram: Counter) -> float:
    ordered = sorted(histogram.items())
    n = sum(histogram.values())

    def nth(index):
        seen = 0
        for value, c in ordered:
            seen += c
            if index < seen:
                return value
        return ordered[-1][0]

    return float(nth(n // 2)) if n % 2 else (nth(n // 2 - 1) + nth(n // 2)) / 2


# --- Reads --------------------------------------------------------------------------------------------------


def read(municipality, period: GridPeriod, breakdown: Breakdown = WHOLE) -> dict[str, Cell]:
    """measure -> Cell of one grid cell and breakdown (one query); a missing measure is a zero cell."""
    rows = ProtectedCell.objects.filter(
        municipality=municipality,
        grain=period.grain,
        period=period.start,
        dimension=breakdown.dimension,
        value=breakdown.value,
    ).values_list("measure", "count", "stats")
    return {measure: Cell(count, stats) for measure, count, stats in rows}


def read_months(municipality, period: GridPeriod, breakdown: Breakdown, measures: list[str]) -> dict[tuple, int]:
    """(month, measure) -> perturbed count of the month cells inside a quarter or year (one query)."""
    rows = ProtectedCell.objects.filter(
        municipality=municipality,
        grain=protection.MONTH,
        period__gte=period.start,
        period__lte=period.end,
        dimension=breakdown.dimension,
        value=breakdown.value,
        measure__in=measures,
    ).values_list("period", "measure", "count")
    return {(month, measure): count for month, measure, count in rows}


def read_all_time(municipality, measure_prefix: str, dimension: str = "") -> dict[tuple[str, str], int]:
    """(value, measure) -> perturbed all-time count for measures starting with the prefix (themes)."""
    rows = ProtectedCell.objects.filter(
        municipality=municipality,
        grain=protection.ALL,
        period=protection.ALL_START,
        dimension=dimension,
        measure__startswith=measure_prefix,
    ).values_list("value", "measure", "count")
    return {(value, measure): count for value, measure, count in rows}


def periods_with_data(municipality) -> tuple[datetime.date | None, datetime.date | None]:
    """First and last month that has a cell (for the period selector)."""
    qs = ProtectedCell.objects.filter(municipality=municipality, grain=protection.MONTH, dimension="")
    first = qs.order_by("period").values_list("period", flat=True).first()
    last = qs.order_by("-period").values_list("period", flat=True).first()
    return first, last


def all_time_counts(municipality, measure: str) -> dict[tuple[str, str], int]:
    """(dimension, value) -> perturbed all-time count of one measure on every breakdown (the filter's values)."""
    rows = ProtectedCell.objects.filter(
        municipality=municipality, grain=protection.ALL, period=protection.ALL_START, measure=measure
    ).values_list("dimension", "value", "count")
    return {(dimension, value): count for dimension, value, count in rows}
