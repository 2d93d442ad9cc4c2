"""EXPLAIN (ANALYZE, BUFFERS) of the lead's budget queue, the approved plans and the case list's platform filter
(issue 15, brief "queues"), in-process against a bench database built by bench/bench_case_list.py. Read-only: it
captures the SELECTs the selectors run (django.test.utils.CaptureQueriesContext) and explains them; nothing is
written.

    .venv/bin/python bench/explain_queues.py --db doorbraak_bench_lists_100000
    .venv/bin/python bench/explain_queues.py --db doorbraak_bench_lists_1000000 --only queue --plans
"""

import argparse
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

PG = "postgres://postgres:postgres@127.0.0.1:5432/"
# What `migrate` would add on this branch (budget 0008), for --try-migrations.
TRY_SQL = [
    'CREATE INDEX IF NOT EXISTS "budget_plan_submitted_idx" ON "budget_plan" ("submitted_at", "id") INCLUDE '
    '("requested_cents", "submitted_by_id", "case_id") WHERE "status" = \'submitted\'',
    "ANALYZE budget_plan",
]


def cases(users):
    """(label, user, callable) of every read measured."""
    from doorbraak.budget import selectors_funds as budget
    from doorbraak.cases import selectors_list

    lead, approver = users["lead"], users["approver"]
    return [
        ("queue", "lead's queue, first page", lead, lambda: budget.queue_page(budget.plans_awaiting(lead), None)),
        ("queue", "lead's approved plans", lead, lambda: list(budget.approved_plans(lead)[:20])),
        # what the overview shows a lead since the fourth pass: the gate's two halves, the gate per row
        (
            "queue",
            "lead's queue as the overview reads it (awaiting_page)",
            lead,
            lambda: budget.awaiting_page(lead, None),
        ),
        ("queue", "lead's running plans as the overview reads them", lead, lambda: budget.running_plans(lead, 20)),
        ("queue", "approver's queue", approver, lambda: budget.queue_page(budget.plans_awaiting(approver), None)),
        ("queue", "approver's approved plans", approver, lambda: list(budget.approved_plans(approver)[:20])),
        (
            "platform",
            "case list ?platform=voorbij (lead)",
            lead,
            lambda: selectors_list.case_page(lead, {"platform": "voorbij"}),
        ),
        (
            "platform",
            "case list ?platform=voorbij, page 3 (lead)",
            lead,
            lambda: selectors_list.case_page(lead, {"platform": "voorbij"}, page=3),
        ),
        (
            "platform",
            "case list ?platform=voorbij&status=platform (lead)",
            lead,
            lambda: selectors_list.case_page(lead, {"platform": "voorbij", "status": "platform"}),
        ),
        (
            "platform",
            "case list ?platform=voorbij&status=open (lead; few matches)",
            lead,
            lambda: selectors_list.case_page(lead, {"platform": "voorbij", "status": "open"}),
        ),
        (
            "platform",
            "case list ?platform=voorbij (professional)",
            users["pro"],
            lambda: selectors_list.case_page(users["pro"], {"platform": "voorbij"}),
        ),
    ]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--only", choices=["queue", "platform"], default=None)
    parser.add_argument("--plans", action="store_true", help="print the whole EXPLAIN of each query")
    parser.add_argument("--repeat", type=int, default=3, help="EXPLAIN runs per query (the fastest is shown)")
    parser.add_argument("--try-sql", action="append", default=[], help="more SQL to run in the rolled-back transaction")
    parser.add_argument(
        "--try-migrations",
        action="store_true",
        help="create the indexes of this branch's unapplied migrations by hand inside a transaction that is rolled "
        "back at the end (the bench database is left as it was)",
    )
    args = parser.parse_args()
    os.environ.update(
        {
            "DOORBRAAK_ENV": "development",
            "DEBUG": "0",
            "DEMO": "0",
            "DATABASE_URL": PG + args.db,
            "DJANGO_SETTINGS_MODULE": "doorbraak.settings",
            "LOG_REQUESTS": "0",
        }
    )
    os.environ.pop("REDIS_URL", None)
    os.environ.pop("DATABASE_REPLICA_URL", None)
    import django

    django.setup()
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django_scopes import scopes_disabled

    from doorbraak.core.models import Role, User

    with transaction.atomic(), scopes_disabled():
        if args.try_migrations or args.try_sql:
            with connection.cursor() as cursor:
                for sql in (TRY_SQL if args.try_migrations else []) + args.try_sql:
                    cursor.execute(sql)
                    print(f"(in a rolled-back transaction) {sql}")
        bench = User.objects.filter(username__startswith="bench-1-").order_by("pk")
        users = {
            "lead": bench.filter(role=Role.LEAD, team__isnull=False)[0],
            "approver": bench.filter(role=Role.APPROVER)[0],
            "pro": bench.filter(role=Role.PROFESSIONAL)[0],
        }
        for group, label, _user, read in cases(users):
            if args.only and group != args.only:
                continue
            read()  # warm
            with CaptureQueriesContext(connection) as ctx:
                result = read()
            rows = len(result.rows if hasattr(result, "rows") else getattr(result, "object_list", result))
            print(f"\n## {label}: {rows} rows, {len(ctx.captured_queries)} queries")
            for q in ctx.captured_queries:
                sql = q["sql"]
                if not sql.lstrip().upper().startswith("SELECT") or not re.search(
                    r"budget_plan|platforms_platform|cases_case", sql
                ):
                    continue
                best = None
                with connection.cursor() as cursor:
                    for _ in range(args.repeat):
                        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                        text = [r[0] for r in cursor.fetchall()]
                        ms = float(re.search(r"Execution Time: ([\d.]+)", text[-1]).group(1))
                        if best is None or ms < best[0]:
                            best = (ms, text)
                ms, text = best
                top = next((line for line in text if "rows=" in line), "")
                buffers = next((line.strip() for line in text if "Buffers:" in line), "")
                print(f"- {ms:.1f} ms  {top.strip()[:150]}  {buffers}")
                print(f"  SQL: {sql[:300]}...")
                if args.plans:
                    print("\n".join("    " + line for line in text))
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
