"""The pattern statistics: a planted effect must be found, a null dataset may claim nothing, small groups get
no numbers, and the interval helpers agree with known values."""

import random
import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from doorbraak.learning.insights import stats
from doorbraak.learning.insights.analytics import pattern_factors


def simulate(n, seed, p_within=lambda case: 0.4, zrm=lambda case: 0.3):
    """n synthetic cases with random, independent factor levels; returns groups[factor][level] -> Group."""
    rng = random.Random(seed)
    factors = pattern_factors()
    groups = {f.key: {} for f in factors}
    for _ in range(n):
        case = {f.key: rng.choice(f.levels)[0] for f in factors}
        within = rng.random() < p_within(case)
        change = rng.gauss(zrm(case), 1.0)
        g = stats.Group(1, int(within), 1, change, change * change)
        for key, value in case.items():
            groups[key].setdefault(value, stats.Group()).add(g)
    return groups, factors


def claims(results):
    return [(r.factor.key, level.label, outcome) for r in results for level, outcome, _c in r.findings]


def test_planted_effect_of_the_experience_expert_is_found():
    groups, factors = simulate(3000, seed=1, p_within=lambda c: 0.65 if c["expert_present"] else 0.40)
    results = stats.analyse(groups, factors)
    found = claims(results)
    assert ("expert_present", "ja", "share") in found
    expert = next(r for r in results if r.factor.key == "expert_present")
    comparison = expert.levels[0].share_vs_rest
    assert comparison.claim == 1
    assert comparison.low < 0.25 < comparison.high  # the interval covers the planted difference
    # Nothing else was planted, so nothing else may be claimed.
    assert [c for c in found if c[0] != "expert_present"] == []


def test_planted_effect_on_outcomes_is_found_with_its_direction():
    groups, factors = simulate(3000, seed=2, zrm=lambda c: 0.0 if c["client_present"] else 0.5)
    found = claims(stats.analyse(groups, factors))
    assert found == [("client_present", "ja", "zrm")]
    client = next(r for r in stats.analyse(groups, factors) if r.factor.key == "client_present")
    assert client.levels[0].zrm_vs_rest.claim == -1


NULL_RUNS = 200


def test_null_datasets_rarely_claim_anything():
    """With no effect planted, the Bonferroni correction keeps the chance of any claim on the page at or
    below 5%. Over 200 independent null datasets we allow at most 16 (8%, well above the binomial spread around
    5%) with any claim."""
    with_claims = 0
    for seed in range(NULL_RUNS):
        groups, factors = simulate(1000, seed=1000 + seed)
        with_claims += bool(claims(stats.analyse(groups, factors)))
    assert with_claims <= 16


def test_a_null_dataset_without_correction_would_claim_something():
    """The counter-check: without the correction the same null data does produce claims, so the test above
    can fail."""
    with_claims = 0
    for seed in range(NULL_RUNS):
        groups, factors = simulate(1000, seed=1000 + seed)
        with_claims += bool(claims(stats.analyse(groups, factors, alpha=0.05 * stats.comparisons_count(factors))))
    assert with_claims > 16


def test_a_small_effect_in_a_small_dataset_is_not_claimed():
    groups, factors = simulate(120, seed=3, p_within=lambda c: 0.5 if c["expert_present"] else 0.4)
    assert claims(stats.analyse(groups, factors)) == []


def test_small_groups_get_no_numbers():
    groups = {"client_present": {True: stats.Group(8, 8, 8, 8.0, 8.0), False: stats.Group(25, 5, 25, 0.0, 25.0)}}
    factor = stats.Factor("client_present", "Cliënt", [(True, "ja"), (False, "nee")], binary=True)
    (result,) = stats.analyse(groups, [factor])
    small, few = result.levels
    assert (small.status, small.share, small.zrm, small.share_vs_rest) == ("small", None, None, None)
    assert (few.status, few.share, few.zrm) == ("few", None, None)
    assert result.findings == []


def test_wilson_interval_matches_a_known_value():
    low, high = stats.wilson(81, 263)  # Newcombe (1998), example: 0.2553 to 0.3662
    assert low == pytest.approx(0.2553, abs=1e-3)
    assert high == pytest.approx(0.3662, abs=1e-3)


def test_newcombe_difference_matches_a_known_value():
    d, low, high = stats.diff_proportions(56, 70, 48, 80)  # Newcombe (1998), method 10: 0.0524 to 0.3339
    assert d == pytest.approx(0.2)
    assert low == pytest.approx(0.0524, abs=1e-3)
    assert high == pytest.approx(0.3339, abs=1e-3)


@given(st.lists(st.integers(min_value=0, max_value=200), min_size=1, max_size=60))
def test_median_from_histogram_equals_the_median(values):
    histogram = {}
    for v in values:
        histogram[v] = histogram.get(v, 0) + 1
    assert stats.median_from_histogram(histogram) == statistics.median(values)


@given(st.lists(st.floats(min_value=-4, max_value=4), min_size=2, max_size=50))
def test_mean_and_interval_from_sums(values):
    mean, low, high = stats.mean_ci(len(values), sum(values), sum(v * v for v in values))
    assert mean == pytest.approx(statistics.fmean(values), abs=1e-9)
    assert low <= mean + 1e-9 and mean - 1e-9 <= high
