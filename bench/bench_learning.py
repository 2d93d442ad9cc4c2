"""Benchmark of the learning dashboard, pattern analysis, council report and open data (issue 5).

For each database and size: a fresh database, migrate, generate one municipality with N cases
(bench/generate.py: platforms, plans, payments, measurements), VACUUM ANALYZE / ANALYZE, then time
- refresh_facts(municipality) once (the nightly rebuild of the fact tables),
- with one warm-up and the median of --repeat runs: analytics.dashboard, analytics.patterns,
  report.council_report_pdf, report.open_data_csv for every dataset (all for the whole generated period),
  and the full GET /leren/ (its default period, the last 12 months, and the whole period) and
  /leren/patronen/ (whole period) through Django's test client as a logged-in policy officer;
and count the queries per dashboard call and per page. Prints Markdown tables for BENCHMARKS.md.

    make bench-learning                                    # 10k and 100k cases, PostgreSQL and SQLite
    .venv/bin/python bench/bench_learning.py --sizes 10000 100000 1000000 --databases postgresql
    .venv/bin/python bench/bench_learning.py --sizes 1000000 --databases postgresql --explain /tmp/plans.txt
    # the incremental refresh after touching 0.1% and 1% of the cases (issue 14), checked against a full rebuild:
    .venv/bin/python bench/bench_learning.py --sizes 100000 --databases postgresql --incremental 0.001 0.01 \
        --check --skip-reads

Databases (dropped and created, dropped again afterwards unless --keep): PostgreSQL `doorbraak_bench_learning`
(or $BENCH_PG_DB) on the server of $PG_URL; SQLite var/bench_learning.sqlite3 (or $BENCH_SQLITE).
SQLite runs only up to --sqlite-max cases (default 100,000).
"""

import argparse
import datetime
import json
import logging
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

PG_URL = os.environ.get("PG_URL", "postgres://postgres:postgres@127.0.0.1:5432/doorbraak")


STATS_REL_TOL = 1e-9  # means and variances of the pz: cells are float sums: their last bits follow the row order


def layer_of(municipality) -> dict:
    """(grain, period, dimension, value, measure) -> (published count, stats) of the municipality's layer."""
    from django_scopes import scopes_disabled

    from doorbraak.learning.models import ProtectedCell

    with scopes_disabled():
        rows = ProtectedCell.objects.filter(municipality=municipality).values_list(
            "grain", "period", "dimension", "value", "measure", "count", "stats"
        )
        return {(g, p, d, v, m): (count, stats) for g, p, d, v, m, count, stats in rows}


def compare_layers(a: dict, b: dict) -> tuple[list, int]:
    """(cells that differ in presence, count or stats beyond STATS_REL_TOL; how many cells differ only in the
    last bits of a float). Float sums are not associative: two builds that add the same values in another
    order (an incremental one, or a full one reading the rows in another physical order) differ by an ulp,
    and a mean that is exactly a tie at some decimal (e.g. 359/640 = 0.5609375) then rounds either way."""
    import math

    def close(x, y):
        if x is None or y is None or x.keys() != y.keys():
            return x == y
        return all(math.isclose(x[k], y[k], rel_tol=STATS_REL_TOL, abs_tol=1e-12) for k in x)

    differing, float_only = [], 0
    for key in sorted(a.keys() | b.keys(), key=repr):
        x, y = a.get(key), b.get(key)
        if x == y:
            continue
        if x is not None and y is not None and x[0] == y[0] and close(x[1], y[1]):
            float_only += 1
        else:
            differing.append((key, x, y))
    return differing, float_only


def database_url(vendor: str) -> str:
    if vendor == "sqlite":
        return f"sqlite:///{os.environ.get('BENCH_SQLITE', ROOT / 'var' / 'bench_learning.sqlite3')}"
    base, _, _ = PG_URL.rpartition("/")
    return f"{base}/{os.environ.get('BENCH_PG_DB', 'doorbraak_bench_learning')}"


def drop_database(url: str, create: bool = False) -> None:
    if url.startswith("sqlite"):
        path = url.replace("sqlite:///", "")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if create:
            conn.execute(f'CREATE DATABASE "{name}"')


def timed(fn, repeat: int) -> float:
    """Median milliseconds of `repeat` runs after one warm-up run."""
    fn()
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


def dataset_names(datasets) -> list[str]:
    names = []
    for d in datasets:
        if isinstance(d, str):
            names.append(d)
        elif isinstance(d, tuple | list):
            names.append(d[0])
        else:
            names.append(getattr(d, "slug", None) or getattr(d, "key", None) or d.name)
    return names


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def child(vendor: str, size: int, args) -> dict:
    url = database_url(vendor)
    if not args.reuse:
        drop_database(url, create=True)
    os.environ["DOORBRAAK_ENV"] = "test"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doorbraak.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_scopes import scope, scopes_disabled

    from bench.generate import generate
    from doorbraak.core.models import Role, User

    call_command("migrate", verbosity=0)
    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # CSS it ignores in the PDF, not our concern here
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    t0 = time.perf_counter()
    if args.reuse:  # the database a --generate-only --keep run left (new migrations are applied above)
        log(f"[{vendor} {size:,}] reusing {url.rpartition('/')[2]}")
        counts = {"rows": None}
    else:
        log(f"[{vendor} {size:,}] generating")
        counts = generate(
            households=size,
            seed=args.seed,
            professionals=max(20, size // 200),
            teams_per_municipality=max(5, size // 20000),
            months=args.months,
            batch=10000,
            stdout=sys.stderr,
        )
    result = {
        "database": vendor,
        "cases": size,
        "rows": counts["rows"],
        "generate_s": round(time.perf_counter() - t0, 1),
    }

    def analyze():
        t = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if vendor == "postgresql" else "ANALYZE")
        return round(time.perf_counter() - t, 1)

    result["analyze_s"] = analyze()
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            result["db_mb"] = cursor.fetchone()[0] // 2**20
    else:
        result["db_mb"] = Path(url.replace("sqlite:///", "")).stat().st_size // 2**20
    if args.generate_only:
        return result

    from doorbraak.learning import analytics, facts

    try:
        from doorbraak.learning import report
    except ImportError:
        report = None
    with scopes_disabled():
        policy = User.objects.get(role=Role.POLICY, username__startswith=f"bench-{args.seed}-")
        municipality = policy.municipality
    from django.utils import timezone

    today = timezone.localdate()
    # Issue 13: figures are released for grid periods only; "whole" is the current calendar year.
    start, end = datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 1)
    from doorbraak.learning.insights import protected
    from doorbraak.learning.models import FactRefresh, ProtectedCell

    if args.skip_full:  # the facts and the layer a previous run built (its full refresh as that run timed it)
        with scopes_disabled():
            last_full = FactRefresh.objects.filter(municipality=municipality, kind=FactRefresh.Kind.FULL).first()
            result["refresh_s"] = round(last_full.seconds, 1)
            result["cells"] = ProtectedCell.objects.filter(municipality=municipality).count()
    else:
        log(f"[{vendor} {size:,}] refresh_facts")
        t0 = time.perf_counter()
        with scope(municipality=municipality.pk):
            facts.refresh_facts(municipality, full=True)
        result["refresh_s"] = round(time.perf_counter() - t0, 1)
        t0 = time.perf_counter()
        with scope(municipality=municipality.pk):
            result["cells"] = protected.build_cells(municipality.pk, today=today)
        result["build_cells_s"] = round(time.perf_counter() - t0, 1)
    result["analyze_facts_s"] = analyze()
    if args.incremental:
        result["incremental"] = incremental(municipality, args)
    if args.check_cells:  # the layer built whole from the same facts, timed, compared, then rolled back
        from django.db import transaction

        log(f"[{vendor} {size:,}] check: the layer built whole")
        kept = layer_of(municipality)

        class Rollback(Exception):
            pass

        try:
            with transaction.atomic(), scope(municipality=municipality.pk):
                t0 = time.perf_counter()
                protected.build_cells(municipality.pk, today=today)
                result["build_cells_s"] = round(time.perf_counter() - t0, 1)
                rebuilt = layer_of(municipality)
                raise Rollback
        except Rollback:
            pass
        differing, float_only = compare_layers(rebuilt, kept)
        result["cells_equal_whole"] = not differing
        result["cells_differing_whole"] = len(differing)
        result["cells_float_last_bits_whole"] = float_only
        for key, whole, kept_cell in differing[:50]:  # what differs, to find out why
            log(f"[check] {key}: full build {whole}, kept {kept_cell}")
        result["cells"] = len(rebuilt)
    if args.skip_reads:
        connections.close_all()
        return result

    explain = []

    def run(name, fn):
        log(f"[{vendor} {size:,}] {name}")
        with scope(municipality=municipality.pk):
            ms = timed(fn, args.repeat)
            with CaptureQueriesContext(connection) as ctx:
                fn()
        result[name] = round(ms, 1)
        result[f"{name}_queries"] = len(ctx.captured_queries)
        if args.explain and vendor == "postgresql":
            for q in ctx.captured_queries:
                if float(q["time"]) * 1000 >= args.explain_ms and q["sql"].lstrip().upper().startswith("SELECT"):
                    with connection.cursor() as cursor:
                        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
                        plan = "\n".join(r[0] for r in cursor.fetchall())
                    ms_q = float(q["time"]) * 1000
                    explain.append(f"## {name} ({size:,} cases): {ms_q:.0f} ms\n{q['sql']}\n\n{plan}\n")

    run("dashboard", lambda: analytics.dashboard(municipality, start, end))
    run("patterns", lambda: analytics.patterns(municipality, start, end))
    with scope(municipality=municipality.pk):
        samples = []
        for _ in range(max(20, args.repeat)):
            t0 = time.perf_counter()
            analytics.dashboard(municipality, start, end)
            samples.append((time.perf_counter() - t0) * 1000)
        samples.sort()
        result["dashboard_p95"] = round(samples[int(0.95 * (len(samples) - 1))], 1)
        team = (
            protected.ProtectedCell.objects.filter(
                municipality=municipality, grain="a", dimension="team", measure="cases"
            )
            .values_list("value", flat=True)
            .first()
        )
    with scope(municipality=municipality.pk):
        found = analytics.patterns(municipality, start, end)
    result["findings"] = [f for factor in found["factors"] for f in factor["findings"]]
    if report is not None and hasattr(report, "council_report_pdf"):
        run("council_report_pdf", lambda: report.council_report_pdf(municipality, start, end))
    if report is not None and hasattr(report, "open_data_csv"):
        names = dataset_names(report.DATASETS)
        for name in names:
            run(f"csv:{name}", lambda name=name: report.open_data_csv(municipality, name, start, end))
        result["csv_total"] = round(sum(result[f"csv:{n}"] for n in names), 1)

    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(policy)
    device, _ = TOTPDevice.objects.get_or_create(user=policy, name="bench", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    whole = f"?periode={start.year}"
    for name, path in (
        ("page_leren", "/leren/"),
        ("page_leren_all", f"/leren/{whole}"),
        ("page_leren_team", f"/leren/{whole}&uitsplitsing=team:{team}"),
        ("page_patronen_all", f"/leren/patronen/{whole}"),
        ("page_open_data_team_csv", f"/open-data/{municipality.code}/maanden.csv{whole}&uitsplitsing=team:{team}"),
    ):
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path}: {response.status_code}")
        log(f"[{vendor} {size:,}] GET {path}")
        result[name] = round(timed(lambda path=path: client.get(path), args.repeat), 1)
        with CaptureQueriesContext(connection) as ctx:
            client.get(path)
        result[f"{name}_queries"] = len(ctx.captured_queries)

    # p50 / p95 over --samples requests (issue 13: dashboard < 100 ms p95, each open-data file < 1 s at 1M).
    def percentiles(name, c, path):
        if c.get(path).status_code != 200:
            raise RuntimeError(f"GET {path}")
        samples = []
        for _ in range(args.samples):
            t0 = time.perf_counter()
            c.get(path)
            samples.append((time.perf_counter() - t0) * 1000)
        samples.sort()
        result[f"{name}_p50"] = round(statistics.median(samples), 1)
        result[f"{name}_p95"] = round(samples[int(0.95 * (len(samples) - 1))], 1)

    percentiles("page_leren_all", client, f"/leren/{whole}")
    percentiles("page_leren_team", client, f"/leren/{whole}&uitsplitsing=team:{team}")
    anonymous = Client()
    if report is not None:
        for name in dataset_names(report.DATASETS):
            percentiles(f"public_csv:{name}", anonymous, f"/open-data/{municipality.code}/{name}.csv{whole}")
    if explain:
        with open(args.explain, "a") as fh:
            fh.write("\n".join(explain))
    connections.close_all()
    return result


def incremental(municipality, args) -> list[dict]:
    """Touch a fraction of the cases the way a day's work does (half: the status changes, half: a new outcome
    measurement; the change-log triggers see both), time the incremental refresh, and with --check compare its
    rollups with a full rebuild's. The first row is a refresh with nothing changed."""
    import random

    from django.db import connection
    from django_scopes import scope, scopes_disabled

    from doorbraak.cases.models import Case, OutcomeMeasurement
    from doorbraak.core.models import User
    from doorbraak.learning import facts
    from doorbraak.learning.insights import protected
    from doorbraak.learning.models import Rollup

    layer_s = [0.0]
    for name in ("take_out", "put_in", "move", "apply"):  # time the layer's share of the incremental refresh
        method = getattr(protected.LayerChange, name)

        def timed_method(self, *a, _method=method, **k):
            t = time.perf_counter()
            try:
                return _method(self, *a, **k)
            finally:
                layer_s[0] += time.perf_counter() - t

        setattr(protected.LayerChange, name, timed_method)

    rng = random.Random(args.seed)
    with scopes_disabled():
        ids = list(Case.objects.filter(municipality=municipality).values_list("pk", flat=True))
        recorder = User.objects.filter(municipality=municipality).values_list("pk", flat=True).first()
    rows = []
    for fraction in [0.0, *args.incremental]:
        touched = rng.sample(ids, int(len(ids) * fraction))
        half = len(touched) // 2
        t0 = time.perf_counter()
        with scopes_disabled():
            for i in range(0, half, 5000):
                Case.objects.filter(pk__in=touched[i : min(i + 5000, half)]).update(status=Case.Status.CLOSED)
            OutcomeMeasurement.objects.bulk_create(
                [
                    OutcomeMeasurement(
                        municipality=municipality,
                        case_id=pk,
                        participation_step=rng.randint(1, 6),
                        recorded_by_id=recorder,
                    )
                    for pk in touched[half:]
                ],
                batch_size=5000,
            )
        touch_s = time.perf_counter() - t0
        log(f"[incremental] {fraction:.1%}: {len(touched):,} cases touched in {touch_s:.1f} s; refreshing")
        layer_s[0] = 0.0
        t0 = time.perf_counter()
        with scope(municipality=municipality.pk):
            facts.refresh_facts(municipality)
        row = {
            "fraction": fraction,
            "touched": len(touched),
            "touch_s": round(touch_s, 1),
            "incremental_s": round(time.perf_counter() - t0, 2),
            "layer_s": round(layer_s[0], 2),
        }
        with scopes_disabled():
            latest = facts.FactRefresh.objects.filter(municipality=municipality).first()
            row["kind"] = latest.kind
        if args.check:

            def rollups():
                with scopes_disabled():
                    return {
                        (r.month, r.kind, r.key): (r.n, r.c1, r.c2, r.c3, r.c4, r.c5, round(r.f1, 4), round(r.f2, 4))
                        for r in Rollup.objects.filter(municipality=municipality)
                    }

            after_incremental = rollups()
            cells_incremental = layer_of(municipality)
            t0 = time.perf_counter()
            with scope(municipality=municipality.pk):
                facts.refresh_facts(municipality, full=True)
            row["full_s"] = round(time.perf_counter() - t0, 1)
            row["equal"] = rollups() == after_incremental
            after_full = layer_of(municipality)
            differing, float_only = compare_layers(after_full, cells_incremental)
            row["cells_equal"] = not differing
            row["cells_differing"] = len(differing)
            row["cells_float_last_bits"] = float_only
            row["cells"] = len(after_full)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        log(f"[incremental] {row}")
        rows.append(row)
    return rows


def print_tables(results: list[dict]) -> None:
    print(
        "| database | cases | rows | generate (s) | refresh facts (s) | dashboard (ms) | queries | patterns (ms) "
        "| council report PDF (ms) | open data CSV, all (ms) | GET /leren/, last 12 months (ms) "
        "| GET /leren/, whole period (ms) | queries | GET /leren/patronen/, whole period (ms) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {r['database']} | {r['cases']:,} | {r['rows'] or 0:,} | {r['generate_s']} | {r.get('refresh_s', '')} "
            f"| {r.get('dashboard', '')} | {r.get('dashboard_queries', '')} | {r.get('patterns', '')} "
            f"| {r.get('council_report_pdf', '–')} | {r.get('csv_total', '–')} | {r.get('page_leren', '')} "
            f"| {r.get('page_leren_all', '')} | {r.get('page_leren_all_queries', '')} "
            f"| {r.get('page_patronen_all', '')} |"
        )
    if any(r.get("incremental") for r in results):
        print()
        print(
            "| database | cases | full rebuild (s) | cases touched | incremental refresh (s) "
            "| of which the protected layer (s) | full rebuild after (s) | rollups equal | protected cells equal |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---|---|")
        for r in results:
            for row in r.get("incremental", []):
                print(
                    f"| {r['database']} | {r['cases']:,} | {r['refresh_s']} | {row['touched']:,} "
                    f"({row['fraction']:.1%}) | {row['incremental_s']} | {row.get('layer_s', '–')} "
                    f"| {row.get('full_s', '–')} | {row.get('equal', '–')} | {row.get('cells_equal', '–')} |"
                )
    csv_names = sorted({k[4:] for r in results for k in r if k.startswith("csv:") and not k.endswith("_queries")})
    if csv_names:
        print()
        print("| database | cases | " + " | ".join(f"{n}.csv (ms)" for n in csv_names) + " |")
        print("|---|---:|" + "---:|" * len(csv_names))
        for r in results:
            print(
                f"| {r['database']} | {r['cases']:,} | "
                + " | ".join(str(r.get(f"csv:{n}", "")) for n in csv_names)
                + " |"
            )
    print()
    print(
        "| database | cases | refresh incl. layer (s) | build protected layer (s) | cells | dashboard p95 (ms) "
        "| GET /leren/ year (ms) | GET /leren/ year, team (ms) | public maanden.csv, team (ms) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {r['database']} | {r['cases']:,} | {r.get('refresh_s', '')} | {r.get('build_cells_s', '')} "
            f"| {r.get('cells', '')} | {r.get('dashboard_p95', '')} | {r.get('page_leren_all', '')} "
            f"| {r.get('page_leren_team', '')} | {r.get('page_open_data_team_csv', '')} |"
        )
    public = sorted({k[11:-4] for r in results for k in r if k.startswith("public_csv:") and k.endswith("_p95")})
    if public:
        print()
        print(
            "| database | cases | GET /leren/ year p50 / p95 (ms) | GET /leren/ year, team p50 / p95 (ms) | "
            + " | ".join(f"public {n}.csv p50 / p95 (ms)" for n in public)
            + " |"
        )
        print("|---|---:|---:|---:|" + "---:|" * len(public))
        for r in results:
            keys = ("page_leren_all", "page_leren_team")
            pages = [f"{r.get(f'{k}_p50', '')} / {r.get(f'{k}_p95', '')}" for k in keys]
            pages += [f"{r.get(f'public_csv:{n}_p50', '')} / {r.get(f'public_csv:{n}_p95', '')}" for n in public]
            print(f"| {r['database']} | {r['cases']:,} | " + " | ".join(pages) + " |")
    findings = next((r["findings"] for r in reversed(results) if r.get("findings")), [])
    if findings:
        print()
        print(f"Pattern findings at {results[-1]['cases']:,} cases (planted: expert -> faster, client -> better ZRM):")
        for f in findings:
            print(f"- {f}")
    print()
    print(
        "Load details: "
        + "; ".join(
            f"{r['database']} {r['cases']:,}: VACUUM/ANALYZE {r['analyze_s']} s, database {r['db_mb']} MB"
            for r in results
        )
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--databases", nargs="+", default=["postgresql", "sqlite"])
    parser.add_argument("--sqlite-max", type=int, default=100_000, help="largest size run on SQLite")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--samples", type=int, default=40, help="requests per page for p50/p95")
    parser.add_argument("--keep", action="store_true", help="keep the last database")
    parser.add_argument("--generate-only", action="store_true")
    parser.add_argument(
        "--reuse", action="store_true", help="use the database a --generate-only --keep run left (no generation)"
    )
    parser.add_argument("--explain", help="PostgreSQL: append EXPLAIN ANALYZE of slow queries to this file")
    parser.add_argument("--explain-ms", type=float, default=50)
    parser.add_argument(
        "--incremental",
        type=float,
        nargs="*",
        default=[],
        help="after the full refresh, touch these fractions of the cases and time the incremental "
        "refresh (e.g. 0.001 0.01)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="with --incremental: a full rebuild after each, timed, and its rollups compared",
    )
    parser.add_argument(
        "--skip-full", action="store_true", help="with --reuse: no full refresh, use the facts a previous run built"
    )
    parser.add_argument(
        "--check-cells",
        action="store_true",
        help="build the layer whole (timed), compare it with the kept (incremental) one, roll back",
    )
    parser.add_argument("--skip-reads", action="store_true", help="only generate and refresh (no page timings)")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        vendor, size = args.child[0], int(args.child[1])
        print("RESULT " + json.dumps(child(vendor, size, args)), flush=True)
        return
    results = []
    for vendor in args.databases:
        for size in args.sizes:
            if vendor == "sqlite" and size > args.sqlite_max:
                continue
            cmd = [sys.executable, __file__, "--child", vendor, str(size), *sys.argv[1:]]
            out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout
            line = next(s for s in out.splitlines() if s.startswith("RESULT "))
            results.append(json.loads(line[7:]))
            log(json.dumps(results[-1]))
            if not args.keep:
                drop_database(database_url(vendor))
    print_tables(results)


if __name__ == "__main__":
    main()
