"""The one copy of month arithmetic (core.dates) that plans, follow-up and the learning periods share."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from doorbraak.core import dates

days = st.dates(min_value=datetime.date(1950, 1, 1), max_value=datetime.date(2090, 12, 31))


def test_month_ends_clamp():
    assert dates.add_months(datetime.date(2025, 1, 31), 1) == datetime.date(2025, 2, 28)
    assert dates.add_months(datetime.date(2024, 1, 31), 1) == datetime.date(2024, 2, 29)
    assert dates.add_months(datetime.date(2025, 3, 31), -1) == datetime.date(2025, 2, 28)
    assert dates.add_months(datetime.date(2025, 11, 15), 2) == datetime.date(2026, 1, 15)
    assert dates.next_month(datetime.date(2025, 12, 31)) == datetime.date(2026, 1, 1)
    assert dates.last_day_of_month(datetime.date(2026, 2, 3)) == datetime.date(2026, 2, 28)


@given(days, st.integers(min_value=-120, max_value=120))
def test_add_months_moves_whole_months(day, months):
    moved = dates.add_months(day, months)
    assert dates.months_between(day, moved) == months
    assert moved.day == day.day or moved == dates.last_day_of_month(moved)


@given(days, days)
def test_months_from_to_lists_each_month_once(a, b):
    first, last = min(a, b), max(a, b)
    months = dates.months_from_to(first, last)
    assert len(months) == dates.months_between(first, last) + 1
    assert months[0] == dates.month_start(first) and months[-1] == dates.month_start(last)
    assert all(m.day == 1 for m in months) and len(set(months)) == len(months)
