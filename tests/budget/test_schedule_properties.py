"""Property tests (hypothesis) of the one cost schedule (issue 12, point 1) and the split (point 3).

On random plans: months add up to years add up to the total, for every funder; a line's months add up to its exact
cost rounded once; the payback month, when stated, is the first month from which the custom plan stays cheaper
cumulatively and never contradicts the horizon totals; the largest-remainder split adds up to the cent and each
shown percentage reproduces its amount."""

from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from doorbraak.budget import calculations as calc

FUNDERS = ["wmo", "jeugdwet", "zvw", "justice", "household"]
UNITS = sorted(calc.UNITS)
RHYTHMS = sorted(calc.RHYTHMS) + [None]


@st.composite
def lines(draw, horizon):
    months = horizon * 12
    start = draw(st.integers(0, months - 1))
    use_end = draw(st.booleans())
    end = draw(st.integers(start, 59)) if use_end else None
    return calc.Line(
        unit=draw(st.sampled_from(UNITS)),
        amount_cents=draw(st.integers(0, 5_000_000)),
        quantity=Decimal(draw(st.integers(1, 100_000))) / 100,
        duration=Decimal(draw(st.integers(1, 50_000))) / 100,
        funder=draw(st.sampled_from(FUNDERS)),
        start_month=start,
        rhythm=draw(st.sampled_from(RHYTHMS)),
        end_month=end,
    )


@st.composite
def plans(draw):
    horizon = draw(st.integers(1, 5))
    return horizon, draw(st.lists(lines(horizon), max_size=8)), draw(st.lists(lines(horizon), max_size=8))


@settings(max_examples=100, deadline=None)
@given(plans())
def test_months_add_up_to_years_add_up_to_the_total_for_every_funder(plan):
    horizon, custom_lines, _other = plan
    result = calc.scenario(custom_lines, horizon)
    assert len(result.per_month) == horizon * 12
    for funder, months in result.per_funder_month.items():
        years = result.per_funder_year[funder]
        assert [sum(months[y * 12 : (y + 1) * 12]) for y in range(horizon)] == years
        assert sum(years) == result.per_funder_total[funder]
        assert all(m >= 0 for m in months)
    assert [sum(result.per_month[y * 12 : (y + 1) * 12]) for y in range(horizon)] == result.per_year
    assert sum(result.per_funder_total.values()) == result.total == sum(result.per_year)
    # Realised-versus-projected reads the same schedule: the whole horizon is the funder totals.
    assert calc.cost_to_month(custom_lines, horizon, horizon * 12) == dict(sorted(result.per_funder_total.items()))
    # Each line is rounded once: its months add up to its exact cost rounded half-up.
    for line in custom_lines:
        exact = sum(calc.line_month_exact(line, horizon), Fraction(0))
        assert sum(calc.line_month_cents(line, horizon)) == calc.round_cents(exact)
        assert sum(calc.line_cost_per_year(line, horizon)) == calc.round_cents(exact)


@settings(max_examples=100, deadline=None)
@given(plans())
def test_payback_month_is_the_first_month_from_which_custom_stays_cheaper(plan):
    horizon, custom_lines, other_lines = plan
    custom, other = calc.scenario(custom_lines, horizon), calc.scenario(other_lines, horizon)
    month = calc.payback_month(custom, other)
    cum_c = [sum(custom.per_month[: m + 1]) for m in range(horizon * 12)]
    cum_o = [sum(other.per_month[: m + 1]) for m in range(horizon * 12)]
    # Never contradicts the horizon totals: a payback month exactly when the plan is cheaper over the horizon.
    assert (month is not None) == (custom.total < other.total)
    if month is not None:
        assert all(cum_c[m] < cum_o[m] for m in range(month - 1, horizon * 12))
        assert month == 1 or not cum_c[month - 2] < cum_o[month - 2]


@settings(max_examples=300, deadline=None)
@given(
    st.integers(0, 10_000_000_000),
    st.dictionaries(st.sampled_from(FUNDERS), st.integers(1, 10**9), min_size=1, max_size=5),
)
def test_largest_remainder_adds_up_and_each_shown_percentage_reproduces_its_amount(total, weights):
    parts = calc.largest_remainder(total, weights)
    assert sum(parts.values()) == total
    weight_sum = sum(weights.values())
    for funder, amount in parts.items():
        assert abs(Fraction(amount) - Fraction(total * weights[funder], weight_sum)) < 1
        shown = calc.shown_percentage(amount, total)
        assert calc.round_cents(Decimal(total) * shown / 100) == amount


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 10_000_000_00),
    st.lists(st.integers(1, 9999), min_size=1, max_size=4),
    st.sets(st.sampled_from(FUNDERS)),
)
def test_percentage_shares_split_to_the_cent_and_the_fund_never_pays_the_own_contribution(total, cuts, pre):
    # Basis points that add up to 100%: the gaps between sorted cut points.
    points = sorted(set(cuts))
    bps = [b - a for a, b in zip([0, *points], [*points, 10000], strict=True)]
    shares = [calc.ShareInput(f, bp, None, f in pre) for f, bp in zip(FUNDERS, bps, strict=False) if bp]
    kinds = {"wmo": "municipal", "jeugdwet": "municipal", "zvw": "external", "justice": "external", "household": "own"}
    split = calc.funding_split(total, {}, shares, kinds)
    assert split.balanced and sum(split.parts.values()) == total
    assert split.municipal + split.external + split.own == total
    external_paid_by_others = split.external - sum(split.prefinanced.values())
    assert split.from_fund + external_paid_by_others + split.own == total
    assert "household" not in split.prefinanced
    for s in shares:
        exact = Fraction(total * s.basis_points, 10000)
        assert abs(split.parts[s.funder] - exact) < 1
