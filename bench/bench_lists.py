"""Other lists at 1M (issue 15 point 4): every list that grows with the data, through a real gunicorn against
PostgreSQL, each page interleaved with the trivial view (/_healthz/livez) in the same run.

Not a timed test. Reuses a database built by bench/bench_case_list.py (`--size N --build-only --keep`, i.e.
`doorbraak_bench_perf_<N>`); it only adds, if missing, one moderator and one administrator (role admin, staff) of
the bench municipality, as bench/generate.py makes neither. Steps:
1. real server-side sessions (second factor passed) for the first lead, the approver, the policy officer, the
   moderator and the administrator; public pages without a session;
2. in-process (django.test.Client, same session): query count of each page, its slowest SELECT and, with
   --explain, EXPLAIN (ANALYZE, BUFFERS) of it;
3. one gunicorn (`gunicorn.conf.py`, 2 workers x 4 threads, DOORBRAAK_ENV=development DEBUG=0): per page, 1 client
   alternating the page and the trivial view for --seconds (p50/p95/p99 of each); with --threads, throughput of
   the page alone at those client counts.
Prints JSON on stderr and a Markdown table on stdout.

    .venv/bin/python bench/bench_lists.py --size 1000000 --explain --seconds 4
    .venv/bin/python bench/bench_lists.py --size 10000 --seconds 4
"""

import argparse
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT), str(ROOT / "tests")]

from bench.bench_case_list import in_process  # noqa: E402
from bench.bench_scaleout import PG_URL, free_port, log, run_load, summarise, wait_ready  # noqa: E402


def page_plan(c: dict) -> list[tuple]:
    """(label, path, cookie) of every list measured; cookie None = a public page (anonymous visitor)."""
    return [
        ("budget overview + approver's queue (approver)", "/budget/", c["approver"]),
        ("same, queue after 1,000 plans (approver)", f"/budget/?na={c['after_1000']}", c["approver"]),
        ("budget overview + queue (lead)", "/budget/", c["lead"]),
        ("evaluations due, on the case list (lead)", "/casussen/?evaluaties=2", c["lead"]),
        ("themes list (policy)", "/leren/themas/", c["policy"]),
        ("stories list (policy)", "/leren/verhalen/", c["policy"]),
        ("stories list + story worklist (lead)", "/leren/verhalen/", c["lead"]),
        ("precedent register (public)", "/precedenten/", None),
        ("moderation queue (moderator)", "/initiatieven/moderatie/", c["moderator"]),
        ("initiative list (public)", "/initiatieven/", None),
        ("access log, admin changelist (administrator)", "/beheer/core/accessevent/", c["admin"]),
        # its search box: one person's pseudonym, one case's id, one user's name (each an exact, indexed match)
        ("access log, search a pseudonym", f"/beheer/core/accessevent/?q={c['log_subject']}", c["admin"]),
        ("access log, search an object id", f"/beheer/core/accessevent/?q={c['log_object']}", c["admin"]),
        ("access log, search a user name", f"/beheer/core/accessevent/?q={c['log_actor']}", c["admin"]),
    ]


def sessions() -> dict:
    from django_scopes import scopes_disabled
    from helpers.browser import session_cookie_for

    from doorbraak.core.models import Role, User

    with scopes_disabled():
        bench = User.objects.filter(username__startswith="bench-1-").order_by("pk")
        lead = bench.filter(role=Role.LEAD, team__isnull=False)[0]
        users = {
            "lead": lead,
            "approver": bench.filter(role=Role.APPROVER)[0],
            "policy": bench.filter(role=Role.POLICY)[0],
        }
        for key, role, staff in (("moderator", Role.MODERATOR, False), ("admin", Role.ADMIN, True)):
            users[key], _ = User.objects.get_or_create(
                username=f"bench-1-lists-{key}",
                defaults={"role": role, "municipality_id": lead.municipality_id, "is_staff": staff},
            )
        from doorbraak.core.services_admin import administrators_group

        users["admin"].groups.add(administrators_group())  # what a role change to admin does
        cookies = {}
        for key, user in users.items():
            c = session_cookie_for(user)
            cookies[key] = (c["name"], c["value"])
        from doorbraak.budget import selectors_funds as selectors  # the queue moved here (issue 12)
        from doorbraak.core.seek import position

        # The "next" position after the 1,000 oldest plans of the approver's queue (selectors.queue_page's key).
        plans = selectors.plans_awaiting(users["approver"])
        cookies["after_1000"] = position(plans[999], "submitted_at") if plans[999:1000] else ""
        from doorbraak.core.models import AccessEvent

        code = lead.municipality.code
        row = AccessEvent.objects.filter(municipality_code=code).exclude(subject_pseudonym="").order_by("-seq")[500]
        cookies["log_subject"], cookies["log_object"] = row.subject_pseudonym, row.object_id
        cookies["log_actor"] = row.actor_username
    return cookies


def measure(args) -> dict:
    url = f"{PG_URL.rpartition('/')[0]}/{args.db}"
    env = dict(os.environ)
    env.update(
        {
            "DOORBRAAK_ENV": "development",
            "DEBUG": "0",
            "DEMO": "0",
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "doorbraak.settings",
            "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}",
            "LOG_REQUESTS": "0",
            "GUNICORN_ACCESS_LOG": "0",
            "GUNICORN_WORKERS": str(args.web_workers),
            "GUNICORN_THREADS": str(args.web_threads),
        }
    )
    env.pop("DATABASE_REPLICA_URL", None)
    env.pop("REDIS_URL", None)
    os.environ.update(
        {
            k: env[k]
            for k in ("DOORBRAAK_ENV", "DEBUG", "DEMO", "DATABASE_URL", "DJANGO_SETTINGS_MODULE", "LOG_REQUESTS")
        }
    )
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.db import connection, connections

    result: dict = {"size": args.size, "db": args.db}
    with connection.cursor() as cursor:
        for table in (
            "cases_case",
            "budget_plan",
            "budget_fund",
            "budget_ledgerentry",
            "cases_followupmoment",
            "learning_theme",
            "learning_story",
            "initiatives_initiative",
            "initiatives_comment",
            "initiatives_submission",
            "core_accessevent",
        ):
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (fixed table names)
            result.setdefault("rows", {})[table] = cursor.fetchone()[0]
        cursor.execute("SELECT status, count(*) FROM budget_plan GROUP BY status ORDER BY status")
        result["plans_by_status"] = dict(cursor.fetchall())
    log(json.dumps(result))
    cookies = sessions()
    pages = page_plan(cookies)
    anonymous = ("", "")
    result["in_process"] = in_process([(label, path, c or anonymous) for label, path, c in pages], args.explain)
    for label, row in result["in_process"].items():
        log(f"{label}: {row['queries']} queries, slowest {row['slowest_ms']} ms")
    connections.close_all()
    logdir = ROOT / "var" / "bench_lists"
    logdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    fh = open(logdir / "web.log", "w")  # noqa: SIM115 (closed with the process)
    web = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
        stdout=fh,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_ready(port)
        load = {}
        for label, path, cookie in pages:
            header = f"{cookie[0]}={cookie[1]}" if cookie else None
            plan = {label: lambda rng, p=path, c=header: (p, c), "livez": lambda rng: ("/_healthz/livez", None)}
            run_load(plan, [label], [port], threads=1, seconds=1, max_requests=3)  # warm
            recs = run_load(plan, [label, "livez"], [port], threads=1, seconds=args.seconds, max_requests=400)
            row = {"latency": summarise(recs, label), "livez_latency": summarise(recs, "livez")}
            for threads in args.threads:
                row[f"t{threads}"] = summarise(
                    run_load(plan, [label], [port], threads=threads, seconds=args.seconds, max_requests=20000)
                )
            row["load1"] = round(os.getloadavg()[0], 1)
            load[label] = row
            log(f"{label}: {json.dumps(row)}")
        result["load"] = load
    finally:
        try:
            os.killpg(web.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        web.wait(30)
        fh.close()
    return result


def print_table(r: dict, threads: list[int]) -> None:
    print(f"{r['rows']['cases_case']:,} cases\n")
    print(
        "| page | p50 / p95 / p99 (ms) | trivial p50 (ms) | errors | "
        + "".join(f"req/s at {t} | " for t in threads)
        + "queries | slowest query (ms) | load avg |"
    )
    print("|---|---:|---:|---:|" + "---:|" * len(threads) + "---:|---:|---:|")
    for label, row in r["load"].items():
        lat, ip = row["latency"], r["in_process"][label]
        cells = "".join(f"{row[f't{t}']['rps']} | " for t in threads)
        print(
            f"| {label} | {lat.get('p50')} / {lat.get('p95')} / {lat.get('p99')} | {row['livez_latency'].get('p50')} "
            f"| {lat.get('errors')} | {cells}{ip['queries']} | {ip['slowest_ms']} | {row['load1']} |"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--db", help="database name (default doorbraak_bench_perf_<size>)")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN (ANALYZE, BUFFERS) of each slowest query")
    parser.add_argument("--seconds", type=float, default=4, help="length of each phase")
    parser.add_argument("--threads", type=int, nargs="*", default=[], help="client threads, throughput (optional)")
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--web-threads", type=int, default=4)
    args = parser.parse_args()
    args.db = args.db or f"doorbraak_bench_perf_{args.size}"
    result = measure(args)
    print(json.dumps(result), file=sys.stderr, flush=True)
    print_table(result, args.threads)
    for label, row in result["in_process"].items():
        if "explain" in row:
            print(f"\n{label}: slowest query ({row['slowest_ms']} ms)\n\n```\n{row['sql']}\n\n{row['explain']}\n```")


if __name__ == "__main__":
    main()
