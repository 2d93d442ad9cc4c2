"""Reads for the learning dashboard, the pattern analysis, the council report and open data.

Reads only the pseudonymised fact tables (learning.facts), never a case file. Every count and every amount
that leaves this module is suppressed: counts below 10 become "<10", a second cell is hidden ("x") where a
total would reveal a hidden one, and amounts summed over fewer than 10 cases are not shown (AVG-09).
A handful of grouped queries per call, independent of the number of cases (see BENCHMARKS.md).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Sum
from django.utils import dateformat
from django.utils.translation import gettext as _

from doorbraak.cases.models import LifeDomain
from doorbraak.core import dates
from doorbraak.core.choices import Funder
from doorbraak.platforms.models import BlockerTag, SolutionKind

from ..models import BudgetBand, FactRefresh, Rollup, Theme, ThemeBlocker
from ..permissions import require_read
from . import stats
from .facts import BLOCKER_BITS, BREAKTHROUGH_DAYS, month_start
from .suppression import HIDDEN, SMALL, THRESHOLD, suppress, suppress_table

MAX_MONTHS = 120


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
    def label(self) -> str:
        return f"{month_label(self.start)} – {month_label(self.end)}"


def month_label(d: datetime.date) -> str:
    """Short month and year in the active language ("mrt 2025")."""
    return dateformat.format(d, "M Y").lower()


def make_period(start: datetime.date, end: datetime.date) -> Period:
    start, end = month_start(start), month_start(end)
    if end < start:
        raise ValueError("end before start")
    return Period(start, end)


def default_period(today: datetime.date | None = None) -> Period:
    """The last twelve months including the current one."""
    today = today or datetime.date.today()
    end = dates.month_start(today)
    return Period(dates.add_months(end, -11), end)


def _rollups(municipality, period: Period, *kinds):
    return Rollup.objects.filter(
        municipality=municipality, kind__in=kinds, month__gte=period.start, month__lte=period.end
    )


def totals(municipality, period: Period) -> dict[str, dict[str, dict]]:
    """kind -> key -> summed columns over the period: one grouped query for every section of the dashboard."""
    out: dict[str, dict[str, dict]] = {}
    rows = (
        _rollups(municipality, period, *[k for k in Rollup.Kind.values if k != Rollup.Kind.BROKE])
        .values("kind", "key")
        .annotate(
            n=Sum("n"), c1=Sum("c1"), c2=Sum("c2"), c3=Sum("c3"), c4=Sum("c4"), c5=Sum("c5"), f1=Sum("f1"), f2=Sum("f2")
        )
        .order_by()
    )
    for r in rows:
        out.setdefault(r["kind"], {})[r["key"]] = r
    return out


def last_refresh(municipality):
    return FactRefresh.objects.filter(municipality=municipality).first()


def _column(rows: dict[str, int]) -> tuple[dict[str, int | str], int | str]:
    cells = suppress_table(rows, total_label="__total__")
    total = cells.pop("__total__")
    return cells, total


def _amount(cases: int, cents: int | None) -> int | str | None:
    """An amount summed over `cases` cases: hidden below the threshold."""
    if cases < THRESHOLD:
        return SMALL if cases else None
    return cents


def _pct(share: float | None, decimals: int = 0) -> str:
    if share is None:
        return ""
    return f"{share * 100:.{decimals}f}%".replace(".", ",")


def monthly(municipality, period: Period) -> dict:
    counts: dict[str, dict] = {Rollup.Kind.OPENED: {}, Rollup.Kind.BROKE: {}}
    for kind, month, n in (
        _rollups(municipality, period, Rollup.Kind.OPENED, Rollup.Kind.BROKE)
        .values("kind", "month")
        .annotate(total=Sum("n"))
        .values_list("kind", "month", "total")
    ):
        counts[kind][month] = n
    opened, broke = counts[Rollup.Kind.OPENED], counts[Rollup.Kind.BROKE]
    keys = [m.isoformat() for m in period.months]
    opened_cells, opened_total = _column({k: opened.get(m, 0) for k, m in zip(keys, period.months, strict=True)})
    broke_cells, broke_total = _column({k: broke.get(m, 0) for k, m in zip(keys, period.months, strict=True)})
    rows = [
        {"month": m, "label": month_label(m), "opened": opened_cells[k], "broke": broke_cells[k]}
        for k, m in zip(keys, period.months, strict=True)
    ]
    return {"rows": rows, "opened_total": opened_total, "broke_total": broke_total}


def time_to_breakthrough(data: dict) -> dict:
    """Of the cases opened in the period that went to a casusplatform: how many broke through, the median
    number of days, and the share within three weeks (of all platforms, open ones count as not yet)."""
    histogram = {None if key == "" else int(key): r["n"] for key, r in data.get(Rollup.Kind.DAYS, {}).items()}
    platforms = sum(histogram.values())
    open_ = histogram.pop(None, 0)
    broke = platforms - open_
    within = sum(n for days, n in histogram.items() if days <= BREAKTHROUGH_DAYS)
    result = {
        "platforms": suppress(platforms),
        "broke": suppress(broke),
        "enough": False,
        "median": None,
        "within": None,
        "within_ci": None,
        "within_share": None,
    }
    if platforms >= stats.MIN_N and broke >= THRESHOLD:
        low, high = stats.wilson(within, platforms)
        result.update(
            enough=True,
            median=stats.median_from_histogram(histogram),
            within=suppress(within),
            within_share=within / platforms,
            within_pct=_pct(within / platforms),
            within_ci=(_pct(low, 1), _pct(high, 1)),
        )
    if isinstance(result["broke"], str) and platforms >= THRESHOLD:
        result["platforms"] = HIDDEN if open_ < THRESHOLD else result["platforms"]
    return result


def funders(data: dict) -> list[dict]:
    rows = sorted(data.get(Rollup.Kind.FUNDER, {}).items())
    labels = dict(Funder.choices)
    cells, _total = _column({funder: r["n"] for funder, r in rows})
    out = []
    for funder, r in rows:
        shown = cells[funder]
        hidden = isinstance(shown, str)
        out.append(
            {
                "funder": funder,
                "label": str(labels.get(funder, funder)),
                "cases": shown,
                "spend": None if hidden else r["c1"],
                "projected": None if hidden else r["c2"],
                "realised_cases": None if hidden else suppress(r["c3"]),
                "to_date": None if hidden else _amount(r["c3"], r["c4"]),
                "realised": None if hidden else _amount(r["c3"], r["c5"]),
                "hidden": hidden,
            }
        )
    return out


def domains(data: dict) -> list[dict]:
    rows = data.get(Rollup.Kind.DOMAIN, {})
    out = []
    for value, label in LifeDomain.choices:
        r = rows.get(value)
        n = r["n"] if r else 0
        item = {"domain": value, "label": str(label), "n": suppress(n), "mean": None, "ci": None, "improved": None}
        if n >= stats.MIN_N:
            mean, lo, hi = stats.mean_ci(n, float(r["f1"]), float(r["f2"]))
            item.update(mean=round(mean, 2), ci=(round(lo, 2), round(hi, 2)), improved=_pct(r["c1"] / n))
        out.append(item)
    return out


def barriers(municipality, data: dict) -> dict:
    """Cases per blocker code and per theme (a case counts once per theme), largest first."""
    masks = {int(key): r["n"] for key, r in data.get(Rollup.Kind.MASK, {}).items()}
    per_code = {code: sum(n for mask, n in masks.items() if mask & bit) for code, bit in BLOCKER_BITS.items()}
    labels = dict(BlockerTag.choices)
    code_cells, code_total = _column(dict(sorted(per_code.items(), key=lambda kv: -kv[1])))
    codes = [{"code": c, "label": str(labels[c]), "cases": v} for c, v in code_cells.items()]
    theme_masks = {name: 0 for name in Theme.objects.filter(municipality=municipality).values_list("name", flat=True)}
    for code, theme in ThemeBlocker.objects.filter(municipality=municipality).values_list("code", "theme__name"):
        theme_masks[theme] |= BLOCKER_BITS[code]
    theme_rows = {
        name: sum(n for mask, n in masks.items() if mask & theme_mask) for name, theme_mask in theme_masks.items()
    }
    theme_cells, _ = _column(dict(sorted(theme_rows.items(), key=lambda kv: (-kv[1], kv[0]))))
    themes = [{"theme": name, "cases": v} for name, v in theme_cells.items()]
    return {"codes": codes, "codes_total": code_total, "themes": themes}


def summary(data: dict) -> dict:
    rows = data.get(Rollup.Kind.OPENED, {}).values()
    cases, platforms, closed, budget, spend, broke = (
        sum(r[c] or 0 for r in rows) for c in ("n", "c1", "c2", "c3", "c4", "c5")
    )
    return {
        "cases": suppress(cases),
        "platforms": suppress(platforms),
        "closed": suppress(closed),
        "broke": suppress(broke),
        "with_budget": suppress(budget),
        "spend": _amount(budget, spend),
    }


def dashboard(municipality, period: Period | None = None, end=None) -> dict:
    """Everything on /leren/. Accepts a Period, or (start, end) dates."""
    if not isinstance(period, Period):
        period = default_period() if period is None else make_period(period, end)
    data = totals(municipality, period)
    return {
        "period": period,
        "summary": summary(data),
        "monthly": monthly(municipality, period),
        "time": time_to_breakthrough(data),
        "funders": funders(data),
        "domains": domains(data),
        "barriers": barriers(municipality, data),
        "patterns": patterns_from(data, period),
        "refreshed": last_refresh(municipality),
    }


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


def pattern_groups(data: dict) -> dict[str, dict[object, stats.Group]]:
    """Marginalise the pattern cells (one per combination of factor levels) per factor."""
    groups: dict[str, dict[object, stats.Group]] = {}
    for key, r in data.get(Rollup.Kind.PATTERN, {}).items():
        client, expert, orgs, doms, kind, band = key.split("|")
        values = {
            "client_present": client == "1",
            "expert_present": expert == "1",
            "organisations": orgs,
            "domains": doms,
            "solution_kind": kind,
            "budget_band": int(band),
        }
        g = stats.Group(r["n"], r["c1"], r["c2"], float(r["f1"] or 0), float(r["f2"] or 0))
        for factor, value in values.items():
            groups.setdefault(factor, {}).setdefault(value, stats.Group()).add(g)
    return groups


def patterns(municipality, period: Period | None = None, end=None) -> dict:
    if not isinstance(period, Period):
        period = default_period() if period is None else make_period(period, end)
    data = {
        Rollup.Kind.PATTERN: {
            r["key"]: r
            for r in _rollups(municipality, period, Rollup.Kind.PATTERN)
            .values("key")
            .annotate(n=Sum("n"), c1=Sum("c1"), c2=Sum("c2"), f1=Sum("f1"), f2=Sum("f2"))
            .order_by()
        }
    }
    result = patterns_from(data, period)
    result["refreshed"] = last_refresh(municipality)
    return result


def patterns_from(data: dict, period: Period) -> dict:
    groups = pattern_groups(data)
    factors = pattern_factors()
    results = stats.analyse(groups, factors)
    total = sum(g.n for g in groups.get("client_present", {}).values())
    out = []
    for result in results:
        shown, _total = _column({str(level.value): level.n for level in result.levels})
        levels = []
        for level in result.levels:
            cell = shown[str(level.value)]
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
            if not isinstance(shown[str(level.value)], str)
        ]
        out.append({"label": result.factor.label, "key": result.factor.key, "levels": levels, "findings": findings})
    return {
        "period": period,
        "factors": out,
        "cases": suppress(total),
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


def dashboard_for(user, period: Period | None = None) -> dict:
    return dashboard(insights_municipality(user), period)


def patterns_for(user, period: Period | None = None) -> dict:
    return patterns(insights_municipality(user), period)
