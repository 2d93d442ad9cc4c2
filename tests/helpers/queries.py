"""Query counting: assert a page costs the same number of queries whatever the data size (no N+1)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(fn, *args, **kwargs) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn(*args, **kwargs)
    return len(ctx.captured_queries)


def assert_constant_queries(make_data, fetch, sizes=(2, 12)) -> int:
    """Call make_data(n) for each n in sizes, then fetch(); the query counts must be equal."""
    counts = []
    for n in sizes:
        make_data(n)
        counts.append(count_queries(fetch))
    assert len(set(counts)) == 1, f"query count grows with the data: {dict(zip(sizes, counts))}"
    return counts[0]
