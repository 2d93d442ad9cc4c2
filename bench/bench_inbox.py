"""Work inbox benchmark (issue 16): the home page (work inbox) per role and the case list's platform filter, in
process (django.test.Client with a real server-side session) against a PostgreSQL database built by
bench/bench_case_list.py (`--size N --db doorbraak_bench_notify_<N> --build-only --keep`).

Per page: the query count, the median and p95 of --repeats requests (after one warm-up), the slowest SELECT.
Prints a Markdown table on stdout and JSON on stderr. Not a timed test.

    .venv/bin/python bench/bench_inbox.py --db doorbraak_bench_notify_100000
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT), str(ROOT / "tests")]

from bench.bench_scaleout import PG_URL  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    os.environ.update(
        {
            "DOORBRAAK_ENV": "development",
            "DEBUG": "0",
            "DEMO": "0",
            "DATABASE_URL": f"{PG_URL.rpartition('/')[0]}/{args.db}",
            "DJANGO_SETTINGS_MODULE": "doorbraak.settings",
            "LOG_REQUESTS": "0",
        }
    )
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_scopes import scopes_disabled
    from helpers.browser import session_cookie_for

    from doorbraak.core.models import Role, User

    with scopes_disabled():
        bench = User.objects.filter(username__startswith="bench-1-").order_by("pk")
        users = {
            "lead": bench.filter(role=Role.LEAD, team__isnull=False)[0],
            "professional": bench.filter(role=Role.PROFESSIONAL)[0],
            "approver": bench.filter(role=Role.APPROVER)[0],
        }
        from doorbraak.cases.models import Case

        cases = Case.objects.count()
    pages = [
        ("inbox (lead)", "/", "lead"),
        ("inbox (professional)", "/", "professional"),
        ("inbox (approver)", "/", "approver"),
        ("case list, page 1 (lead)", "/casussen/", "lead"),
        ("case list, platform past 3 weeks (lead)", "/casussen/?platform=voorbij", "lead"),
    ]
    rows = []
    for label, path, who in pages:
        cookie = session_cookie_for(users[who])
        client = Client(HTTP_HOST="127.0.0.1")
        client.cookies[cookie["name"]] = cookie["value"]
        assert client.get(path).status_code == 200
        times = []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            response = client.get(path)
            times.append(1000 * (time.perf_counter() - t0))
            assert response.status_code == 200
        with CaptureQueriesContext(connection) as ctx:
            client.get(path)
        selects = [q for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
        slowest = max(float(q["time"]) for q in selects)
        times.sort()
        rows.append(
            {
                "page": label,
                "queries": len(ctx.captured_queries),
                "p50_ms": round(statistics.median(times), 1),
                "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
                "slowest_select_ms": round(1000 * slowest, 1),
            }
        )
    print(json.dumps({"db": args.db, "cases": cases, "rows": rows}), file=sys.stderr)
    print(f"{cases:,} cases ({args.db}), {args.repeats} requests per page after one warm-up, in process\n")
    print("| page | queries | p50 ms | p95 ms | slowest SELECT ms |")
    print("|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['page']} | {r['queries']} | {r['p50_ms']} | {r['p95_ms']} | {r['slowest_select_ms']} |")


if __name__ == "__main__":
    main()
