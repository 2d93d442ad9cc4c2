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
import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q

from doorbraak.cases.models import LifeDomain
from doorbraak.core.choices import Funder
from doorbraak.platforms.models import BlockerTag

from ..models import CaseDomainFact, CaseFact, CaseFunderFact, CellTally, ProtectedCell, ThemeBlocker
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


LAYER_SCHEMA = 1  # raise when what the cells mean changes: the next refresh then rebuilds the layer whole

CASE_FIELDS = (
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
FUNDER_FIELDS = (
    "pseudonym",
    "opened_month",
    "funder",
    "spend_cents",
    "projected_return_cents",
    "projected_to_date_cents",
    "realised_return_cents",
)
DOMAIN_FIELDS = ("pseudonym", "opened_month", "domain", "first_score", "last_score")
NO_CASE = (0, [("", "")])  # a funder or domain fact without its case fact (not expected): the whole only


def theme_masks_of(municipality_id: int) -> dict[int, int]:
    """theme id -> bit mask of its blocker codes (a case counts for a theme when it has any of them)."""
    masks: dict[int, int] = defaultdict(int)
    for theme_id, code in ThemeBlocker.objects.filter(municipality_id=municipality_id).values_list("theme_id", "code"):
        if code in BLOCKER_CODES:
            masks[theme_id] |= 1 << BLOCKER_CODES.index(code)
    return dict(masks)


def layer_signature(municipality_id: int) -> str:
    """What the layer depends on besides the facts and the day: its schema and the themes' blocker codes. The
    incremental refresh corrects the layer only when this is what the previous run built it with."""
    masks = theme_masks_of(municipality_id)
    digest = hashlib.sha256(repr(sorted(masks.items())).encode()).hexdigest()[:32]
    return f"{LAYER_SCHEMA}:{digest}"


class Tallies:
    """What facts add to the cells, per month: (month, dimension, value, measure) -> [n, key sum, amount 1,
    amount 2, sum, sum of squares] and (month, dimension, value) -> days to breakthrough of the judged cases.
    The one place that says which fact counts in which cell: the full build adds every fact once (sign +1), the
    incremental refresh takes the changed cases' old facts out (sign -1) and puts their new ones in."""

    def __init__(self, theme_masks: dict[int, int], trace: dict | None = None):
        self.acc: dict[tuple, list] = defaultdict(lambda: [0, 0, 0, 0, 0.0, 0.0])
        self.days: dict[tuple, Counter] = defaultdict(Counter)
        self.theme_masks = list(theme_masks.items())
        self.trace = trace
        self.case_dims: dict[str, tuple[int, list]] = {}
        self.current = ""  # the pseudonym being added (for trace)

    def add(self, month, dims, measure, key, sign, a1=0, a2=0, f=None):
        if self.trace is not None:
            for dim, value in dims:
                self.trace.setdefault((month, dim, value, measure), set()).add(self.current)
        acc = self.acc
        for dim, value in dims:
            row = acc[(month, dim, value, measure)]
            row[0] += sign
            row[1] += sign * key
            if a1:
                row[2] += sign * a1
            if a2:
                row[3] += sign * a2
            if f is not None:
                row[4] += sign * f
                row[5] += sign * f * f

    def case(self, fact: tuple, cut: datetime.date, sign: int = 1, *, judged_only: bool = False) -> None:
        """One CaseFact (values in CASE_FIELDS order). `judged_only`: only what depends on whether the platform
        was convened three weeks before the day (for cases the passing days moved, see LayerChange.move)."""
        (
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
        ) = fact
        self.current = pseudonym
        detail = [("", "")]
        if team_id is not None:
            detail.append(("team", str(team_id)))
        if area:
            detail.append(("area", area))
        basic = detail + [("funder", f) for f in _bits(funders, FUNDER_CODES)]
        basic += [("domain", d) for d in _bits(problem_domains, DOMAIN_CODES)]
        if kind:
            basic.append(("solution", kind))
        self.case_dims[pseudonym] = (key, detail)
        add = self.add
        judged = convened is not None and convened <= cut
        if not judged_only:
            measures = ["cases"]
            if convened is not None:
                measures.append("platforms")
            if status == "closed":
                measures.append("closed")
            if broke_month is not None:
                measures.append("broke")
            for code in _bits(blockers, BLOCKER_CODES):
                measures.append(f"b:{code}")
            for theme_id, mask in self.theme_masks:
                if blockers & mask:
                    measures.append(f"t:{theme_id}")
            for measure in measures:
                add(month, basic, measure, key, sign)
            if spend and spend > 0:
                add(month, basic, "budget", key, sign, a1=spend)
            if broke_month is not None:
                add(broke_month, basic, "breakthroughs", key, sign)
        if not judged:
            return
        add(month, basic, "judged", key, sign)
        if days_to is not None:
            add(month, basic, "judged_broke", key, sign)
            if days_to <= BREAKTHROUGH_DAYS:
                add(month, basic, "within", key, sign)
            for dim, value in detail:
                self.days[(month, dim, value)][days_to] += sign
        levels = [
            f"client_present:{int(bool(client))}",
            f"expert_present:{int(bool(expert))}",
            f"organisations:{org_band(orgs)}",
            f"domains:{domain_band(doms)}",
            f"budget_band:{band}",
        ]
        if kind:
            levels.append(f"solution_kind:{kind}")
        within = days_to is not None and days_to <= BREAKTHROUGH_DAYS
        for level in levels:
            add(month, detail, f"p:{level}", key, sign)
            if within:
                add(month, detail, f"pw:{level}", key, sign)
            if zrm is not None:
                add(month, detail, f"pz:{level}", key, sign, f=float(zrm))

    def funder(self, fact: tuple, sign: int = 1) -> None:
        pseudonym, month, funder, spend, projected, to_date, realised = fact
        key, detail = self.case_dims.get(pseudonym, NO_CASE)
        self.current = pseudonym
        self.add(month, detail, f"fp:{funder}", key, sign, a1=spend or 0, a2=projected or 0)
        if realised is not None:
            self.add(month, detail, f"fr:{funder}", key, sign, a1=to_date or 0, a2=realised)

    def domain(self, fact: tuple, sign: int = 1) -> None:
        pseudonym, month, _domain, first, last = fact
        key, detail = self.case_dims.get(pseudonym, NO_CASE)
        self.current = pseudonym
        change = last - first
        self.add(month, detail, f"zd:{_domain}", key, sign, f=float(change))
        if change > 0:
            self.add(month, detail, f"zi:{_domain}", key, sign)

    def by_period(self) -> tuple[dict[tuple, list], dict[tuple, Counter]]:
        """Months -> every grid cell they belong to (month, quarter, year, all time): counts and key sums are
        additive over disjoint months."""
        cells: dict[tuple, list] = {}
        for (month, dim, value, measure), row in self.acc.items():
            for period in (month_cell(month), quarter_cell(month), year_cell(month), ALL_TIME):
                target = cells.get((period, dim, value, measure))
                if target is None:
                    cells[(period, dim, value, measure)] = list(row)
                else:
                    for i in range(6):
                        target[i] += row[i]
        hist: dict[tuple, Counter] = {}
        for (month, dim, value), counter in self.days.items():
            for period in (month_cell(month), quarter_cell(month), year_cell(month), ALL_TIME):
                target = hist.get((period, dim, value))
                if target is None:
                    hist[(period, dim, value)] = Counter(counter)
                else:
                    for days, c in counter.items():
                        target[days] += c
        return cells, hist


def _released(municipality_id: int, cell_key: tuple, tally: list, histogram) -> tuple[ProtectedCell, CellTally]:
    period, dim, value, measure = cell_key
    n, key_sum, a1, a2, s, ss = tally
    count = protection.perturb(n, key_sum)
    cell = ProtectedCell(
        municipality_id=municipality_id,
        grain=period.grain,
        period=period.start,
        dimension=dim,
        value=value[:120],
        measure=measure,
        count=count,
        stats=_stats(measure, count, n, a1, a2, s, ss, histogram),
    )
    days = None
    if measure == "judged_broke" and histogram:
        days = {str(d): c for d, c in sorted(histogram.items()) if c}
    return cell, CellTally(cell=cell, n=n, key_sum=key_sum, a1=a1, a2=a2, s=s, ss=ss, days=days)


def _write(cells: list[ProtectedCell], tallies: list[CellTally]) -> None:
    """Insert the cells and their tallies. PostgreSQL: ids drawn from the cells' sequence, then COPY (several
    times faster than bulk_create for the hundreds of thousands of cells of a full build at 1M cases)."""
    if not cells:
        return
    quote = connection.ops.quote_name
    tally_names = ("cell_id", "n", "key_sum", "a1", "a2", "s", "ss", "days")
    tally_columns = ", ".join(quote(n) for n in tally_names)
    if connection.vendor != "postgresql":  # the cells' ids come back from bulk_create; tallies as plain rows
        ProtectedCell.objects.bulk_create(cells, batch_size=2000)
        rows = [
            (t.cell.pk, t.n, t.key_sum, t.a1, t.a2, t.s, t.ss, None if t.days is None else json.dumps(t.days))
            for t in tallies
        ]
        placeholders = ", ".join(["%s"] * len(tally_names))
        insert = f"INSERT INTO {quote(CellTally._meta.db_table)} ({tally_columns}) VALUES ({placeholders})"  # noqa: S608 (names only)
        with connection.cursor() as cursor:
            cursor.executemany(insert, rows)
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [ProtectedCell._meta.db_table, len(cells)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        for cell, pk in zip(cells, ids, strict=True):
            cell.pk = pk
        names = ("id", "municipality_id", "grain", "period", "dimension", "value", "measure", "count", "stats")
        columns = ", ".join(quote(ProtectedCell._meta.get_field(n).column) for n in names)
        with cursor.cursor.copy(f"COPY {quote(ProtectedCell._meta.db_table)} ({columns}) FROM STDIN") as copy:
            for c in cells:
                stats = None if c.stats is None else json.dumps(c.stats)
                copy.write_row(
                    (c.pk, c.municipality_id, c.grain, c.period, c.dimension, c.value, c.measure, c.count, stats)
                )
        with cursor.cursor.copy(f"COPY {quote(CellTally._meta.db_table)} ({tally_columns}) FROM STDIN") as copy:
            for t in tallies:
                days = None if t.days is None else json.dumps(t.days)
                copy.write_row((t.cell.pk, t.n, t.key_sum, t.a1, t.a2, t.s, t.ss, days))


def _delete_all(municipality_id: int) -> None:
    CellTally.objects.filter(cell__municipality_id=municipality_id).delete()
    ProtectedCell.objects.filter(municipality_id=municipality_id).delete()


def build_cells(municipality_id: int, *, today: datetime.date, trace: dict | None = None) -> int:
    """Replace the municipality's protected cells (see the module docstring); returns how many were stored.
    `trace` (tests only: the attack test): filled with (month, dimension, value, measure) -> set of pseudonyms."""
    cut = today - datetime.timedelta(days=BREAKTHROUGH_DAYS)
    tallies = Tallies(theme_masks_of(municipality_id), trace)
    mine = CaseFact.objects.filter(municipality_id=municipality_id)
    for fact in mine.values_list(*CASE_FIELDS).iterator(chunk_size=5000):
        tallies.case(fact, cut)
    funders = CaseFunderFact.objects.filter(municipality_id=municipality_id)
    for fact in funders.values_list(*FUNDER_FIELDS).iterator(chunk_size=5000):
        tallies.funder(fact)
    domains = CaseDomainFact.objects.filter(municipality_id=municipality_id)
    for fact in domains.values_list(*DOMAIN_FIELDS).iterator(chunk_size=5000):
        tallies.domain(fact)
    cells, hist = tallies.by_period()
    out, out_tallies = [], []
    for cell_key, row in cells.items():
        period, dim, value, measure = cell_key
        cell, tally = _released(municipality_id, cell_key, row, hist.get((period, dim, value)))
        out.append(cell)
        out_tallies.append(tally)
    _delete_all(municipality_id)
    _write(out, out_tallies)
    return len(out)


class OutOfStep(Exception):
    """A stored tally and the facts disagree (a tally taken below zero): the layer must be rebuilt whole."""


class LayerChange:
    """The incremental refresh of the layer (learning.insights.facts._incremental_refresh): the changed cases'
    facts are taken out before their facts are rebuilt and put in afterwards (the same Tallies code as the full
    build), and apply() rebuilds exactly the cells whose tally moved, from their stored CellTally. Each rebuilt
    cell is perturbed from its true count and key sum as the full build would: same cell, same noise."""

    def __init__(self, municipality_id: int):
        self.municipality_id = municipality_id
        self.tallies = Tallies(theme_masks_of(municipality_id))

    def _facts(self, pseudonyms: list[str], cut: datetime.date, sign: int, *, judged_only: bool = False) -> None:
        mine = {"municipality_id": self.municipality_id, "pseudonym__in": pseudonyms}
        for fact in CaseFact.objects.filter(**mine).values_list(*CASE_FIELDS):
            self.tallies.case(fact, cut, sign, judged_only=judged_only)
        if judged_only:
            return
        for fact in CaseFunderFact.objects.filter(**mine).values_list(*FUNDER_FIELDS):
            self.tallies.funder(fact, sign)
        for fact in CaseDomainFact.objects.filter(**mine).values_list(*DOMAIN_FIELDS):
            self.tallies.domain(fact, sign)
        for pseudonym in pseudonyms:  # funder/domain facts of a later call must not use this call's case
            self.tallies.case_dims.pop(pseudonym, None)

    def take_out(self, pseudonyms: list[str], cut: datetime.date) -> None:
        """Before the facts of these cases are replaced: what they add now (judged against the previous day)."""
        self._facts(pseudonyms, cut, -1)

    def put_in(self, pseudonyms: list[str], cut: datetime.date) -> None:
        """After: what their new facts add (judged against today); a deleted case has none."""
        self._facts(pseudonyms, cut, 1)

    def move(self, pseudonyms: list[str], old_cut: datetime.date, new_cut: datetime.date) -> None:
        """Unchanged cases whose platform crossed the three-week line between the runs: only the judged part."""
        self._facts(pseudonyms, old_cut, -1, judged_only=True)
        self._facts(pseudonyms, new_cut, 1, judged_only=True)

    def apply(self) -> int:
        """Rebuild the cells whose tally changed; returns how many cells were rebuilt or removed."""
        delta, hist = self.tallies.by_period()
        moved_hist = {k for k, counter in hist.items() if any(counter.values())}
        affected = {k for k, row in delta.items() if any(row)}
        affected |= {(period, dim, value, "judged_broke") for period, dim, value in moved_hist}
        if not affected:
            return 0
        by_grain: dict[str, set] = defaultdict(set)
        for period, _dim, _value, _measure in affected:
            by_grain[period.grain].add(period.start)
        measures = sorted({k[3] for k in affected})
        where = Q()
        for grain, starts in by_grain.items():
            where |= Q(cell__grain=grain, cell__period__in=sorted(starts))
        stored: dict[tuple, tuple] = {}
        rows = (
            CellTally.objects.filter(where, cell__municipality_id=self.municipality_id, cell__measure__in=measures)
            .values_list(
                "pk",
                "cell_id",
                "cell__grain",
                "cell__period",
                "cell__dimension",
                "cell__value",
                "cell__measure",
                "n",
                "key_sum",
                "a1",
                "a2",
                "s",
                "ss",
                "days",
            )
            .iterator(chunk_size=5000)
        )
        for pk, cell_id, grain, start, dim, value, measure, n, key_sum, a1, a2, s, ss, days in rows:
            cell_key = (GridPeriod(grain, start), dim, value, measure)
            if cell_key in affected:
                stored[cell_key] = (pk, cell_id, [n, key_sum, a1, a2, s, ss], days)
        drop_tallies, drop_cells, out, out_tallies = [], [], [], []
        for cell_key in affected:
            period, dim, value, measure = cell_key
            change = delta.get(cell_key, [0, 0, 0, 0, 0.0, 0.0])
            old = stored.get(cell_key)
            row, histogram = list(change), None
            if old is not None:
                pk, cell_id, values, days = old
                drop_tallies.append(pk)
                drop_cells.append(cell_id)
                row = [a + b for a, b in zip(values, change, strict=True)]
                if days:
                    histogram = Counter({int(d): c for d, c in days.items()})
            if measure == "judged_broke":
                histogram = histogram or Counter()
                histogram.update(hist.get((period, dim, value), {}))
                histogram = Counter({d: c for d, c in histogram.items() if c})
            if row[0] < 0 or (row[0] == 0 and (row[1] or row[2] or row[3])):
                raise OutOfStep(cell_key)
            if row[0] == 0:
                continue
            cell, tally = _released(self.municipality_id, cell_key, row, histogram)
            out.append(cell)
            out_tallies.append(tally)
        for i in range(0, len(drop_tallies), 2000):
            CellTally.objects.filter(pk__in=drop_tallies[i : i + 2000]).delete()
            ProtectedCell.objects.filter(pk__in=drop_cells[i : i + 2000]).delete()
        _write(out, out_tallies)
        return len(affected)


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
