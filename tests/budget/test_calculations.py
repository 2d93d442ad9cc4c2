"""Scenario arithmetic to the cent: train pass, partial years, multi-year horizons, sensitivity, break-even."""

from decimal import Decimal as D

import pytest

from doorbraak.budget import calculations as calc
from doorbraak.budget.calculations import Line


def train_pass_scenarios(horizon=1):
    do_nothing = [
        Line("year", 5_000_000, D(1), D(horizon), "justice"),  # detention ~ EUR 50.000 a year
        Line("each", 150_000, D(6), D(1), "wmo"),  # six case meetings with six people, EUR 1.500 each
    ]
    custom = [Line("year", 300_000, D(1), D(horizon), "wmo")]  # annual train pass EUR 3.000
    return calc.scenario(do_nothing, horizon), calc.scenario(custom, horizon)


def test_train_pass_return_and_wrong_pocket():
    nothing, custom = train_pass_scenarios()
    assert nothing.total == 5_900_000
    assert custom.total == 300_000
    saved = calc.avoided(custom, nothing)
    assert saved == {"justice": 5_000_000, "wmo": 600_000}
    # The municipality pays the pass; justice saves the detention.
    assert custom.per_funder_total == {"wmo": 300_000}
    assert nothing.total - custom.total == 5_600_000


def test_train_pass_over_three_years_per_year():
    nothing, custom = train_pass_scenarios(horizon=3)
    assert nothing.per_year == [5_900_000, 5_000_000, 5_000_000]
    assert custom.per_year == [300_000, 300_000, 300_000]
    assert nothing.per_funder_year["justice"] == [5_000_000] * 3


def test_month_unit_of_18_over_two_years_is_12_plus_6():
    line = Line("month", 10_000, D(1), D(18), "wmo")
    assert calc.units_per_year(line, 2) == [12, 6]
    assert calc.line_cost_per_year(line, 2) == [120_000, 60_000]


def test_start_offset_shifts_cost_into_next_year_and_horizon_cuts_off():
    line = Line("month", 10_000, D(1), D(18), "wmo", start_month=10)
    assert calc.line_cost_per_year(line, 2) == [20_000, 120_000]  # 2 + 12 months, last 4 beyond horizon
    yearly = Line("year", 300_000, D(1), D(1), "wmo", start_month=6)
    assert calc.line_cost_per_year(yearly, 2) == [150_000, 150_000]


def test_rounding_half_up_per_line_per_year():
    # EUR 0,05 x 0.5 = 2.5 cents -> 3 cents (half up), not banker's 2.
    line = Line("each", 5, D("0.5"), D(1), "wmo")
    assert calc.line_cost_per_year(line, 1) == [3]
    # 26 hours of EUR 55,80
    assert calc.line_cost_per_year(Line("hour", 5_580, D(1), D(26), "wmo"), 1) == [145_080]
    # A day price over half a year: 182.5 days of EUR 87,71 = 16.007,075 -> 16.007,08
    half_year = Line("day", 8_771, D(1), D(365), "wmo", start_month=6)
    assert calc.line_cost_per_year(half_year, 1) == [1_600_708]


def test_sensitivity_low_expected_high():
    result = calc.scenario(
        [Line("year", 300_000, D(1), D(1), "wmo"), Line("each", 1_000, D(1), D(1), "zvw", low=D("0.5"), high=D(2))], 1
    )
    assert (result.low, result.total, result.high) == (240_500, 301_000, 362_000)


def test_break_even_month():
    nothing, custom = train_pass_scenarios()
    assert calc.break_even_month(custom, nothing) == 1
    # An expensive one-off that pays back only after some months
    upfront = calc.scenario([Line("each", 1_000_000, D(1), D(1), "wmo")], 1)
    monthly = calc.scenario([Line("month", 300_000, D(1), D(12), "justice")], 1)
    assert calc.break_even_month(upfront, monthly) == 4
    never = calc.scenario([Line("month", 100, D(1), D(12), "justice")], 1)
    assert calc.break_even_month(upfront, never) is None


def test_proposed_cofunding_shares_follow_avoided_cost():
    shares = calc.proposed_shares({"justice": 3_000_000, "wmo": 1_000_000, "zvw": -50})
    assert shares == {"justice": D("0.75"), "wmo": D("0.25")}
    assert calc.split_amount(300_001, shares) == {"justice": 225_001, "wmo": 75_000}
    assert sum(calc.split_amount(99_999, {"a": D("0.3333"), "b": D("0.3333"), "c": D("0.3334")}).values()) == 99_999


def test_bad_input_refused():
    with pytest.raises(ValueError):
        calc.scenario([], 6)
    with pytest.raises(ValueError):
        calc.scenario([], 0)
    with pytest.raises(ValueError):
        Line("year", -1, D(1), D(1), "wmo")
    with pytest.raises(TypeError):
        Line("year", 100, 1.5, D(1), "wmo")


def test_cpi_factor_and_indexing():
    cpi = {2018: 103.44, 2022: 121.43, 2026: 137.87}
    factor = calc.cpi_factor(cpi, 2018, 2026)
    assert factor == D("1.3328")
    assert calc.indexed_amount(300_000, factor) == 399_840
    assert calc.cpi_factor(cpi, 2026, 2030) == D("1.0000")
