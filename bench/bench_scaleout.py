"""Scale-out benchmark (issue 14): two gunicorn web processes and two task workers against PostgreSQL and Redis.

Not a timed test. For each size, one at a time:
1. a fresh PostgreSQL database `doorbraak_scale_<size>` (on the server of $PG_URL), migrated and filled by
   bench/generate.py (one municipality, N cases, seed 1) plus 2,000 public initiatives
   (bench/bench_initiatives_search.py), VACUUM ANALYZE; real server-side sessions (second factor passed, as
   tests/helpers/browser.py makes them) for four breakthrough leads and the policy officer;
2. two task workers (`manage.py db_worker --worker-id scale-w1/-w2`) and two web processes
   (`gunicorn -c gunicorn.conf.py`, one port each), all with DOORBRAAK_ENV=development DEBUG=0,
   REDIS_URL=$BENCH_REDIS_URL (default redis://127.0.0.1:6379/5, flushed first);
3. worker drill: enqueue the learning refresh of the municipality (`core.tasks.enqueue_once`), kill -9 the worker
   that claimed it while it runs, call `core.tasks.requeue_stale_tasks(--stale)` every second (what
   `run_scheduler` does each round, with TASKS_STALE_AFTER_SECONDS=--stale) and wait until the other worker has
   finished it;
4. load, closed loop with --threads client threads (stdlib http.client, keep-alive, 127.0.0.1 only, each phase
   bounded by --seconds and --max-requests): each page alone (case list, case detail, plan, learning dashboard,
   initiative search, and /_healthz/livez as the trivial ceiling) with 1 and with 2 web processes, then all
   pages mixed with 1 and with 2 web processes; any status other than 200 or a connection error is an error;
5. web drill: the mixed load on both web processes, kill -9 (the process group of) web 2 after a third of the
   phase; errors are counted per port, before and after the kill.
Prints JSON per size on stderr and Markdown tables for BENCHMARKS.md on stdout.

    make bench-scaleout                                       # 10k and 100k cases
    .venv/bin/python bench/bench_scaleout.py --sizes 10000 100000 1000000
    .venv/bin/python bench/bench_scaleout.py --tables-from run1.err run2.err    # tables from earlier runs

The database is dropped afterwards unless --keep. Logs of the processes: var/bench_scaleout/<size>/.
"""

import argparse
import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

PG_URL = os.environ.get("PG_URL", "postgres://postgres:postgres@127.0.0.1:5432/doorbraak")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
PAGES = ["case_list", "case_detail", "plan", "dashboard", "initiative_search", "livez"]
SEARCH_WORDS = ["wonen", "jongeren school", "schulden", "herstel ervaringsdeskundige", "gezinnen", "werk"]


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())}] {msg}", file=sys.stderr, flush=True)


def database_url(size: int) -> str:
    base, _, _ = PG_URL.rpartition("/")
    return f"{base}/doorbraak_scale_{size}"


def drop_database(url: str, create: bool = False) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            conn.execute(f'CREATE DATABASE "{name}"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(url: str, logdir: Path, args) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DOORBRAAK_ENV": "development",
            "DEBUG": "0",
            "DEMO": "0",
            "DATABASE_URL": url,
            "REDIS_URL": REDIS_URL,
            "DJANGO_SETTINGS_MODULE": "doorbraak.settings",
            "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}",
            "LOG_REQUESTS": "0",
            "GUNICORN_ACCESS_LOG": "0",
            "GUNICORN_WORKERS": str(args.web_workers),
            "GUNICORN_THREADS": str(args.web_threads),
            "TASKS_STALE_AFTER_SECONDS": str(args.stale),
            "ACCESS_LOG_CHECKPOINT_FILE": str(logdir / "checkpoints.jsonl"),
        }
    )
    env.pop("DATABASE_REPLICA_URL", None)
    return env


# ---------------------------------------------------------------------------------------------- load client


# A kept-alive connection idle this long is not reused: gunicorn closes idle ones after GUNICORN_KEEPALIVE (5 s),
# and a request sent as the server closes it fails before any response (what browsers and nginx avoid by
# retrying, or by a shorter idle timeout of their own, as here).
CLIENT_IDLE_SECONDS = 2.0


def http_get(conn_holder: dict, port: int, path: str, cookie: str | None) -> int:
    conn = conn_holder.get(port)
    if conn is not None and time.monotonic() - conn.last_used > CLIENT_IDLE_SECONDS:
        conn.close()
        conn = None
    if conn is None:
        conn = conn_holder[port] = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": cookie} if cookie else {}
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        conn.last_used = time.monotonic()
        if response.getheader("Connection", "").lower() == "close":
            conn.close()
            conn_holder.pop(port, None)
        return response.status
    except Exception:
        conn.close()
        conn_holder.pop(port, None)
        raise


def run_load(
    plan: dict, pages: list[str], ports: list[int], *, threads: int, seconds: float, max_requests: int, on_tick=None
) -> list[tuple]:
    """Closed loop: each thread sends one request after the other (page and port round-robin) until the phase
    has lasted `seconds` or `max_requests` were sent. Returns (page, port, started, latency_s, ok, status or
    exception class) tuples. No retries: a keep-alive connection the server closes under a request is an error."""
    records: list[tuple] = []
    lock = threading.Lock()
    sent = [0]
    t_start = time.perf_counter()
    deadline = t_start + seconds

    def worker(n: int):
        rng = random.Random(n)
        conns: dict = {}
        i = n
        local = []
        while time.perf_counter() < deadline:
            with lock:
                if sent[0] >= max_requests:
                    break
                sent[0] += 1
            page = pages[i % len(pages)]
            port = ports[(i // len(pages)) % len(ports)] if len(pages) > 1 else ports[i % len(ports)]
            i += 1
            path, cookie = plan[page](rng)
            t0 = time.perf_counter()
            try:
                kind = http_get(conns, port, path, cookie)
            except Exception as exc:  # connection refused, reset, timeout: counted as errors, by class
                kind = type(exc).__name__
            local.append((page, port, t0 - t_start, time.perf_counter() - t0, kind == 200, kind))
        for c in conns.values():
            c.close()
        with lock:
            records.extend(local)

    pool = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(threads)]
    for t in pool:
        t.start()
    if on_tick:
        on_tick(t_start)
    for t in pool:
        t.join(seconds + 60)
    return records


def summarise(records: list[tuple], page: str | None = None, port: int | None = None) -> dict:
    rows = [r for r in records if (page is None or r[0] == page) and (port is None or r[1] == port)]
    if not rows:
        return {"n": 0, "errors": 0, "rps": 0}
    span = max(r[2] + r[3] for r in records) - min(r[2] for r in records)
    lat = sorted(r[3] * 1000 for r in rows if r[4]) or [0.0]
    q = statistics.quantiles(lat, n=100, method="inclusive") if len(lat) > 1 else [lat[0]] * 99
    kinds: dict = {}
    for r in rows:
        if not r[4]:
            kinds[str(r[5])] = kinds.get(str(r[5]), 0) + 1
    return {
        "n": len(rows),
        "errors": sum(kinds.values()),
        "rps": round(len(rows) / span, 1),
        "p50": round(q[49], 1),
        "p95": round(q[94], 1),
        "p99": round(q[98], 1),
        "error_kinds": kinds,
    }


def process_tree_cpu(pids: list[int]) -> float:
    """User + system CPU seconds of these processes and all their descendants (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total, todo, seen = 0.0, list(pids), set()
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += sum(int(f) for f in fields[11:15]) / tick  # utime, stime, cutime, cstime (recycled workers)
            for task in Path(f"/proc/{pid}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
    return total


# ---------------------------------------------------------------------------------------------- one size


def child(size: int, args) -> dict:
    url = database_url(size)
    logdir = ROOT / "var" / "bench_scaleout" / str(size)
    logdir.mkdir(parents=True, exist_ok=True)
    env = server_env(url, logdir, args)
    os.environ.update(
        {
            k: env[k]
            for k in (
                "DOORBRAAK_ENV",
                "DEBUG",
                "DEMO",
                "DATABASE_URL",
                "REDIS_URL",
                "DJANGO_SETTINGS_MODULE",
                "LOG_REQUESTS",
                "TASKS_STALE_AFTER_SECONDS",
                "ACCESS_LOG_CHECKPOINT_FILE",
            )
        }
    )
    os.environ.pop("DATABASE_REPLICA_URL", None)
    result: dict = {"cases": size}
    if not args.reuse:
        drop_database(url, create=True)
    import django

    django.setup()
    import redis
    from django.core.management import call_command
    from django.db import connection, connections
    from django_scopes import scopes_disabled

    redis.Redis.from_url(REDIS_URL).flushdb()
    if not args.reuse:
        call_command("migrate", verbosity=0)
        from bench.bench_initiatives_search import generate as generate_initiatives
        from bench.generate import generate

        log(f"[{size:,}] generating")
        t0 = time.perf_counter()
        generate(
            households=size,
            seed=1,
            professionals=max(20, size // 200),
            teams_per_municipality=max(5, size // 20000),
            months=36,
            batch=10000,
            stdout=sys.stderr,
        )
        generate_initiatives(args.initiatives)
        result["generate_s"] = round(time.perf_counter() - t0, 1)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    from helpers.browser import session_cookie_for  # tests/helpers (sys.path below)

    from doorbraak.budget.models import Plan
    from doorbraak.core.models import Role, User

    with scopes_disabled():
        policy = User.objects.get(role=Role.POLICY, username__startswith="bench-1-")
        municipality = policy.municipality
        leads = list(
            User.objects.filter(role=Role.LEAD, team__isnull=False, username__startswith="bench-1-").order_by("pk")[:4]
        )
        cookie = {}
        case_ids = {}
        for lead in leads:
            c = session_cookie_for(lead)
            cookie[lead.pk] = f"{c['name']}={c['value']}"
            case_ids[lead.pk] = list(
                Plan.objects.filter(case__team_id=lead.team_id).order_by("?").values_list("case_id", flat=True)[:200]
            )
        c = session_cookie_for(policy)
        policy_cookie = f"{c['name']}={c['value']}"
    lead_ids = [pk for pk in case_ids if case_ids[pk]]

    def pick_case(rng):
        pk = rng.choice(lead_ids)
        return rng.choice(case_ids[pk]), cookie[pk]

    def case_detail(rng):
        case_id, ck = pick_case(rng)
        return f"/casussen/{case_id}/", ck

    def plan_page(rng):
        case_id, ck = pick_case(rng)
        return f"/casussen/{case_id}/plan/", ck

    plan = {
        "case_list": lambda rng: ("/casussen/", cookie[rng.choice(lead_ids)]),
        "case_detail": case_detail,
        "plan": plan_page,
        "dashboard": lambda rng: ("/leren/", policy_cookie),
        "initiative_search": lambda rng: (f"/initiatieven/?q={rng.choice(SEARCH_WORDS).replace(' ', '+')}", None),
        "livez": lambda rng: ("/_healthz/livez", None),
    }
    municipality_id = municipality.pk
    connections.close_all()

    procs: dict[str, subprocess.Popen] = {}

    def start(name: str, cmd: list[str], extra: dict | None = None) -> subprocess.Popen:
        fh = open(logdir / f"{name}.log", "w")  # noqa: SIM115 (closed with the process)
        p = subprocess.Popen(
            cmd, cwd=ROOT, env={**env, **(extra or {})}, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True
        )
        procs[name] = p
        return p

    def kill(name: str) -> None:
        p = procs[name]
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        p.wait(10)

    py = str(ROOT / ".venv" / "bin" / "python")
    ports = [free_port(), free_port()]
    try:
        for n in (1, 2):
            start(f"worker{n}", [py, "manage.py", "db_worker", "--worker-id", f"scale-w{n}", "--interval", "1"])
        for n, port in enumerate(ports, 1):
            start(
                f"web{n}",
                [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "gunicorn.conf.py"],
                {"GUNICORN_BIND": f"127.0.0.1:{port}"},
            )
        for port in ports:
            wait_ready(port)
        log(f"[{size:,}] web on {ports}, 2 workers up")
        for page in PAGES:  # every page answers 200 before anything is measured (sessions, data)
            path, ck = plan[page](random.Random(0))
            status = http_get({}, ports[0], path, ck)
            if status != 200 and page != "dashboard":
                raise RuntimeError(f"GET {path}: {status}")

        result["worker_drill"] = worker_drill(municipality_id, procs, kill, args)
        log(f"[{size:,}] worker drill: {json.dumps(result['worker_drill'])}")

        load = {}
        for label, use in (("1 web", ports[:1]), ("2 web", ports)):
            web_pids = [procs[f"web{n}"].pid for n in range(1, len(use) + 1)]
            for page in PAGES:
                cpu0 = process_tree_cpu(web_pids)
                recs = run_load(
                    plan, [page], use, threads=args.threads, seconds=args.seconds, max_requests=args.max_requests
                )
                cpu_ms = 1000 * (process_tree_cpu(web_pids) - cpu0) / max(1, len(recs))
                load[f"{label}|{page}"] = {
                    **summarise(recs),
                    "load1": round(os.getloadavg()[0], 1),
                    "web_cpu_ms": round(cpu_ms, 1),
                }
                log(f"[{size:,}] {label} {page}: {load[f'{label}|{page}']}")
            recs = run_load(
                plan, PAGES[:-1], use, threads=args.threads, seconds=args.mixed_seconds, max_requests=args.max_requests
            )
            load[f"{label}|mixed"] = {**summarise(recs), "load1": round(os.getloadavg()[0], 1)}
            for page in PAGES[:-1]:
                load[f"{label}|mixed|{page}"] = summarise(recs, page)
            log(f"[{size:,}] {label} mixed: {load[f'{label}|mixed']}")
        result["load"] = load

        killed_at = {}

        def kill_web2_later(t_start):
            time.sleep(args.mixed_seconds / 3)
            killed_at["t"] = time.perf_counter() - t_start
            kill("web2")

        recs = run_load(
            plan,
            PAGES[:-1],
            ports,
            threads=args.threads,
            seconds=args.mixed_seconds,
            max_requests=args.max_requests,
            on_tick=lambda t0: threading.Thread(target=kill_web2_later, args=(t0,), daemon=True).start(),
        )
        t_kill = killed_at["t"]
        before = [r for r in recs if r[2] + r[3] < t_kill]
        after = [r for r in recs if r[2] >= t_kill]
        result["web_drill"] = {
            "killed_after_s": round(t_kill, 1),
            "live_before": summarise(before, port=ports[0]),
            "killed_before": summarise(before, port=ports[1]),
            "live_after": summarise(after, port=ports[0]),
            "killed_after": summarise(after, port=ports[1]),
            "live_errors_total": sum(1 for r in recs if r[1] == ports[0] and not r[4]),
        }
        log(f"[{size:,}] web drill: {json.dumps(result['web_drill'])}")
    finally:
        for name in list(procs):
            kill(name)
    result["settings"] = {
        "web_workers": args.web_workers,
        "web_threads": args.web_threads,
        "client_threads": args.threads,
        "seconds": args.seconds,
        "mixed_seconds": args.mixed_seconds,
    }
    return result


def wait_ready(port: int, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if http_get({}, port, "/_healthz/readyz", None) == 200:
                return
        except Exception:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"web process on port {port} not ready after {timeout} s")


def worker_drill(municipality_id: int, procs: dict, kill, args) -> dict:
    """Enqueue the refresh, kill -9 the worker that runs it, requeue it as the scheduler would, and wait."""
    from django_tasks_db.models import DBTaskResult

    from doorbraak.core.tasks import enqueue_once, requeue_stale_tasks
    from doorbraak.learning.tasks import refresh_learning_facts

    t0 = time.monotonic()
    enqueued = enqueue_once(refresh_learning_facts, municipality_id)
    out: dict = {"result_id": str(enqueued.result_id)}
    row = None
    while time.monotonic() - t0 < 60:
        row = DBTaskResult.objects.get(pk=enqueued.result_id)
        if row.status == "RUNNING" and row.worker_ids:
            break
        time.sleep(0.05)
    else:
        raise RuntimeError("no worker claimed the refresh within 60 s")
    victim = row.worker_ids[-1]
    time.sleep(args.kill_after)
    row.refresh_from_db()
    if row.status != "RUNNING":
        out["note"] = f"finished ({row.status}) before the kill; drill not shown"
        return out
    kill("worker1" if victim == "scale-w1" else "worker2")
    out.update(killed=victim, killed_after_s=round(time.monotonic() - t0, 1))
    requeued = 0
    while time.monotonic() - t0 < args.drill_timeout:
        row.refresh_from_db()
        if row.status in ("SUCCESSFUL", "FAILED"):
            break
        if row.status == "RUNNING" and not requeued:
            requeued = requeue_stale_tasks(older_than_seconds=args.stale)
            if requeued:
                out["requeued_after_s"] = round(time.monotonic() - t0, 1)
        time.sleep(1)
    out.update(status=row.status, worker_ids=row.worker_ids, total_s=round(time.monotonic() - t0, 1))
    if row.started_at and row.finished_at:
        out["rerun_s"] = round((row.finished_at - row.started_at).total_seconds(), 1)
    return out


# ---------------------------------------------------------------------------------------------- output


def print_tables(results: list[dict]) -> None:
    labels = {
        "case_list": "case list (lead)",
        "case_detail": "case detail",
        "plan": "plan",
        "dashboard": "learning dashboard",
        "initiative_search": "initiative search",
        "livez": "`/_healthz/livez` (trivial)",
    }
    print("Each page alone (closed loop):\n")
    print(
        "| cases | page | web | req/s | % of trivial | p50 (ms) | p95 (ms) | p99 (ms) | requests | errors "
        "| web CPU per request (ms) | load avg |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        for page in PAGES:
            for web in ("1 web", "2 web"):
                s = r["load"][f"{web}|{page}"]
                ceiling = r["load"][f"{web}|livez"]["rps"] or 1
                print(
                    f"| {r['cases']:,} | {labels[page]} | {web[0]} | {s['rps']} | {100 * s['rps'] / ceiling:.0f}% "
                    f"| {s.get('p50', '')} | {s.get('p95', '')} | {s.get('p99', '')} | {s['n']} | {s['errors']} "
                    f"| {s.get('web_cpu_ms', '')} | {s.get('load1', '')} |"
                )
    print("\nMixed load (the five pages in turn):\n")
    print(
        "| cases | web | req/s (all) | errors | "
        + " | ".join(f"{labels[p]} p50/p95/p99 (ms)" for p in PAGES[:-1])
        + " | load avg |"
    )
    print("|---:|---:|---:|---:|" + "---|" * (len(PAGES) - 1) + "---:|")
    for r in results:
        for web in ("1 web", "2 web"):
            s = r["load"][f"{web}|mixed"]
            cells = []
            for p in PAGES[:-1]:
                m = r["load"][f"{web}|mixed|{p}"]
                cells.append(f"{m.get('p50', '')} / {m.get('p95', '')} / {m.get('p99', '')}")
            print(
                f"| {r['cases']:,} | {web[0]} | {s['rps']} | {s['errors']} | "
                + " | ".join(cells)
                + f" | {s.get('load1', '')} |"
            )
    print("\nWorker drill (refresh enqueued, its worker killed with kill -9, requeued after 20 s):\n")
    print(
        "| cases | claimed and killed | killed after (s) | requeued after (s) | finished by | status "
        "| enqueue to finished (s) | rerun (s) |"
    )
    print("|---:|---|---:|---:|---|---|---:|---:|")
    for r in results:
        w = r["worker_drill"]
        if "killed" not in w:
            print(f"| {r['cases']:,} | {w.get('note', '')} | | | | | | |")
            continue
        print(
            f"| {r['cases']:,} | {w['killed']} | {w['killed_after_s']} | {w.get('requeued_after_s', '–')} "
            f"| {w['worker_ids'][-1]} | {w['status']} | {w['total_s']} | {w.get('rerun_s', '')} |"
        )
    print("\nWeb drill (mixed load on both ports, web 2 killed with kill -9; requests / errors per port):\n")
    print("| cases | killed after (s) | web 1 before | web 1 after | web 2 before | web 2 after |")
    print("|---:|---:|---:|---:|---:|---:|")
    for r in results:
        d = r["web_drill"]
        cells = [
            f"{d[k]['n']} / {d[k]['errors']}" for k in ("live_before", "live_after", "killed_before", "killed_after")
        ]
        print(f"| {r['cases']:,} | {d['killed_after_s']} | " + " | ".join(cells) + " |")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--initiatives", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=8, help="client threads")
    parser.add_argument("--web-workers", type=int, default=1, help="GUNICORN_WORKERS of each web process")
    parser.add_argument("--web-threads", type=int, default=4, help="GUNICORN_THREADS of each web process")
    parser.add_argument("--seconds", type=float, default=6, help="length of each single-page phase")
    parser.add_argument("--mixed-seconds", type=float, default=15, help="length of each mixed phase")
    parser.add_argument("--max-requests", type=int, default=20000, help="upper bound of requests per phase")
    parser.add_argument("--stale", type=int, default=20, help="TASKS_STALE_AFTER_SECONDS of the drill")
    parser.add_argument("--kill-after", type=float, default=0.3, help="seconds the refresh runs before the kill")
    parser.add_argument("--drill-timeout", type=float, default=900)
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument("--reuse", action="store_true", help="reuse an existing database (with --keep)")
    parser.add_argument(
        "--tables-from",
        nargs="+",
        metavar="LOG",
        help="only print the tables from the JSON result lines of earlier runs' stderr",
    )
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.tables_from:
        found = {}
        for name in args.tables_from:
            for line in Path(name).read_text().splitlines():
                text = line.split("] ", 1)[-1]
                if text.startswith('{"cases"'):
                    r = json.loads(text)
                    found[r["cases"]] = r
        print_tables([found[k] for k in sorted(found)])
        return
    if args.child:
        sys.path.insert(0, str(ROOT / "tests"))
        print("RESULT " + json.dumps(child(args.child, args)), flush=True)
        return
    results = []
    for size in args.sizes:
        cmd = [sys.executable, __file__, "--child", str(size), *sys.argv[1:]]
        out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout
        results.append(json.loads(next(s for s in out.splitlines() if s.startswith("RESULT "))[7:]))
        log(json.dumps(results[-1]))
        if not args.keep:
            drop_database(database_url(size))
    print_tables(results)


if __name__ == "__main__":
    main()
