"""Reads for the learning dashboard, the pattern analysis, the council report and open data.

Every figure comes from the protected release layer (learning.insights.protected), never from the facts: the
period is a grid cell (a calendar month, quarter or year) and the breakdown one value of one dimension, and each
count is a perturbed cell (the cell-key method, learning.insights.protection): "<10" below the threshold, and
tables need not add up, because every total is a cell of its own. Amounts and medians are shown only over 10 or
more cases, percentages, means and intervals from 30 (counted on the published counts). A handful of queries
per call, independent of the number of cases.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from django.utils import dateformat
from django.utils.translation import gettext as _

from doorbraak.cases.models import LifeDomain
from doorbraak.core import dates
from doorbraak.core.choices import Funder
from doorbraak.core.models import Team
from doorbraak.platforms.models import BlockerTag, SolutionKind

from ..models import BudgetBand, FactRefresh, Theme
from ..permissions import require_read
from . import protected, protection, stats
from .facts import month_start
from .protected import EMPTY, WHOLE, Breakdown
from .protection import MIN_N, SMALL, THRESHOLD, GridPeriod, grid_cell, shown

MAX_MONTHS = 12
EXPLANATION = _(
    "Afgeronde en licht verstoorde aantallen: elk aantal is met hoogstens 3 verschoven (gemiddeld 0), met een "
    "vaste verstoring per cel, zodat dezelfde cel altijd hetzelfde getal toont en je door cijfers van elkaar af "
    "te trekken niemand kunt terugvinden. Aantallen onder 10 staan er als “<10”. Tabellen tellen daardoor niet "
    "altijd exact op; een totaal is een eigen cel. Bedragen en medianen staan er pas bij 10 of meer casussen, "
    "percentages, gemiddelden en intervallen pas bij 30 of meer."
)


@dataclass(frozen=True)
class Period:
    start: datetime.date  # first day of the first month
    end: datetime.date  # first day of the last month

    @property
    def months(self) -> list[datetime.date]:
        return dates.months_from_to(self.start, self.end)

    @property
    def last_day(self) -> datetime.date:
        return dates.last_day_of_month(self.end)

    @property
    def grid(self) -> GridPeriod | None:
        """The grid cell this period is (a month, calendar quarter or year), or None: then it is not offered."""
        return grid_cell(self.start, self.end)

    @property
    def code(self) -> str:
        grid = self.grid
        return grid.code if grid else f"{self.start:%Y-%m}"

    @property
    def label(self) -> str:
        grid = self.grid
        if grid and grid.grain == protection.YEAR:
            return str(self.start.year)
        if grid and grid.grain == protection.QUARTER:
            return _("%(q)se kwartaal %(y)s") % {"q": (self.start.month - 1) // 3 + 1, "y": self.start.year}
        if grid and grid.grain == protection.MONTH:
            return month_label(self.start)
        return f"{month_label(self.start)} – {month_label(self.end)}"


def month_label(d: datetime.date) -> str:
    """Short month and year in the active language ("mrt 2025")."""
    return dateformat.format(d, "M Y").lower()


def make_period(start: datetime.date, end: datetime.date) -> Period:
    start, end = month_start(start), month_start(end)
    if end < start:
        raise ValueError("end before start")
    return Period(start, end)


def from_grid(cell: GridPeriod) -> Period:
    return Period(cell.start, cell.end)


def default_period(today: datetime.date | None = None) -> Period:
    """The current calendar year (a grid cell)."""
    today = today or datetime.date.today()
    return Period(datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 1))


class NotOnGrid(ValueError):
    """A period that is not a grid cell: its figures are not released."""


def _grid(period: Period | None, end=None) -> Period:
    if not isinstance(period, Period):
        period = default_period() if period is None else make_period(period, end)
    if period.grid is None:
        raise NotOnGrid(period)
    return period


def period_choices(municipality, today: datetime.date | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
    """The periods the selector offers, per year (newest first): the year, its quarters and months up to now."""
    today = today or datetime.date.today()
    first, _last = protected.periods_with_data(municipality)
    first_year = max((first.year if first else today.year), today.year - 9)
    groups = []
    for year in range(today.year, first_year - 1, -1):
        options = [(str(year), _("heel %(y)s") % {"y": year})]
        for q in range(1, 5):
            q_start = datetime.date(year, 3 * (q - 1) + 1, 1)
            if q_start <= today:
                options.append((f"{year}-K{q}", _("%(q)se kwartaal %(y)s") % {"q": q, "y": year}))
        for m in range(1, 13):
            if datetime.date(year, m, 1) <= today:
                options.append((f"{year}-{m:02d}", month_label(datetime.date(year, m, 1))))
        groups.append((str(year), options))
    return groups


# --- Breakdowns (one dimension at a time) ------------------------------------------------------------------------

DIMENSION_PARAMS = {
    "team": "team",
    "area": "gebied",
    "funder": "financier",
    "domain": "domein",
    "solution": "oplossing",
}
PARAM_DIMENSIONS = {v: k for k, v in DIMENSION_PARAMS.items()}


def dimension_labels() -> dict[str, str]:
    return {
        "team": _("Team"),
        "area": _("Gebied"),
        "funder": _("Financier"),
        "domain": _("Levensdomein met problemen bij de start"),
        "solution": _("Soort maatwerkoplossing"),
    }


def breakdown_options(municipality) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(dimension label, param, [(code, label)]) of the values a policy officer or visitor can choose: only values
    whose all-time published count of cases is 10 or more (a rarer value is not listed at all)."""
    teams = dict(Team.objects.filter(municipality=municipality).values_list("pk", "name"))
    value_labels = {
        "team": {str(k): v for k, v in teams.items()},
        "funder": dict(Funder.choices),
        "domain": dict(LifeDomain.choices),
        "solution": dict(SolutionKind.choices),
    }
    counts = protected.all_time_counts(municipality, "cases")
    out = []
    for dim, label in dimension_labels().items():
        values = sorted(
            (value for (d, value), count in counts.items() if d == dim and count >= THRESHOLD),
            key=lambda v: str(value_labels.get(dim, {}).get(v, v)).lower(),
        )
        if values:
            param = DIMENSION_PARAMS[dim]
            out.append((label, param, [(f"{param}:{v}", str(value_labels.get(dim, {}).get(v, v))) for v in values]))
    return out


def parse_breakdown(municipality, code: str) -> Breakdown | None:
    """ "team:5", "gebied:Noord", ... → a Breakdown among the offered ones; "" → the whole municipality; None when
    it is not offered."""
    if not code:
        return WHOLE
    for _label, _param, options in breakdown_options(municipality):
        for option, _text in options:
            if option == code:
                param, _sep, value = code.partition(":")
                return Breakdown(PARAM_DIMENSIONS[param], value)
    return None


def breakdown_label(municipality, breakdown: Breakdown) -> str:
    if breakdown == WHOLE:
        return _("hele gemeente")
    for label, param, options in breakdown_options(municipality):
        for option, text in options:
            if option == f"{param}:{breakdown.value}" and PARAM_DIMENSIONS[param] == breakdown.dimension:
                return f"{label}: {text}"
    return breakdown.value


def breakdown_code(breakdown: Breakdown) -> str:
    return f"{DIMENSION_PARAMS[breakdown.dimension]}:{breakdown.value}" if breakdown.dimension else ""


# --- The dashboard from protected cells -----------------------------------------------------------------------


def last_refresh(municipality):
    return FactRefresh.objects.filter(municipality=municipality).first()


def _amount(cell: protected.Cell, name: str) -> int | str | None:
    """An amount of a cell: only when its count reaches 10 (then the build stored it), else "<10" or nothing."""
    if cell.stats and name in cell.stats:
        return cell.stats[name]
    return SMALL if cell.count else None


def _pct(share: float | None, decimals: int = 0) -> str:
    if share is None:
        return ""
    return f"{share * 100:.{decimals}f}%".replace(".", ",")


class Cells:
    def __init__(self, cells: dict[str, protected.Cell]):
        self.cells = cells

    def __call__(self, measure: str) -> protected.Cell:
        return self.cells.get(measure, EMPTY)


def monthly(municipality, period: Period, breakdown: Breakdown, c: Cells) -> dict:
    grid = period.grid
    counts = protected.read_months(municipality, grid, breakdown, ["cases", "breakthroughs"])
    rows = [
        {
            "month": m,
            "label": month_label(m),
            "opened": shown(counts.get((m, "cases"), 0)),
            "broke": shown(counts.get((m, "breakthroughs"), 0)),
        }
        for m in period.months
    ]
    return {"rows": rows, "opened_total": c("cases").shown, "broke_total": c("breakthroughs").shown}


def time_to_breakthrough(c: Cells) -> dict:
    """Of the cases opened in the period that went to a casusplatform at least three weeks before the refresh: how
    many broke through, the median number of days, and the share within three weeks (open ones count as not)."""
    judged, broke = c("judged").count, c("judged_broke").count
    within = min(c("within").count, judged)
    result = {
        "platforms": shown(judged),
        "broke": shown(broke),
        "enough": False,
        "median": None,
        "within": None,
        "within_ci": None,
        "within_share": None,
    }
    stats_ = c("judged_broke").stats or {}
    if judged >= MIN_N and broke >= THRESHOLD and "median" in stats_:
        low, high = stats.wilson(within, judged)
        result.update(
            enough=True,
            median=stats_["median"],
            within=shown(within),
            within_share=within / judged,
            within_pct=_pct(within / judged),
            within_ci=(_pct(low, 1), _pct(high, 1)),
        )
    return result


def funders(c: Cells) -> list[dict]:
    labels = dict(Funder.choices)
    out = []
    for funder in Funder.values:
        plan, realised = c(f"fp:{funder}"), c(f"fr:{funder}")
        if not plan.count:
            continue
        hidden = plan.count < THRESHOLD
        out.append(
            {
                "funder": funder,
                "label": str(labels.get(funder, funder)),
                "cases": plan.shown,
                "spend": None if hidden else _amount(plan, "spend"),
                "projected": None if hidden else _amount(plan, "projected"),
                "realised_cases": None if hidden else realised.shown,
                "to_date": None if hidden else _amount(realised, "to_date"),
                "realised": None if hidden else _amount(realised, "realised"),
                "hidden": hidden,
            }
        )
    return out


def domains(c: Cells) -> list[dict]:
    out = []
    for value, label in LifeDomain.choices:
        cell = c(f"zd:{value}")
        n = cell.count
        item = {"domain": value, "label": str(label), "n": cell.shown, "mean": None, "ci": None, "improved": None}
        if n >= MIN_N and cell.stats:
            mean, var = cell.stats["mean"], cell.stats["var"]
            half = stats.Z95 * math.sqrt(var / n)
            improved = min(c(f"zi:{value}").count, n)
            item.update(
                mean=round(mean, 2), ci=(round(mean - half, 2), round(mean + half, 2)), improved=_pct(improved / n)
            )
        out.append(item)
    return out


def barriers(municipality, c: Cells) -> dict:
    """Cases per blocker code and per theme (a case counts once per theme), largest first; each a cell."""
    labels = dict(BlockerTag.choices)
    codes = sorted(BlockerTag.values, key=lambda code: (-c(f"b:{code}").count, code))
    code_rows = [{"code": code, "label": str(labels[code]), "cases": c(f"b:{code}").shown} for code in codes]
    themes = sorted(
        Theme.objects.filter(municipality=municipality).values_list("pk", "name"),
        key=lambda t: (-c(f"t:{t[0]}").count, t[1]),
    )
    theme_rows = [{"theme": name, "cases": c(f"t:{pk}").shown} for pk, name in themes]
    return {"codes": code_rows, "themes": theme_rows}


def summary(c: Cells) -> dict:
    return {
        "cases": c("cases").shown,
        "platforms": c("platforms").shown,
        "closed": c("closed").shown,
        "broke": c("broke").shown,
        "with_budget": c("budget").shown,
        "spend": _amount(c("budget"), "amount"),
    }


def dashboard(municipality, period: Period | None = None, end=None, breakdown: Breakdown = WHOLE) -> dict:
    """Everything on /leren/ for a grid period (a Period that is a grid cell, or (start, end) dates of one) and
    one breakdown. Raises NotOnGrid for any other period: those figures are not released."""
    period = _grid(period, end)
    c = Cells(protected.read(municipality, period.grid, breakdown))
    detailed = breakdown.detailed
    return {
        "period": period,
        "breakdown": breakdown,
        "detailed": detailed,
        "summary": summary(c),
        "monthly": monthly(municipality, period, breakdown, c),
        "time": time_to_breakthrough(c),
        "funders": funders(c) if detailed else [],
        "domains": domains(c) if detailed else [],
        "barriers": barriers(municipality, c),
        "patterns": patterns_from(c, period) if detailed else None,
        "refreshed": last_refresh(municipality),
    }


def team_table(municipality, period: Period) -> list[dict]:
    """The council report's per-team table: one row per team (published cells of the team breakdown)."""
    period = _grid(period)
    grid = period.grid
    rows = protected.ProtectedCell.objects.filter(
        municipality=municipality,
        grain=grid.grain,
        period=grid.start,
        dimension="team",
        measure__in=["cases", "platforms", "broke", "budget"],
    ).values_list("value", "measure", "count", "stats")
    per_team: dict[str, dict[str, protected.Cell]] = {}
    for value, measure, count, cell_stats in rows:
        per_team.setdefault(value, {})[measure] = protected.Cell(count, cell_stats)
    names = dict(Team.objects.filter(municipality=municipality).values_list("pk", "name"))
    offered = protected.all_time_counts(municipality, "cases")
    # Only teams with 10 or more cases all time (as in the filter): a smaller team is not a row of its own.
    names = {pk: name for pk, name in names.items() if offered.get(("team", str(pk)), 0) >= THRESHOLD}
    out = []
    for pk, name in sorted(names.items(), key=lambda kv: kv[1].lower()):
        c = Cells(per_team.get(str(pk), {}))
        out.append(
            {
                "team": name,
                "cases": c("cases").shown,
                "platforms": c("platforms").shown,
                "broke": c("broke").shown,
                "spend": _amount(c("budget"), "amount"),
            }
        )
    return out


# --- Pattern analysis -----------------------------------------------------------------------------------


def pattern_factors() -> list[stats.Factor]:
    return [
        stats.Factor("client_present", _("Cliënt aan tafel"), [(True, _("ja")), (False, _("nee"))], binary=True),
        stats.Factor(
            "expert_present", _("Ervaringsdeskundige aan tafel"), [(True, _("ja")), (False, _("nee"))], binary=True
        ),
        stats.Factor(
            "organisations",
            _("Aantal organisaties aan tafel"),
            [("1-2", _("1 of 2")), ("3-4", _("3 of 4")), ("5+", _("5 of meer"))],
        ),
        stats.Factor(
            "domains",
            _("Levensdomeinen met problemen bij de start (ZRM 1 of 2)"),
            [("0-1", _("0 of 1")), ("2-3", _("2 of 3")), ("4+", _("4 of meer"))],
        ),
        # Only cases with a recorded solution: the kind is recorded at the breakthrough, so "none recorded" would
        # mechanically go with "no breakthrough" and prove nothing.
        stats.Factor(
            "solution_kind",
            _("Soort maatwerkoplossing (casussen met een doorbraak)"),
            [(v, str(label)) for v, label in SolutionKind.choices],
        ),
        stats.Factor("budget_band", _("Gebruikt budget"), [(v, str(label)) for v, label in BudgetBand.choices]),
    ]


PATTERN_KEYS = ["client_present", "expert_present", "organisations", "domains", "solution_kind", "budget_band"]


def _level_value(factor: str, raw: str):
    if factor in ("client_present", "expert_present"):
        return raw == "1"
    if factor == "budget_band":
        return int(raw)
    return raw


def pattern_groups(c: Cells) -> dict[str, dict[object, stats.Group]]:
    """Per factor and level, the published (perturbed) counts; ZRM sums rebuilt from the cell's mean and
    variance on the published count, so every interval is computed on protected inputs."""
    groups: dict[str, dict[object, stats.Group]] = {}
    for measure, cell in c.cells.items():
        if not measure.startswith("p:"):
            continue
        _p, factor, raw = measure.split(":", 2)
        n = cell.count
        within = min(c(f"pw:{factor}:{raw}").count, n)
        zcell = c(f"pz:{factor}:{raw}")
        g = stats.Group(n, within)
        if zcell.stats:
            zn = min(zcell.count, n)
            mean, var = zcell.stats["mean"], zcell.stats["var"]
            g.zrm_n, g.zrm_sum, g.zrm_sq = zn, mean * zn, var * (zn - 1) + zn * mean * mean
        groups.setdefault(factor, {})[_level_value(factor, raw)] = g
    return groups


def patterns(municipality, period: Period | None = None, end=None, breakdown: Breakdown = WHOLE) -> dict:
    period = _grid(period, end)
    c = Cells(protected.read(municipality, period.grid, breakdown))
    result = patterns_from(c, period)
    result["refreshed"] = last_refresh(municipality)
    return result


def patterns_from(c: Cells, period: Period) -> dict:
    groups = pattern_groups(c)
    factors = pattern_factors()
    results = stats.analyse(groups, factors)
    total = c("judged").count
    out = []
    for result in results:
        levels = []
        for level in result.levels:
            cell = shown(level.n)
            status = "small" if isinstance(cell, str) else level.status
            ok = status == "ok"
            levels.append(
                {
                    "label": level.label,
                    "n": cell,
                    "status": status,
                    "share": _pct(level.share) if ok else "",
                    "share_ci": tuple(_pct(v, 1) for v in level.share_ci) if ok and level.share_ci else None,
                    "zrm": round(level.zrm, 2) if ok and level.zrm is not None else None,
                    "zrm_ci": tuple(round(v, 2) for v in level.zrm_ci) if ok and level.zrm_ci else None,
                    "zrm_status": level.zrm_status if ok else status,
                    "share_vs_rest": level.share_vs_rest if ok else None,
                    "zrm_vs_rest": level.zrm_vs_rest if ok else None,
                }
            )
        findings = [
            describe(level.label, result.factor.label, outcome, comparison)
            for level, outcome, comparison in result.findings
            if not isinstance(shown(level.n), str)
        ]
        out.append({"label": result.factor.label, "key": result.factor.key, "levels": levels, "findings": findings})
    return {
        "period": period,
        "factors": out,
        "cases": shown(total),
        "enough": total >= stats.MIN_N,
        "comparisons": stats.comparisons_count(factors),
    }


def _signed(value: float, decimals: int) -> str:
    """A signed number with a Dutch decimal comma ("+0,45", "-3", "0"); the sign is left off for zero."""
    text = f"{value:+.{decimals}f}"
    text = text[1:] if float(text) == 0 else text
    return text.replace(".", ",")


def describe(level: str, factor: str, outcome: str, c: stats.Comparison) -> str:
    if outcome == "share":
        direction = _("vaker") if c.claim > 0 else _("minder vaak")
        return _(
            "%(factor)s: %(level)s gaat samen met %(direction)s een doorbraak binnen drie weken "
            "(%(estimate)s procentpunt, interval %(low)s tot %(high)s)."
        ) % {
            "factor": factor,
            "level": level,
            "direction": direction,
            "estimate": _signed(c.estimate * 100, 0),
            "low": _signed(c.low * 100, 0),
            "high": _signed(c.high * 100, 0),
        }
    direction = _("meer") if c.claim > 0 else _("minder")
    text = _(
        "%(factor)s: %(level)s gaat samen met %(direction)s vooruitgang in zelfredzaamheid "
        "(%(estimate)s ZRM-punt, interval %(low)s tot %(high)s)."
    ) % {
        "factor": factor,
        "level": level,
        "direction": direction,
        "estimate": _signed(c.estimate, 2),
        "low": _signed(c.low, 2),
        "high": _signed(c.high, 2),
    }
    # Only the numbers get a decimal comma (in _signed): a level such as "€ 5.000 tot € 25.000" keeps its points.
    return text


# --- Reads for a user (learning.view_insights; anyone else gets a logged 404) ------------------------------------


def insights_municipality(user):
    """The municipality whose figures the user may read (dashboard, patterns, report, open data); 404 otherwise."""
    require_read("learning.view_insights", user)
    return user.municipality


# dashboard() and patterns() take a municipality: the public open data and the council report use them after
# their own check. Pages for a logged-in user call these.


def dashboard_for(user, period: Period | None = None, breakdown: Breakdown = WHOLE) -> dict:
    return dashboard(insights_municipality(user), period, breakdown=breakdown)


def patterns_for(user, period: Period | None = None, breakdown: Breakdown = WHOLE) -> dict:
    return patterns(insights_municipality(user), period, breakdown=breakdown)
