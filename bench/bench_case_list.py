"""Case list benchmark (issue 15): the lead's and the professional's case list through a real gunicorn against
PostgreSQL, each page interleaved with the trivial view (/_healthz/livez) in the same run.

Not a timed test. Steps:
1. (unless --reuse) a fresh PostgreSQL database --db (default `doorbraak_bench_perf_<size>`), migrated and filled
   by bench/generate.py (one municipality, 5 teams, so a team holds ~1/5 of all cases, as in the issue's figures;
   seed 1, 36 months), VACUUM ANALYZE;
2. real server-side sessions (second factor passed) for the first breakthrough lead and the first professional;
   one more lead session per search word, with the search text already in the session (the list keeps it there,
   never in a URL);
3. one gunicorn (`gunicorn.conf.py`, GUNICORN_WORKERS=--web-workers, GUNICORN_THREADS=--web-threads,
   DOORBRAAK_ENV=development DEBUG=0);
4. per page: latency with 1 client alternating page and trivial view (p50/p95/p99 of each), then throughput of the
   page alone and of the trivial view alone with 4 and 16 client threads (closed loop, bounded by --seconds);
5. in-process (django.test.Client with the same session cookie): the page's query count, and
   EXPLAIN (ANALYZE, BUFFERS) of its slowest query (--explain).
Prints JSON on stderr and a Markdown table on stdout.

    .venv/bin/python bench/bench_case_list.py --size 1000000 --keep              # build, measure, keep the db
    .venv/bin/python bench/bench_case_list.py --size 1000000 --reuse --explain   # measure again (after a change)
    .venv/bin/python bench/bench_case_list.py --size 1000000 --build-only --keep
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT), str(ROOT / "tests")]

from bench.bench_scaleout import PG_URL, drop_database, free_port, log, run_load, summarise, wait_ready  # noqa: E402

SEARCH_WORDS = ["Jansen", "Verhoef"]  # a surname of 1 in 16 people in the generated data; one of nobody


def page_plan(lead_cookie, pro_cookie, search_cookies, team_id, detail=None):
    """(label, path, cookie) of every page measured; `detail` = (case id, platform id) of a case of the lead's team
    with a plan and a platform (the detail pages are measured, not changed, by issue 15's list work)."""
    extra = []
    if detail:
        case_id, platform_id = detail
        extra = [
            ("case detail (lead)", f"/casussen/{case_id}/", lead_cookie),
            ("platform (lead)", f"/casussen/{case_id}/platform/{platform_id}/", lead_cookie),
            ("plan (lead)", f"/casussen/{case_id}/plan/", lead_cookie),
        ]
    return extra + [
        ("lead, page 1", "/casussen/", lead_cookie),
        ("lead, page 50", "/casussen/?pagina=50", lead_cookie),
        ("lead, surname search", "/casussen/", search_cookies[0]),
        ("lead, rare surname search", "/casussen/", search_cookies[1]),
        ("lead, status filter", "/casussen/?status=platform", lead_cookie),
        ("lead, domain filter", "/casussen/?domain=finances", lead_cookie),
        ("lead, team filter", f"/casussen/?team={team_id}", lead_cookie),
        ("lead, stuck > 8 weeks", "/casussen/?stuck_weeks=8", lead_cookie),
        ("lead, platform past three weeks", "/casussen/?platform=voorbij", lead_cookie),
        ("lead, same + status none match", "/casussen/?platform=voorbij&status=follow_up", lead_cookie),
        ("professional, page 1", "/casussen/", pro_cookie),
    ]


def build(url: str, size: int) -> dict:
    from django.core.management import call_command
    from django.db import connection

    from bench.generate import generate

    call_command("migrate", verbosity=0)
    log(f"[{size:,}] generating")
    t0 = time.perf_counter()
    counts = generate(
        households=size,
        seed=1,
        professionals=max(20, size // 200),
        teams_per_municipality=5,
        months=36,
        batch=10000,
        stdout=sys.stderr,
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {"generate_s": round(time.perf_counter() - t0, 1), "cases": counts.get("cases")}


def sessions():
    from django.conf import settings
    from django.contrib.sessions.backends.base import SessionBase  # noqa: F401 (engine loaded below)
    from django.utils.module_loading import import_string
    from django_scopes import scopes_disabled
    from helpers.browser import session_cookie_for

    from doorbraak.core.models import Role, User

    store_class = import_string(settings.SESSION_ENGINE + ".SessionStore")
    with scopes_disabled():
        bench = User.objects.filter(username__startswith="bench-1-").order_by("pk")
        lead = bench.filter(role=Role.LEAD, team__isnull=False)[0]
        pro = bench.filter(role=Role.PROFESSIONAL)[0]
        cookies = {}
        for key, user in (("lead", lead), ("pro", pro)):
            c = session_cookie_for(user)
            cookies[key] = (c["name"], c["value"])
        searches = []
        for word in SEARCH_WORDS:
            c = session_cookie_for(lead)
            store = store_class(session_key=c["value"])
            store["cases.list.q"] = word  # views.SEARCH_SESSION_KEY / views_list.SEARCH_SESSION_KEY
            store.save()
            searches.append((c["name"], c["value"]))
        from doorbraak.budget.models import Plan
        from doorbraak.platforms.models import Platform

        detail = None
        for case_id in (
            Plan.objects.filter(case__team_id=lead.team_id).order_by("case_id").values_list("case_id", flat=True)[:50]
        ):
            platform_id = Platform.objects.filter(case_id=case_id).values_list("pk", flat=True).first()
            if platform_id:
                detail = (case_id, platform_id)
                break
    return cookies["lead"], cookies["pro"], searches, lead.team_id, detail


def in_process(pages, explain: bool) -> dict:
    """Query count of each page and, with explain, EXPLAIN (ANALYZE, BUFFERS) of its slowest query."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    out = {}
    for label, path, (name, value) in pages:
        client = Client(HTTP_HOST="127.0.0.1")
        if name:  # no cookie: a public page, an anonymous visitor
            client.cookies[name] = value
        client.get(path)  # warm
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        selects = [q for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
        slowest = max(selects, key=lambda q: float(q["time"]))
        row = {
            "queries": len(ctx.captured_queries),
            "slowest_ms": round(1000 * float(slowest["time"]), 1),
            "select_ms": round(1000 * sum(float(q["time"]) for q in selects), 1),
        }
        if explain:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
                row["explain"] = "\n".join(r[0] for r in cursor.fetchall())
            row["sql"] = slowest["sql"]
        out[label] = row
    return out


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
    result: dict = {"size": args.size, "db": args.db}
    if not args.reuse:
        drop_database(url, create=True)
    import django

    django.setup()
    from django.db import connection, connections

    if not args.reuse:
        result.update(build(url, args.size))
    if args.build_only:
        return result
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_case")
        result["cases"] = cursor.fetchone()[0]
    lead_c, pro_c, search_c, team_id, detail = sessions()
    pages = page_plan(lead_c, pro_c, search_c, team_id, detail)
    result["in_process"] = in_process(pages, args.explain)
    for label, row in result["in_process"].items():
        log(f"{label}: {row['queries']} queries, slowest {row['slowest_ms']} ms")
    connections.close_all()
    logdir = ROOT / "var" / "bench_case_list"
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
        for label, path, (name, value) in pages:
            cookie = f"{name}={value}"
            plan = {label: lambda rng, p=path, c=cookie: (p, c), "livez": lambda rng: ("/_healthz/livez", None)}
            run_load(plan, [label], [port], threads=1, seconds=1, max_requests=3)  # warm
            recs = run_load(
                plan,
                [label, "livez"],
                [port],
                threads=1,
                seconds=args.seconds,
                max_requests=2 * args.max_latency_requests,
            )
            row = {"latency": summarise(recs, label), "livez_latency": summarise(recs, "livez")}
            for threads in args.threads:
                recs = run_load(plan, [label], [port], threads=threads, seconds=args.seconds, max_requests=20000)
                trivial = run_load(
                    plan, ["livez"], [port], threads=threads, seconds=min(3, args.seconds), max_requests=20000
                )
                row[f"t{threads}"] = summarise(recs)
                row[f"t{threads}_livez"] = summarise(trivial)
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
    result["settings"] = {"web_workers": args.web_workers, "web_threads": args.web_threads, "seconds": args.seconds}
    return result


def print_table(r: dict, threads: list[int]) -> None:
    head = (
        "| page | p50 / p95 / p99 (ms) | trivial p50 (ms) | "
        + " | ".join(f"req/s at {t} (% of trivial)" for t in threads)
        + " | queries | slowest query (ms) |"
    )
    print(
        f"{r['cases']:,} cases, gunicorn {r['settings']['web_workers']} workers x {r['settings']['web_threads']} "
        f"threads\n"
    )
    print(head)
    print("|---|---:|---:|" + "---:|" * len(threads) + "---:|---:|")
    for label, row in r["load"].items():
        lat = row["latency"]
        cells = []
        for t in threads:
            rps, ceiling = row[f"t{t}"]["rps"], row[f"t{t}_livez"]["rps"] or 1
            cells.append(f"{rps} ({100 * rps / ceiling:.0f}%)")
        ip = r["in_process"][label]
        print(
            f"| {label} | {lat.get('p50')} / {lat.get('p95')} / {lat.get('p99')} | "
            f"{row['livez_latency'].get('p50')} | " + " | ".join(cells) + f" | {ip['queries']} | "
            f"{ip['slowest_ms']} |"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--db", help="database name (default doorbraak_bench_perf_<size>)")
    parser.add_argument("--reuse", action="store_true", help="measure an existing database")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN (ANALYZE, BUFFERS) of each slowest query")
    parser.add_argument("--seconds", type=float, default=6, help="length of each phase")
    parser.add_argument("--max-latency-requests", type=int, default=200)
    parser.add_argument("--threads", type=int, nargs="+", default=[4, 16], help="client threads, throughput")
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--web-threads", type=int, default=4)
    args = parser.parse_args()
    args.db = args.db or f"doorbraak_bench_perf_{args.size}"
    try:
        result = measure(args)
    finally:
        if not args.keep and not args.reuse:
            from django.db import connections

            connections.close_all()
            drop_database(f"{PG_URL.rpartition('/')[0]}/{args.db}")
    print(json.dumps(result), file=sys.stderr, flush=True)
    if "load" in result:
        print_table(result, args.threads)
        for label, row in result["in_process"].items():
            if "explain" in row:
                print(f"\n{label}: slowest query\n\n```\n{row['sql']}\n\n{row['explain']}\n```")


if __name__ == "__main__":
    main()
