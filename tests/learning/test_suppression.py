"""AVG-09: learning outputs never show 0 < n < 10 and totals never reveal a hidden cell."""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from doorbraak.learning.insights.suppression import HIDDEN, SMALL, suppress, suppress_table

labels = st.sampled_from(["a", "b", "c", "d", "e", "f", "g"])
tables = st.dictionaries(labels, st.integers(min_value=0, max_value=60), min_size=0, max_size=7)


def test_suppress_single_counts():
    assert suppress(0) == 0
    assert suppress(1) == SMALL
    assert suppress(9) == SMALL
    assert suppress(10) == 10
    assert suppress(4, threshold=5) == "<5"
    with pytest.raises(ValueError):
        suppress(-1)


@given(st.integers(min_value=0, max_value=10_000))
def test_suppress_never_emits_small_int(n):
    value = suppress(n)
    assert not (isinstance(value, int) and 0 < value < 10)
    assert value == SMALL or value == n


def test_table_without_small_cells_is_exact():
    assert suppress_table({"a": 12, "b": 0, "c": 30}) == {"a": 12, "b": 0, "c": 30, "Totaal": 42}


def test_single_small_cell_triggers_secondary_suppression_and_hides_total():
    out = suppress_table({"a": 3, "b": 25, "c": 12, "d": 0}, total_label="Alles")
    assert out == {"a": SMALL, "b": 25, "c": HIDDEN, "d": 0, "Alles": HIDDEN}


def test_two_small_cells_need_no_extra_cell():
    out = suppress_table({"a": 3, "b": 4, "c": 12})
    assert out == {"a": SMALL, "b": SMALL, "c": 12, "Totaal": HIDDEN}


@settings(max_examples=300)
@given(tables)
def test_table_never_emits_small_int(rows):
    out = suppress_table(rows)
    for value in out.values():
        assert not (isinstance(value, int) and 0 < value < 10)
    for label, n in rows.items():
        assert out[label] in (n, SMALL, HIDDEN)


def _consistent_values(out, label, bound=80):
    """All values a hidden cell can take given the emitted cells and total (linear disclosure attack)."""
    hidden = [k for k, v in out.items() if k != "Totaal" and isinstance(v, str)]
    ranges = {k: (range(1, 10) if out[k] == SMALL else range(0, bound)) for k in hidden}
    visible_sum = sum(v for k, v in out.items() if k != "Totaal" and isinstance(v, int))
    total = out["Totaal"]
    possible = set()
    for combo in itertools.product(*(ranges[k] for k in hidden)):
        if isinstance(total, int) and visible_sum + sum(combo) != total:
            continue
        possible.add(combo[hidden.index(label)])
        if len(possible) > 1:
            break
    return possible


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(labels, st.integers(min_value=0, max_value=30), max_size=4))
def test_no_hidden_cell_can_be_computed_exactly(rows):
    out = suppress_table(rows)
    hidden = [k for k, v in out.items() if k != "Totaal" and isinstance(v, str)]
    if sum(1 for k in hidden if out[k] == SMALL) == 1:
        assert len(hidden) >= 2 or len(rows) == 1  # secondary suppression took place where possible
    for label in hidden:
        assert len(_consistent_values(out, label)) > 1, (rows, out, label)
