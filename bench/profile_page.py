"""Where a signed-in page's time goes (issue 15): one page of bench/bench_case_list.py's plan, in process.

No server: django.test.Client with the bench lead's (or professional's) real session against a database built by
`bench/bench_case_list.py --build-only --keep`. Warm-up requests, then N timed (ms per page), then N under
cProfile (the profiler roughly doubles Python's share), printing the top functions.

    .venv/bin/python bench/profile_page.py --db doorbraak_bench_lists_10000 "lead, page 1"
    .venv/bin/python bench/profile_page.py --db doorbraak_bench_lists_10000 "case detail (lead)" --sort cumulative
"""

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT), str(ROOT / "tests")]

from bench.bench_scaleout import PG_URL  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("label", help='a page label of bench_case_list.page_plan, e.g. "lead, page 1"')
    parser.add_argument("--db", default="doorbraak_bench_lists_10000")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--sort", default="tottime", help="pstats sort key (tottime, cumulative, ...)")
    parser.add_argument("--lines", type=int, default=40)
    parser.add_argument("--queries", action="store_true", help="also: each query of one request, with its time")
    args = parser.parse_args()
    os.environ.update(
        DOORBRAAK_ENV="development",
        DEBUG="0",
        DEMO="0",
        LOG_REQUESTS="0",
        DATABASE_URL=f"{PG_URL.rpartition('/')[0]}/{args.db}",
        DJANGO_SETTINGS_MODULE="doorbraak.settings",
    )
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.test import Client

    from bench.bench_case_list import page_plan, sessions

    lead_c, pro_c, search_c, team_id, detail = sessions()
    pages = {label: (path, cookie) for label, path, cookie in page_plan(lead_c, pro_c, search_c, team_id, detail)}
    if args.label not in pages:
        parser.error(f"unknown page; one of: {', '.join(pages)}")
    path, (name, value) = pages[args.label]
    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies[name] = value
    for _ in range(5):
        client.get(path)
    start = time.perf_counter()
    for _ in range(args.requests):
        response = client.get(path)
    elapsed = (time.perf_counter() - start) * 1000 / args.requests
    print(f"{args.label}: HTTP {response.status_code}, {elapsed:.1f} ms per page ({args.requests} requests)")
    if args.queries:
        print_queries(client, path)
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(args.requests):
        client.get(path)
    profile.disable()
    pstats.Stats(profile).sort_stats(args.sort).print_stats(args.lines)


def print_queries(client, path) -> None:
    """Each query of one request: wall time around the driver's execute (network and PostgreSQL) and its start."""
    from django.db import connection

    timings = []

    def timed(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timings.append(((time.perf_counter() - start) * 1000, " ".join(sql.split())[:150]))

    start = time.perf_counter()
    with connection.execute_wrapper(timed):
        client.get(path)
    total = (time.perf_counter() - start) * 1000
    for ms, sql in timings:
        print(f"  {ms:6.2f} ms  {sql}")
    print(f"  {sum(ms for ms, _sql in timings):6.2f} ms in {len(timings)} queries of a {total:.1f} ms request")


if __name__ == "__main__":
    main()
