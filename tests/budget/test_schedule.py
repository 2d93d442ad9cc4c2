"""The one cost schedule to the cent (issue 12, point 1): the figures the issue found unsignable, now right."""

from decimal import Decimal as D

import pytest

from doorbraak.budget import calculations as calc
from doorbraak.budget.calculations import Line


def weekly_care(horizon=2, **kw):
    # 4 hours a week of EUR 55,80 for the whole plan
    return Line("hour", 5_580, D(4), D(1), "wmo", rhythm="week", end_month=horizon * 12 - 1, **kw)


def test_weekly_care_costs_every_year_not_only_the_start_month():
    result = calc.scenario([weekly_care(2)], 2)
    # 4 x 55,80 x 52 = 11.606,40 a year
    assert result.per_year == [1_160_640, 1_160_640]
    # Per month 11.606,40 / 12 = 967,20
    assert result.per_month[:3] == [96_720, 96_720, 96_720]
    assert calc.preview(weekly_care(2), 2).per_month == 96_720
    assert calc.preview(weekly_care(2), 2).per_year == 1_160_640


def test_thirty_weeks_from_month_three():
    line = Line("daypart", 4_000, D(2), D(30), "wmo", start_month=2, rhythm="week")
    # 2 dagdelen x EUR 40 x 30 weeks = EUR 2.400, within the first year
    assert calc.line_cost_per_year(line, 1) == [240_000]
    p = calc.preview(line, 1)
    assert (p.first_month, p.last_month, p.total) == (3, 9, 240_000)  # 30 weeks = 6,92 months from month 3


def test_once_is_in_the_start_month_and_a_year_rhythm_accrues_over_its_months():
    once = Line("each", 120_000, D(1), D(1), "wmo", start_month=5, rhythm="once")
    assert calc.line_month_cents(once, 1)[5] == 120_000 and sum(calc.line_month_cents(once, 1)) == 120_000
    yearly = Line("year", 300_000, D(1), D(2), "wmo", rhythm="year")
    assert calc.line_cost_per_year(yearly, 3) == [300_000, 300_000, 0]
    km = Line("km", 23, D(400), D(1), "household", rhythm="month", end_month=11)
    assert calc.scenario([km], 1).total == 110_400  # 400 km a month at EUR 0,23


def test_end_month_wins_over_the_number_of_periods_and_the_horizon_cuts_off():
    line = Line("month", 10_000, D(1), D(99), "wmo", start_month=6, rhythm="month", end_month=29)
    assert calc.line_cost_per_year(line, 2) == [60_000, 120_000]  # months 7-24 of 7-30
    with pytest.raises(ValueError):
        Line("month", 10_000, D(1), D(1), "wmo", start_month=6, rhythm="month", end_month=5)


def test_payback_never_in_month_one_when_the_plan_costs_more_over_the_year():
    # The issue: a one-off that looked "paid back in month 1" while the year costs more.
    custom = calc.scenario([Line("each", 100_000, D(1), D(1), "wmo", rhythm="once"), weekly_care(1)], 1)
    other = calc.scenario([Line("month", 90_000, D(1), D(12), "wmo", rhythm="month")], 1)
    assert custom.total > other.total
    assert calc.payback_month(custom, other) is None
    cheaper = calc.scenario([Line("month", 130_000, D(1), D(12), "wmo", rhythm="month")], 1)
    month = calc.payback_month(custom, cheaper)
    # cumulative custom: 1.967,20, 2.934,40, 3.901,60, 4.868,80; other 1.300 a month: 1.300, 2.600, 3.900, 5.200.
    # Month 3 is still 1,60 dearer; from month 4 on the custom plan stays cheaper.
    assert month == 4


def test_realised_to_date_uses_months_not_a_whole_year_of_hours():
    lines = [weekly_care(1)]
    assert calc.cost_to_month(lines, 1, 3) == {"wmo": 290_160}  # three months, not a year


def test_cents_add_up_over_months_with_awkward_prices():
    # EUR 87,71 a day for 365 days spread over 12 months: the months add up to the rounded total.
    line = Line("day", 8_771, D(1), D(365), "wmo", rhythm="day")
    months = calc.line_month_cents(line, 1)
    assert sum(months) == 3_201_415 and max(months) - min(months) <= 25_000


def test_legacy_lines_keep_their_meaning():
    # A line without a rhythm (as learning and older callers build them): hours all in the start month.
    assert calc.line_cost_per_year(Line("hour", 5_580, D(1), D(26), "wmo"), 2) == [145_080, 0]
    assert calc.legacy_rhythm("night") == "day" and calc.legacy_rhythm("km") == "once"


def test_the_worked_example_of_the_docs():
    """docs/apps/budget.md, "Worked example": the same figures, computed."""
    support = Line("hour", 5_580, D(4), D(1), "wmo", rhythm="week", start_month=2, end_month=13)
    ns_pass = Line("year", 300_000, D(1), D(1), "wmo", rhythm="year")
    custom = calc.scenario([ns_pass, support], 2)
    regular = calc.scenario([Line("month", 65_000, D(1), D(24), "wmo", rhythm="month")], 2)
    p = calc.preview(support, 2)
    assert (p.per_period, p.per_month, p.per_year, p.total, p.first_month, p.last_month) == (
        22_320,
        96_720,
        1_160_640,
        1_160_640,
        3,
        14,
    )
    assert calc.line_cost_per_year(support, 2) == [967_200, 193_440]
    assert custom.per_year == [1_267_200, 193_440] and custom.total == 1_460_640
    assert regular.total == 1_560_000
    assert sum(custom.per_month[:4]) == 293_440 and sum(regular.per_month[:4]) == 260_000
    assert calc.payback_month(custom, regular) == 23
    split = calc.funding_split(
        custom.total,
        custom.per_funder_total,
        [calc.ShareInput("wmo", 6000), calc.ShareInput("zvw", 4000)],
        {"wmo": "municipal", "zvw": "external"},
    )
    assert split.parts == {"wmo": 876_384, "zvw": 584_256} and split.from_fund == 876_384
    pre = calc.funding_split(
        custom.total,
        custom.per_funder_total,
        [calc.ShareInput("wmo", 6000), calc.ShareInput("zvw", 4000, prefinanced=True)],
        {"wmo": "municipal", "zvw": "external"},
    )
    assert pre.from_fund == 1_460_640 and pre.prefinanced == {"zvw": 584_256}
    thirds = calc.largest_remainder(100_001, {"jeugdwet": 1, "wmo": 1, "zvw": 1})
    assert thirds == {"jeugdwet": 33_334, "wmo": 33_334, "zvw": 33_333}
    assert calc.shown_percentage(33_334, 100_001) == D("33.334")
    assert calc.shown_percentage(33_333, 100_001) == D("33.333")
