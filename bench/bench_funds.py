"""Issue 12: the fund page with 10,000 ledger entries and the budget overview, in-process (django.test.Client)
against a throw-away test database (SQLite by default, PostgreSQL with DATABASE_URL). Not a timed test.

    DOORBRAAK_ENV=test .venv/bin/python bench/bench_funds.py --entries 10000 --repeat 20
    DOORBRAAK_ENV=test DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/doorbraak_budgetb \\
        .venv/bin/python bench/bench_funds.py --entries 10000 --repeat 20

Builds one fund whose entries are bulk-inserted allocations (the running totals set to match), then per page: the
query count and p50/p95 of --repeat requests (first page, a page deep in the keyset, a filter, the overview).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT), str(ROOT / "tests")]
os.environ.setdefault("DOORBRAAK_ENV", "test")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doorbraak.settings")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django_scopes import scopes_disabled

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with scopes_disabled():
            from doorbraak.budget.models import EntryKind, Fund, LedgerEntry
            from tests.budget.factories import World
            from tests.helpers.browser import session_cookie_for

            w = World()
            fund = w.fund(100)
            rows = [
                LedgerEntry(
                    municipality_id=fund.municipality_id,
                    fund=fund,
                    kind=EntryKind.ALLOCATION,
                    amount_cents=100,
                    description=f"Toekenning {i}",
                    created_by=w.approver,
                )
                for i in range(args.entries - 1)
            ]
            LedgerEntry.objects.bulk_create(rows, batch_size=2000)
            total = 100 * args.entries
            Fund.objects.filter(pk=fund.pk).update(allocated_cents=total, available_cents=total)
            middle = LedgerEntry.objects.filter(fund=fund).order_by("id")[args.entries // 2].pk
            client = Client()
            cookie = session_cookie_for(w.approver)
            client.cookies[cookie["name"]] = cookie["value"]
            pages = [
                ("fund page, newest 50", f"/budget/fondsen/{fund.pk}/"),
                ("fund page, 50 after the middle entry", f"/budget/fondsen/{fund.pk}/?na={middle}"),
                ("fund page, filter kind=payment (none)", f"/budget/fondsen/{fund.pk}/?kind=payment"),
                ("budget overview", "/budget/"),
            ]
            print(f"| page ({args.entries} entries, {connection.vendor}) | queries | p50 ms | p95 ms |")
            print("|---|---|---|---|")
            for label, url in pages:
                assert client.get(url).status_code == 200
                queries = []
                with connection.execute_wrapper(lambda ex, sql, *a, q=queries: q.append(sql) or ex(sql, *a)):
                    client.get(url)
                times = []
                for _ in range(args.repeat):
                    start = time.perf_counter()
                    client.get(url)
                    times.append((time.perf_counter() - start) * 1000)
                times.sort()
                p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
                print(f"| {label} | {len(queries)} | {statistics.median(times):.1f} | {p95:.1f} |")
            start = time.perf_counter()
            response = client.get(f"/budget/fondsen/{fund.pk}/csv/")
            size = sum(len(chunk) for chunk in response.streaming_content)
            print(
                f"| CSV export, all entries ({size // 1024} KiB) | – | {(time.perf_counter() - start) * 1000:.0f} | – |"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
