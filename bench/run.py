"""Benchmarks (not timed tests): build a synthetic municipality at several sizes on SQLite and
PostgreSQL and time the core reads. Prints a Markdown table for BENCHMARKS.md.

    make bench                       # sizes 1000 and 10000 households, both databases
    .venv/bin/python bench/run.py --sizes 1000 100000 --databases postgresql

The databases are dropped and created: PostgreSQL `doorbraak_bench` (or $BENCH_PG_DB) next to $PG_URL,
SQLite var/bench.sqlite3 (or $BENCH_SQLITE).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]


def setup_django(url: str):
    os.environ["DOORBRAAK_ENV"] = "test"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doorbraak.settings")
    import django

    django.setup()


def fresh_database(vendor: str, pg_url: str) -> str:
    if vendor == "sqlite":
        path = Path(os.environ.get("BENCH_SQLITE", ROOT / "var" / "bench.sqlite3"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    base, _, _ = pg_url.rpartition("/")
    name = os.environ.get("BENCH_PG_DB", "doorbraak_bench")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"


def timed(fn, repeat=7):
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--vendor-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    pg_url = os.environ.get("PG_URL", "postgres://postgres:postgres@127.0.0.1:5432/doorbraak")
    if args.vendor_child is None:
        # One child process per database so each gets its own Django settings.
        import subprocess

        print(
            "| database | households | cases | generate (s) | case list, lead, page 1 (ms) | "
            "case list, professional (ms) | queries per page |"
        )
        print("|---|---|---|---|---|---|---|")
        for vendor in args.databases:
            cmd = [
                sys.executable,
                __file__,
                "--vendor-child",
                vendor,
                "--seed",
                str(args.seed),
                "--sizes",
                *map(str, args.sizes),
            ]
            subprocess.run(cmd, check=True)
        return
    for size in args.sizes:
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()
        url = fresh_database(args.vendor_child, pg_url)
        if "django.db" in sys.modules:
            connections["default"].settings_dict["NAME"] = (
                url.rsplit("/", 1)[-1] if "postgres" in url else url.replace("sqlite:///", "")
            )
        else:
            setup_django(url)
        from django.core.management import call_command
        from django.db import connection
        from django.test.utils import CaptureQueriesContext
        from django_scopes import scopes_disabled

        call_command("migrate", verbosity=0)
        from bench.generate import generate
        from doorbraak.cases.models import Case
        from doorbraak.core.models import Role, User

        t0 = time.perf_counter()
        counts = generate(households=size, seed=args.seed, professionals=max(20, size // 200))
        gen_s = time.perf_counter() - t0
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        with scopes_disabled():
            lead = User.objects.filter(role=Role.LEAD, username__startswith="bench-").first()
            pro = User.objects.filter(role=Role.PROFESSIONAL, username__startswith="bench-").first()

            def page(user):
                qs = Case.objects.visible_to(user).select_related("team", "household").order_by("-opened_at", "-id")
                return list(qs[:25]), qs.count()

            lead_ms = timed(lambda: page(lead))  # noqa: B023 (called inside the loop)
            pro_ms = timed(lambda: page(pro))  # noqa: B023
            with CaptureQueriesContext(connection) as ctx:
                page(lead)
        print(
            f"| {connection.vendor} | {size:,} | {counts['cases']:,} | {gen_s:.1f} | {lead_ms:.1f} | "
            f"{pro_ms:.1f} | {len(ctx.captured_queries)} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
