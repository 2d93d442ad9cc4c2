"""Tasks used by the tests only: one that fails a given number of times before it succeeds."""

from django.core.cache import cache

from doorbraak.core.tasks import retried_task


@retried_task(max_attempts=3)
def flaky(name: str, failures: int) -> str:
    """Fails `failures` times (counted in the cache under `name`), then returns "done"."""
    runs = cache.get_or_set(f"flaky:{name}", 0)
    cache.set(f"flaky:{name}", runs + 1)
    if runs < failures:
        raise RuntimeError(f"planned failure {runs + 1}")
    return "done"


@retried_task
def add(a: int, b: int) -> int:
    return a + b


@retried_task
def add_nothing() -> int:
    return 0
